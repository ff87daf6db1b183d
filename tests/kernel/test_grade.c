/*
 * tests/kernel/test_grade.c - the bookends make grade (tools/grade.py)
 * puts around the in-kernel tests it runs:
 *
 *	test=kmem_baseline,NAME,...,kmem_back_at_baseline
 *
 * A graded test loses its points if any malloc type holds more (or fewer)
 * bytes after it than before, whether or not the test checks that itself:
 * a leak is a bug even when the test's own checks pass.  Memory given
 * back a moment later (a detached thread's stack, freed by the thread that
 * runs after it ends) is waited for, up to a second.
 *
 * In a run of every test (in the linker's order, kmem_back_at_baseline
 * may come first) they compare nothing and pass.
 */
#include "drivers/pit.h"
#include "kernel/debug/ktest.h"
#include "kernel/lib/kprintf.h"
#include "kernel/thread/sched.h"
#include "mm/kmem.h"

#define SETTLE_TICKS HZ	/* how long late frees are waited for */

static bool have_baseline;
static uint64_t baseline[M_NTYPES];

static uint64_t inuse(int type)
{
	struct kmem_type_stats s;

	kmem_type_stats(type, &s);
	return s.inuse;
}

static bool all_back(void)
{
	for (int type = 0; type < M_NTYPES; type++)
		if (inuse(type) != baseline[type])
			return false;
	return true;
}

KTEST(kmem_baseline)
{
	(void)t;
	for (int type = 0; type < M_NTYPES; type++)
		baseline[type] = inuse(type);
	have_baseline = true;
}

KTEST(kmem_back_at_baseline)
{
	if (!have_baseline) {	/* a run of every test: nothing to check */
		kprintf("  no baseline: kmem_baseline has not run\n");
		return;
	}
	for (int i = 0; i < SETTLE_TICKS && !all_back(); i++)
		sleep_ticks(1);
	for (int type = 0; type < M_NTYPES; type++) {
		uint64_t now = inuse(type);

		if (now != baseline[type])
			kprintf("  kmem: type %s holds %llu bytes, %llu "
			        "before\n", kmem_type_name(type),
			        (unsigned long long)now,
			        (unsigned long long)baseline[type]);
		KEXPECT_EQ(t, now, baseline[type]);
	}
}
