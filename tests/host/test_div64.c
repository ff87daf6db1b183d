/*
 * tests/host/test_div64.c - unit tests for kernel/lib/div64.c, the 64-bit
 * division the i386 kernel and user programs link instead of libgcc's.
 *
 * The host divides 64-bit numbers natively, so every result is compared
 * with what the host's own `/` and `%` give: every pair from a table of
 * edge values (0, 1, powers of two around the 32-bit boundary, the
 * extremes of both types), then a million random pairs whose operands
 * have random bit widths, so that both of udivmod64()'s paths (a 32-bit
 * divisor, a wider one) and every quotient size are covered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel/lib/div64.h"
#include "tests/host/test_rng.h"

#define RANDOM_PAIRS 1000000

static const uint64_t edges[] = {
	0, 1, 2, 3, 7, 10, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
	0x100000000, 0x100000001, 0x1ffffffff, 0xffffffff00000000,
	0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000001,
	0xfffffffffffffffe, 0xffffffffffffffff,
};

static void check_unsigned(uint64_t n, uint64_t d)
{
	uint64_t r;

	if (d == 0)
		return;
	if (__udivdi3(n, d) != n / d || __umoddi3(n, d) != n % d ||
	    udivmod64(n, d, &r) != n / d || r != n % d)
		fail_msg("%#llx / %#llx: got %#llx rem %#llx, want %#llx rem "
		         "%#llx", (unsigned long long)n, (unsigned long long)d,
		         (unsigned long long)__udivdi3(n, d),
		         (unsigned long long)__umoddi3(n, d),
		         (unsigned long long)(n / d),
		         (unsigned long long)(n % d));
}

static void check_signed(int64_t n, int64_t d)
{
	/* 0 and INT64_MIN / -1 (it overflows) are undefined in C itself. */
	if (d == 0 || (n == INT64_MIN && d == -1))
		return;
	if (__divdi3(n, d) != n / d || __moddi3(n, d) != n % d)
		fail_msg("%lld / %lld: got %lld rem %lld, want %lld rem %lld",
		         (long long)n, (long long)d, (long long)__divdi3(n, d),
		         (long long)__moddi3(n, d), (long long)(n / d),
		         (long long)(n % d));
}

static void every_pair_of_edge_values(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		for (size_t j = 0; j < sizeof(edges) / sizeof(edges[0]); j++) {
			check_unsigned(edges[i], edges[j]);
			check_signed((int64_t)edges[i], (int64_t)edges[j]);
		}
}

/* A random number of a random width from 1 to 64 bits. */
static uint64_t random_width(void)
{
	unsigned bits = 1 + rng_below(64);

	return rng_next64() >> (64 - bits);
}

static void random_pairs_match_the_host(void **state)
{
	(void)state;
	rng_seed(0xd1f64);
	for (int i = 0; i < RANDOM_PAIRS; i++) {
		uint64_t n = random_width(), d = random_width();

		check_unsigned(n, d);
		check_signed((int64_t)n, (int64_t)d);
		check_signed(-(int64_t)(n >> 1), (int64_t)d);
		check_signed((int64_t)n, -(int64_t)(d >> 1));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_pair_of_edge_values),
		cmocka_unit_test(random_pairs_match_the_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
