/*
 * tests/host/test_rng.h - the random numbers of the host tests and
 * benchmarks: xorshift64, from G. Marsaglia, "Xorshift RNGs", Journal of
 * Statistical Software 8(14), 2003 (shifts 13, 7, 17; period 2^64 - 1).
 *
 * Fast and small, and plenty for picking test cases; not for anything
 * that must be unpredictable.  A program includes this once and gets one
 * generator of its own.  A random test calls rng_seed() with a fixed seed
 * before its first number, so that it makes the same cases on every run
 * and a failure can be replayed, whatever ran before it.
 */
#ifndef TESTS_HOST_TEST_RNG_H
#define TESTS_HOST_TEST_RNG_H

#include <stdint.h>

/* Any nonzero state will do: zero is the one state xorshift never leaves. */
#define RNG_DEFAULT_SEED 0x2545f4914f6cdd1dULL

static uint64_t rng_state = RNG_DEFAULT_SEED;

static inline void rng_seed(uint64_t seed)
{
	rng_state = seed != 0 ? seed : RNG_DEFAULT_SEED;
}

/* The next 64 random bits. */
static inline uint64_t rng_next64(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* The next 32 random bits: the high half, the better mixed one. */
static inline uint32_t rng_next(void)
{
	return (uint32_t)(rng_next64() >> 32);
}

/* A number in [0, n), n > 0; the bias of the modulo is below 2^-32. */
static inline uint32_t rng_below(uint32_t n)
{
	return (uint32_t)(rng_next64() % n);
}

#endif	/* TESTS_HOST_TEST_RNG_H */
