/*
 * tests/bench/bench_measure.h - what every host benchmark measures with:
 * timing a step function against a baseline in the same process, and the
 * baseline of the allocation benchmarks, a bare free list.
 */
#ifndef KIVA_TESTS_BENCH_BENCH_MEASURE_H
#define KIVA_TESTS_BENCH_BENCH_MEASURE_H

#include <stddef.h>

/* Keep the compiler from dropping work whose result nobody reads. */
#define KEEP(p) __asm__ volatile("" : : "r"(p) : "memory")

#define MIN_NS 50000000.0	/* 50 ms */
#define RUNS 5
#define MEASURE_MAX 4	/* benchmarks measure() takes at once */

/* A benchmark: run n steps on ctx. */
typedef void bench_fn(void *ctx, size_t n);

/*
 * Nanoseconds per step of each of the k (at most MEASURE_MAX) benchmarks
 * fn[] on ctx.  Each gets a step count that lasts MIN_NS; then RUNS
 * rounds run them in turn and each keeps its best time, so that noise
 * hits a figure and its baseline alike.
 */
void measure(bench_fn *const fn[], size_t k, void *ctx, double *ns);

/* Nanoseconds per step of one benchmark. */
double measure1(bench_fn *fn, void *ctx);

/*
 * The baseline: a free list and nothing else, behind calls the compiler
 * cannot inline, as the allocators' are.
 */
struct bare {
	void *head;
};
void *bare_get(struct bare *b);
void bare_put(struct bare *b, void *obj);

/*
 * The two baselines of a hot pair, as bench_fns: a get and put on the
 * bare free list, and glibc's malloc and free of the same size.  Their
 * ctx is a benchmark's own struct, which starts with this one.
 */
struct hot_baselines {
	struct bare bare;
	size_t size;	/* for malloc() */
};
void hot_bare(void *ctx, size_t n);
void hot_malloc(void *ctx, size_t n);

#endif
