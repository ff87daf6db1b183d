/*
 * tests/bench/bench_measure.c - timing and the bare free list
 * (tests/bench/bench_measure.h).
 */
#include <stdlib.h>
#include <time.h>

#include "kernel/lib/kassert.h"
#include "tests/bench/bench_measure.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Run fn for n steps; return the nanoseconds it took. */
static double run(bench_fn *fn, void *ctx, size_t n)
{
	double t = now_ns();

	fn(ctx, n);
	return now_ns() - t;
}

void measure(bench_fn *const fn[], size_t k, void *ctx, double *ns)
{
	size_t n[MEASURE_MAX], i;
	double t;
	int r;

	KASSERT(k <= MEASURE_MAX);
	for (i = 0; i < k; i++) {
		for (n[i] = 1024; run(fn[i], ctx, n[i]) < MIN_NS; n[i] *= 2)
			continue;
		ns[i] = 1e300;
	}
	for (r = 0; r < RUNS; r++) {
		for (i = 0; i < k; i++) {
			t = run(fn[i], ctx, n[i]) / n[i];
			if (t < ns[i])
				ns[i] = t;
		}
	}
}

double measure1(bench_fn *fn, void *ctx)
{
	double ns;

	measure(&fn, 1, ctx, &ns);
	return ns;
}

__attribute__((noinline)) void *bare_get(struct bare *b)
{
	void **obj = b->head;

	b->head = *obj;
	return obj;
}

__attribute__((noinline)) void bare_put(struct bare *b, void *obj)
{
	*(void **)obj = b->head;
	b->head = obj;
}

void hot_bare(void *ctx, size_t n)
{
	struct hot_baselines *h = ctx;
	void *p;

	while (n-- > 0) {
		p = bare_get(&h->bare);
		KEEP(p);
		bare_put(&h->bare, p);
	}
}

void hot_malloc(void *ctx, size_t n)
{
	struct hot_baselines *h = ctx;
	void *p;

	while (n-- > 0) {
		p = malloc(h->size);
		KEEP(p);
		free(p);
	}
}
