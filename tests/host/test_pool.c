/*
 * tests/host/test_pool.c - unit tests for the object pools (mm/pool.c).
 *
 * The test is the pools' owner: get() and put() do what an owner does,
 * giving a pool a page when pool_get() finds nothing free and taking back
 * the pages pool_put() hands over.  The pages come from a region made with
 * aligned_alloc(), through a page source that can be made to fail and that
 * counts what it gives and gets back.  Besides one test per contract of
 * mm/pool.h, a long random run over every
 * size class checks the pools against a model that records the owner of
 * every 16 bytes of the region, and fills each object with a pattern that
 * must be intact when the object is given back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm/pool.h"
#include "tests/host/test_rng.h"

#define NPAGES 1024	/* the region: 4 MiB */
#define NCLASSES 9	/* 16 to 4096 bytes */

/* A region of pages, a stack of the free ones, and what was asked. */
struct source {
	struct pool_records rs;
	struct pool_page records[NPAGES];
	char *region;
	void *free[NPAGES];
	size_t nfree;
	size_t nalloc, nreturned;	/* pages given to pools, and back */
	size_t nrefused;		/* pages asked for while failing */
	bool fail;			/* refuse every page */
};

/* A page for a pool, or NULL when the source fails or is empty. */
static void *source_take(struct source *s)
{
	if (s->fail || s->nfree == 0) {
		s->nrefused++;
		return NULL;
	}
	s->nalloc++;
	return s->free[--s->nfree];
}

/* A page a pool handed back. */
static void source_give(struct source *s, void *page)
{
	assert_true((char *)page >= s->region &&
	            (char *)page < s->region + NPAGES * PAGE_SIZE);
	assert_int_equal((uintptr_t)page % PAGE_SIZE, 0);
	s->nreturned++;
	s->free[s->nfree++] = page;
}

/*
 * What an owner does around pool_get(): when the pool has nothing free,
 * give it a page and ask again, which cannot fail.
 */
static void *get(struct source *s, struct pool *p)
{
	void *obj = pool_get(p), *page;

	if (obj != NULL)
		return obj;
	page = source_take(s);
	if (page == NULL)
		return NULL;
	pool_add_page(p, page);
	obj = pool_get(p);
	assert_non_null(obj);
	return obj;
}

/* ... and around pool_put(): a page the pool hands back is the owner's. */
static enum pool_error put(struct source *s, struct pool *p, void *obj)
{
	void *emptied = obj;	/* pool_put() must overwrite it */
	enum pool_error err = pool_put(p, obj, &emptied);

	if (err != POOL_OK)
		assert_null(emptied);
	if (emptied != NULL)
		source_give(s, emptied);
	return err;
}

static struct source *source_new(void)
{
	struct source *s = calloc(1, sizeof(*s));
	size_t i;

	assert_non_null(s);
	s->region = aligned_alloc(PAGE_SIZE, NPAGES * PAGE_SIZE);
	assert_non_null(s->region);
	/* Hand out pages from the bottom up. */
	for (i = 0; i < NPAGES; i++)
		s->free[i] = s->region + (NPAGES - 1 - i) * PAGE_SIZE;
	s->nfree = NPAGES;
	pool_records_init(&s->rs, (vaddr_t)s->region, NPAGES, s->records);
	return s;
}

static void source_free(struct source *s)
{
	free(s->region);
	free(s);
}

static struct pool_stats stats(const struct pool *pp)
{
	struct pool_stats st;

	pool_stats(pp, &st);
	return st;
}

/* The pool's statistics and the records must be what they were. */
struct snapshot {
	struct pool_stats st;
	struct pool_page records[NPAGES];
	size_t nsource;
};

static void snap(struct snapshot *sn, const struct pool *pp,
                 const struct source *s)
{
	pool_stats(pp, &sn->st);
	memcpy(sn->records, s->records, sizeof(sn->records));
	sn->nsource = s->nfree;
}

static void assert_unchanged(const struct snapshot *sn, const struct pool *pp,
                             const struct source *s)
{
	struct snapshot now;

	snap(&now, pp, s);
	assert_memory_equal(sn, &now, sizeof(now));
}

static void test_init_rejects_bad_sizes(void **state)
{
	struct source *s = source_new();
	struct pool p;

	(void)state;
	expect_assert_failure(pool_init(&p, "t", 0, &s->rs));
	expect_assert_failure(pool_init(&p, "t", 8, &s->rs));
	expect_assert_failure(pool_init(&p, "t", 24, &s->rs));
	expect_assert_failure(pool_init(&p, "t", 2 * PAGE_SIZE, &s->rs));
	pool_init(&p, "t", 16, &s->rs);
	pool_init(&p, "t", PAGE_SIZE, &s->rs);
	source_free(s);
}

/* Take n objects of pool p, checking where each one is. */
static void get_n(struct pool *p, struct source *s, void **obj, size_t n)
{
	size_t i, size = stats(p).ps_size;

	for (i = 0; i < n; i++) {
		obj[i] = get(s, p);
		assert_non_null(obj[i]);
		assert_true((char *)obj[i] >= s->region &&
		            (char *)obj[i] + size <=
		                s->region + NPAGES * PAGE_SIZE);
		assert_int_equal((uintptr_t)obj[i] % size, 0);
		assert_ptr_equal(pool_records_owner(&s->rs, obj[i]), p);
		/* Overlapping objects would spoil each other's pattern. */
		memset(obj[i], (int)i, size);
	}
}

static void put_n(struct pool *p, struct source *s, void **obj, size_t n)
{
	size_t i, j, size = stats(p).ps_size;

	for (i = 0; i < n; i++) {
		for (j = 0; j < size; j++)
			assert_int_equal(((unsigned char *)obj[i])[j],
			                 (unsigned char)i);
		assert_int_equal(put(s, p, obj[i]), POOL_OK);
	}
}

static void test_every_class(void **state)
{
	struct source *s = source_new();
	struct pool pools[NCLASSES], *p;
	void *obj[2 * 256 + 1];
	size_t n, nalloc;
	unsigned c;

	(void)state;
	for (c = 0; c < NCLASSES; c++) {
		p = &pools[c];
		pool_init(p, "t", (size_t)16 << c, &s->rs);
		n = 2 * (PAGE_SIZE >> (4 + c)) + 1;	/* over two pages */
		get_n(p, s, obj, n);
		assert_int_equal(stats(p).ps_inuse, n);
		assert_int_equal(stats(p).ps_npages, 3);
		assert_true(pool_check(p));
		put_n(p, s, obj, n);
		/* All free: two pages went back, one is kept. */
		assert_int_equal(stats(p).ps_inuse, 0);
		assert_int_equal(stats(p).ps_npages, 1);
		assert_int_equal(stats(p).ps_nget, n);
		assert_int_equal(stats(p).ps_nput, n);
		assert_true(pool_check(p));
		assert_int_equal(s->nfree, NPAGES - 1 - c);
		/* The kept page serves the next get without a new page. */
		nalloc = s->nalloc;
		obj[0] = get(s, p);
		assert_int_equal(s->nalloc, nalloc);
		assert_int_equal(put(s, p, obj[0]), POOL_OK);
	}
	source_free(s);
}

static void test_get_reuses_last_put(void **state)
{
	struct source *s = source_new();
	struct pool p;
	void *obj[3];

	(void)state;
	pool_init(&p, "t", 64, &s->rs);
	get_n(&p, s, obj, 3);
	assert_int_equal(put(s, &p, obj[1]), POOL_OK);
	assert_ptr_equal(get(s, &p), obj[1]);
	source_free(s);
}

static void test_get_fails_without_pages(void **state)
{
	struct source *s = source_new();
	struct snapshot *sn = malloc(sizeof(*sn));
	struct pool p;
	void *obj;

	(void)state;
	assert_non_null(sn);
	pool_init(&p, "t", 2048, &s->rs);
	s->fail = true;
	snap(sn, &p, s);
	assert_null(get(s, &p));
	assert_int_equal(stats(&p).ps_nmiss, 1);
	assert_int_equal(s->nrefused, 1);
	sn->st.ps_nmiss = 1;
	assert_unchanged(sn, &p, s);
	s->fail = false;
	obj = get(s, &p);
	assert_non_null(obj);
	assert_non_null(get(s, &p));
	/* The page is full: the next get needs a page, and fails. */
	s->fail = true;
	assert_null(get(s, &p));
	/* The misses: the first get, the one that took a page, this one. */
	assert_int_equal(stats(&p).ps_nmiss, 3);
	assert_int_equal(s->nrefused, 2);
	assert_int_equal(stats(&p).ps_inuse, 2);
	assert_true(pool_check(&p));
	/* A freed object is served without a page. */
	assert_int_equal(put(s, &p, obj), POOL_OK);
	assert_ptr_equal(get(s, &p), obj);
	free(sn);
	source_free(s);
}

/* A bad put must return its error and leave pool and records alone. */
static void expect_put_error(struct pool *p, struct source *s, void *obj,
                             enum pool_error err)
{
	struct snapshot *sn = malloc(sizeof(*sn));

	assert_non_null(sn);
	snap(sn, p, s);
	assert_int_equal(put(s, p, obj), err);
	assert_unchanged(sn, p, s);
	assert_true(pool_check(p));
	free(sn);
}

static void test_put_errors(void **state)
{
	struct source *s = source_new();
	struct pool p, other;
	char *a, *b, *c;
	int local;

	(void)state;
	pool_init(&p, "p", 128, &s->rs);
	pool_init(&other, "other", 128, &s->rs);
	a = get(s, &p);
	b = get(s, &p);
	c = get(s, &other);
	expect_put_error(&p, s, &local, POOL_NOT_OURS);
	expect_put_error(&p, s, s->region - PAGE_SIZE, POOL_NOT_OURS);
	expect_put_error(&p, s, s->region + NPAGES * PAGE_SIZE, POOL_NOT_OURS);
	expect_put_error(&p, s, s->region + 100 * PAGE_SIZE, POOL_NOT_OURS);
	expect_put_error(&p, s, c, POOL_NOT_OURS);
	expect_put_error(&p, s, NULL, POOL_NOT_OURS);
	expect_put_error(&p, s, a + 1, POOL_INTERIOR);
	expect_put_error(&p, s, a + 64, POOL_INTERIOR);
	expect_put_error(&p, s, b + 127, POOL_INTERIOR);
	/* b + 128 is on the page but was never given out. */
	expect_put_error(&p, s, b + 128, POOL_DOUBLE_FREE);
	assert_int_equal(put(s, &p, a), POOL_OK);
	expect_put_error(&p, s, a, POOL_DOUBLE_FREE);
	assert_int_equal(put(s, &p, b), POOL_OK);
	/* The page is empty and kept: still ours, everything free. */
	expect_put_error(&p, s, b, POOL_DOUBLE_FREE);
	assert_int_equal(put(s, &other, c), POOL_OK);
	source_free(s);
}

/* A live object may hold anything, even the magic of a free one. */
static void test_live_object_holding_the_magic(void **state)
{
	struct source *s = source_new();
	struct pool p;
	uintptr_t *a, *b;

	(void)state;
	pool_init(&p, "t", 16, &s->rs);
	a = get(s, &p);
	b = get(s, &p);
	assert_int_equal(put(s, &p, b), POOL_OK);
	a[0] = b[0];
	a[1] = b[1];	/* a free object's words */
	assert_int_equal(put(s, &p, a), POOL_OK);
	assert_int_equal(stats(&p).ps_inuse, 0);
	assert_true(pool_check(&p));
	/* pool_get() wipes the magic, or every put would walk the list. */
	assert_ptr_equal(get(s, &p), a);
	assert_int_not_equal(a[1], b[1]);
	source_free(s);
}

static void test_empty_pages_go_back(void **state)
{
	struct source *s = source_new();
	void *obj[4 * 64];
	struct pool p;
	size_t i;

	(void)state;
	pool_init(&p, "t", 64, &s->rs);
	get_n(&p, s, obj, 4 * 64);
	assert_int_equal(s->nalloc, 4);
	/* Free every other object: no page gets empty. */
	for (i = 0; i < 4 * 64; i += 2)
		assert_int_equal(put(s, &p, obj[i]), POOL_OK);
	assert_int_equal(s->nreturned, 0);
	assert_int_equal(stats(&p).ps_npages, 4);
	for (i = 1; i < 4 * 64; i += 2)
		assert_int_equal(put(s, &p, obj[i]), POOL_OK);
	assert_int_equal(s->nreturned, 3);
	assert_int_equal(stats(&p).ps_npages, 1);
	assert_true(pool_check(&p));
	source_free(s);
}

/* Use swinging across a page boundary must not get and free pages. */
static void test_kept_page_stops_thrashing(void **state)
{
	struct source *s = source_new();
	void *obj[65];
	struct pool p;
	size_t i;

	(void)state;
	pool_init(&p, "t", 64, &s->rs);
	get_n(&p, s, obj, 64);
	for (i = 0; i < 1000; i++) {
		obj[64] = get(s, &p);
		assert_int_equal(put(s, &p, obj[64]), POOL_OK);
	}
	assert_int_equal(s->nalloc, 2);
	assert_int_equal(s->nreturned, 0);
	assert_int_equal(stats(&p).ps_npages, 2);
	assert_true(pool_check(&p));
	source_free(s);
}

static void test_drain_gives_the_kept_page_back(void **state)
{
	struct source *s = source_new();
	struct pool p;
	void *obj, *page;

	(void)state;
	pool_init(&p, "t", 512, &s->rs);
	assert_null(pool_drain(&p));	/* nothing kept: nothing to do */
	assert_int_equal(s->nreturned, 0);
	obj = get(s, &p);
	assert_int_equal(put(s, &p, obj), POOL_OK);
	assert_int_equal(stats(&p).ps_npages, 1);
	page = pool_drain(&p);
	assert_ptr_equal(page, obj);	/* its first object starts it */
	source_give(s, page);
	assert_null(pool_drain(&p));
	assert_int_equal(stats(&p).ps_npages, 0);
	assert_int_equal(s->nreturned, 1);
	assert_int_equal(s->nfree, NPAGES);
	assert_null(pool_records_owner(&s->rs, obj));
	assert_true(pool_check(&p));
	/* The pool still works: it takes a new page. */
	assert_non_null(get(s, &p));
	assert_int_equal(s->nalloc, 2);
	source_free(s);
}

/* Without a free object or a kept page, pool_get() asks the owner. */
static void test_get_without_page_asks_the_owner(void **state)
{
	struct source *s = source_new();
	struct pool p;
	char *page, *obj;
	unsigned i;

	(void)state;
	pool_init(&p, "t", 256, &s->rs);
	assert_null(pool_get(&p));
	assert_int_equal(stats(&p).ps_nmiss, 1);
	assert_int_equal(stats(&p).ps_npages, 0);
	assert_true(pool_check(&p));

	page = source_take(s);
	pool_add_page(&p, page);
	assert_int_equal(stats(&p).ps_npages, 1);
	assert_ptr_equal(pool_records_owner(&s->rs, page), &p);
	assert_true(pool_check(&p));
	/* The page's objects, in address order, and then nothing. */
	for (i = 0; i < PAGE_SIZE / 256; i++) {
		obj = pool_get(&p);
		assert_ptr_equal(obj, page + i * 256);
	}
	assert_null(pool_get(&p));
	assert_int_equal(stats(&p).ps_nmiss, 2);
	assert_int_equal(stats(&p).ps_inuse, PAGE_SIZE / 256);
	assert_int_equal(s->nalloc, 1);
	assert_true(pool_check(&p));
	source_free(s);
}

/* The second page to empty is handed back; the first one is kept. */
static void test_put_hands_back_an_emptied_page(void **state)
{
	struct source *s = source_new();
	struct pool p, other;
	void *obj[8], *emptied;
	char *first, *second;
	size_t i;

	(void)state;
	pool_init(&p, "t", 1024, &s->rs);
	get_n(&p, s, obj, 8);	/* two pages of four */
	first = obj[0];
	second = obj[4];
	assert_int_equal((uintptr_t)second % PAGE_SIZE, 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(pool_put(&p, obj[i], &emptied), POOL_OK);
		assert_null(emptied);	/* the first empty page is kept */
	}
	assert_ptr_equal(pool_records_owner(&s->rs, first), &p);
	for (i = 4; i < 7; i++) {
		assert_int_equal(pool_put(&p, obj[i], &emptied), POOL_OK);
		assert_null(emptied);
	}
	assert_int_equal(pool_put(&p, obj[7], &emptied), POOL_OK);
	assert_ptr_equal(emptied, second);
	assert_null(pool_records_owner(&s->rs, second));
	assert_int_equal(stats(&p).ps_npages, 1);
	assert_true(pool_check(&p));
	/* A failed put says nothing about pages. */
	emptied = second;
	assert_int_equal(pool_put(&p, second, &emptied), POOL_NOT_OURS);
	assert_null(emptied);
	source_give(s, second);
	/* The page is the owner's again: it can go to another pool. */
	pool_init(&other, "other", 16, &s->rs);
	pool_add_page(&other, source_take(s));
	assert_ptr_equal(pool_records_owner(&s->rs, second), &other);
	assert_true(pool_check(&other));
	source_free(s);
}

/*
 * pool_add_page() takes only a page of the region that no pool holds, and
 * only when the pool has nothing free.
 */
static void test_add_page_rejects_bad_pages(void **state)
{
	struct source *s = source_new();
	struct pool p, other;
	char *page;

	(void)state;
	pool_init(&p, "t", 64, &s->rs);
	pool_init(&other, "other", 64, &s->rs);
	page = source_take(s);
	expect_assert_failure(pool_add_page(&p, page + 64));
	expect_assert_failure(pool_add_page(&p, s->region - PAGE_SIZE));
	expect_assert_failure(
	    pool_add_page(&p, s->region + NPAGES * PAGE_SIZE));
	pool_add_page(&p, page);
	expect_assert_failure(pool_add_page(&other, page));
	/* p has a free object (its new page): it must not be given another. */
	expect_assert_failure(pool_add_page(&p, source_take(s)));
	assert_int_equal(stats(&p).ps_npages, 1);
	assert_int_equal(stats(&other).ps_npages, 0);
	assert_true(pool_check(&p));
	assert_true(pool_check(&other));
	source_free(s);
}

static void test_records_owner(void **state)
{
	struct source *s = source_new();
	struct pool p;
	char *a;
	int local;

	(void)state;
	pool_init(&p, "t", 256, &s->rs);
	a = get(s, &p);
	assert_ptr_equal(pool_records_owner(&s->rs, a), &p);
	assert_ptr_equal(pool_records_owner(&s->rs, a + PAGE_SIZE - 1), &p);
	assert_null(pool_records_owner(&s->rs, a + PAGE_SIZE));
	assert_null(pool_records_owner(&s->rs, &local));
	assert_null(pool_records_owner(&s->rs, s->region - 1));
	assert_null(pool_records_owner(&s->rs, s->region + NPAGES * PAGE_SIZE));
	assert_null(pool_records_owner(&s->rs, NULL));
	source_free(s);
}

static void test_strerror(void **state)
{
	enum pool_error e, f;

	(void)state;
	for (e = POOL_OK; e <= POOL_DOUBLE_FREE; e++) {
		assert_non_null(pool_strerror(e));
		for (f = POOL_OK; f < e; f++)
			assert_string_not_equal(pool_strerror(e),
			                        pool_strerror(f));
	}
}

/* pool_check() must notice broken invariants, or it proves nothing. */
static void test_check_catches_corruption(void **state)
{
	struct source *s = source_new();
	struct pool_page *pg = &s->records[0];
	struct list saved_partial;
	struct pool p;
	void **a, *saved;

	(void)state;
	pool_init(&p, "t", 32, &s->rs);
	a = get(s, &p);
	get(s, &p);
	assert_true(pool_check(&p));
	pg->pg_nfree++;
	assert_false(pool_check(&p));
	pg->pg_nfree--;
	p.pr_nput++;
	assert_false(pool_check(&p));
	p.pr_nput--;
	p.pr_npages++;
	assert_false(pool_check(&p));
	p.pr_npages--;
	saved_partial = p.pr_partial;
	list_init(&p.pr_partial);
	assert_false(pool_check(&p));
	p.pr_partial = saved_partial;
	/* A free list that loops: the put of a puts it on the list twice. */
	saved = pg->pg_free;
	assert_int_equal(put(s, &p, a), POOL_OK);
	*a = a;
	assert_false(pool_check(&p));
	*a = saved;
	assert_true(pool_check(&p));
	s->records[1].pg_pool = &p;
	assert_false(pool_check(&p));
	s->records[1].pg_pool = NULL;
	assert_true(pool_check(&p));
	source_free(s);
}

#define RANDOM_OPS 400000
#define MAXLIVE 16384	/* more than the region holds */
#define GRAIN 16	/* the model's unit: the smallest class */

struct live {
	unsigned char *obj;
	unsigned class;
	uint32_t id;
};

/* Each of the object's grains must have owner id; set them to set. */
static void model_mark(uint32_t *owner, const struct source *s,
                       const struct live *l, size_t size, uint32_t id,
                       uint32_t set)
{
	size_t g = (size_t)(l->obj - (unsigned char *)s->region) / GRAIN, i;

	for (i = g; i < g + size / GRAIN; i++) {
		assert_int_equal(owner[i], id);
		owner[i] = set;
	}
}

/* A class, smaller ones more often, as kmem_map sees them. */
static unsigned random_class(void)
{
	unsigned c = rng_below(NCLASSES * (NCLASSES + 1) / 2), k = NCLASSES;

	while (c >= k)
		c -= k--;
	return NCLASSES - k;
}

static void test_random_against_model(void **state)
{
	struct source *s = source_new();
	struct pool pools[NCLASSES];
	uint32_t *owner = calloc(NPAGES * PAGE_SIZE / GRAIN, sizeof(*owner));
	struct live *live = calloc(MAXLIVE, sizeof(*live)), *l;
	unsigned char pattern[PAGE_SIZE];
	size_t nlive = 0, op, j, size, fails = 0, held;
	unsigned c;

	(void)state;
	rng_seed(0x2545f4914f6cdd1dULL);	/* the same run every time */
	assert_non_null(owner);
	assert_non_null(live);
	for (c = 0; c < NCLASSES; c++)
		pool_init(&pools[c], "t", (size_t)GRAIN << c, &s->rs);
	for (op = 0; op < RANDOM_OPS; op++) {
		/* Drift between nearly empty and out of pages. */
		if (nlive == 0 ||
		    (nlive < MAXLIVE &&
		     rng_below(1000) < ((op / 40000) % 2 ? 700 : 300))) {
			l = &live[nlive];
			l->class = random_class();
			l->id = (uint32_t)op + 1;
			s->fail = rng_below(64) == 0;
			l->obj = get(s, &pools[l->class]);
			s->fail = false;
			if (l->obj == NULL) {
				fails++;
				continue;
			}
			size = (size_t)GRAIN << l->class;
			assert_true(l->obj >= (unsigned char *)s->region &&
			            l->obj + size <=
			                (unsigned char *)s->region +
			                    NPAGES * PAGE_SIZE);
			assert_int_equal((uintptr_t)l->obj % size, 0);
			model_mark(owner, s, l, size, 0, l->id);
			memset(l->obj, (int)(l->id & 0xff), size);
			nlive++;
		} else {
			j = rng_below(nlive);
			l = &live[j];
			size = (size_t)GRAIN << l->class;
			memset(pattern, (int)(l->id & 0xff), size);
			assert_memory_equal(l->obj, pattern, size);
			if (rng_below(16) == 0 && size > GRAIN)
				assert_int_equal(
				    put(s, &pools[l->class], l->obj + GRAIN),
				    POOL_INTERIOR);
			assert_ptr_equal(pool_records_owner(&s->rs, l->obj),
			                 &pools[l->class]);
			assert_int_equal(put(s, &pools[l->class], l->obj),
			                 POOL_OK);
			/* Still held: the page is kept or partly in use. */
			if (rng_below(16) == 0 &&
			    pool_records_owner(&s->rs, l->obj) != NULL)
				assert_int_equal(
				    put(s, &pools[l->class], l->obj),
				    POOL_DOUBLE_FREE);
			model_mark(owner, s, l, size, l->id, 0);
			*l = live[--nlive];
		}
		if (op % 20000 == 0) {
			for (c = 0; c < NCLASSES; c++)
				assert_true(pool_check(&pools[c]));
		}
	}
	assert_true(fails > 1000);	/* the run did reach out of pages */
	while (nlive > 0) {
		l = &live[--nlive];
		assert_int_equal(put(s, &pools[l->class], l->obj), POOL_OK);
	}
	/* Each pool keeps at most one page; all the others came back. */
	held = 0;
	for (c = 0; c < NCLASSES; c++) {
		assert_true(pool_check(&pools[c]));
		assert_int_equal(stats(&pools[c]).ps_inuse, 0);
		assert_true(stats(&pools[c]).ps_npages <= 1);
		held += stats(&pools[c]).ps_npages;
	}
	assert_int_equal(s->nfree + held, NPAGES);
	free(live);
	free(owner);
	source_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_rejects_bad_sizes),
		cmocka_unit_test(test_every_class),
		cmocka_unit_test(test_get_reuses_last_put),
		cmocka_unit_test(test_get_fails_without_pages),
		cmocka_unit_test(test_put_errors),
		cmocka_unit_test(test_live_object_holding_the_magic),
		cmocka_unit_test(test_empty_pages_go_back),
		cmocka_unit_test(test_kept_page_stops_thrashing),
		cmocka_unit_test(test_drain_gives_the_kept_page_back),
		cmocka_unit_test(test_get_without_page_asks_the_owner),
		cmocka_unit_test(test_put_hands_back_an_emptied_page),
		cmocka_unit_test(test_add_page_rejects_bad_pages),
		cmocka_unit_test(test_records_owner),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_check_catches_corruption),
		cmocka_unit_test(test_random_against_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
