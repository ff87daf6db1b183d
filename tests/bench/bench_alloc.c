/*
 * tests/bench/bench_alloc.c - how fast are the pools and the vmem arena?
 *
 * Not a test: it prints timings and ratios, and fails only if something
 * breaks.  Build and run it on the host, from the top of the tree:
 *
 *   cc -std=gnu11 -O2 -g -Wall -Wextra -I. -o build/bench/bench_alloc \
 *       tests/bench/bench_alloc.c tests/bench/bench_measure.c \
 *       tests/bench/bench_support.c mm/pool.c mm/vmem.c
 *   build/bench/bench_alloc
 *
 * (tests/bench/bench.mk has that rule.)  Every figure is a ratio against a
 * baseline measured in the same process, so the machine's speed cancels
 * out:
 *
 *  (a) a get/put pair on one pool, for each class 16..2048, against
 *      glibc malloc/free of the same size and against a bare intrusive
 *      free list (pop, push).  The pool holds one other object, as a pool
 *      in use does.  All three are calls into functions the compiler
 *      cannot inline (the pools and the bare list are in other files or
 *      noinline), so the ratios compare the work, not the calling.
 *  (b) random sizes of 16..2048 bytes (log-uniform) with 1,000 and 100,000
 *      objects live: each step frees a random live object and allocates a
 *      new one in its place.  The pool side does what a kmalloc()/kfree()
 *      glue would: pick the class from the size, find the pool from the
 *      address, add a page when a pool has nothing free and take back the
 *      pages a pool hands over.  Against glibc.
 *  (c) vmem_free + vmem_alloc of 1..16 pages with 10, 1,000 and 100,000
 *      allocations live, as a random replacement and as a hot pair (alloc
 *      then free), against the 10-live case; each allocation first asks
 *      vmem_wants_tags(), as an owner does.  The arena's work is the
 *      same in all cases (tests/host/test_vmem.c counts it), but a random
 *      replacement among 100,000 allocations finds its tags and index
 *      slots in no cache; so (c) also measures a load that misses every
 *      cache, and says how many such loads the replacement costs.
 *
 * Each figure runs for at least 50 ms and is the best of 5 runs; a figure
 * and its baseline take turns.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/pool.h"
#include "tests/bench/bench_measure.h"
#include "mm/vmem.h"
#include "tests/host/test_rng.h"

static void die(const char *what)
{
	fprintf(stderr, "bench_alloc: %s\n", what);
	exit(1);
}

/* ------------------------------------------------------------ page source */

#define REGION_PAGES 32768	/* 128 MiB of pages for the pools */

static struct pool_page records[REGION_PAGES];
static struct pool_records rs;
static char *region;
static void *free_pages[REGION_PAGES];
static size_t nfree_pages;

static void *page_alloc(void)
{
	return nfree_pages > 0 ? free_pages[--nfree_pages] : NULL;
}

static void page_free(void *page)
{
	free_pages[nfree_pages++] = page;
}

/* What an owner does around pool_get(): a page when the pool has none. */
static void *pool_get_or_add(struct pool *pp)
{
	void *obj = pool_get(pp), *page;

	if (obj != NULL)
		return obj;
	if ((page = page_alloc()) == NULL)
		return NULL;
	pool_add_page(pp, page);
	return pool_get(pp);
}

/* ... and around pool_put(): the pages the pool hands back. */
static enum pool_error pool_put_and_free(struct pool *pp, void *obj)
{
	void *emptied;
	enum pool_error err = pool_put(pp, obj, &emptied);

	if (emptied != NULL)
		page_free(emptied);
	return err;
}

static void region_init(void)
{
	size_t i;

	region = aligned_alloc(PAGE_SIZE, (size_t)REGION_PAGES * PAGE_SIZE);
	if (region == NULL)
		die("no memory for the region");
	for (i = 0; i < REGION_PAGES; i++)
		free_pages[i] = region + (REGION_PAGES - 1 - i) * PAGE_SIZE;
	nfree_pages = REGION_PAGES;
	pool_records_init(&rs, (vaddr_t)region, REGION_PAGES, records);
}

/* ------------------------------------------------------ (a) hot pairs */

struct hot {
	struct hot_baselines base;	/* first: hot_bare() and hot_malloc() */
	struct pool pool;
};

static void hot_pool(void *ctx, size_t n)
{
	struct hot *h = ctx;
	void *p, *emptied;

	while (n-- > 0) {
		p = pool_get(&h->pool);
		KEEP(p);
		if (pool_put(&h->pool, p, &emptied) != POOL_OK ||
		    emptied != NULL)
			die("pool_put failed");
	}
}

static void bench_hot(void)
{
	static struct hot hots[8];
	static void *objs[4][2048 / sizeof(void *)];
	static bench_fn *const fn[] = { hot_pool, hot_bare, hot_malloc };
	struct hot *h;
	double t[3];
	size_t i;

	printf("(a) hot get/put pair, ns per pair\n");
	printf("  size    pool    bare   glibc  pool/bare  pool/glibc\n");
	for (h = hots; h < hots + 8; h++) {
		h->base.size = (size_t)16 << (h - hots);
		pool_init(&h->pool, "hot", h->base.size, &rs);
		/* The one object held. */
		if (pool_get_or_add(&h->pool) == NULL)
			die("no page");
		for (i = 0; i < 4; i++)
			bare_put(&h->base.bare, objs[i]);
		measure(fn, 3, h, t);
		printf("  %4zu  %6.2f  %6.2f  %6.2f  %8.2fx  %9.2fx\n", h->base.size,
		       t[0], t[1], t[2], t[0] / t[1], t[0] / t[2]);
	}
}

/* ------------------------------------------------------ (b) random mixes */

#define NCLASSES 8	/* 16..2048 */
#define MIX_STEPS (1u << 20)

struct mix {
	struct pool pools[NCLASSES];
	void **slot;	/* the live objects */
	size_t nslot;
	uint32_t *victim;	/* per step: which slot to replace */
	uint32_t *size;		/* per step: the new object's size */
	size_t step;
};

/* The class of a size: 16 << class is the smallest that holds it. */
static unsigned size_class(size_t size)
{
	return size <= 16
	           ? 0
	           : (unsigned)(sizeof(long) * 8 - __builtin_clzl(size - 1)) -
	                 4;
}

static void *kmalloc(struct mix *m, size_t size)
{
	return pool_get_or_add(&m->pools[size_class(size)]);
}

static void kfree(void *p)
{
	if (pool_put_and_free(pool_records_owner(&rs, p), p) != POOL_OK)
		die("pool_put failed");
}

static void mix_pool(void *ctx, size_t n)
{
	struct mix *m = ctx;
	size_t i;

	while (n-- > 0) {
		i = m->step++ % MIX_STEPS;
		kfree(m->slot[m->victim[i]]);
		m->slot[m->victim[i]] = kmalloc(m, m->size[i]);
		KEEP(m->slot[m->victim[i]]);
	}
}

static void mix_malloc(void *ctx, size_t n)
{
	struct mix *m = ctx;
	size_t i;

	while (n-- > 0) {
		i = m->step++ % MIX_STEPS;
		free(m->slot[m->victim[i]]);
		m->slot[m->victim[i]] = malloc(m->size[i]);
		KEEP(m->slot[m->victim[i]]);
	}
}

/* 16..2048 bytes: a class at random, then a size in it. */
static uint32_t random_size(void)
{
	uint32_t top = 16u << rng_below(NCLASSES);

	return top == 16 ? 1 + rng_below(16) : top / 2 + 1 + rng_below(top / 2);
}

static void mix_fill(struct mix *m, void *(*alloc)(struct mix *, size_t))
{
	size_t i;

	for (i = 0; i < m->nslot; i++) {
		m->slot[i] = alloc(m, random_size());
		if (m->slot[i] == NULL)
			die("out of memory filling the mix");
	}
	m->step = 0;
}

static void *libc_alloc(struct mix *m, size_t size)
{
	(void)m;
	return malloc(size);
}

static void bench_mix(size_t nlive)
{
	struct mix m;
	double tp, tm;
	void *page;
	unsigned c;
	size_t i;

	m.nslot = nlive;
	m.slot = calloc(nlive, sizeof(*m.slot));
	m.victim = calloc(MIX_STEPS, sizeof(*m.victim));
	m.size = calloc(MIX_STEPS, sizeof(*m.size));
	if (m.slot == NULL || m.victim == NULL || m.size == NULL)
		die("no memory for the mix");
	for (i = 0; i < MIX_STEPS; i++) {
		m.victim[i] = rng_below(nlive);
		m.size[i] = random_size();
	}
	for (c = 0; c < NCLASSES; c++)
		pool_init(&m.pools[c], "mix", (size_t)16 << c, &rs);
	mix_fill(&m, kmalloc);
	tp = measure1(mix_pool, &m);
	for (i = 0; i < nlive; i++)
		kfree(m.slot[i]);
	for (c = 0; c < NCLASSES; c++) {
		if ((page = pool_drain(&m.pools[c])) != NULL)
			page_free(page);
		if (!pool_check(&m.pools[c]) || m.pools[c].pr_npages != 0)
			die("pool_check failed");
	}
	mix_fill(&m, libc_alloc);
	tm = measure1(mix_malloc, &m);
	for (i = 0; i < nlive; i++)
		free(m.slot[i]);
	printf("  %7zu  %6.2f  %6.2f  %9.2fx\n", nlive, tp, tm, tp / tm);
	free(m.slot);
	free(m.victim);
	free(m.size);
}

/* ------------------------------------------------------------- (c) vmem */

#define ARENA_QUANTA (1u << 22)	/* 16 GiB of made-up addresses */
#define ARENA_BASE ((vaddr_t)1 << 40)
#define VM_STEPS (1u << 20)

struct vbench {
	struct vmem vm;
	vaddr_t *live;
	size_t nlive;
	uint32_t *victim;
	uint32_t *quanta;
	size_t step;
};

static void *tag_pages[4096];
static size_t ntag_pages;

static void *tag_page(void)
{
	if (ntag_pages == 4096)
		return NULL;
	tag_pages[ntag_pages] = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	return tag_pages[ntag_pages++];
}

/* What an owner does before an allocation: tags, if the arena wants. */
static vaddr_t vm_alloc(struct vmem *vm, size_t size)
{
	void *page;

	if (vmem_wants_tags(vm) && (page = tag_page()) != NULL)
		vmem_add_tags(vm, page);
	return vmem_alloc(vm, size);
}

static void vm_replace(void *ctx, size_t n)
{
	struct vbench *v = ctx;
	size_t i;
	vaddr_t *slot;

	while (n-- > 0) {
		i = v->step++ % VM_STEPS;
		slot = &v->live[v->victim[i] % v->nlive];
		if (vmem_free(&v->vm, *slot, NULL) != VMEM_OK)
			die("vmem_free failed");
		*slot = vm_alloc(&v->vm, v->quanta[i] * PAGE_SIZE);
		if (*slot == VMEM_FAIL)
			die("vmem_alloc failed");
	}
}

static void vm_pair(void *ctx, size_t n)
{
	struct vbench *v = ctx;
	vaddr_t a;

	while (n-- > 0) {
		a = vm_alloc(&v->vm,
		             v->quanta[v->step++ % VM_STEPS] * PAGE_SIZE);
		if (a == VMEM_FAIL || vmem_free(&v->vm, a, NULL) != VMEM_OK)
			die("vmem alloc/free failed");
	}
}

/* Set up an arena with nlive random allocations, and their holes. */
static void vm_setup(struct vbench *v, struct vmem_btag **index, size_t nlive)
{
	size_t i;

	if (vmem_init(&v->vm, "bench", ARENA_BASE,
	              (size_t)ARENA_QUANTA * PAGE_SIZE, PAGE_SIZE, index,
	              tag_page()) != VMEM_OK)
		die("vmem_init failed");
	v->nlive = nlive;
	for (i = 0; i < nlive; i++)
		v->live[i] = vm_alloc(&v->vm, (1 + rng_below(16)) * PAGE_SIZE);
	/* Churn, so that the live set is scattered among free holes. */
	v->step = 0;
	vm_replace(v, 4 * nlive);
	v->step = 0;
}

static void vm_teardown(void)
{
	while (ntag_pages > 0)
		free(tag_pages[--ntag_pages]);
}

/*
 * A load that misses every cache: follow a random cycle of pointers through
 * 64 MiB, so that each load depends on the one before.
 */
#define CHASE_BYTES (64u << 20)

static void chase(void *ctx, size_t n)
{
	void **p = *(void ***)ctx;

	while (n-- > 0)
		p = *p;
	*(void ***)ctx = p;
}

static double miss_ns(void)
{
	size_t n = CHASE_BYTES / sizeof(void *), i, j;
	void **a = malloc(CHASE_BYTES), **p, *t;
	double ns;

	if (a == NULL)
		die("no memory for the chase");
	/* Sattolo's shuffle of the identity: one cycle through every slot. */
	for (i = 0; i < n; i++)
		a[i] = &a[i];
	for (i = n - 1; i > 0; i--) {
		j = rng_below(i);
		t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
	p = a;
	ns = measure1(chase, &p);
	KEEP(p);
	free(a);
	return ns;
}

static void bench_vmem(void)
{
	static const size_t nlive[] = { 10, 1000, 100000 };
	struct vmem_btag **index = malloc(ARENA_QUANTA * sizeof(*index));
	struct vbench v;
	double trep[3], tpair[3], miss;
	struct vmem_stats st;
	size_t i;

	v.live = calloc(100000, sizeof(*v.live));
	v.victim = calloc(VM_STEPS, sizeof(*v.victim));
	v.quanta = calloc(VM_STEPS, sizeof(*v.quanta));
	if (index == NULL || v.live == NULL || v.victim == NULL ||
	    v.quanta == NULL)
		die("no memory for the vmem bench");
	for (i = 0; i < VM_STEPS; i++) {
		v.victim[i] = rng_next();
		v.quanta[i] = 1 + rng_below(16);
	}
	printf("(c) vmem, ns per free + alloc of 1..16 pages\n");
	printf("     live  replace  ratio     pair  ratio  free segs\n");
	for (i = 0; i < 3; i++) {
		vm_setup(&v, index, nlive[i]);
		trep[i] = measure1(vm_replace, &v);
		tpair[i] = measure1(vm_pair, &v);
		if (!vmem_check(&v.vm))
			die("vmem_check failed");
		vmem_stats(&v.vm, &st);
		printf("  %7zu  %7.2f  %4.2fx  %7.2f  %4.2fx  %9zu\n", nlive[i],
		       trep[i], trep[i] / trep[0], tpair[i],
		       tpair[i] / tpair[0], st.vs_nfree);
		vm_teardown();
	}
	miss = miss_ns();
	printf("  a load that misses every cache: %.2f ns; the 100,000-live "
	       "replace costs %.1f\n",
	       miss, trep[2] / miss);
	free(index);
	free(v.live);
	free(v.victim);
	free(v.quanta);
}

int main(void)
{
	rng_seed(0x853c49e6748fea9bULL);	/* the same work every run */
	region_init();
	printf("Kiva allocator benchmark; ratios < 1 mean the first is "
	       "faster\n\n");
	bench_hot();
	printf("\n(b) random sizes 16..2048 B, ns per free + alloc\n");
	printf("     live    pool   glibc  pool/glibc\n");
	bench_mix(1000);
	bench_mix(100000);
	printf("\n");
	bench_vmem();
	free(region);
	return 0;
}
