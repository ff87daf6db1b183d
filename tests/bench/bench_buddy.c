/*
 * tests/bench/bench_buddy.c - the buddy allocator's cost per page block.
 *
 * Not a test: it prints timings and ratios (tests/bench/bench.mk builds
 * it, `make bench` runs it).  A zone of 256 MiB worth of frames, half of
 * them allocated in random orders first so the free lists look like a
 * running kernel's; then, per figure, an alloc/free pair of order 0 and of
 * order 3, against a baseline in the same process: popping and pushing a
 * frame number on a bare array stack (the least any frame allocator can
 * do).  The order-3 pair splits and re-merges blocks, which is the buddy
 * system's price for coalescing.  Best of 5 runs of at least 50 ms each.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mm/buddy.h"

#define NFRAMES (256u * 1024 * 1024 / PAGE_SIZE)

static struct page frames[NFRAMES];
static struct buddy_zone zone;
static pfn_t stack[NFRAMES];
static size_t stack_top;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static __attribute__((noinline)) pfn_t bare_pop(void)
{
	return stack[--stack_top];
}

static __attribute__((noinline)) void bare_push(pfn_t pfn)
{
	stack[stack_top++] = pfn;
}

static double time_bare(unsigned long iters)
{
	double t0 = now();
	for (unsigned long i = 0; i < iters; i++)
		bare_push(bare_pop());
	return (now() - t0) / iters * 1e9;
}

static double time_buddy(unsigned order, unsigned long iters)
{
	double t0 = now();
	for (unsigned long i = 0; i < iters; i++) {
		struct page *p = buddy_alloc(&zone, order);
		if (p == NULL || buddy_free(&zone, p, order) != BUDDY_OK)
			abort();
	}
	return (now() - t0) / iters * 1e9;
}

/* Best of 5, each run long enough to measure (>= 50 ms). */
static double best(double (*fn)(unsigned, unsigned long), unsigned order)
{
	unsigned long iters = 1000;
	double b = 1e30;

	while (fn(order, iters) * iters < 50e6)
		iters *= 2;
	for (int i = 0; i < 5; i++) {
		double t = fn(order, iters);
		b = t < b ? t : b;
	}
	return b;
}

static double bare_adapter(unsigned order, unsigned long iters)
{
	(void)order;
	return time_bare(iters);
}

int main(void)
{
	srand(1);
	buddy_zone_init(&zone, "bench", 0, frames, 0, NFRAMES);
	buddy_free_range(&zone, 0, NFRAMES);
	/* Age the zone: allocate about half of it in random orders. */
	while (zone.free_pages > NFRAMES / 2)
		buddy_alloc(&zone, (unsigned)(rand() % 4));
	for (pfn_t i = 0; i < 1024; i++)
		stack[stack_top++] = i;

	double bare = best(bare_adapter, 0);
	double o0 = best(time_buddy, 0);
	double o3 = best(time_buddy, 3);
	printf("page frames: alloc/free pair, ns (zone of %u frames, "
	       "half in use)\n", NFRAMES);
	printf("  bare stack pop/push   %7.2f  1.00x\n", bare);
	printf("  buddy order 0         %7.2f  %.2fx\n", o0, o0 / bare);
	printf("  buddy order 3         %7.2f  %.2fx\n", o3, o3 / bare);
	return buddy_check(&zone) ? 0 : 1;
}
