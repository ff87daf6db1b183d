/*
 * kernel/lib/include/stdarg.h - variable arguments, for -nostdinc builds
 * (why: kernel/lib/include/stdint.h).  The compiler knows where the
 * arguments are; these are its built-ins, as its own <stdarg.h> uses.
 */
#ifndef KIVA_STDARG_H
#define KIVA_STDARG_H

typedef __builtin_va_list va_list;

#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_copy(dst, src) __builtin_va_copy(dst, src)
#define va_end(ap) __builtin_va_end(ap)

#endif
