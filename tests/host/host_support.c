/*
 * tests/host/host_support.c - what kernel code expects from the kernel,
 * provided on the host so that pure logic (allocators, parsers, page-table
 * arithmetic) runs under AddressSanitizer and UBSan with cmocka.
 *
 * kassert_fail() goes through cmocka's mock_assert(), so a test can use
 * expect_assert_failure() to check that an invariant is enforced; outside
 * such a check it fails the running test with the expression and place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"

void kassert_fail(const char *expr, const char *file, int line)
{
	mock_assert(0, expr, file, line);
	abort(); /* mock_assert only returns when no test is running */
}

int kvprintf(const char *fmt, va_list ap)
{
	return vprintf(fmt, ap);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}
