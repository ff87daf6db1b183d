/*
 * tests/host/test_cmdline.c - unit tests for kernel/lib/cmdline.c, the boot
 * command line parser.
 *
 * parse_size() first: every accepted form, the largest values that fit in
 * 64 bits and the smallest that do not, and garbage.  Then cmdline_parse()
 * with a small option table of every type, one rule per test: the kernel's
 * file name, separators, unknown keys, bad and missing values, duplicates,
 * and words too long for the parser's buffer.
 *
 * The host kprintf() writes to stdout, so parse() captures stdout while
 * the parser runs: a test can check what a warning names, and parse()
 * itself checks that the returned count is the number of warnings printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kernel/lib/cmdline.h"

/* ---------------------------------------------------------- parse_size */

#define UNTOUCHED 0x5a5a5a5a5a5a5a5aull

static void assert_size(const char *s, uint64_t want)
{
	uint64_t v = UNTOUCHED;

	if (!parse_size(s, &v))
		fail_msg("parse_size(\"%s\") refused", s);
	assert_int_equal(v, want);
}

/* A refused size leaves *out alone, so the option keeps its default. */
static void assert_size_refused(const char *s)
{
	uint64_t v = UNTOUCHED;

	if (parse_size(s, &v))
		fail_msg("parse_size(\"%s\") accepted, gave %llu", s,
		         (unsigned long long)v);
	assert_int_equal(v, UNTOUCHED);
}

static void test_size_plain_number(void **state)
{
	(void)state;
	assert_size("0", 0);
	assert_size("4096", 4096);
	assert_size("007", 7);	/* leading zeros are not octal */
}

static void test_size_suffixes(void **state)
{
	(void)state;
	assert_size("64K", KiB(64));
	assert_size("16M", MiB(16));
	assert_size("1G", GiB(1));
	assert_size("0K", 0);
}

/* The suffixes are also accepted in lower case, as people type them. */
static void test_size_lower_case_suffixes(void **state)
{
	(void)state;
	assert_size("64k", KiB(64));
	assert_size("16m", MiB(16));
	assert_size("3g", GiB(3));
}

/* Every value that fits in 64 bits is accepted, up to the last one. */
static void test_size_largest_values(void **state)
{
	(void)state;
	assert_size("18446744073709551615", UINT64_MAX);
	assert_size("18014398509481983K", ((1ull << 54) - 1) << 10);
	assert_size("17592186044415M", ((1ull << 44) - 1) << 20);
	assert_size("17179869183G", ((1ull << 34) - 1) << 30);
}

/* One more than the largest value, in each unit, overflows: refused. */
static void test_size_overflow_refused(void **state)
{
	(void)state;
	assert_size_refused("18446744073709551616");
	assert_size_refused("18446744073709551620");
	assert_size_refused("99999999999999999999999");
	assert_size_refused("18014398509481984K");
	assert_size_refused("17592186044416M");
	assert_size_refused("17179869184G");
}

static void test_size_empty_refused(void **state)
{
	(void)state;
	assert_size_refused("");
}

/* Anything but digits and one optional suffix is refused, whole. */
static void test_size_garbage_refused(void **state)
{
	static const char *const bad[] = {
		"K",    "M",   "-1",   "+1",   " 16", "16 ",  "16KB",
		"16KK", "16T", "0x10", "1.5G", "k16", "lots", "16\t",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_size_refused(bad[i]);
}

/* ----------------------------------------------------------- parse_u64 */

/* parse_u64() reads digits up to the first non-digit and moves past them. */
static void test_u64_stops_after_digits(void **state)
{
	const char *s = "123,type=x", *start;
	uint64_t v = UNTOUCHED;

	(void)state;
	assert_true(parse_u64(&s, &v));
	assert_int_equal(v, 123);
	assert_string_equal(s, ",type=x");
	s = start = "18446744073709551615";
	assert_true(parse_u64(&s, &v));
	assert_true(v == UINT64_MAX);
	assert_true(*s == '\0' && s == start + 20);
}

/* No digit, or a number past UINT64_MAX: refused, nothing moved. */
static void test_u64_refusals_touch_nothing(void **state)
{
	static const char *const bad[] = {
		"", "x1", "-1", "18446744073709551616", "99999999999999999999",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *s = bad[i];
		uint64_t v = UNTOUCHED;

		assert_false(parse_u64(&s, &v));
		assert_ptr_equal(s, bad[i]);
		assert_int_equal(v, UNTOUCHED);
	}
}

/* -------------------------------------------------------- cmdline_parse */

static bool opt_test, opt_quiet;
static struct string_option opt_console, opt_init;
static struct size_option opt_kmem_map, opt_mem;

static const struct cmdline_option opts[] = {
	{ "test", OPT_FLAG, false, &opt_test, "run the in-kernel tests" },
	{ "quiet", OPT_FLAG, false, &opt_quiet, "fewer boot messages" },
	{ "console", OPT_STRING, false, &opt_console, "console=serial|vga" },
	{ "init", OPT_STRING, true, &opt_init, "init or init=PROGRAM" },
	{ "kmem_map", OPT_SIZE, false, &opt_kmem_map, "kmem_map=SIZE" },
	{ "mem", OPT_SIZE, false, &opt_mem, "mem=SIZE" },
};

/* What the parser printed during the last parse(). */
static char printed[16384];

/* Every option back to a value no command line can produce. */
static int reset_options(void **state)
{
	(void)state;
	opt_test = opt_quiet = false;
	opt_console = (struct string_option){ false, "unset" };
	opt_init = (struct string_option){ false, "unset" };
	opt_kmem_map = opt_mem = (struct size_option){ false, UNTOUCHED };
	printed[0] = '\0';
	return 0;
}

static int count(const char *haystack, const char *needle)
{
	int n = 0;

	while ((haystack = strstr(haystack, needle)) != NULL) {
		n++;
		haystack += strlen(needle);
	}
	return n;
}

/*
 * Runs cmdline_parse() on line with stdout sent to a temporary file, then
 * reads what was printed into printed[].  The returned count must be the
 * number of warnings the parser printed.
 */
static int parse(const char *line)
{
	FILE *tmp = tmpfile();
	int saved, n;
	size_t len;

	assert_non_null(tmp);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDOUT_FILENO) >= 0);
	n = cmdline_parse(line, opts, ARRAY_SIZE(opts));
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(tmp);
	len = fread(printed, 1, sizeof(printed) - 1, tmp);
	printed[len] = '\0';
	fclose(tmp);
	assert_int_equal(count(printed, "cmdline: warning:"), n);
	return n;
}

/* printed[] must contain s. */
static void assert_printed(const char *s)
{
	if (strstr(printed, s) == NULL)
		fail_msg("expected \"%s\" in the output: \"%s\"", s, printed);
}

/* A multiboot loader may give no command line at all. */
static void test_null_line(void **state)
{
	(void)state;
	assert_int_equal(parse(NULL), 0);
	assert_false(opt_test);
	assert_int_equal(opt_kmem_map.bytes, UNTOUCHED);
	assert_false(opt_kmem_map.present);
}

static void test_empty_line(void **state)
{
	(void)state;
	assert_int_equal(parse(""), 0);
	assert_false(opt_test);
}

static void test_blank_line(void **state)
{
	(void)state;
	assert_int_equal(parse("  \t \t  "), 0);
	assert_false(opt_test);
}

static void test_flag_sets_bool(void **state)
{
	(void)state;
	assert_int_equal(parse("test"), 0);
	assert_true(opt_test);
	assert_false(opt_quiet);
}

/* Runs of spaces and tabs, leading and trailing, all separate words. */
static void test_spaces_and_tabs_separate_words(void **state)
{
	(void)state;
	assert_int_equal(parse(" \t test \t\t kmem_map=4K   quiet\t "), 0);
	assert_true(opt_test);
	assert_true(opt_quiet);
	assert_int_equal(opt_kmem_map.bytes, KiB(4));
	assert_true(opt_kmem_map.present);
}

/* GRUB puts the kernel's file name first: it is not an option. */
static void test_kernel_file_name_skipped(void **state)
{
	(void)state;
	assert_int_equal(parse("/boot/kernel.elf test"), 0);
	assert_true(opt_test);
	assert_string_equal(printed, "");
}

static void test_kernel_file_name_after_blanks_skipped(void **state)
{
	(void)state;
	assert_int_equal(parse(" \t/boot/kernel.elf"), 0);
}

/* Only the first word may be the file name; a later path is a typo. */
static void test_only_first_word_skipped(void **state)
{
	(void)state;
	assert_int_equal(parse("/boot/kernel.elf /boot/kernel.elf test"), 1);
	assert_printed("'/boot/kernel.elf'");
	assert_true(opt_test);
}

/* Without a '/', the first word is an option like any other. */
static void test_first_word_without_slash_parsed(void **state)
{
	(void)state;
	assert_int_equal(parse("test quiet"), 0);
	assert_true(opt_test);
	assert_true(opt_quiet);
	assert_int_equal(parse("kernel.elf test"), 1);
	assert_printed("'kernel.elf'");
}

/*
 * The rule only looks for a '/': a first word that is an option with a
 * path in its value is taken for the file name too.  Boot loaders always
 * put the file name first, so this costs nothing in practice.
 */
static void test_first_word_with_slash_skipped_even_if_option(void **state)
{
	(void)state;
	assert_int_equal(parse("init=/bin/sh test"), 0);
	assert_false(opt_init.present);
	assert_true(opt_test);
}

/* A typo never stops a boot: the words after it still count. */
static void test_unknown_key_warns_and_parsing_continues(void **state)
{
	(void)state;
	assert_int_equal(parse("bogus test nope=1 kmem_map=8M"), 2);
	assert_true(opt_test);
	assert_int_equal(opt_kmem_map.bytes, MiB(8));
	assert_true(opt_kmem_map.present);
	assert_printed("'bogus'");
}

/* The warning for key=value names the key only. */
static void test_unknown_key_warning_names_key(void **state)
{
	(void)state;
	assert_int_equal(parse("nope=1"), 1);
	assert_printed("'nope'");
	assert_null(strstr(printed, "nope=1"));
}

/* Keys match whole and case-sensitively: no prefixes, no abbreviations. */
static void test_key_must_match_exactly(void **state)
{
	(void)state;
	assert_int_equal(parse("tes testx TEST kmem"), 4);
	assert_false(opt_test);
	assert_int_equal(opt_kmem_map.bytes, UNTOUCHED);
	assert_false(opt_kmem_map.present);
}

static void test_empty_key_unknown(void **state)
{
	(void)state;
	assert_int_equal(parse("=5"), 1);
}

static void test_flag_with_value_warns(void **state)
{
	(void)state;
	assert_int_equal(parse("test=1"), 1);
	assert_false(opt_test);
	assert_printed("'test' takes no value");
}

static void test_string_value(void **state)
{
	(void)state;
	assert_int_equal(parse("console=ttyS0,115200n8"), 0);
	assert_true(opt_console.present);
	assert_string_equal(opt_console.value, "ttyS0,115200n8");
}

/* The key ends at the first '='; later ones belong to the value. */
static void test_string_value_may_contain_equals(void **state)
{
	(void)state;
	assert_int_equal(parse("console=a=b"), 0);
	assert_string_equal(opt_console.value, "a=b");
}

static void test_string_missing_value_warns(void **state)
{
	(void)state;
	assert_int_equal(parse("console"), 1);
	assert_false(opt_console.present);
	assert_printed("'console' needs a value");
}

/* value_optional: the bare key means "present, with an empty value". */
static void test_optional_string_bare_key(void **state)
{
	(void)state;
	assert_int_equal(parse("init"), 0);
	assert_true(opt_init.present);
	assert_string_equal(opt_init.value, "");
}

static void test_optional_string_with_value(void **state)
{
	(void)state;
	assert_int_equal(parse("/boot/kernel.elf init=/bin/sh"), 0);
	assert_true(opt_init.present);
	assert_string_equal(opt_init.value, "/bin/sh");
}

/* value[] holds CMDLINE_VALUE_MAX - 1 characters and the NUL. */
static void test_string_longest_value_accepted(void **state)
{
	char line[16 + CMDLINE_VALUE_MAX];

	(void)state;
	strcpy(line, "console=");
	memset(line + 8, 'v', CMDLINE_VALUE_MAX - 1);
	line[8 + CMDLINE_VALUE_MAX - 1] = '\0';
	assert_int_equal(parse(line), 0);
	assert_true(opt_console.present);
	assert_string_equal(opt_console.value, line + 8);
}

/* One character more does not fit: refused, not cut short. */
static void test_string_value_too_long_refused(void **state)
{
	char line[16 + CMDLINE_VALUE_MAX];

	(void)state;
	strcpy(line, "console=");
	memset(line + 8, 'v', CMDLINE_VALUE_MAX);
	line[8 + CMDLINE_VALUE_MAX] = '\0';
	assert_int_equal(parse(line), 1);
	assert_false(opt_console.present);
	assert_string_equal(opt_console.value, "unset");
	assert_printed("longer than 127 characters");
}

static void test_size_option(void **state)
{
	(void)state;
	assert_int_equal(parse("kmem_map=16M mem=1G"), 0);
	assert_int_equal(opt_kmem_map.bytes, MiB(16));
	assert_true(opt_kmem_map.present);
	assert_int_equal(opt_mem.bytes, GiB(1));
}

/* A bad size warns with the word, and the option keeps its value. */
static void test_size_option_bad_value_warns(void **state)
{
	(void)state;
	assert_int_equal(parse("kmem_map=lots"), 1);
	assert_int_equal(opt_kmem_map.bytes, UNTOUCHED);
	assert_false(opt_kmem_map.present);
	assert_printed("(got 'lots')");
}

static void test_size_option_missing_value_warns(void **state)
{
	(void)state;
	assert_int_equal(parse("kmem_map"), 1);
	assert_int_equal(opt_kmem_map.bytes, UNTOUCHED);
	assert_false(opt_kmem_map.present);
	assert_printed("(got 'nothing')");
}

static void test_size_option_empty_value_warns(void **state)
{
	(void)state;
	assert_int_equal(parse("kmem_map="), 1);
	assert_int_equal(opt_kmem_map.bytes, UNTOUCHED);
	assert_false(opt_kmem_map.present);
}

/* Given twice, the last value wins, for every type. */
static void test_duplicate_keys_last_wins(void **state)
{
	(void)state;
	assert_int_equal(parse("kmem_map=4M console=a kmem_map=8M console=b "
	                       "test test"),
	                 0);
	assert_int_equal(opt_kmem_map.bytes, MiB(8));
	assert_true(opt_kmem_map.present);
	assert_string_equal(opt_console.value, "b");
	assert_true(opt_test);
}

/* A refused later value does not undo an earlier good one. */
static void test_bad_duplicate_keeps_earlier_value(void **state)
{
	(void)state;
	assert_int_equal(parse("kmem_map=4M kmem_map=lots console=ok console"),
	                 2);
	assert_int_equal(opt_kmem_map.bytes, MiB(4));
	assert_true(opt_kmem_map.present);
	assert_string_equal(opt_console.value, "ok");
}

/*
 * The parser copies each word into a 160-byte buffer (WORD_MAX in
 * cmdline.c).  A 159-character word fits: kmem_map= and 150 digits.
 */
static void test_longest_word_fits(void **state)
{
	char line[200];

	(void)state;
	strcpy(line, "kmem_map=");
	memset(line + 9, '0', 146);
	strcpy(line + 9 + 146, "4096");
	assert_int_equal(strlen(line), 159);
	assert_int_equal(parse(line), 0);
	assert_int_equal(opt_kmem_map.bytes, 4096);
	assert_true(opt_kmem_map.present);
}

/* One character more is refused as a whole, with its own warning. */
static void test_word_too_long_refused(void **state)
{
	char line[200];

	(void)state;
	strcpy(line, "kmem_map=");
	memset(line + 9, '0', 147);
	strcpy(line + 9 + 147, "4096");
	assert_int_equal(strlen(line), 160);
	assert_int_equal(parse(line), 1);
	assert_int_equal(opt_kmem_map.bytes, UNTOUCHED);
	assert_false(opt_kmem_map.present);
	assert_printed("a word of 160 characters is too long");
}

static void test_word_too_long_does_not_stop_parsing(void **state)
{
	char line[400];

	(void)state;
	memset(line, 'x', 300);
	strcpy(line + 300, " test");
	assert_int_equal(parse(line), 1);
	assert_true(opt_test);
}

/* The result is the number of warnings, whatever their kind. */
static void test_warnings_add_up(void **state)
{
	(void)state;
	assert_int_equal(parse("/k a b test=1 console kmem_map=x mem quiet"),
	                 6);
	assert_true(opt_quiet);
}

#define T(f) cmocka_unit_test_setup(f, reset_options)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_plain_number),
		cmocka_unit_test(test_size_suffixes),
		cmocka_unit_test(test_size_lower_case_suffixes),
		cmocka_unit_test(test_size_largest_values),
		cmocka_unit_test(test_size_overflow_refused),
		cmocka_unit_test(test_size_empty_refused),
		cmocka_unit_test(test_size_garbage_refused),
		cmocka_unit_test(test_u64_stops_after_digits),
		cmocka_unit_test(test_u64_refusals_touch_nothing),
		T(test_null_line),
		T(test_empty_line),
		T(test_blank_line),
		T(test_flag_sets_bool),
		T(test_spaces_and_tabs_separate_words),
		T(test_kernel_file_name_skipped),
		T(test_kernel_file_name_after_blanks_skipped),
		T(test_only_first_word_skipped),
		T(test_first_word_without_slash_parsed),
		T(test_first_word_with_slash_skipped_even_if_option),
		T(test_unknown_key_warns_and_parsing_continues),
		T(test_unknown_key_warning_names_key),
		T(test_key_must_match_exactly),
		T(test_empty_key_unknown),
		T(test_flag_with_value_warns),
		T(test_string_value),
		T(test_string_value_may_contain_equals),
		T(test_string_missing_value_warns),
		T(test_optional_string_bare_key),
		T(test_optional_string_with_value),
		T(test_string_longest_value_accepted),
		T(test_string_value_too_long_refused),
		T(test_size_option),
		T(test_size_option_bad_value_warns),
		T(test_size_option_missing_value_warns),
		T(test_size_option_empty_value_warns),
		T(test_duplicate_keys_last_wins),
		T(test_bad_duplicate_keeps_earlier_value),
		T(test_longest_word_fits),
		T(test_word_too_long_refused),
		T(test_word_too_long_does_not_stop_parsing),
		T(test_warnings_add_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
