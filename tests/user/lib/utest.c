/*
 * tests/user/lib/utest.c - checks that count and print themselves (see
 * utest.h).
 *
 * Every line goes out with one printf(), so that a check's line does not
 * mix with the lines of other processes writing to the console meanwhile.
 */
#include "utest.h"

int utest_npassed, utest_nfailed;

/* One of eight buffers, so that one printf() may show several results. */
static char *resbuf(void)
{
	static char bufs[8][24];
	static unsigned int next;

	return bufs[next++ % 8];
}

const char *res(int r)
{
	char *b = resbuf();

	if (r < 0 && r >= -MAX_ERRNO)
		ksnprintf(b, 24, "-%s", errname(r));
	else
		ksnprintf(b, 24, "%d", r);
	return b;
}

const char *dec(int status)
{
	char *b = resbuf();

	ksnprintf(b, 24, "%d", status);
	return b;
}

const char *resp(void *p)
{
	char *b = resbuf();

	if (sbrk_err(p) < 0)
		ksnprintf(b, 24, "-%s", errname(sbrk_err(p)));
	else
		ksnprintf(b, 24, "%p", p);
	return b;
}

bool check(bool ok, const char *fmt, ...)
{
	char line[240];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (ok)
		utest_npassed++;
	else
		utest_nfailed++;
	printf("%s %s\n", ok ? "ok  " : "FAIL", line);
	return ok;
}

bool report(bool ok, const char *what, const char *got, const char *want)
{
	if (ok)
		return check(true, "%s = %s", what, got);
	return check(false, "%s = %s, want %s", what, got, want);
}

bool expect(int got, int want, const char *fmt, ...)
{
	char what[160];

	WHAT(what, fmt);
	return report(got == want, what, res(got), res(want));
}

bool expect_either(int got, int want1, int want2, const char *fmt, ...)
{
	char what[160], want[48];

	WHAT(what, fmt);
	ksnprintf(want, sizeof(want), "%s or %s", res(want1), res(want2));
	return report(got == want1 || got == want2, what, res(got), want);
}

bool expect_error(int got, const char *fmt, ...)
{
	char what[160];

	WHAT(what, fmt);
	return report(got < 0, what, res(got), "an error");
}

bool expect_ptr(void *got, void *want, const char *fmt, ...)
{
	char what[160];

	WHAT(what, fmt);
	return report(got == want, what, resp(got), resp(want));
}

bool expect_ptr_error(void *got, const char *fmt, ...)
{
	char what[160];

	WHAT(what, fmt);
	return report(sbrk_err(got) < 0, what, resp(got), "an error");
}

bool expect_efault_or_short(int got, int good, const char *fmt, ...)
{
	char what[160], want[48];

	WHAT(what, fmt);
	ksnprintf(want, sizeof(want), "-EFAULT or a count <= %d", good);
	return report(got == -EFAULT || (got >= 0 && got <= good), what,
	              res(got), want);
}

int utest_summary(const char *prog)
{
	printf("%s: %d passed, %d failed\n", prog, utest_npassed,
	       utest_nfailed);
	return utest_nfailed == 0 ? 0 : 1;
}
