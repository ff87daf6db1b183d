/*
 * tests/host/test_failinject.c - fault-injection specs and decisions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "mm/failinject.h"

static int lookup(const char *name)
{
	static const char *const names[] = { "temp", "devbuf", "fdesc" };
	for (int i = 0; i < 3; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

static struct fail_spec parse_ok(const char *text)
{
	struct fail_spec s;
	const char *why;
	assert_true(fail_parse(text, &s, lookup, &why));
	assert_null(why);
	return s;
}

static void parse_bad(const char *text)
{
	struct fail_spec s = { .mode = FAIL_NTH, .n = 99 };
	const char *why;
	assert_false(fail_parse(text, &s, lookup, &why));
	assert_non_null(why);
	assert_int_equal(s.n, 99);	/* untouched on error */
}

static void test_parse_modes(void **state)
{
	(void)state;
	struct fail_spec s = parse_ok("nth:7");
	assert_int_equal(s.mode, FAIL_NTH);
	assert_int_equal(s.n, 7);
	assert_int_equal(s.type, FAIL_ANY_TYPE);
	assert_int_equal(s.scope, FAIL_BOTH);
	s = parse_ok("every:3");
	assert_int_equal(s.mode, FAIL_EVERY);
	assert_int_equal(s.n, 3);
	s = parse_ok("random:25:1234");
	assert_int_equal(s.mode, FAIL_RANDOM);
	assert_int_equal(s.percent, 25);
	assert_int_equal(s.seed, 1234);
	s = parse_ok("off");
	assert_int_equal(s.mode, FAIL_OFF);
	/* Every N a uint64_t holds is a valid N, the largest included. */
	s = parse_ok("nth:18446744073709551615");
	assert_true(s.n == UINT64_MAX);
	s = parse_ok("every:18446744073709551614");
	assert_true(s.n == UINT64_MAX - 1);
}

static void test_parse_restrictions(void **state)
{
	(void)state;
	struct fail_spec s = parse_ok("every:2,type=fdesc,alloc=nointr");
	assert_int_equal(s.type, 2);
	assert_int_equal(s.scope, FAIL_NOINTR_ONLY);
	s = parse_ok("nth:1,alloc=intr");
	assert_int_equal(s.scope, FAIL_INTR_ONLY);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	parse_bad("");
	parse_bad("nth");
	parse_bad("nth:");
	parse_bad("nth:0");
	parse_bad("nth:x");
	parse_bad("every:-1");
	parse_bad("random:101:1");
	parse_bad("random:50");
	parse_bad("random:50:4294967296");
	parse_bad("nth:3,type=nosuch");
	parse_bad("nth:3,alloc=sometimes");
	parse_bad("nth:3,colour=red");
	parse_bad("nth:3junk");
	parse_bad("nth:99999999999999999999999");
	parse_bad("nth:18446744073709551616");	/* UINT64_MAX + 1 */
}

static void test_nth_fails_exactly_once(void **state)
{
	(void)state;
	struct fail_state st;
	struct fail_spec s = parse_ok("nth:5");
	fail_start(&st, &s);
	for (int i = 1; i <= 20; i++)
		assert_int_equal(fail_should_fail(&st, 0, false), i == 5);
	assert_int_equal(st.matched, 20);
	assert_int_equal(st.injected, 1);
}

static void test_every_and_restrictions(void **state)
{
	(void)state;
	struct fail_state st;
	struct fail_spec s = parse_ok("every:2,type=devbuf,alloc=intr");
	int fails = 0;
	fail_start(&st, &s);
	for (int i = 0; i < 10; i++) {
		assert_false(fail_should_fail(&st, 0, false));	/* other type */
		assert_false(fail_should_fail(&st, 1, true));	/* nointr */
		fails += fail_should_fail(&st, 1, false);
	}
	assert_int_equal(fails, 5);
	assert_int_equal(st.matched, 10);
}

static void test_random_is_repeatable_and_near_percent(void **state)
{
	(void)state;
	struct fail_state a, b;
	struct fail_spec s = parse_ok("random:30:42");
	int fails = 0;
	fail_start(&a, &s);
	fail_start(&b, &s);
	for (int i = 0; i < 100000; i++) {
		bool x = fail_should_fail(&a, 0, false);
		assert_int_equal(x, fail_should_fail(&b, 0, false));
		fails += x;
	}
	assert_in_range(fails, 29000, 31000);
}

static void test_off_never_counts(void **state)
{
	(void)state;
	struct fail_state st;
	struct fail_spec s = parse_ok("off");
	fail_start(&st, &s);
	for (int i = 0; i < 100; i++)
		assert_false(fail_should_fail(&st, 0, i & 1));
	assert_int_equal(st.matched, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_modes),
		cmocka_unit_test(test_parse_restrictions),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_nth_fails_exactly_once),
		cmocka_unit_test(test_every_and_restrictions),
		cmocka_unit_test(test_random_is_repeatable_and_near_percent),
		cmocka_unit_test(test_off_never_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
