/*
 * kernel/lib/fmt.h - printf-style formatting, independent of any output device.
 *
 * Conversions: %d %i %u %x %X %p %s %c %%.  Length modifiers: l (long),
 * ll (long long), z (size_t).  Flags and width: '-' (left-justify), '0'
 * (zero padding), a decimal field width or '*'.  %p prints 0x and eight hex
 * digits on i386.  A NULL %s prints "(null)".  Anything else is copied
 * through unchanged, so a bad format is visible rather than fatal.
 *
 * This file is pure logic: the console, the host tests and ksnprintf() all
 * use it with their own output function.
 */
#ifndef KIVA_KERNEL_LIB_FMT_H
#define KIVA_KERNEL_LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_putc_fn)(char c, void *arg);

/* Formats into out(); returns the number of characters produced. */
int fmt_format(fmt_putc_fn out, void *arg, const char *fmt, va_list ap);

/*
 * Formats into buf (size bytes, always NUL-terminated when size > 0).
 * Returns the length the full result would have, like C99 snprintf, so a
 * return value >= size means the output was truncated.
 */
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
