/*
 * kernel/lib/kprintf.h - formatted output to every console.
 *
 * kprintf() writes to the serial port and the VGA screen.  It understands
 * %d %i %u %x %X %p %s %c %% with the l, ll and z length modifiers, a field
 * width and zero padding (see kernel/lib/fmt.h for the formatting core).
 * The host unit tests provide their own kprintf() that writes to stdout.
 */
#ifndef KIVA_KERNEL_LIB_KPRINTF_H
#define KIVA_KERNEL_LIB_KPRINTF_H

#include <stdarg.h>

__attribute__((format(printf, 1, 2))) int kprintf(const char *fmt, ...);
int kvprintf(const char *fmt, va_list ap);

#endif
