/*
 * kernel/lib/div64.h - 64-bit division on i386 (kernel/lib/div64.c).
 *
 * C code just writes `a / b` on 64-bit values; the compiler calls the
 * __*di3 functions.  udivmod64() is there for code that wants quotient
 * and remainder from one division.
 */
#ifndef KIVA_KERNEL_LIB_DIV64_H
#define KIVA_KERNEL_LIB_DIV64_H

#include <stdint.h>

/* n / d, with n % d in *rem; d must not be 0. */
uint64_t udivmod64(uint64_t n, uint64_t d, uint64_t *rem);

/* The compiler's names (GCC internals, "Integer library routines"). */
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
int64_t __divdi3(int64_t n, int64_t d);
int64_t __moddi3(int64_t n, int64_t d);

#endif
