/*
 * tests/host/test_klog.c - unit tests for kernel/debug/klog.c, the ring
 * behind `dmesg` and GDB's `dmesg`.
 *
 * A log is filled with a numbered pattern (byte i is pattern(i)), so any
 * byte read back says which one it is: what an empty log, a part-full
 * one and a wrapped one give; reads in small chunks across the end of the
 * ring; a read from a position already overwritten skips to the oldest
 * byte held; and the layout klog.h promises a debugger.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/debug/klog.h"

#define CHUNK 100	/* a read size that does not divide KLOG_SIZE */

static char pattern(uint64_t i)
{
	return (char)('a' + i % 23);
}

/* Logs bytes number klog_written .. upto - 1 of the pattern. */
static void log_until(uint64_t upto)
{
	while (klog_written < upto)
		klog_putc(pattern(klog_written));
}

static int reset(void **state)
{
	(void)state;
	klog_written = 0;
	memset(klog_buf, 0, sizeof(klog_buf));
	return 0;
}

/* Reads everything from pos on in CHUNK pieces; checks it is the pattern. */
static uint64_t read_all_from(uint64_t pos)
{
	static char got[CHUNK];
	uint64_t first = 0, expected;
	size_t n;
	bool any = false;

	while ((n = klog_read(&pos, got, sizeof(got))) > 0) {
		expected = pos - n;
		if (!any)
			first = expected;
		any = true;
		for (size_t i = 0; i < n; i++)
			assert_int_equal(got[i], pattern(expected + i));
	}
	assert_true(pos == klog_written);
	return any ? first : pos;
}

static void an_empty_log_reads_nothing(void **state)
{
	uint64_t pos = 0;
	char c;

	(void)state;
	assert_int_equal(klog_read(&pos, &c, 1), 0);
	assert_true(pos == 0);
	assert_true(klog_oldest() == 0);
}

static void a_part_full_log_reads_back_whole(void **state)
{
	(void)state;
	log_until(1000);
	assert_true(klog_oldest() == 0);
	assert_true(read_all_from(0) == 0);
	assert_memory_equal(klog_buf, "abcdefg", 7);	/* layout: from 0 */
}

static void a_full_log_has_not_lost_a_byte_yet(void **state)
{
	(void)state;
	log_until(KLOG_SIZE);
	assert_true(klog_oldest() == 0);
	assert_true(read_all_from(0) == 0);
}

static void a_wrapped_log_keeps_the_last_klog_size_bytes(void **state)
{
	const uint64_t total = 3 * KLOG_SIZE + 1234;

	(void)state;
	log_until(total);
	assert_true(klog_oldest() == total - KLOG_SIZE);
	/* From 0, the read skips what was overwritten. */
	assert_true(read_all_from(0) == total - KLOG_SIZE);
	/* Layout: the newest byte sits just before klog_written's place. */
	assert_int_equal(klog_buf[(total - 1) % KLOG_SIZE], pattern(total - 1));
	assert_int_equal(klog_buf[total % KLOG_SIZE],
	                 pattern(total - KLOG_SIZE));
}

static void a_read_overtaken_by_writes_skips_ahead(void **state)
{
	char got[CHUNK];
	uint64_t pos = 0;

	(void)state;
	log_until(10);
	assert_int_equal(klog_read(&pos, got, 4), 4);
	log_until(2 * KLOG_SIZE);	/* byte 4 is long gone */
	assert_int_equal(klog_read(&pos, got, 1), 1);
	assert_true(pos == KLOG_SIZE + 1);
	assert_int_equal(got[0], pattern(KLOG_SIZE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define WITH_RESET(test) cmocka_unit_test_setup(test, reset)
		WITH_RESET(an_empty_log_reads_nothing),
		WITH_RESET(a_part_full_log_reads_back_whole),
		WITH_RESET(a_full_log_has_not_lost_a_byte_yet),
		WITH_RESET(a_wrapped_log_keeps_the_last_klog_size_bytes),
		WITH_RESET(a_read_overtaken_by_writes_skips_ahead),
#undef WITH_RESET
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
