/*
 * kernel/debug/ktest.h - in-kernel tests: the ones that need the real machine
 * (page tables, interrupts, threads).  Host-testable logic is tested on
 * the host instead (tests/host).
 *
 * A test is a function declared with KTEST; the linker gathers them all
 * (section .kernel_tests, see linker.ld), so adding a test is writing it:
 *
 *	KTEST(frames_roundtrip)
 *	{
 *		struct page *p = page_alloc(0, PMM_ANY);
 *		KEXPECT(t, p != NULL);
 *		...
 *	}
 *
 * KEXPECT records a failure with the expression, file and line and lets
 * the test go on; a test passes when nothing failed.
 */
#ifndef KIVA_KERNEL_DEBUG_KTEST_H
#define KIVA_KERNEL_DEBUG_KTEST_H

#include "kernel/lib/types.h"

struct ktest_ctx {
	const char *name;
	int failures;
};

struct ktest {
	const char *name;
	void (*fn)(struct ktest_ctx *t);
	bool manual;	/* runs only when named: it stops the kernel */
} __attribute__((aligned(16)));	/* the section is an array of these */

#define KTEST_DEFINE(tname, is_manual)                                    \
	static void ktest_fn_##tname(struct ktest_ctx *t);                \
	static const struct ktest ktest_##tname                           \
		__attribute__((used, section(".kernel_tests"))) =         \
		{ #tname, ktest_fn_##tname, is_manual };                  \
	static void ktest_fn_##tname(struct ktest_ctx *t)
#define KTEST(tname) KTEST_DEFINE(tname, false)
/* A test that ends the kernel (a deliberate panic): only run by name. */
#define KTEST_MANUAL(tname) KTEST_DEFINE(tname, true)

#define KEXPECT(t, cond) ktest_check((t), (cond), #cond, __FILE__, __LINE__)
/* Like KEXPECT for two integers, printing both values on failure. */
#define KEXPECT_EQ(t, a, b) \
	ktest_check_eq((t), (uint64_t)(a), (uint64_t)(b), #a, #b, __FILE__, __LINE__)

bool ktest_check(struct ktest_ctx *t, bool ok, const char *expr,
                 const char *file, int line);
bool ktest_check_eq(struct ktest_ctx *t, uint64_t a, uint64_t b,
                    const char *ea, const char *eb, const char *file, int line);

/*
 * Runs the tests named in the comma- or space-separated `names` ("" or
 * NULL: all but the manual ones), printing one line each and a summary
 * "ktest: N passed, N failed".  An unknown name counts as a failure.
 * Returns the number of failures.
 */
int ktest_run(const char *names);

/* Lists the tests' names. */
void ktest_list(void);

#endif
