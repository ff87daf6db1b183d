/*
 * kernel/lib/fmt.c - the formatting core behind kprintf() and ksnprintf().
 *
 * One pass over the format: each conversion is parsed into a struct spec,
 * its argument fetched with the right width, turned into digits, and
 * padded.  Numbers are converted as unsigned 64-bit values so that every
 * length modifier shares one digit loop (on i386, 64-bit division is
 * kernel/lib/div64.c).
 */
#include "kernel/lib/fmt.h"

#include <stdbool.h>
#include <stdint.h>

struct spec {
	bool left;	/* '-' */
	bool zero;	/* '0' */
	int width;
	int length;	/* 0, 'l', 'L' (ll), 'z' */
	char conv;
};

struct sink {
	fmt_putc_fn out;
	void *arg;
	int count;
};

static void emit(struct sink *s, char c)
{
	s->out(c, s->arg);
	s->count++;
}

static void emit_padding(struct sink *s, int n, char c)
{
	while (n-- > 0)
		emit(s, c);
}

/* Emits `len` bytes of `str` justified in the field `sp` asks for. */
static void emit_field(struct sink *s, const struct spec *sp, const char *str,
                       int len, bool negative)
{
	int body = len + (negative ? 1 : 0);
	int pad = sp->width > body ? sp->width - body : 0;

	if (!sp->left && !sp->zero)
		emit_padding(s, pad, ' ');
	if (negative)
		emit(s, '-');
	if (!sp->left && sp->zero)
		emit_padding(s, pad, '0');
	for (int i = 0; i < len; i++)
		emit(s, str[i]);
	if (sp->left)
		emit_padding(s, pad, ' ');
}

static int to_digits(char *buf, uint64_t v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v != 0);
	for (int i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

static uint64_t fetch_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'L':
		return va_arg(*ap, unsigned long long);
	case 'l':
		return va_arg(*ap, unsigned long);
	case 'z':
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t fetch_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'L':
		return va_arg(*ap, long long);
	case 'l':
		return va_arg(*ap, long);
	case 'z':
		/* %zd is the signed type of size_t's width (ssize_t). */
		return (ptrdiff_t)va_arg(*ap, size_t);
	default:
		return va_arg(*ap, int);
	}
}

/* Parses flags, width and length after a '%'; returns where conv is. */
static const char *parse_spec(const char *p, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ 0 };
	for (;; p++) {
		if (*p == '-')
			sp->left = true;
		else if (*p == '0')
			sp->zero = true;
		else
			break;
	}
	if (*p == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		p++;
	}
	for (; *p >= '0' && *p <= '9'; p++)
		sp->width = sp->width * 10 + (*p - '0');
	if (*p == 'l') {
		sp->length = 'l';
		if (*++p == 'l') {
			sp->length = 'L';
			p++;
		}
	} else if (*p == 'z') {
		sp->length = 'z';
		p++;
	}
	sp->conv = *p;
	return p;
}

/* Returns false for an unknown conversion, which the caller prints. */
static bool convert(struct sink *s, struct spec *sp, va_list *ap)
{
	char buf[24];
	const char *str;
	uint64_t u;
	int64_t v;
	int n;

	switch (sp->conv) {
	case 'd':
	case 'i':
		v = fetch_signed(sp, ap);
		u = v < 0 ? -(uint64_t)v : (uint64_t)v;
		n = to_digits(buf, u, 10, false);
		emit_field(s, sp, buf, n, v < 0);
		break;
	case 'u':
		n = to_digits(buf, fetch_unsigned(sp, ap), 10, false);
		emit_field(s, sp, buf, n, false);
		break;
	case 'x':
	case 'X':
		n = to_digits(buf, fetch_unsigned(sp, ap), 16, sp->conv == 'X');
		emit_field(s, sp, buf, n, false);
		break;
	case 'p':
		u = (uintptr_t)va_arg(*ap, void *);
		buf[0] = '0';
		buf[1] = 'x';
		n = 2 + to_digits(buf + 2, u, 16, false);
		/* Pad to the full pointer width so columns line up. */
		sp->zero = false;
		while (n < 2 + (int)sizeof(void *) * 2) {
			for (int i = n; i > 2; i--)
				buf[i] = buf[i - 1];
			buf[2] = '0';
			n++;
		}
		emit_field(s, sp, buf, n, false);
		break;
	case 's':
		str = va_arg(*ap, const char *);
		if (str == NULL)
			str = "(null)";
		n = 0;
		while (str[n] != '\0')
			n++;
		sp->zero = false;
		emit_field(s, sp, str, n, false);
		break;
	case 'c':
		buf[0] = (char)va_arg(*ap, int);
		sp->zero = false;
		emit_field(s, sp, buf, 1, false);
		break;
	case '%':
		emit(s, '%');
		break;
	default:
		return false;
	}
	return true;
}

int fmt_format(fmt_putc_fn out, void *arg, const char *fmt, va_list ap)
{
	struct sink s = { out, arg, 0 };
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p != '%') {
			emit(&s, *p);
			continue;
		}
		const char *pct = p;
		p = parse_spec(p + 1, &sp, &args);
		/* An unknown conversion is printed as written, flags
		 * and all. */
		if (!convert(&s, &sp, &args))
			for (; pct <= p && *pct != '\0'; pct++)
				emit(&s, *pct);
		if (*p == '\0')
			break;
	}
	va_end(args);
	return s.count;
}

struct buffer {
	char *buf;
	size_t size;
	size_t len;
};

static void buffer_putc(char c, void *arg)
{
	struct buffer *b = arg;

	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buffer b = { buf, size, 0 };
	int n = fmt_format(buffer_putc, &b, fmt, ap);

	if (size > 0)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
