/*
 * kernel/lib/include/stdint.h - exact-width integer types, for code that
 * is built with -nostdinc (the kernel and the user programs).
 *
 * Why Kiva has its own: a freestanding program may use only the headers
 * the C standard requires of a freestanding implementation (C11 4p6), and
 * the compiler's copies of some of them reach for the C library's headers
 * (GCC's <limits.h> includes the target libc's), which a machine with only
 * a cross compiler lacks.  -nostdinc makes any such dependence an error on
 * every machine, not only on a fresh one, and these five headers
 * (stdint, stddef, stdarg, stdbool, limits) take their definitions from
 * the macros GCC and Clang both predefine (GCC manual, "Common Predefined
 * Macros").  Host builds (the unit tests) use the C library's headers.
 */
#ifndef KIVA_STDINT_H
#define KIVA_STDINT_H

typedef __INT8_TYPE__ int8_t;
typedef __INT16_TYPE__ int16_t;
typedef __INT32_TYPE__ int32_t;
typedef __INT64_TYPE__ int64_t;
typedef __UINT8_TYPE__ uint8_t;
typedef __UINT16_TYPE__ uint16_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __UINT64_TYPE__ uint64_t;
typedef __INTPTR_TYPE__ intptr_t;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef __INTMAX_TYPE__ intmax_t;
typedef __UINTMAX_TYPE__ uintmax_t;

#define INT8_MAX __INT8_MAX__
#define INT16_MAX __INT16_MAX__
#define INT32_MAX __INT32_MAX__
#define INT64_MAX __INT64_MAX__
#define INT8_MIN (-INT8_MAX - 1)
#define INT16_MIN (-INT16_MAX - 1)
#define INT32_MIN (-INT32_MAX - 1)
#define INT64_MIN (-INT64_MAX - 1)
#define UINT8_MAX __UINT8_MAX__
#define UINT16_MAX __UINT16_MAX__
#define UINT32_MAX __UINT32_MAX__
#define UINT64_MAX __UINT64_MAX__
#define INTPTR_MAX __INTPTR_MAX__
#define UINTPTR_MAX __UINTPTR_MAX__
#define SIZE_MAX __SIZE_MAX__

#define INT64_C(c) __INT64_C(c)
#define UINT64_C(c) __UINT64_C(c)

#endif
