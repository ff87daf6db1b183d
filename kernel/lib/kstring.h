/*
 * kernel/lib/kstring.h - the C library's memory and string functions.
 *
 * The kernel is freestanding, so kernel/lib/kstring.c implements these; the
 * prototypes are the standard ones, so on the host (unit tests) the C
 * library's versions are used instead.  GCC may also emit calls to
 * memcpy/memset/memmove/memcmp by itself (GCC manual, "Standards").
 */
#ifndef KIVA_KERNEL_LIB_KSTRING_H
#define KIVA_KERNEL_LIB_KSTRING_H

#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

#endif
