/*
 * tests/kernel/test_ktest.c - the test harness tested: what a failing
 * check prints.
 */
#include "kernel/debug/ktest.h"

/*
 * The harness's own output: KEXPECT_EQ prints each value as its type is,
 * so a -1 reads "-1" (tests/boot/boot_tests.sh checks the printed line).
 * The failure goes to a scratch context of its own, not to this test.
 */
KTEST(kexpect_eq_prints_signed_values)
{
	struct ktest_ctx scratch = { "kexpect_eq_demo", 0 };
	int minus_one = -1;
	unsigned big = 4000000000u;

	KEXPECT(t, !KEXPECT_EQ(&scratch, minus_one, 2));
	KEXPECT(t, !KEXPECT_EQ(&scratch, big, 2));
	KEXPECT_EQ(t, scratch.failures, 2);
	KEXPECT(t, KTEST_IS_SIGNED(minus_one) && !KTEST_IS_SIGNED(big));
}
