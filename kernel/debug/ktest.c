/*
 * kernel/debug/ktest.c - the in-kernel test runner.
 */
#include "kernel/debug/ktest.h"

#include "drivers/pit.h"
#include "kernel/debug/census.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/kstring.h"
#include "kernel/proc/proc.h"
#include "kernel/thread/lockdebug.h"
#include "mm/kmem.h"
#include "mm/kmem_debug.h"

#define VALUE_TEXT 24	/* a 64-bit number in decimal, with its sign */
/*
 * How long a test's last detached threads get to end and be reaped (the
 * next thread to run frees them) before what they hold counts as leaked.
 */
#define SETTLE_TICKS (HZ / 2)

/* The fault-injection spec each test runs under, or NULL. */
static const char *injection;

extern const struct ktest __kernel_tests_start[];
extern const struct ktest __kernel_tests_end[];

bool ktest_check(struct ktest_ctx *t, bool ok, const char *expr,
                 const char *file, int line)
{
	if (!ok) {
		kprintf("ktest: %s: FAILED: %s at %s:%d\n", t->name, expr, file,
		        line);
		t->failures++;
	}
	return ok;
}

/* v in decimal, as the signed or unsigned number its expression was. */
static const char *value_text(char *buf, uint64_t v, bool is_signed)
{
	if (is_signed)
		ksnprintf(buf, VALUE_TEXT, "%lld", (long long)v);
	else
		ksnprintf(buf, VALUE_TEXT, "%llu", (unsigned long long)v);
	return buf;
}

bool ktest_check_eq(struct ktest_ctx *t, uint64_t a, uint64_t b,
                    bool a_signed, bool b_signed, const char *ea,
                    const char *eb, const char *file, int line)
{
	char ta[VALUE_TEXT], tb[VALUE_TEXT];

	if (a != b) {
		kprintf("ktest: %s: FAILED: %s == %s (%s != %s) at %s:%d\n",
		        t->name, ea, eb, value_text(ta, a, a_signed),
		        value_text(tb, b, b_signed), file, line);
		t->failures++;
	}
	return a == b;
}

/*
 * Why kt cannot run here, as advice for running it, or NULL when it can.
 * `named`: the caller asked for it by name.
 */
static const char *missing_need(const struct ktest *kt,
                                enum ktest_caller caller, bool named)
{
	if ((kt->needs & KTEST_ENDS_KERNEL) && !named)
		return "it ends the kernel on purpose: run it by name";
	if ((kt->needs & KTEST_BENCHMARK) && !named)
		return "a benchmark: run it by name (make bench does)";
	if ((kt->needs & KTEST_KMEM_DEBUG) && !kmem_debug_enabled)
		return "it needs the kmem_debug boot option "
		       "(boot with: kmem_debug test=NAME)";
	if ((kt->needs & KTEST_LOCKDEBUG) && !lockdebug_enabled)
		return "it needs the lockdebug boot option "
		       "(boot with: lockdebug test=NAME)";
	if ((kt->needs & KTEST_OWN_CONSOLE) && caller == KTEST_FROM_SHELL)
		return "it needs the console's input to itself, which the shell "
		       "reads (boot with: test=NAME)";
	return NULL;
}

/*
 * Never inlined: a test that faults or panics on purpose shows the runner
 * in its backtrace, which is where the tests' boot checks look for it
 * (tests/boot/boot_tests.sh).  Inlined, it would be named run_or_skip.
 */
/*
 * Whether the test left the kernel holding what it held before: every
 * malloc type's bytes, the frames, the threads and the processes
 * (kernel/debug/census.h).  Threads it detached may still be ending, so
 * a difference is looked at again for a while before it counts.
 */
static bool left_as_found(const struct ktest *kt, const struct census *before)
{
	struct census after;

	census_settle(before, &after, SETTLE_TICKS);
	if (census_compare(before, &after, kt->name) == 0)
		return true;
	kprintf("ktest: %s: FAILED: it did not leave memory, threads and "
	        "processes as it found them (the census lines above)\n",
	        kt->name);
	return false;
}

static __attribute__((noinline)) bool run_one(const struct ktest *kt)
{
	struct ktest_ctx ctx = { kt->name, 0 };
	struct census before;
	uint64_t start = ticks();
	int first_pid = proc_next_pid(), orphans;
	const char *why;
	bool armed;

	kprintf("ktest: %s ...\n", kt->name);
	census_begin(&before);
	if (injection != NULL) {
		armed = kmem_fail_set(injection, &why);
		KASSERT(armed);		/* ktest_set_injection() parsed it */
	}
	kt->fn(&ctx);
	if (injection != NULL) {
		kmem_fail_print();
		kmem_fail_set("off", &why);
	}
	/*
	 * A test that ended early (a failed check, a caught panic) may not
	 * have waited for the processes it started: free their slots for the
	 * tests after it, and count it against this one.
	 */
	orphans = proc_disown_kernel_children(first_pid);
	if (orphans > 0) {
		kprintf("ktest: %s: FAILED: it left %d process%s nobody waited "
		        "for (now disowned, freed when they exit)\n", kt->name,
		        orphans, orphans == 1 ? "" : "es");
		ctx.failures++;
	} else if (!left_as_found(kt, &before)) {
		ctx.failures++;
	}
	kprintf("ktest: %s %s (%llu ms)\n", kt->name,
	        ctx.failures == 0 ? "ok" : "FAILED",
	        (unsigned long long)((ticks() - start) * 1000 / HZ));
	return ctx.failures == 0;
}

static const struct ktest *find(const char *name, size_t len)
{
	for (const struct ktest *kt = __kernel_tests_start;
	     kt < __kernel_tests_end; kt++)
		if (strlen(kt->name) == len && strncmp(kt->name, name, len) == 0)
			return kt;
	return NULL;
}

static bool is_separator(char c)
{
	return c == ',' || c == ' ';
}

struct tally {
	int passed, failed, skipped;
};

static void run_or_skip(const struct ktest *kt, enum ktest_caller caller,
                        bool named, struct tally *n)
{
	const char *why = missing_need(kt, caller, named);

	if (why != NULL) {
		kprintf("ktest: %s skipped: %s\n", kt->name, why);
		n->skipped++;
	} else if (run_one(kt)) {
		n->passed++;
	} else {
		n->failed++;
	}
}

/* Tests that run only when named stay out of a run of all tests. */
static bool only_when_named(const struct ktest *kt)
{
	return (kt->needs & (KTEST_ENDS_KERNEL | KTEST_BENCHMARK)) != 0;
}

int ktest_run(const char *names, enum ktest_caller caller)
{
	struct tally n = { 0, 0, 0 };

	if (names == NULL || *names == '\0') {
		for (const struct ktest *kt = __kernel_tests_start;
		     kt < __kernel_tests_end; kt++)
			if (!only_when_named(kt))
				run_or_skip(kt, caller, false, &n);
	}
	while (names != NULL && *names != '\0') {
		size_t len = 0;
		const struct ktest *kt;

		while (is_separator(*names))
			names++;
		while (names[len] != '\0' && !is_separator(names[len]))
			len++;
		if (len == 0)
			break;
		kt = find(names, len);
		if (kt == NULL) {
			char name[48];
			size_t k = MIN(len, sizeof(name) - 1);
			memcpy(name, names, k);
			name[k] = '\0';
			kprintf("ktest: no test named '%s' (try `test list`)\n",
			        name);
			n.failed++;
		} else {
			run_or_skip(kt, caller, true, &n);
		}
		names += len;
	}
	kprintf("ktest: %d passed, %d failed, %d skipped\n", n.passed, n.failed,
	        n.skipped);
	return n.failed;
}

bool ktest_set_injection(const char *spec, const char **why)
{
	if (spec != NULL && !kmem_fail_set(spec, why))
		return false;
	kmem_fail_set("off", why);
	injection = spec;
	return true;
}

void ktest_list(void)
{
	static const struct {
		unsigned need;
		const char *words;
	} notes[] = {
		{ KTEST_ENDS_KERNEL, "ends the kernel: only by name" },
		{ KTEST_BENCHMARK, "a benchmark: only by name" },
		{ KTEST_KMEM_DEBUG, "needs the kmem_debug boot option" },
		{ KTEST_OWN_CONSOLE, "needs the console: only at boot" },
		{ KTEST_LOCKDEBUG, "needs the lockdebug boot option" },
	};

	for (const struct ktest *kt = __kernel_tests_start;
	     kt < __kernel_tests_end; kt++) {
		kprintf("  %s", kt->name);
		for (size_t i = 0; i < ARRAY_SIZE(notes); i++)
			if (kt->needs & notes[i].need)
				kprintf(" (%s)", notes[i].words);
		kprintf("\n");
	}
}

const char *ktest_name(size_t i)
{
	size_t n = (size_t)(__kernel_tests_end - __kernel_tests_start);

	return i < n ? __kernel_tests_start[i].name : NULL;
}
