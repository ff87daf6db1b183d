/*
 * tests/kernel/test_workload.c - a little of everything that allocates,
 * for the fault-injection sweep (tests/boot/sweep.sh): booted with
 * fail=nth:N for every N up to the number of allocations a boot and this
 * workload make, it must finish without a panic and leave every type's
 * bytes in use where it found them.  Each caller handles NULL the way the
 * kernel's callers do: skip the work (M_NOWAIT), or rely on M_WAITOK,
 * which turns an injected failure into a short sleep and a retry.
 */
#include "drivers/pit.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/kstring.h"
#include "kernel/debug/ktest.h"
#include "kernel/thread/sched.h"
#include "kernel/thread/thread.h"
#include "mm/kmem.h"

#define WORKERS 3

static const size_t sizes[] = { 16, 100, 700, 2048, 5000, 70000 };

/* Allocates, fills, checks and frees one block; NULL is simply skipped. */
static unsigned use_block(size_t size, int flags)
{
	unsigned char *p = kmalloc(size, M_TEMP, flags);
	unsigned bad = 0;

	if (p == NULL)
		return 0;
	memset(p, (int)size & 0xff, size);
	for (size_t i = 0; i < size; i += 97)
		bad += p[i] != (size & 0xff);
	kfree(p);
	return bad;
}

static volatile unsigned worker_bad;

static void worker(void *arg)
{
	(void)arg;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		worker_bad += use_block(sizes[i], M_NOWAIT);
		worker_bad += use_block(sizes[i], M_NOWAIT | M_NOINTR);
		worker_bad += use_block(sizes[i], M_WAITOK | M_NOINTR);
	}
}

static volatile unsigned tick_runs;

static void tick_work(void)
{
	void *p = kmalloc(256, M_DEVBUF, M_NOWAIT);	/* NULL: skip */

	kfree(p);
	tick_runs++;
}

KTEST(kmem_workload)
{
	struct kmem_type_stats before[M_NTYPES], after;
	struct thread *th[WORKERS];
	int created = 0;

	for (int type = 0; type < M_NTYPES; type++)
		kmem_type_stats(type, &before[type]);
	worker_bad = 0;
	for (int i = 0; i < WORKERS; i++) {
		th[i] = thread_create("worker", worker, NULL);
		created += th[i] != NULL;	/* NULL: one worker fewer */
	}
	worker(NULL);			/* and this thread too */
	tick_runs = 0;
	KEXPECT(t, pit_add_tick_hook(tick_work));
	while (tick_runs < 5)
		sleep_ticks(1);
	pit_remove_tick_hook(tick_work);
	for (int i = 0; i < WORKERS; i++)
		if (th[i] != NULL)
			thread_join(th[i]);
	KEXPECT_EQ(t, worker_bad, 0);
	for (int type = 0; type < M_NTYPES; type++) {
		kmem_type_stats(type, &after);
		if (!KEXPECT_EQ(t, after.inuse, before[type].inuse))
			kprintf("  type %s did not return to its baseline\n",
			        kmem_type_name(type));
	}
	kprintf("  %d of %d workers started\n", created, WORKERS);
	kprintf("kmem: %llu allocation calls since boot\n",
	        (unsigned long long)kmem_calls());
	kmem_fail_print();
}
