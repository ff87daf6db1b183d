/*
 * tests/host/test_fmt.c - unit tests for kernel/lib/fmt.c, the formatting core
 * of kprintf() and ksnprintf().
 *
 * The kernel implements a subset of C's printf, and for that subset it must
 * print exactly what the C library prints.  So most tests compare
 * ksnprintf() with the host's snprintf(): first a table of hand-picked
 * cases (the limits of every integer type, fields narrower and wider than
 * the value, zero padding of negatives, '*'), then 100,000 random
 * (format, value, buffer size) triples from the supported subset.
 *
 * The other tests cover what the C library cannot be compared with: %p
 * (the kernel always prints 0x and every hex digit, glibc trims), unknown
 * conversions (printed as written), and fmt_format()'s output function.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <cmocka.h>

#include "kernel/lib/fmt.h"
#include "tests/host/test_rng.h"

#define BUF 256

/*
 * ksnprintf() without the format attribute, for formats that are wrong on
 * purpose (unknown conversions); the compiler would rightly warn on them.
 */
static int kfmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* ---------------------------------------------------- one (format, value) */

enum arg_type {
	A_NONE,	/* the format takes no argument */
	A_INT,
	A_UINT,
	A_LONG,
	A_ULONG,
	A_LLONG,
	A_ULLONG,
	A_SSIZE,	/* %zd */
	A_SIZE,		/* %zu %zx */
	A_STR,
	A_CHAR,
};

/* A format with at most one conversion, and its argument(s). */
struct fcase {
	const char *fmt;
	enum arg_type type;
	bool star;	/* the format has '*': width comes first */
	int width;
	long long s;		/* the value of the signed types */
	unsigned long long u;	/* the value of the unsigned types */
	const char *str;
};

typedef int (*snprintf_fn)(char *, size_t, const char *, ...);

/* Calls fn (ksnprintf or snprintf) with c's arguments in their real types. */
static int call(snprintf_fn fn, char *buf, size_t size, const struct fcase *c)
{
#define PASS(v)                                         \
	(c->star ? fn(buf, size, c->fmt, c->width, (v)) \
	         : fn(buf, size, c->fmt, (v)))
	switch (c->type) {
	case A_NONE: return fn(buf, size, c->fmt);
	case A_INT: return PASS((int)c->s);
	case A_UINT: return PASS((unsigned int)c->u);
	case A_LONG: return PASS((long)c->s);
	case A_ULONG: return PASS((unsigned long)c->u);
	case A_LLONG: return PASS((long long)c->s);
	case A_ULLONG: return PASS((unsigned long long)c->u);
	case A_SSIZE: return PASS((ssize_t)c->s);
	case A_SIZE: return PASS((size_t)c->u);
	case A_STR: return PASS(c->str);
	case A_CHAR: return PASS((int)c->s);
	}
#undef PASS
	fail_msg("bad argument type %d", c->type);
	return -1;
}

/*
 * ksnprintf() and snprintf() must return the same length and write the
 * same bytes into a buffer of `size`; ksnprintf() must not write past it.
 */
static void check_same_sized(const struct fcase *c, size_t size)
{
	char kbuf[BUF], cbuf[BUF];
	int klen, clen;
	size_t i, used;

	memset(kbuf, 0x5a, sizeof(kbuf));
	memset(cbuf, 0x5a, sizeof(cbuf));
	klen = call(ksnprintf, kbuf, size, c);
	clen = call(snprintf, cbuf, size, c);
	/* Both outputs are NUL-terminated unless size is 0; %c may add
	 * a NUL. */
	used = size == 0 ? 0 : (size_t)clen < size ? (size_t)clen + 1 : size;
	if (klen != clen || memcmp(kbuf, cbuf, used) != 0)
		fail_msg("format \"%s\" (size %zu): kernel \"%.*s\" (%d), "
		         "libc \"%.*s\" (%d)",
		         c->fmt, size, (int)used, kbuf, klen, (int)used, cbuf,
		         clen);
	for (i = used; i < sizeof(kbuf); i++)
		if (kbuf[i] != 0x5a)
			fail_msg("format \"%s\" (size %zu): byte %zu written",
			         c->fmt, size, i);
}

static void check_same(const struct fcase *c)
{
	check_same_sized(c, BUF);
}

/* --------------------------------------------------- the comparison table */

#define NONE(f)                                 \
	{                                       \
		f, A_NONE, false, 0, 0, 0, NULL \
	}
#define INT(f, v)                                \
	{                                        \
		f, A_INT, false, 0, (v), 0, NULL \
	}
#define UINT(f, v)                                \
	{                                         \
		f, A_UINT, false, 0, 0, (v), NULL \
	}
#define LONG(f, v)                                \
	{                                         \
		f, A_LONG, false, 0, (v), 0, NULL \
	}
#define ULONG(f, v)                                \
	{                                          \
		f, A_ULONG, false, 0, 0, (v), NULL \
	}
#define LLONG(f, v)                                \
	{                                          \
		f, A_LLONG, false, 0, (v), 0, NULL \
	}
#define ULLONG(f, v)                                \
	{                                           \
		f, A_ULLONG, false, 0, 0, (v), NULL \
	}
#define SSIZE(f, v)                                \
	{                                          \
		f, A_SSIZE, false, 0, (v), 0, NULL \
	}
#define SIZE(f, v)                                \
	{                                         \
		f, A_SIZE, false, 0, 0, (v), NULL \
	}
#define STR(f, v)                             \
	{                                     \
		f, A_STR, false, 0, 0, 0, (v) \
	}
#define CHR(f, v)                                 \
	{                                         \
		f, A_CHAR, false, 0, (v), 0, NULL \
	}
#define STAR_INT(f, w, v)                         \
	{                                         \
		f, A_INT, true, (w), (v), 0, NULL \
	}
#define STAR_STR(f, w, v)                      \
	{                                      \
		f, A_STR, true, (w), 0, 0, (v) \
	}

static const struct fcase signed_cases[] = {
	INT("%d", 0),
	INT("%d", 1),
	INT("%d", -1),
	INT("%d", 42),
	INT("%d", INT_MAX),
	INT("%d", INT_MIN),
	INT("%i", INT_MIN),
	INT("%i", -12345),
	/* Width larger than the value: padded on the left with spaces. */
	INT("%5d", 42),
	INT("%5d", -42),
	INT("[%12d]", INT_MIN),
	/* Width smaller than the value: never truncates. */
	INT("%1d", 12345),
	INT("%3d", INT_MIN),
	INT("%0d", 7),
	/* '-': padded on the right. */
	INT("[%-5d]", -42),
	INT("[%-12d]", INT_MAX),
	/* '0' with a negative number: the sign comes before the zeros. */
	INT("%05d", -42),
	INT("%05d", 42),
	INT("%012d", INT_MIN),
	INT("%020d", -1),
	INT("%02d", -1),
	INT("%01d", -5),
	/* '-' wins over '0', in either order. */
	INT("[%-05d]", -42),
	INT("[%0-5d]", 42),
	INT("[%-012d]", INT_MIN),
	LONG("%ld", LONG_MIN),
	LONG("%ld", LONG_MAX),
	LONG("%li", -1),
	LONG("%025ld", LONG_MIN),
	LLONG("%lld", LLONG_MIN),
	LLONG("%lld", LLONG_MAX),
	LLONG("%lld", -1),
	LLONG("%lli", 0),
	LLONG("%025lld", LLONG_MIN),
	LLONG("[%-25lld]", LLONG_MIN),
	LLONG("%30lld", LLONG_MAX),
	SSIZE("%zd", -1),
	SSIZE("%zd", PTRDIFF_MIN),
	SSIZE("%zd", PTRDIFF_MAX),
	SSIZE("%08zd", -77),
};

static const struct fcase unsigned_cases[] = {
	UINT("%u", 0),
	UINT("%u", UINT_MAX),
	UINT("%10u", 12345),
	UINT("%010u", UINT_MAX),
	UINT("[%-11u]", UINT_MAX),
	UINT("%x", 0),
	UINT("%x", 0xdeadbeef),
	UINT("%x", UINT_MAX),
	UINT("%X", 0xdeadbeef),
	UINT("%X", 0xabcdef),
	UINT("%08x", 0xbeef),
	UINT("[%-8x]", 0xbeef),
	UINT("%2x", 0xbeef),
	UINT("%08X", 0),
	ULONG("%lu", ULONG_MAX),
	ULONG("%lx", ULONG_MAX),
	ULONG("%lX", 0xf00),
	ULLONG("%llu", 0),
	ULLONG("%llu", UINT64_MAX),
	ULLONG("%llx", UINT64_MAX),
	ULLONG("%llX", 0x0123456789abcdefull),
	ULLONG("%024llx", 0xfffull),
	ULLONG("[%-24llu]", UINT64_MAX),
	ULLONG("%llu", 1ull << 32),
	SIZE("%zu", SIZE_MAX),
	SIZE("%zx", SIZE_MAX),
	SIZE("%zu", 0),
	SIZE("%6zu", 4096),
};

static const struct fcase text_cases[] = {
	STR("%s", "hello"),
	STR("%s", ""),
	STR("[%10s]", "hello"),
	STR("[%-10s]", "hello"),
	STR("%2s", "hello"),
	STR("[%5s]", ""),
	STR("[%05s]", "ab"),		/* '0' pads strings with spaces */
	STR("<%s>", "with %d inside"),	/* the argument is not a format */
	CHR("%c", 'A'),
	CHR("[%3c]", 'x'),
	CHR("[%-3c]", 'x'),
	CHR("[%03c]", 'x'),
	CHR("%c", 0xe9),
	NONE(""),
	NONE("plain text"),
	NONE("%%"),
	NONE("100%%"),
	NONE("a%%b%%c"),
};

static const struct fcase star_cases[] = {
	STAR_INT("[%*d]", 8, -3),
	STAR_INT("[%*d]", 0, 12345),
	STAR_INT("[%*d]", 2, 12345),
	/* A negative '*' width means '-' and its absolute value. */
	STAR_INT("[%*d]", -8, 3),
	STAR_INT("[%-*d]", 8, 3),
	STAR_INT("[%0*d]", 8, -3),
	STAR_INT("[%0*d]", -8, -3),
	STAR_STR("[%*s]", 6, "ab"),
	STAR_STR("[%*s]", -6, "ab"),
};

static void check_table(const struct fcase *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		check_same(&cases[i]);
}

static void test_signed_like_libc(void **state)
{
	(void)state;
	check_table(signed_cases,
	            sizeof(signed_cases) / sizeof(signed_cases[0]));
}

static void test_unsigned_like_libc(void **state)
{
	(void)state;
	check_table(unsigned_cases,
	            sizeof(unsigned_cases) / sizeof(unsigned_cases[0]));
}

static void test_strings_chars_percent_like_libc(void **state)
{
	(void)state;
	check_table(text_cases, sizeof(text_cases) / sizeof(text_cases[0]));
}

static void test_star_width_like_libc(void **state)
{
	(void)state;
	check_table(star_cases, sizeof(star_cases) / sizeof(star_cases[0]));
}

/* Arguments of different sizes are fetched one after the other, in order. */
static void test_several_conversions(void **state)
{
	char k[BUF], c[BUF];
	int kn, cn;

	(void)state;
	kn = ksnprintf(k, sizeof(k), "%s=%d %lld %5u|%-4x|%c%%%llu %zu %s", "x",
	               -7, LLONG_MIN, 42u, 0xau, 'q', ULLONG_MAX, (size_t)99,
	               "end");
	cn = snprintf(c, sizeof(c), "%s=%d %lld %5u|%-4x|%c%%%llu %zu %s", "x",
	              -7, LLONG_MIN, 42u, 0xau, 'q', ULLONG_MAX, (size_t)99,
	              "end");
	assert_string_equal(k, c);
	assert_int_equal(kn, cn);
}

/* --------------------------------------------------- where libc differs */

/* What the kernel prints for p: 0x and sizeof(void *) * 2 hex digits. */
static const char *full_width_pointer(uintptr_t p)
{
	static char want[64];

	snprintf(want, sizeof(want), "0x%0*jx", (int)sizeof(void *) * 2,
	         (uintmax_t)p);
	return want;
}

/* %p always has every digit, so that columns of addresses line up. */
static void test_pointer_full_width(void **state)
{
	char buf[BUF];

	(void)state;
	assert_int_equal(ksnprintf(buf, sizeof(buf), "%p", (void *)0x1234),
	                 2 + 2 * sizeof(void *));
	assert_string_equal(buf, full_width_pointer(0x1234));
	ksnprintf(buf, sizeof(buf), "%p", (void *)UINTPTR_MAX);
	assert_string_equal(buf, full_width_pointer(UINTPTR_MAX));
	ksnprintf(buf, sizeof(buf), "%p", (void *)0xc0100000u);
	assert_string_equal(buf, full_width_pointer(0xc0100000u));
}

/* glibc prints "(nil)"; the kernel prints a zero address like any other. */
static void test_pointer_null_is_zero(void **state)
{
	char buf[BUF];

	(void)state;
	ksnprintf(buf, sizeof(buf), "%p", NULL);
	assert_string_equal(buf, full_width_pointer(0));
}

/* A wider field pads with spaces, on either side; '0' does not apply. */
static void test_pointer_width_pads_with_spaces(void **state)
{
	char buf[BUF], want[BUF];
	const char *p = full_width_pointer(0x10);
	int w = (int)strlen(p) + 4;

	(void)state;
	ksnprintf(buf, sizeof(buf), "[%*p]", w, (void *)0x10);
	snprintf(want, sizeof(want), "[    %s]", p);
	assert_string_equal(buf, want);
	ksnprintf(buf, sizeof(buf), "[%-*p]", w, (void *)0x10);
	snprintf(want, sizeof(want), "[%s    ]", p);
	assert_string_equal(buf, want);
	kfmt(buf, sizeof(buf), "[%0*p]", w, (void *)0x10);
	snprintf(want, sizeof(want), "[    %s]", p);
	assert_string_equal(buf, want);
}

/* A NULL %s is a bug in the caller, but must not crash the kernel. */
static void test_null_string(void **state)
{
	char buf[BUF];
	const char *null = NULL;

	(void)state;
	assert_int_equal(kfmt(buf, sizeof(buf), "%s", null), 6);
	assert_string_equal(buf, "(null)");
	kfmt(buf, sizeof(buf), "[%8s]", null);
	assert_string_equal(buf, "[  (null)]");
}

/* An unsupported conversion is copied through, so the mistake shows. */
static void test_unknown_conversion_printed_as_written(void **state)
{
	char buf[BUF];

	(void)state;
	assert_int_equal(kfmt(buf, sizeof(buf), "a%qb"), 4);
	assert_string_equal(buf, "a%qb");
	kfmt(buf, sizeof(buf), "%f %e %o %n");
	assert_string_equal(buf, "%f %e %o %n");
}

/* "As written" includes its flags, width and length modifier. */
static void test_unknown_conversion_keeps_flags_and_width(void **state)
{
	char buf[BUF];

	(void)state;
	assert_int_equal(kfmt(buf, sizeof(buf), "[%-5q]"), 6);
	assert_string_equal(buf, "[%-5q]");
	kfmt(buf, sizeof(buf), "[%08llq] [%lq] [%zq]");
	assert_string_equal(buf, "[%08llq] [%lq] [%zq]");
}

/*
 * Precision and the '+', ' ' and '#' flags are not supported: such a
 * conversion is printed as written and takes no argument, so the
 * conversions after it still get theirs.
 */
static void test_unsupported_flags_take_no_argument(void **state)
{
	char buf[BUF];

	(void)state;
	kfmt(buf, sizeof(buf), "%.3d %d", 7);
	assert_string_equal(buf, "%.3d 7");
	kfmt(buf, sizeof(buf), "%+d % d %#x %s", "ok");
	assert_string_equal(buf, "%+d % d %#x ok");
}

/*
 * Flags and width before a second '%' change nothing, as in glibc (which
 * is not compared: ASan's printf interceptor complains about "%5%").
 */
static void test_percent_ignores_width(void **state)
{
	char buf[BUF];

	(void)state;
	assert_int_equal(kfmt(buf, sizeof(buf), "[%5%]"), 3);
	assert_string_equal(buf, "[%]");
	kfmt(buf, sizeof(buf), "[%-05%]");
	assert_string_equal(buf, "[%]");
}

/* A '%' at the very end, with or without flags, is printed and ends it. */
static void test_percent_at_end_of_format(void **state)
{
	char buf[BUF];

	(void)state;
	assert_int_equal(kfmt(buf, sizeof(buf), "abc%"), 4);
	assert_string_equal(buf, "abc%");
	kfmt(buf, sizeof(buf), "abc%-5");
	assert_string_equal(buf, "abc%-5");
	kfmt(buf, sizeof(buf), "abc%ll");
	assert_string_equal(buf, "abc%ll");
}

/* ------------------------------------------------------------ truncation */

/* Like snprintf, the full length comes back even when the buffer is short. */
static void test_truncation_returns_full_length(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(ksnprintf(buf, sizeof(buf), "%s", "hello world"), 11);
	assert_string_equal(buf, "hello w");
	assert_int_equal(ksnprintf(buf, 4, "%d", -123456), 7);
	assert_string_equal(buf, "-12");
}

/* size 1 leaves room only for the NUL. */
static void test_truncation_size_one(void **state)
{
	char buf[4] = "xyz";

	(void)state;
	assert_int_equal(ksnprintf(buf, 1, "%d", 42), 2);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'y');
}

/* size 0 writes nothing at all, so NULL is allowed: it measures. */
static void test_truncation_size_zero_measures(void **state)
{
	char buf[4] = "xyz";

	(void)state;
	assert_int_equal(ksnprintf(NULL, 0, "%d-%s", -12345, "ab"), 9);
	assert_int_equal(ksnprintf(buf, 0, "%d", 42), 2);
	assert_string_equal(buf, "xyz");
}

/* Every size from 0 to past the end, against snprintf. */
static void test_truncation_every_size_like_libc(void **state)
{
	static const struct fcase cases[] = {
		STR("%s", "hello world"),
		INT("[%-8d]", -1234),
		LLONG("%025lld", LLONG_MIN),
		NONE("a%%b"),
		CHR("x%cy", 0),
	};
	size_t i, size;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (size = 0; size <= 32; size++)
			check_same_sized(&cases[i], size);
}

/* ------------------------------------------------------------ fmt_format */

struct collected {
	char text[BUF];
	int calls;
};

static void collect(char c, void *arg)
{
	struct collected *col = arg;

	if (col->calls < BUF)
		col->text[col->calls] = c;
	col->calls++;
}

static int format_to(struct collected *col, const char *fmt, ...)
{
	va_list ap;
	int n;

	memset(col, 0, sizeof(*col));
	va_start(ap, fmt);
	n = fmt_format(collect, col, fmt, ap);
	va_end(ap);
	return n;
}

/* The output function gets every character once, and the count matches. */
static void test_fmt_format_calls_output_per_char(void **state)
{
	struct collected col;

	(void)state;
	assert_int_equal(format_to(&col, "%s:%04d", "id", 7), 7);
	assert_int_equal(col.calls, 7);
	assert_memory_equal(col.text, "id:0007", 7);
}

/* A NUL from %c is output too: only the format's own NUL ends it. */
static void test_fmt_format_passes_nul_char(void **state)
{
	struct collected col;

	(void)state;
	assert_int_equal(format_to(&col, "a%cb", 0), 3);
	assert_memory_equal(col.text, "a\0b", 3);
}

/* ------------------------------------------------------------ random */

/* Mostly values near the edges, where formatting bugs live. */
static uint64_t rnd_value(void)
{
	static const uint64_t edges[] = {
		0,
		1,
		9,
		10,
		15,
		16,
		99,
		100,
		0x7f,
		0x80,
		0xff,
		INT32_MAX,
		(uint64_t)INT32_MAX + 1,
		UINT32_MAX,
		(uint64_t)UINT32_MAX + 1,
		INT64_MAX,
		(uint64_t)INT64_MAX + 1,
		UINT64_MAX,
	};
	uint64_t v;

	switch (rng_below(4)) {
	case 0: v = edges[rng_below(sizeof(edges) / sizeof(edges[0]))]; break;
	case 1:	/* a neighbour of an edge */
		v = edges[rng_below(sizeof(edges) / sizeof(edges[0]))] +
		    rng_below(3) - 1;
		break;
	default:	/* any number of significant bits */
		v = rng_next64() >> rng_below(64);
		break;
	}
	return rng_below(2) ? v : -v;
}

static const char *rnd_string(char *buf, size_t size)
{
	size_t n = rng_below(size), i;

	for (i = 0; i < n; i++)
		buf[i] = (char)(' ' + rng_below(95));	/* printable ASCII */
	buf[n] = '\0';
	return buf;
}

/* Builds one random format from the supported subset, and its argument. */
static void rnd_case(struct fcase *c, char *fmt, size_t size, char *str,
                     size_t strsize)
{
	static const char *const flags[] = { "", "", "-", "0", "-0", "0-" };
	static const char *const lengths[] = { "", "l", "ll", "z" };
	static const char convs[] = "diuxXcs";
	static const char *const around[] = { "", "", "x", "[", "ab ", "%%" };
	char width[16] = "", conv = convs[rng_below(sizeof(convs) - 1)];
	const char *length = "";
	uint64_t v = rnd_value();
	int li = 0;

	memset(c, 0, sizeof(*c));
	switch (rng_below(5)) {
	case 0:
	case 1: break;
	case 2:
	case 3: snprintf(width, sizeof(width), "%u", rng_below(26)); break;
	default:
		strcpy(width, "*");
		c->star = true;
		c->width = (int)rng_below(51) - 25;
		break;
	}
	if (strchr("diuxX", conv) != NULL) {
		li = (int)rng_below(4);
		length = lengths[li];
	}
	snprintf(fmt, size, "%s%%%s%s%s%c%s", around[rng_below(6)],
	         flags[rng_below(6)], width, length, conv,
	         around[rng_below(6)]);
	c->fmt = fmt;
	c->s = (long long)v;
	c->u = v;
	switch (conv) {
	case 'd':
	case 'i': {
		static const enum arg_type types[] = { A_INT, A_LONG, A_LLONG,
			                               A_SSIZE };
		c->type = types[li];
		break;
	}
	case 'c':
		c->type = A_CHAR;
		c->s = (long long)(v & 0xff);
		break;
	case 's':
		c->type = A_STR;
		c->str = rnd_string(str, strsize);
		break;
	default: {
		static const enum arg_type types[] = { A_UINT, A_ULONG,
			                               A_ULLONG, A_SIZE };
		c->type = types[li];
		break;
	}
	}
}

static void test_random_against_libc(void **state)
{
	char fmt[64], str[32];
	struct fcase c;
	int i;

	(void)state;
	rng_seed(0x2545f4914f6cdd1dULL);	/* the same cases every run */
	for (i = 0; i < 100000; i++) {
		rnd_case(&c, fmt, sizeof(fmt), str, sizeof(str));
		check_same(&c);
		/* One in four is also checked truncated. */
		if (i % 4 == 0)
			check_same_sized(&c, rng_below(48));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_like_libc),
		cmocka_unit_test(test_unsigned_like_libc),
		cmocka_unit_test(test_strings_chars_percent_like_libc),
		cmocka_unit_test(test_star_width_like_libc),
		cmocka_unit_test(test_several_conversions),
		cmocka_unit_test(test_pointer_full_width),
		cmocka_unit_test(test_pointer_null_is_zero),
		cmocka_unit_test(test_pointer_width_pads_with_spaces),
		cmocka_unit_test(test_null_string),
		cmocka_unit_test(test_unknown_conversion_printed_as_written),
		cmocka_unit_test(test_unknown_conversion_keeps_flags_and_width),
		cmocka_unit_test(test_unsupported_flags_take_no_argument),
		cmocka_unit_test(test_percent_ignores_width),
		cmocka_unit_test(test_percent_at_end_of_format),
		cmocka_unit_test(test_truncation_returns_full_length),
		cmocka_unit_test(test_truncation_size_one),
		cmocka_unit_test(test_truncation_size_zero_measures),
		cmocka_unit_test(test_truncation_every_size_like_libc),
		cmocka_unit_test(test_fmt_format_calls_output_per_char),
		cmocka_unit_test(test_fmt_format_passes_nul_char),
		cmocka_unit_test(test_random_against_libc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
