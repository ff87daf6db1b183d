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
 * the test go on; a test passes when nothing failed.  A test that needs
 * something (a boot option, the console to itself) says so with
 * KTEST_NEEDING(name, KTEST_KMEM_DEBUG) and is skipped without it.
 */
#ifndef KIVA_KERNEL_DEBUG_KTEST_H
#define KIVA_KERNEL_DEBUG_KTEST_H

#include "kernel/lib/types.h"

struct ktest_ctx {
	const char *name;
	int failures;
};

/*
 * What a test needs beyond a running kernel (KTEST_NEEDING).  Without it
 * the test is skipped, and says how to run it; a skip is no failure.
 */
#define KTEST_ENDS_KERNEL 0x1	/* it panics or overflows a stack on
				   purpose: runs only when named */
#define KTEST_KMEM_DEBUG 0x2	/* the kmem_debug boot option */
#define KTEST_OWN_CONSOLE 0x4	/* the console's input queue to itself:
				   not from the shell, which reads it */
#define KTEST_BENCHMARK 0x8	/* long and prints figures: only when named
				   (make bench runs it) */
#define KTEST_LOCKDEBUG 0x10	/* the lockdebug boot option */

struct ktest {
	const char *name;
	void (*fn)(struct ktest_ctx *t);
	unsigned needs;		/* KTEST_* above, or 0 */
} __attribute__((aligned(16)));	/* the section is an array of these */

#define KTEST_NEEDING(tname, need_flags)                                  \
	static void ktest_fn_##tname(struct ktest_ctx *t);                \
	static const struct ktest ktest_##tname                           \
		__attribute__((used, section(".kernel_tests"))) =         \
		{ #tname, ktest_fn_##tname, need_flags };                 \
	static void ktest_fn_##tname(struct ktest_ctx *t)
#define KTEST(tname) KTEST_NEEDING(tname, 0)

#define KEXPECT(t, cond) ktest_check((t), (cond), #cond, __FILE__, __LINE__)
/*
 * Like KEXPECT for two integers, printing both values on failure, each as
 * signed or unsigned as its own type is (a -1 is not 18446744073709551615).
 */
#define KEXPECT_EQ(t, a, b)                                                \
	ktest_check_eq((t), (uint64_t)(a), (uint64_t)(b),                  \
	               KTEST_IS_SIGNED(a), KTEST_IS_SIGNED(b), #a, #b,      \
	               __FILE__, __LINE__)
#define KTEST_IS_SIGNED(x)                                                 \
	_Generic((x), signed char: true, short: true, int: true, long: true, \
	         long long: true, default: false)

bool ktest_check(struct ktest_ctx *t, bool ok, const char *expr,
                 const char *file, int line);
bool ktest_check_eq(struct ktest_ctx *t, uint64_t a, uint64_t b,
                    bool a_signed, bool b_signed, const char *ea,
                    const char *eb, const char *file, int line);

/* Where the tests run: it decides what KTEST_OWN_CONSOLE can have. */
enum ktest_caller { KTEST_AT_BOOT, KTEST_FROM_SHELL };

/*
 * Runs the tests named in the comma- or space-separated `names` ("" or
 * NULL: all but those that run only when named), printing one line each
 * and a summary "ktest: N passed, N failed, N skipped".  An unknown name
 * counts as a failure.  Returns the number of failures.
 */
int ktest_run(const char *names, enum ktest_caller caller);

/*
 * Runs each test from now on under fault injection by `spec` (mm/kmem.h,
 * kmem_fail_set()), started afresh as the test starts and turned off as
 * it ends; NULL: none.  A test may then fail, but must return and leave
 * memory as it found it.  Returns false, with *why, for a bad spec.
 */
bool ktest_set_injection(const char *spec, const char **why);

/* Lists the tests' names, with what each needs. */
void ktest_list(void);

/* The name of test number i (for the shell's Tab), or NULL past the last. */
const char *ktest_name(size_t i);

#endif
