/*
 * kernel/lib/div64.c - 64-bit division for a 32-bit CPU.
 *
 * The i386 divides at most a 64-bit dividend by a 32-bit divisor, and only
 * when the quotient fits 32 bits (DIV, Intel SDM Vol. 2A).  For `a / b`
 * and `a % b` on 64-bit operands, GCC and Clang emit calls to the four
 * functions below (GCC internals manual, "Integer library routines"),
 * which a hosted program gets from libgcc or compiler-rt.  Kiva has its
 * own, so that the kernel and its user programs link with nothing but
 * their own code, whichever compiler built them.
 *
 * The work is in udivmod64():
 *
 *  - a divisor that fits 32 bits takes two DIVs, the way long division on
 *    paper takes one digit at a time: first the high word (its remainder
 *    is below the divisor), then that remainder with the low word, whose
 *    quotient therefore fits 32 bits;
 *  - a wider divisor makes a quotient below 2^32, found one bit at a time
 *    by shift and subtract, at most 32 steps.
 */
#include "kernel/lib/div64.h"

/*
 * edx:eax / divisor; the caller guarantees hi < divisor, so the quotient
 * fits 32 bits and DIV cannot fault.
 */
static inline uint32_t div_word(uint32_t hi, uint32_t lo, uint32_t divisor,
                                uint32_t *rem)
{
	uint32_t q, r;

	__asm__("divl %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(divisor));
	*rem = r;
	return q;
}

uint64_t udivmod64(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0;
	int shift;

	if (d == 0)
		__builtin_trap();	/* what the C code divided by zero */
	if (d >> 32 == 0) {
		uint32_t r, hi = (uint32_t)(n >> 32), d32 = (uint32_t)d;
		uint32_t q_hi = hi / d32;	/* a 32-bit division */
		uint32_t q_lo = div_word(hi % d32, (uint32_t)n, d32, &r);

		*rem = r;
		return (uint64_t)q_hi << 32 | q_lo;
	}
	if (n < d) {
		*rem = n;
		return 0;
	}
	/* Line d up under n's top bit, then one quotient bit per step. */
	shift = __builtin_clzll(d) - __builtin_clzll(n);
	d <<= shift;
	for (; shift >= 0; shift--, d >>= 1) {
		q <<= 1;
		if (n >= d) {
			n -= d;
			q |= 1;
		}
	}
	*rem = n;
	return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d)
{
	uint64_t r;

	return udivmod64(n, d, &r);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
	uint64_t r;

	udivmod64(n, d, &r);
	return r;
}

/*
 * C's signed division truncates toward zero (C11 6.5.5p6): divide the
 * magnitudes; the quotient is negative when the signs differ, and the
 * remainder takes the dividend's sign.  Magnitudes are taken as unsigned,
 * so INT64_MIN works too.
 */
static uint64_t magnitude(int64_t v)
{
	return v < 0 ? -(uint64_t)v : (uint64_t)v;
}

int64_t __divdi3(int64_t n, int64_t d)
{
	uint64_t r, q = udivmod64(magnitude(n), magnitude(d), &r);

	return (int64_t)((n < 0) != (d < 0) ? -q : q);
}

int64_t __moddi3(int64_t n, int64_t d)
{
	uint64_t r;

	udivmod64(magnitude(n), magnitude(d), &r);
	return (int64_t)(n < 0 ? -r : r);
}
