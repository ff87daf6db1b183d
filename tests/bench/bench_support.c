/*
 * tests/bench/bench_support.c - what kernel code expects from the kernel,
 * provided on the host for the benchmarks (tests/bench/bench.mk links it
 * into each one).
 *
 * Like tests/host/host_support.c, but without cmocka: a failed KASSERT
 * prints the expression and place and aborts the benchmark.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"

void kassert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "%s:%d: assertion failed: %s\n", file, line, expr);
	abort();
}

int kvprintf(const char *fmt, va_list ap)
{
	return vprintf(fmt, ap);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}
