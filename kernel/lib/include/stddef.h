/*
 * kernel/lib/include/stddef.h - size_t, ptrdiff_t, NULL, offsetof, for
 * -nostdinc builds (why: kernel/lib/include/stdint.h).
 */
#ifndef KIVA_STDDEF_H
#define KIVA_STDDEF_H

typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;

#define NULL ((void *)0)
#define offsetof(type, member) __builtin_offsetof(type, member)

#endif
