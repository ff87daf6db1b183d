/*
 * kernel/debug/ktest.c - the in-kernel test runner.
 */
#include "kernel/debug/ktest.h"

#include "drivers/pit.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/kstring.h"
#include "kernel/proc/proc.h"

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

bool ktest_check_eq(struct ktest_ctx *t, uint64_t a, uint64_t b,
                    const char *ea, const char *eb, const char *file, int line)
{
	if (a != b) {
		kprintf("ktest: %s: FAILED: %s == %s (%llu != %llu) at %s:%d\n",
		        t->name, ea, eb, (unsigned long long)a,
		        (unsigned long long)b, file, line);
		t->failures++;
	}
	return a == b;
}

static bool run_one(const struct ktest *kt)
{
	struct ktest_ctx ctx = { kt->name, 0 };
	uint64_t start = ticks();
	int first_pid = proc_next_pid(), orphans;

	kprintf("ktest: %s ...\n", kt->name);
	kt->fn(&ctx);
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

int ktest_run(const char *names)
{
	int passed = 0, failed = 0;

	if (names == NULL || *names == '\0') {
		for (const struct ktest *kt = __kernel_tests_start;
		     kt < __kernel_tests_end; kt++)
			if (!kt->manual)
				run_one(kt) ? passed++ : failed++;
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
			size_t n = MIN(len, sizeof(name) - 1);
			memcpy(name, names, n);
			name[n] = '\0';
			kprintf("ktest: no test named '%s' (try `test list`)\n",
			        name);
			failed++;
		} else {
			run_one(kt) ? passed++ : failed++;
		}
		names += len;
	}
	kprintf("ktest: %d passed, %d failed\n", passed, failed);
	return failed;
}

void ktest_list(void)
{
	for (const struct ktest *kt = __kernel_tests_start;
	     kt < __kernel_tests_end; kt++)
		kprintf("  %s%s\n", kt->name, kt->manual ? " (manual)" : "");
}
