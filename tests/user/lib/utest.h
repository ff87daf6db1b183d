/*
 * tests/user/lib/utest.h - a tiny test framework for user programs.
 *
 * A test program makes calls and hands each result to a check: check()
 * takes any condition, the expect functions take a call's result and
 * what it should have been.  Each check prints one line,
 *
 *	ok   what = result
 *	FAIL what = result, want W
 *
 * and counts itself in utest_npassed or utest_nfailed; utest_summary()
 * prints the totals as the program's last line and gives its exit status.
 * `what` is a printf format (kernel/lib/fmt.h), so a line can say which
 * arguments the call had.  Every check returns whether it passed, so a
 * program can skip what depends on it:
 *
 *	fd = open("/dev/zero");
 *	if (check(fd >= 0, "open(\"/dev/zero\") = %s", res(fd)))
 *		expect(read(fd, buf, 4), 4, "read(/dev/zero, buf, 4)");
 *
 * res(), resp() and dec() turn results into text for such lines.  They
 * share eight small static buffers, so one line may show up to eight.
 *
 * A program that needs a check of its own kind writes a variadic function
 * that formats `what` with WHAT() and ends with report(); see utest.c.
 */
#ifndef KIVA_TESTS_USER_UTEST_H
#define KIVA_TESTS_USER_UTEST_H

#include "ulib.h"

/* The checks counted so far. */
extern int utest_npassed, utest_nfailed;

/* Counts a check and prints its line; returns ok. */
bool check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The call returned want. */
bool expect(int got, int want, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The call returned want1 or want2. */
bool expect_either(int got, int want1, int want2, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The call failed, with any error. */
bool expect_error(int got, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* sbrk() returned want. */
bool expect_ptr(void *got, void *want, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* sbrk() failed. */
bool expect_ptr_error(void *got, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * A transfer that starts on good memory and runs into bad memory after
 * `good` bytes: it may fail with -EFAULT, or stop short at the bad page.
 */
bool expect_efault_or_short(int got, int good, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A system call's result as text: "-EFAULT" for an error, else decimal. */
const char *res(int r);

/* An exit status as text: always a number (-1 is not -EPERM). */
const char *dec(int status);

/* An sbrk() result as text: "-ENOMEM" or the address. */
const char *resp(void *p);

/*
 * The end of every check: prints "what = got", and ", want W" after it if
 * the check failed; counts it; returns ok.
 */
bool report(bool ok, const char *what, const char *got, const char *want);

/*
 * WHAT(what, fmt): in a function taking (..., const char *fmt, ...),
 * formats the variable arguments with fmt into the array `what`.
 */
#define WHAT(what, fmt)                                   \
	do {                                              \
		va_list ap_;                              \
		va_start(ap_, fmt);                       \
		kvsnprintf(what, sizeof(what), fmt, ap_); \
		va_end(ap_);                              \
	} while (0)

/*
 * Prints "PROG: N passed, M failed" and returns the exit status for
 * main: 0 if and only if every check passed.
 */
int utest_summary(const char *prog);

#endif	/* KIVA_TESTS_USER_UTEST_H */
