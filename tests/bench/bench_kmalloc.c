/*
 * tests/bench/bench_kmalloc.c - how fast is the whole kmalloc()/kfree()?
 *
 * Not a test: it prints timings and ratios, and fails only if something
 * breaks.  It links the real mm/kmem.c and everything it calls in mm/
 * (tests/bench/bench.mk), over host equivalents of the lock, interrupt-
 * flag, CPU and page-table primitives (tests/bench/kmem_host.c), and
 * measures, in one process, a hot pair (kmalloc then kfree, with one other
 * object of the size held, as in a pool in use) for each size 16..2048:
 *
 *   kmalloc   M_NOWAIT: kmem_map, the interrupt-safe allocator
 *   nointr    M_NOWAIT | M_NOINTR: kernel_map
 *   waitok    M_WAITOK: kmem_map, by a thread that may sleep, whose
 *             rules kmalloc checks off its fast path
 *   bare      a bare free-list pop and push (target: kmalloc <= 2x)
 *   glibc     malloc() and free() (target: kmalloc <= 0.5x)
 *
 * first with magazines on (the default), then with magazines=off, where
 * every call takes its allocator's lock and goes to the pool.  Each
 * figure is the best of 5 runs of at least 50 ms, a figure and its
 * baselines taking turns (tests/bench/bench_measure.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "mm/kmem.h"
#include "tests/bench/bench_measure.h"
#include "tests/bench/kmem_host.h"

struct hot {
	struct hot_baselines base;	/* first: hot_bare() and hot_malloc() */
	int flags;
};

static void die(const char *what)
{
	fprintf(stderr, "bench_kmalloc: %s\n", what);
	exit(1);
}

static void hot_kmalloc(void *ctx, size_t n)
{
	struct hot *h = ctx;
	void *p;

	while (n-- > 0) {
		p = kmalloc(h->base.size, M_TEMP, h->flags);
		KEEP(p);
		kfree(p);
	}
}

/* One table: each size's pair through kmem_map and kernel_map. */
static void bench_pairs(void)
{
	static void *objs[2][2048 / sizeof(void *)];
	static bench_fn *const fn[] = { hot_kmalloc, hot_bare, hot_malloc };
	struct hot h, ni, wo;
	double t[3], tn, tw;
	void *held[2];

	printf("  size  kmalloc  nointr  waitok    bare   glibc  kmalloc/bare  "
	       "kmalloc/glibc  nointr/bare  waitok/bare\n");
	for (h.base.size = 16; h.base.size <= 2048; h.base.size *= 2) {
		h.flags = M_NOWAIT;
		ni = h;
		ni.flags = M_NOWAIT | M_NOINTR;
		wo = h;
		wo.flags = M_WAITOK;
		h.base.bare.head = NULL;
		bare_put(&h.base.bare, objs[0]);
		bare_put(&h.base.bare, objs[1]);
		held[0] = kmalloc(h.base.size, M_TEMP, h.flags);
		held[1] = kmalloc(h.base.size, M_TEMP, ni.flags);
		if (held[0] == NULL || held[1] == NULL)
			die("kmalloc failed");
		measure(fn, 3, &h, t);
		tn = measure1(hot_kmalloc, &ni);
		tw = measure1(hot_kmalloc, &wo);
		printf("  %4zu  %7.2f  %6.2f  %6.2f  %6.2f  %6.2f  %11.2fx  "
		       "%12.2fx  %10.2fx  %10.2fx\n",
		       h.base.size, t[0], tn, tw, t[1], t[2], t[0] / t[1],
		       t[0] / t[2], tn / t[1], tw / t[1]);
		kfree(held[0]);
		kfree(held[1]);
	}
}

/* Every allocator lock's acquisitions and contended ones so far. */
static void print_locks(void)
{
	struct kmem_lock_stats locks[KMEM_NLOCKS];

	kmem_lock_stats(locks);
	printf("  locks:");
	for (int i = 0; i < KMEM_NLOCKS; i++)
		printf(" %s %llu (%llu contended)%s", locks[i].name,
		       (unsigned long long)locks[i].acquisitions,
		       (unsigned long long)locks[i].contended,
		       i + 1 < KMEM_NLOCKS ? "," : "\n");
}

int main(void)
{
	kmem_host_init(true);
	printf("Kiva kmalloc/kfree on the host (the real mm/kmem.c), ns per "
	       "pair; ratios < 1 mean kmalloc is faster\n\n");
	printf("(a) magazines on\n");
	bench_pairs();
	print_locks();
	/* Switching is safe with everything reclaimed (mm/kmem.h). */
	kmem_reclaim();
	if (!kmem_set_magazines("off"))
		die("kmem_set_magazines refused");
	printf("\n(b) magazines off (every call takes its allocator's "
	       "lock)\n");
	bench_pairs();
	print_locks();
	return 0;
}
