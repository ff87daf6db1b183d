/*
 * tests/host/test_addrtab.c - unit tests for kernel/debug/addrtab.c, the
 * binary search behind the panic backtrace's names and lines.
 *
 * The edges a backtrace meets: an address before the first range, on a
 * range's first byte, on its last, in a gap between sequences (no line),
 * past the end; a one-entry table; an empty one (pass 1 of the link).
 * Then random ascending tables, searched for random addresses and checked
 * against a linear scan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/debug/addrtab.h"
#include "tests/host/test_rng.h"

#define RANDOM_TABLES 200
#define RANDOM_TABLE_MAX 300
#define LOOKUPS_PER_TABLE 200

/*
 * kernel/console.c lines 10 and 12 from 0x1000, nothing from 0x1010 (the
 * end of that sequence), kernel/shell.c line 7 from 0x1020 to 0x1030.
 */
static const uint32_t starts[] = { 0x1000, 0x1008, 0x1010, 0x1020, 0x1030 };
static const uint16_t files[] = { 0, 0, ADDRTAB_NO_FILE, 1, ADDRTAB_NO_FILE };
static const uint16_t lines[] = { 10, 12, 0, 7, 0 };
static const char *const names[] = { "kernel/console.c", "kernel/shell.c" };
static const struct line_table table = {
	5, starts, files, lines, 2, names,
};

static void find_takes_the_range_that_holds_the_address(void **state)
{
	(void)state;
	assert_int_equal(addrtab_find(starts, 5, 0x0fff), -1);
	assert_int_equal(addrtab_find(starts, 5, 0x1000), 0);
	assert_int_equal(addrtab_find(starts, 5, 0x1007), 0);
	assert_int_equal(addrtab_find(starts, 5, 0x1008), 1);
	assert_int_equal(addrtab_find(starts, 5, 0x102f), 3);
	assert_int_equal(addrtab_find(starts, 5, 0x1030), 4);
	assert_int_equal(addrtab_find(starts, 5, 0xffffffff), 4);
	assert_int_equal(addrtab_find(starts, 1, 0x1000), 0);
	assert_int_equal(addrtab_find(starts, 1, 0x5000), 0);
	assert_int_equal(addrtab_find(starts, 0, 0x1000), -1);
}

static void line_says_file_and_line_or_nothing(void **state)
{
	struct source_line src = { NULL, 0 };

	(void)state;
	assert_true(addrtab_line(&table, 0x1000, &src));
	assert_string_equal(src.file, "kernel/console.c");
	assert_int_equal(src.line, 10);
	assert_true(addrtab_line(&table, 0x100f, &src));
	assert_int_equal(src.line, 12);
	assert_true(addrtab_line(&table, 0x1025, &src));
	assert_string_equal(src.file, "kernel/shell.c");
	assert_int_equal(src.line, 7);

	src = (struct source_line){ "untouched", 99 };
	assert_false(addrtab_line(&table, 0x0fff, &src));	/* before */
	assert_false(addrtab_line(&table, 0x1010, &src));	/* a gap */
	assert_false(addrtab_line(&table, 0x101f, &src));
	assert_false(addrtab_line(&table, 0x1030, &src));	/* the end */
	assert_string_equal(src.file, "untouched");
	assert_int_equal(src.line, 99);
}

static void an_empty_table_knows_no_line(void **state)
{
	const struct line_table empty = { 0, NULL, NULL, NULL, 0, NULL };
	struct source_line src;

	(void)state;
	assert_false(addrtab_line(&empty, 0x1000, &src));
}

static void a_file_index_past_the_names_is_refused(void **state)
{
	static const uint16_t bad_files[] = { 0, 0, ADDRTAB_NO_FILE, 2,
	                                      ADDRTAB_NO_FILE };
	const struct line_table bad = { 5, starts, bad_files, lines, 2, names };
	struct source_line src;

	(void)state;
	assert_true(addrtab_line(&bad, 0x1000, &src));
	assert_false(addrtab_line(&bad, 0x1020, &src));
}

static long linear_find(const uint32_t *s, uint32_t n, uint32_t addr)
{
	long found = -1;

	for (uint32_t i = 0; i < n && s[i] <= addr; i++)
		found = (long)i;
	return found;
}

static void random_tables_agree_with_a_linear_scan(void **state)
{
	static uint32_t s[RANDOM_TABLE_MAX];

	(void)state;
	rng_seed(0xadd7ab);
	for (int t = 0; t < RANDOM_TABLES; t++) {
		uint32_t n = 1 + (uint32_t)rng_below(RANDOM_TABLE_MAX);
		uint32_t a = (uint32_t)rng_below(0x1000);

		for (uint32_t i = 0; i < n; i++) {
			a += 1 + (uint32_t)rng_below(64);
			s[i] = a;
		}
		for (int k = 0; k < LOOKUPS_PER_TABLE; k++) {
			uint32_t addr = (uint32_t)rng_below(a + 128);

			assert_int_equal(addrtab_find(s, n, addr),
			                 linear_find(s, n, addr));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(find_takes_the_range_that_holds_the_address),
		cmocka_unit_test(line_says_file_and_line_or_nothing),
		cmocka_unit_test(an_empty_table_knows_no_line),
		cmocka_unit_test(a_file_index_past_the_names_is_refused),
		cmocka_unit_test(random_tables_agree_with_a_linear_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
