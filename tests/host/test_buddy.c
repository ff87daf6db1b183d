/*
 * tests/host/test_buddy.c - unit tests for mm/buddy.c.
 *
 * Unit cases for splitting, merging, zone bounds, exhaustion and every
 * error code, then a random test of 1,000,000 allocations and frees
 * against a model that records the owner of every frame.  The model also
 * counts, for each order, the aligned blocks whose frames are all free:
 * a fully merged buddy allocator fails a request exactly when there is no
 * such block, so every NULL (and every success) is checked against it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/lib/types.h"
#include "mm/buddy.h"
#include "tests/host/test_rng.h"

#define NFRAMES 8192

static struct page frames[NFRAMES];
static struct buddy_zone zone;

static struct page *pg(pfn_t pfn)
{
	return pfn_to_page(frames, pfn);
}

static pfn_t pfn_of(const struct page *p)
{
	return page_to_pfn(frames, p);
}

/* A fresh zone [start, end) with all of its frames handed over. */
static void setup_zone(pfn_t start, pfn_t end)
{
	memset(frames, 0, sizeof(frames));
	buddy_zone_init(&zone, "test", 0, frames, start, end);
	buddy_free_range(&zone, start, end);
}

static void assert_free_counts(const struct buddy_zone *z,
                               const uint32_t want[BUDDY_NR_ORDERS])
{
	unsigned k;

	for (k = 0; k < BUDDY_NR_ORDERS; k++)
		assert_int_equal(buddy_nr_free(z, k), want[k]);
	assert_true(buddy_check(z));
}

static void test_page_is_12_bytes(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct page), 12);
}

static void test_pfn_helpers(void **state)
{
	(void)state;
	assert_ptr_equal(pg(0), &frames[0]);
	assert_ptr_equal(pg(4321), &frames[4321]);
	assert_int_equal(pfn_of(&frames[4321]), 4321);
}

static void test_zone_init_reserves(void **state)
{
	pfn_t pfn;

	(void)state;
	memset(frames, 0xff, sizeof(frames));
	buddy_zone_init(&zone, "normal", 3, frames, 16, 80);
	for (pfn = 16; pfn < 80; pfn++) {
		assert_int_equal(frames[pfn].flags, PG_RESERVED);
		assert_int_equal(frames[pfn].zone, 3);
		assert_int_equal(frames[pfn].spare, 0);
	}
	assert_int_equal(frames[15].flags, 0xff);	/* not the zone's */
	assert_int_equal(frames[80].flags, 0xff);
	assert_int_equal(zone.free_pages, 0);
	assert_int_equal(zone.managed_pages, 0);
	assert_null(buddy_alloc(&zone, 0));
	assert_true(buddy_check(&zone));
}

/* [3, 21) becomes the largest aligned blocks: 3, 4-7, 8-15, 16-19, 20. */
static void test_free_range_maximal_blocks(void **state)
{
	static const uint32_t want[BUDDY_NR_ORDERS] = { 2, 0, 2, 1 };

	(void)state;
	memset(frames, 0, sizeof(frames));
	buddy_zone_init(&zone, "test", 0, frames, 0, 64);
	buddy_free_range(&zone, 3, 21);
	assert_free_counts(&zone, want);
	assert_int_equal(zone.free_pages, 18);
	assert_int_equal(zone.managed_pages, 18);
	assert_int_equal(frames[2].flags, PG_RESERVED);
	assert_int_equal(frames[21].flags, PG_RESERVED);
}

/* Ranges given one after the other merge as if given at once. */
static void test_free_range_joins_calls(void **state)
{
	static const uint32_t want[BUDDY_NR_ORDERS] = { [3] = 1 };

	(void)state;
	memset(frames, 0, sizeof(frames));
	buddy_zone_init(&zone, "test", 0, frames, 0, 8);
	buddy_free_range(&zone, 5, 8);
	buddy_free_range(&zone, 0, 5);
	assert_free_counts(&zone, want);
}

static void test_free_range_max_order(void **state)
{
	static const uint32_t want[BUDDY_NR_ORDERS] = { [10] = 4 };

	(void)state;
	setup_zone(0, 4096);
	assert_free_counts(&zone, want);
}

static void test_free_range_twice_asserts(void **state)
{
	(void)state;
	setup_zone(0, 64);
	expect_assert_failure(buddy_free_range(&zone, 8, 16));
}

/* One order 0 request splits an order 10 block all the way down. */
static void test_split(void **state)
{
	static const uint32_t want[BUDDY_NR_ORDERS] = {
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	};
	struct page *p;

	(void)state;
	setup_zone(1024, 2048);
	p = buddy_alloc(&zone, 0);
	assert_non_null(p);
	assert_int_equal(pfn_of(p), 1024);
	assert_int_equal(p->flags, PG_ALLOCATED);
	assert_int_equal(p->order, 0);
	assert_free_counts(&zone, want);
	assert_int_equal(zone.free_pages, 1023);
	assert_int_equal(zone.nsplit, 10);
	/* The upper halves are the free blocks: 1025, 1026, 1028, ... */
	assert_int_equal(zone.free_head[0], 1025);
	assert_int_equal(zone.free_head[9], 1536);
}

static void test_coalesce(void **state)
{
	static const uint32_t want[BUDDY_NR_ORDERS] = { [10] = 1 };
	struct page *p;

	(void)state;
	setup_zone(1024, 2048);
	p = buddy_alloc(&zone, 0);
	assert_int_equal(buddy_free(&zone, p, 0), BUDDY_OK);
	assert_free_counts(&zone, want);
	assert_int_equal(zone.nmerge, 10);
	assert_int_equal(zone.free_pages, 1024);
	assert_int_equal(zone.nalloc, 1);
	assert_int_equal(zone.nfree, 1);
}

/* Freed in any order, the four quarters of a block merge back. */
static void test_coalesce_any_order(void **state)
{
	static const uint32_t want[BUDDY_NR_ORDERS] = { [2] = 1 };
	static const unsigned order_of_free[] = { 2, 0, 3, 1 };
	struct page *p[4];
	size_t i;

	(void)state;
	setup_zone(0, 4);
	for (i = 0; i < 4; i++) {
		p[i] = buddy_alloc(&zone, 0);
		assert_non_null(p[i]);
	}
	assert_null(buddy_alloc(&zone, 0));
	for (i = 0; i < 4; i++) {
		assert_int_equal(buddy_free(&zone, p[order_of_free[i]], 0),
		                 BUDDY_OK);
		assert_true(buddy_check(&zone));
	}
	assert_free_counts(&zone, want);
}

/* An unaligned zone: blocks stay inside it, the edges stay small. */
static void test_zone_bounds_unaligned(void **state)
{
	static const uint32_t initial[BUDDY_NR_ORDERS] = {
		1, 1, 0, 2, 1, 2, 2, 2, 2,
	};
	static const uint32_t left[BUDDY_NR_ORDERS] = { 1, 1 };
	struct page *p[128];
	pfn_t pfn;
	size_t n, i;

	(void)state;
	setup_zone(5, 1000);
	assert_free_counts(&zone, initial);

	for (n = 0; (p[n] = buddy_alloc(&zone, 3)) != NULL; n++) {
		pfn = pfn_of(p[n]);
		assert_int_equal(pfn % 8, 0);
		assert_true(pfn >= 5 && pfn + 8 <= 1000);
	}
	/* Every aligned 8 in [8, 1000); 5, 6 and 7 are left. */
	assert_int_equal(n, 124);
	assert_int_equal(zone.free_pages, 3);
	assert_free_counts(&zone, left);
	assert_null(buddy_alloc(&zone, 2));

	for (i = 0; i < n; i++)
		assert_int_equal(buddy_free(&zone, p[i], 3), BUDDY_OK);
	assert_free_counts(&zone, initial);
}

/* Two zones side by side share no block, even where buddies could meet. */
static void test_zones_do_not_merge(void **state)
{
	static const uint32_t want[BUDDY_NR_ORDERS] = { [3] = 1 };
	struct buddy_zone other;
	struct page *a, *b;

	(void)state;
	memset(frames, 0, sizeof(frames));
	buddy_zone_init(&zone, "low", 0, frames, 0, 8);
	buddy_zone_init(&other, "high", 1, frames, 8, 16);
	buddy_free_range(&zone, 0, 8);
	buddy_free_range(&other, 8, 16);
	assert_free_counts(&zone, want);
	assert_free_counts(&other, want);

	a = buddy_alloc(&zone, 3);
	b = buddy_alloc(&other, 3);
	assert_int_equal(pfn_of(a), 0);
	assert_int_equal(pfn_of(b), 8);
	assert_null(buddy_alloc(&zone, 0));
	assert_int_equal(buddy_free(&other, b, 3), BUDDY_OK);
	assert_int_equal(buddy_free(&zone, a, 3), BUDDY_OK);
	assert_free_counts(&zone, want);
	assert_free_counts(&other, want);
}

/* Whatever the frames around a zone hold, the zone never looks at them. */
static void test_outside_frames_ignored(void **state)
{
	static const uint32_t want[BUDDY_NR_ORDERS] = { [1] = 1 };
	struct page *p;

	(void)state;
	memset(frames, 0, sizeof(frames));
	/* Free heads that would contain frame 4, or be its buddy. */
	frames[0] = (struct page){ PFN_NONE, PFN_NONE, 3, PG_FREE, 9, 0 };
	frames[6] = (struct page){ PFN_NONE, PFN_NONE, 1, PG_FREE, 9, 0 };
	buddy_zone_init(&zone, "test", 0, frames, 4, 6);
	buddy_free_range(&zone, 4, 6);
	assert_free_counts(&zone, want);
	p = buddy_alloc(&zone, 1);
	assert_ptr_equal(p, pg(4));
	assert_int_equal(buddy_free(&zone, p, 1), BUDDY_OK);
	assert_free_counts(&zone, want);
	assert_int_equal(frames[0].flags, PG_FREE);
	assert_int_equal(frames[6].flags, PG_FREE);
}

static void test_exhaustion(void **state)
{
	struct page *p[16], *last;
	size_t i;

	(void)state;
	setup_zone(32, 48);
	for (i = 0; i < 16; i++)
		assert_non_null(p[i] = buddy_alloc(&zone, 0));
	assert_null(buddy_alloc(&zone, 0));
	assert_null(buddy_alloc(&zone, 1));
	assert_int_equal(zone.nalloc_failed, 2);
	assert_int_equal(zone.free_pages, 0);

	assert_int_equal(buddy_free(&zone, p[7], 0), BUDDY_OK);
	last = buddy_alloc(&zone, 0);
	assert_ptr_equal(last, p[7]);
	assert_true(buddy_check(&zone));
}

/* Free frames, but fragmented: no order 1 block although 2 are free. */
static void test_fragmentation(void **state)
{
	struct page *p[4];
	size_t i;

	(void)state;
	setup_zone(0, 4);
	for (i = 0; i < 4; i++)
		p[i] = buddy_alloc(&zone, 0);
	assert_int_equal(buddy_free(&zone, p[1], 0), BUDDY_OK);
	assert_int_equal(buddy_free(&zone, p[2], 0), BUDDY_OK);
	assert_int_equal(zone.free_pages, 2);
	assert_null(buddy_alloc(&zone, 1));
	assert_int_equal(buddy_free(&zone, p[0], 0), BUDDY_OK);
	assert_int_equal(pfn_of(buddy_alloc(&zone, 1)), 0);
}

static void test_alloc_order_too_big(void **state)
{
	(void)state;
	setup_zone(0, 4096);
	assert_null(buddy_alloc(&zone, BUDDY_MAX_ORDER + 1));
	assert_null(buddy_alloc(&zone, 31));
	assert_non_null(buddy_alloc(&zone, BUDDY_MAX_ORDER));
}

/* Bits of flags and spare that the kernel owns survive the allocator. */
static void test_kernel_bits_kept(void **state)
{
	struct page *p;

	(void)state;
	setup_zone(0, 16);
	frames[0].flags |= 0x80;
	frames[0].spare = 0xab;
	p = buddy_alloc(&zone, 0);
	assert_ptr_equal(p, pg(0));
	assert_int_equal(p->flags, 0x80 | PG_ALLOCATED);
	assert_int_equal(buddy_free(&zone, p, 0), BUDDY_OK);
	assert_int_equal(p->flags, 0x80 | PG_FREE);
	assert_int_equal(p->spare, 0xab);
	assert_true(buddy_check(&zone));
}

/* The zone and the frame database, to prove an error changed nothing. */
static struct {
	struct buddy_zone zone;
	struct page frames[NFRAMES];
} saved;

static void save_state(void)
{
	memcpy(&saved.zone, &zone, sizeof(zone));
	memcpy(saved.frames, frames, sizeof(frames));
}

static void assert_state_unchanged(void)
{
	assert_memory_equal(&saved.zone, &zone, sizeof(zone));
	assert_memory_equal(saved.frames, frames, sizeof(frames));
}

/* Free p with the given order, expect err, and nothing may change. */
static void assert_refused(struct page *p, unsigned order, enum buddy_error err)
{
	save_state();
	assert_int_equal(buddy_free(&zone, p, order), err);
	assert_state_unchanged();
}

static void test_err_double_free(void **state)
{
	struct page *a, *b;

	(void)state;
	setup_zone(0, 64);
	a = buddy_alloc(&zone, 0);
	b = buddy_alloc(&zone, 0);
	assert_int_equal(pfn_of(b), pfn_of(a) + 1);
	assert_int_equal(buddy_free(&zone, b, 0), BUDDY_OK);
	assert_refused(b, 0, BUDDY_DOUBLE_FREE);	/* b is a free head */
	assert_int_equal(buddy_free(&zone, a, 0), BUDDY_OK);
	assert_refused(b, 0, BUDDY_DOUBLE_FREE);	/* now a free tail */
	assert_refused(a, 0, BUDDY_DOUBLE_FREE);
	assert_refused(pg(63), 3, BUDDY_DOUBLE_FREE);	/* never allocated */
}

static void test_err_not_allocated(void **state)
{
	struct page *p;

	(void)state;
	memset(frames, 0, sizeof(frames));
	buddy_zone_init(&zone, "test", 0, frames, 0, 64);
	buddy_free_range(&zone, 8, 64);
	p = buddy_alloc(&zone, 2);
	assert_non_null(p);
	assert_refused(pg(3), 0, BUDDY_NOT_ALLOCATED);	/* reserved */
	assert_refused(p + 1, 0, BUDDY_NOT_ALLOCATED);	/* a tail */
	assert_refused(p + 2, 1, BUDDY_NOT_ALLOCATED);	/* a tail */
	assert_int_equal(buddy_free(&zone, p, 2), BUDDY_OK);
}

static void test_err_wrong_order(void **state)
{
	struct page *p;

	(void)state;
	setup_zone(0, 64);
	p = buddy_alloc(&zone, 2);
	assert_refused(p, 1, BUDDY_WRONG_ORDER);
	assert_refused(p, 3, BUDDY_WRONG_ORDER);
	assert_refused(p, BUDDY_MAX_ORDER + 1, BUDDY_WRONG_ORDER);
	assert_refused(p, 200, BUDDY_WRONG_ORDER);
	assert_int_equal(buddy_free(&zone, p, 2), BUDDY_OK);
}

static void test_err_wrong_zone(void **state)
{
	struct buddy_zone other;
	struct page *p;

	(void)state;
	setup_zone(0, 64);
	buddy_zone_init(&other, "other", 1, frames, 64, 128);
	buddy_free_range(&other, 64, 128);
	p = buddy_alloc(&other, 0);
	assert_refused(p, 0, BUDDY_WRONG_ZONE);
	assert_refused(pg(NFRAMES - 1), 0, BUDDY_WRONG_ZONE);
	assert_int_equal(buddy_free(&other, p, 0), BUDDY_OK);
	assert_true(buddy_check(&other));
}

static void test_free_null_asserts(void **state)
{
	(void)state;
	setup_zone(0, 64);
	expect_assert_failure(buddy_free(&zone, NULL, 0));
}

static void test_strerror(void **state)
{
	static const enum buddy_error errs[] = {
		BUDDY_OK,          BUDDY_DOUBLE_FREE, BUDDY_NOT_ALLOCATED,
		BUDDY_WRONG_ORDER, BUDDY_WRONG_ZONE,  (enum buddy_error)99,
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(errs); i++) {
		assert_non_null(buddy_strerror(errs[i]));
		for (j = 0; j < i; j++)
			assert_string_not_equal(buddy_strerror(errs[i]),
			                        buddy_strerror(errs[j]));
	}
	assert_string_equal(buddy_strerror(BUDDY_DOUBLE_FREE),
	                    "frame already free");
}

/* buddy_check() must catch damage, or the other tests prove little. */
static void test_check_catches_damage(void **state)
{
	struct page *a, *b;

	(void)state;
	setup_zone(0, 64);
	assert_true(buddy_check(&zone));
	frames[zone.free_head[6]].prev = 5;	/* bad link */
	assert_false(buddy_check(&zone));

	setup_zone(0, 64);
	zone.nr_free[6]++;	/* bad count */
	assert_false(buddy_check(&zone));

	setup_zone(0, 64);
	frames[zone.free_head[6]].next = zone.free_head[6];	/* a loop */
	assert_false(buddy_check(&zone));

	setup_zone(0, 64);
	frames[17].flags = PG_ALLOCATED;	/* head in a block */
	assert_false(buddy_check(&zone));

	/* Two free buddies left unmerged, on a list otherwise sound. */
	setup_zone(0, 2);
	a = buddy_alloc(&zone, 0);
	b = buddy_alloc(&zone, 0);
	assert_true(buddy_check(&zone));
	a->flags = b->flags = PG_FREE;
	a->next = 1;
	b->prev = 0;
	zone.free_head[0] = 0;
	zone.nr_free[0] = 2;
	zone.free_pages = 2;
	assert_false(buddy_check(&zone));
}

/* ------------------------------------------------------------ random */

#define RANDOM_STEPS 1000000
#define PHASE_STEPS 25000
#define CHECK_EVERY 4096
#define ZONE_START 37
#define ZONE_END 6000

/* Frames given to the zone; the gaps between them stay reserved. */
static const pfn_t usable[][2] = {
	{ 37, 1000 },
	{ 1003, 4097 },
	{ 4100, 6000 },
};

/*
 * The model.  owner[] is 0 for a free frame, the block's number for an
 * allocated one and -1 for a frame the zone does not manage.
 * nfree_in[k][i] counts the free frames of the aligned order k block i,
 * and nfull[k] the order k blocks with all their frames free.
 */
static int32_t owner[NFRAMES];
static uint16_t nfree_in[BUDDY_NR_ORDERS][NFRAMES];
static uint32_t nfull[BUDDY_NR_ORDERS];
static uint32_t model_free;

struct block {
	pfn_t pfn;
	unsigned order;
	int32_t id;
};
static struct block live[NFRAMES];
static size_t nlive;

static void model_set(pfn_t pfn, int32_t who)
{
	uint16_t *n;
	unsigned k;

	for (k = 0; k < BUDDY_NR_ORDERS; k++) {
		n = &nfree_in[k][pfn >> k];
		if (who == 0) {
			(*n)++;
			if (*n == 1u << k)
				nfull[k]++;
		} else {
			if (*n == 1u << k)
				nfull[k]--;
			(*n)--;
		}
	}
	if (who == 0)
		model_free++;
	else
		model_free--;
	owner[pfn] = who;
}

static void model_init(void)
{
	pfn_t pfn;
	size_t i;

	memset(nfree_in, 0, sizeof(nfree_in));
	memset(nfull, 0, sizeof(nfull));
	model_free = 0;
	nlive = 0;
	for (pfn = 0; pfn < NFRAMES; pfn++)
		owner[pfn] = -1;
	for (i = 0; i < ARRAY_SIZE(usable); i++) {
		for (pfn = usable[i][0]; pfn < usable[i][1]; pfn++)
			model_set(pfn, 0);
	}
}

/* Small orders mostly, as a kernel asks, but every order now and then. */
static unsigned random_order(void)
{
	return rng_below(4) == 0 ? rng_below(BUDDY_NR_ORDERS) : rng_below(3);
}

static void random_alloc(int32_t id)
{
	unsigned order = random_order();
	struct page *p = buddy_alloc(&zone, order);
	pfn_t pfn, n = (pfn_t)1 << order, f;

	if (p == NULL) {
		/* Only when no aligned run of free frames is left. */
		assert_int_equal(nfull[order], 0);
		return;
	}
	pfn = pfn_of(p);
	assert_int_equal(pfn % n, 0);
	assert_true(pfn >= ZONE_START && pfn + n <= ZONE_END);
	for (f = pfn; f < pfn + n; f++) {
		assert_int_equal(owner[f], 0);	/* free, and managed */
		model_set(f, id);
	}
	live[nlive++] = (struct block){ pfn, order, id };

	/* Now and then a wrong free of the new block, which must fail. */
	if (order > 0 && rng_below(64) == 0) {
		assert_int_equal(buddy_free(&zone, p, order - 1),
		                 BUDDY_WRONG_ORDER);
		assert_int_equal(buddy_free(&zone, p + 1, 0),
		                 BUDDY_NOT_ALLOCATED);
	}
}

static void random_free(void)
{
	size_t i = rng_below((uint32_t)nlive);
	struct block b = live[i];
	pfn_t f;

	live[i] = live[--nlive];
	for (f = b.pfn; f < b.pfn + ((pfn_t)1 << b.order); f++) {
		assert_int_equal(owner[f], b.id);
		model_set(f, 0);
	}
	assert_int_equal(buddy_free(&zone, pg(b.pfn), b.order), BUDDY_OK);
	if (rng_below(64) == 0)
		assert_int_equal(buddy_free(&zone, pg(b.pfn), b.order),
		                 BUDDY_DOUBLE_FREE);
}

static void test_random_against_model(void **state)
{
	static const unsigned alloc_percent[] = { 35, 50, 65, 90 };
	uint32_t initial[BUDDY_NR_ORDERS];
	unsigned k, percent = 50;
	size_t i;
	long step;

	(void)state;
	rng_seed(0x9e3779b97f4a7c15ULL);	/* the same run every time */
	memset(frames, 0, sizeof(frames));
	buddy_zone_init(&zone, "random", 0, frames, ZONE_START, ZONE_END);
	for (i = 0; i < ARRAY_SIZE(usable); i++)
		buddy_free_range(&zone, usable[i][0], usable[i][1]);
	model_init();
	for (k = 0; k < BUDDY_NR_ORDERS; k++)
		initial[k] = buddy_nr_free(&zone, k);

	for (step = 0; step < RANDOM_STEPS; step++) {
		if (step % PHASE_STEPS == 0)
			percent = alloc_percent[rng_below(4)];
		if (nlive == 0 || rng_below(100) < percent)
			random_alloc((int32_t)step + 1);
		else
			random_free();
		assert_int_equal(zone.free_pages, model_free);
		if (step % CHECK_EVERY == 0)
			assert_true(buddy_check(&zone));
	}

	/* Freed in any order, everything merges back to the start. */
	while (nlive > 0)
		random_free();
	assert_int_equal(zone.free_pages, zone.managed_pages);
	assert_free_counts(&zone, initial);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_is_12_bytes),
		cmocka_unit_test(test_pfn_helpers),
		cmocka_unit_test(test_zone_init_reserves),
		cmocka_unit_test(test_free_range_maximal_blocks),
		cmocka_unit_test(test_free_range_joins_calls),
		cmocka_unit_test(test_free_range_max_order),
		cmocka_unit_test(test_free_range_twice_asserts),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_coalesce),
		cmocka_unit_test(test_coalesce_any_order),
		cmocka_unit_test(test_zone_bounds_unaligned),
		cmocka_unit_test(test_zones_do_not_merge),
		cmocka_unit_test(test_outside_frames_ignored),
		cmocka_unit_test(test_exhaustion),
		cmocka_unit_test(test_fragmentation),
		cmocka_unit_test(test_alloc_order_too_big),
		cmocka_unit_test(test_kernel_bits_kept),
		cmocka_unit_test(test_err_double_free),
		cmocka_unit_test(test_err_not_allocated),
		cmocka_unit_test(test_err_wrong_order),
		cmocka_unit_test(test_err_wrong_zone),
		cmocka_unit_test(test_free_null_asserts),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_check_catches_damage),
		cmocka_unit_test(test_random_against_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
