/*
 * tests/host/test_vmem.c - unit tests for the vmem arena (mm/vmem.c).
 *
 * The arena only does arithmetic on addresses, so the tests give it a
 * made-up range of page-sized quanta that maps nothing.  The test is the
 * arena's owner: alloc() gives it a page of tags (from aligned_alloc(),
 * and it can be made to have none) whenever vmem_wants_tags() says so,
 * then allocates.  Besides one test per
 * contract, a long random run checks the arena against a model that
 * records the owner of every quantum, and a step count shows that
 * allocation and free cost the same with 10 or 100,000 allocations live.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm/vmem.h"
#include "tests/host/test_rng.h"

#define Q PAGE_SIZE			/* the quantum */
#define BASE ((vaddr_t)0x10000000)	/* not 0, as the arena requires */
#define TAGS_PER_PAGE (PAGE_SIZE / sizeof(struct vmem_btag))

/* An arena with everything it needs, and its owner's tag pages. */
struct arena {
	struct vmem vm;
	struct vmem_btag **index;
	void **pages;	/* tag pages given to the arena */
	size_t npages;
	bool fail;	/* the owner has no page for tags */
};

/* A page for tags, as an owner would find one; NULL while failing. */
static void *tag_page(struct arena *a)
{
	void *page;

	if (a->fail)
		return NULL;
	page = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	assert_non_null(page);
	a->pages = realloc(a->pages, (a->npages + 1) * sizeof(*a->pages));
	assert_non_null(a->pages);
	a->pages[a->npages++] = page;
	return page;
}

/* What an owner does before every allocation: tags, if the arena wants. */
static vaddr_t alloc(struct arena *a, size_t size)
{
	void *page;

	if (vmem_wants_tags(&a->vm) && (page = tag_page(a)) != NULL)
		vmem_add_tags(&a->vm, page);
	return vmem_alloc(&a->vm, size);
}

static struct arena *arena_new_quantum(size_t nquanta, size_t quantum)
{
	struct arena *a = calloc(1, sizeof(*a));

	assert_non_null(a);
	a->index = malloc(nquanta * sizeof(*a->index));
	assert_non_null(a->index);
	assert_int_equal(vmem_init(&a->vm, "test", BASE, nquanta * quantum,
	                           quantum, a->index, tag_page(a)),
	                 VMEM_OK);
	return a;
}

static struct arena *arena_new(size_t nquanta)
{
	return arena_new_quantum(nquanta, Q);
}

static void arena_free(struct arena *a)
{
	size_t i;

	for (i = 0; i < a->npages; i++)
		free(a->pages[i]);
	free(a->pages);
	free(a->index);
	free(a);
}

static struct vmem_stats stats(const struct vmem *vm)
{
	struct vmem_stats st;

	vmem_stats(vm, &st);
	return st;
}

/* The arena's statistics must be what they were before. */
static void assert_unchanged(const struct vmem_stats *before,
                             const struct vmem *vm)
{
	struct vmem_stats now;

	vmem_stats(vm, &now);
	assert_memory_equal(before, &now, sizeof(now));
}

static void test_init(void **state)
{
	struct arena *a = arena_new(64);
	struct vmem_stats st = stats(&a->vm);

	(void)state;
	assert_int_equal(st.vs_size, 64 * Q);
	assert_int_equal(st.vs_inuse, 0);
	assert_int_equal(st.vs_free, 64 * Q);
	assert_int_equal(st.vs_nalloc, 0);
	assert_int_equal(st.vs_nfree, 1);
	assert_int_equal(st.vs_largest, 64 * Q);
	assert_int_equal(st.vs_ntags, TAGS_PER_PAGE);
	assert_int_equal(st.vs_nspare, TAGS_PER_PAGE - 1);
	assert_int_equal(a->npages, 1);
	assert_false(vmem_wants_tags(&a->vm));
	assert_true(vmem_check(&a->vm));
	arena_free(a);
}

static void test_init_rejects_bad_arguments(void **state)
{
	struct vmem vm;
	struct vmem_btag *index[4];

	(void)state;
	expect_assert_failure(vmem_init(&vm, "t", 0, 4 * Q, Q, index, NULL));
	expect_assert_failure(
	    vmem_init(&vm, "t", BASE + 1, 4 * Q, Q, index, NULL));
	expect_assert_failure(vmem_init(&vm, "t", BASE, 0, Q, index, NULL));
	expect_assert_failure(
	    vmem_init(&vm, "t", BASE, 4 * Q + 1, Q, index, NULL));
	expect_assert_failure(
	    vmem_init(&vm, "t", BASE, 4 * 3000, 3000, index, NULL));
	expect_assert_failure(
	    vmem_init(&vm, "t", (vaddr_t)0 - 2 * Q, 4 * Q, Q, index, NULL));
}

static void test_init_without_tags(void **state)
{
	struct arena a = { .fail = true };
	struct vmem_btag *index[4];

	(void)state;
	assert_int_equal(
	    vmem_init(&a.vm, "t", BASE, 4 * Q, Q, index, tag_page(&a)),
	    VMEM_NO_TAGS);
	assert_int_equal(a.npages, 0);
}

static void test_alloc_rounds_up_and_takes_low_end(void **state)
{
	struct arena *a = arena_new(64);

	(void)state;
	assert_int_equal(alloc(a, 1), BASE);
	assert_int_equal(vmem_size(&a->vm, BASE), Q);
	assert_int_equal(alloc(a, Q + 1), BASE + Q);
	assert_int_equal(vmem_size(&a->vm, BASE + Q), 2 * Q);
	assert_int_equal(alloc(a, 3 * Q), BASE + 3 * Q);
	assert_int_equal(stats(&a->vm).vs_inuse, 6 * Q);
	assert_true(vmem_check(&a->vm));
	arena_free(a);
}

static void test_alloc_zero_asserts(void **state)
{
	struct arena *a = arena_new(4);

	(void)state;
	expect_assert_failure(vmem_alloc(&a->vm, 0));
	arena_free(a);
}

static void test_alloc_exhaustion_changes_nothing(void **state)
{
	struct arena *a = arena_new(16);
	struct vmem_stats before;

	(void)state;
	assert_int_equal(alloc(a, 17 * Q), VMEM_FAIL);
	assert_int_equal(alloc(a, SIZE_MAX), VMEM_FAIL);
	assert_int_equal(alloc(a, 16 * Q), BASE);
	before = stats(&a->vm);
	assert_int_equal(before.vs_nfree, 0);
	assert_int_equal(before.vs_largest, 0);
	assert_int_equal(alloc(a, 1), VMEM_FAIL);
	assert_unchanged(&before, &a->vm);
	assert_true(vmem_check(&a->vm));
	assert_int_equal(vmem_free(&a->vm, BASE, NULL), VMEM_OK);
	assert_int_equal(alloc(a, 1), BASE);
	arena_free(a);
}

static void test_free_reports_size(void **state)
{
	struct arena *a = arena_new(16);
	vaddr_t x = alloc(a, 3 * Q - 5);
	vaddr_t y = alloc(a, Q);
	size_t size = 0;

	(void)state;
	assert_int_equal(vmem_free(&a->vm, x, &size), VMEM_OK);
	assert_int_equal(size, 3 * Q);
	assert_int_equal(vmem_free(&a->vm, y, NULL), VMEM_OK);
	assert_int_equal(stats(&a->vm).vs_inuse, 0);
	arena_free(a);
}

/* Every bad free must return its error and leave the arena as it was. */
static void expect_free_error(struct arena *a, vaddr_t addr,
                              enum vmem_error err)
{
	struct vmem_stats before = stats(&a->vm);
	size_t size = 12345;

	assert_int_equal(vmem_free(&a->vm, addr, &size), err);
	assert_int_equal(size, 12345);
	assert_unchanged(&before, &a->vm);
	assert_true(vmem_check(&a->vm));
}

static void test_free_errors(void **state)
{
	struct arena *a = arena_new(16);
	vaddr_t x = alloc(a, 3 * Q);
	vaddr_t y = alloc(a, Q);

	(void)state;
	expect_free_error(a, 0, VMEM_OUT_OF_RANGE);
	expect_free_error(a, BASE - Q, VMEM_OUT_OF_RANGE);
	expect_free_error(a, BASE - 1, VMEM_OUT_OF_RANGE);
	expect_free_error(a, BASE + 16 * Q, VMEM_OUT_OF_RANGE);
	expect_free_error(a, (vaddr_t)-1, VMEM_OUT_OF_RANGE);
	expect_free_error(a, x + Q, VMEM_INTERIOR);
	expect_free_error(a, x + 3 * Q - 1, VMEM_INTERIOR);
	expect_free_error(a, x + 1, VMEM_INTERIOR);
	expect_free_error(a, y + 8, VMEM_INTERIOR);
	expect_free_error(a, y + Q, VMEM_NOT_ALLOCATED);
	expect_free_error(a, BASE + 15 * Q + 3, VMEM_NOT_ALLOCATED);
	assert_int_equal(vmem_free(&a->vm, x, NULL), VMEM_OK);
	expect_free_error(a, x, VMEM_NOT_ALLOCATED);
	expect_free_error(a, x + Q, VMEM_NOT_ALLOCATED);
	/* The errors did not disturb y. */
	assert_int_equal(vmem_free(&a->vm, y, NULL), VMEM_OK);
	assert_int_equal(stats(&a->vm).vs_nfree, 1);
	arena_free(a);
}

/* Free B, D, C, A of A B C D [rest], checking each merge. */
static void test_free_merges_neighbours(void **state)
{
	struct arena *a = arena_new(64);
	vaddr_t x[4];
	size_t i, spare;

	(void)state;
	for (i = 0; i < 4; i++)
		x[i] = alloc(a, (i + 1) * Q);
	assert_int_equal(stats(&a->vm).vs_nfree, 1);
	spare = stats(&a->vm).vs_nspare;

	assert_int_equal(vmem_free(&a->vm, x[1], NULL), VMEM_OK);
	assert_int_equal(stats(&a->vm).vs_nfree, 2);	/* B, rest */
	assert_int_equal(stats(&a->vm).vs_nspare, spare);
	assert_int_equal(vmem_free(&a->vm, x[3], NULL), VMEM_OK);
	assert_int_equal(stats(&a->vm).vs_nfree, 2);	/* B, D+rest */
	assert_int_equal(stats(&a->vm).vs_nspare, spare + 1);
	assert_int_equal(stats(&a->vm).vs_largest, (64 - 6) * Q);
	assert_int_equal(vmem_free(&a->vm, x[2], NULL), VMEM_OK);
	assert_int_equal(stats(&a->vm).vs_nfree, 1);	/* B+C+D+rest */
	assert_int_equal(stats(&a->vm).vs_nspare, spare + 3);
	assert_int_equal(stats(&a->vm).vs_largest, (64 - 1) * Q);
	assert_true(vmem_check(&a->vm));
	assert_int_equal(vmem_free(&a->vm, x[0], NULL), VMEM_OK);
	assert_int_equal(stats(&a->vm).vs_nfree, 1);
	assert_int_equal(stats(&a->vm).vs_nspare, spare + 4);
	assert_int_equal(stats(&a->vm).vs_largest, 64 * Q);
	assert_true(vmem_check(&a->vm));
	arena_free(a);
}

/*
 * Lay out free holes of the given sizes (in quanta, in this order, so the
 * last is first on its list), separated by one-quantum allocations, and
 * fill the rest of the arena.
 */
static void make_holes(struct arena *a, const size_t *holes, size_t n)
{
	vaddr_t hole[8];
	size_t i;

	for (i = 0; i < n; i++) {
		hole[i] = alloc(a, holes[i] * Q);
		assert_int_not_equal(alloc(a, Q), VMEM_FAIL);
	}
	assert_int_not_equal(alloc(a, stats(&a->vm).vs_largest), VMEM_FAIL);
	for (i = 0; i < n; i++)
		assert_int_equal(vmem_free(&a->vm, hole[i], NULL), VMEM_OK);
	assert_int_equal(stats(&a->vm).vs_nfree, n);
}

static void test_instant_fit_prefers_a_list_that_surely_fits(void **state)
{
	struct arena *a = arena_new(64);
	const size_t holes[] = { 5, 8 };
	vaddr_t five = BASE, eight = BASE + 6 * Q;

	(void)state;
	make_holes(a, holes, 2);
	/* 5 quanta: list 3 (8..15) surely fits, so the 8 is taken. */
	assert_int_equal(alloc(a, 5 * Q), eight);
	assert_int_equal(a->vm.vm_steps, 1);
	/* Lists 3 and up are empty now: list 2 (4..7) is searched. */
	assert_int_equal(alloc(a, 5 * Q), five);
	/* Only the 3 left of the 8: nothing fits. */
	assert_int_equal(alloc(a, 4 * Q), VMEM_FAIL);
	assert_int_equal(alloc(a, 3 * Q), eight + 5 * Q);
	assert_true(vmem_check(&a->vm));
	arena_free(a);
}

static void test_fallback_searches_floor_list(void **state)
{
	struct arena *a = arena_new(64);
	const size_t holes[] = { 6, 4, 4 };	/* list 2: 4, 4, 6 */

	(void)state;
	make_holes(a, holes, 3);
	assert_int_equal(alloc(a, 5 * Q), BASE);
	assert_int_equal(a->vm.vm_steps, 3);
	assert_int_equal(alloc(a, 5 * Q), VMEM_FAIL);
	assert_int_equal(a->vm.vm_steps, 2);
	assert_true(vmem_check(&a->vm));
	arena_free(a);
}

/* Allocate single quanta, without the owner, until no spare tag is left. */
static void use_up_spares(struct arena *a)
{
	while (!vmem_wants_tags(&a->vm))
		assert_int_not_equal(vmem_alloc(&a->vm, Q), VMEM_FAIL);
	assert_int_equal(stats(&a->vm).vs_nspare, 0);
}

static void test_no_tags_changes_nothing(void **state)
{
	struct arena *a = arena_new(4096);
	struct vmem_stats before;
	vaddr_t x = BASE + Q;

	(void)state;
	use_up_spares(a);
	assert_int_equal(a->npages, 1);
	/* A hole of one quantum between two allocations. */
	assert_int_equal(vmem_free(&a->vm, x, NULL), VMEM_OK);
	assert_true(vmem_wants_tags(&a->vm));

	a->fail = true;
	vmem_stats(&a->vm, &before);
	assert_int_equal(alloc(a, 2 * Q), VMEM_FAIL);
	assert_int_equal(a->npages, 1);
	assert_unchanged(&before, &a->vm);
	assert_true(vmem_check(&a->vm));
	/* An exact fit needs no tag, so it works without the owner's page. */
	assert_int_equal(alloc(a, Q), x);
	assert_int_equal(a->npages, 1);

	a->fail = false;
	assert_int_not_equal(alloc(a, 2 * Q), VMEM_FAIL);
	assert_int_equal(a->npages, 2);
	assert_int_equal(stats(&a->vm).vs_ntags, 2 * TAGS_PER_PAGE);
	assert_true(vmem_check(&a->vm));
	arena_free(a);
}

/*
 * vmem_wants_tags() says yes exactly when the spares are gone, and
 * vmem_add_tags() makes it say no: every tag of the page is a spare.
 */
static void test_add_tags(void **state)
{
	struct arena *a = arena_new(4096);
	struct vmem_stats before;
	vaddr_t x;

	(void)state;
	assert_false(vmem_wants_tags(&a->vm));
	use_up_spares(a);
	assert_true(vmem_wants_tags(&a->vm));
	vmem_stats(&a->vm, &before);
	vmem_add_tags(&a->vm, tag_page(a));
	assert_false(vmem_wants_tags(&a->vm));
	assert_int_equal(stats(&a->vm).vs_ntags,
	                 before.vs_ntags + TAGS_PER_PAGE);
	assert_int_equal(stats(&a->vm).vs_nspare, TAGS_PER_PAGE);
	/* Adding tags changes no segment. */
	assert_int_equal(stats(&a->vm).vs_nalloc, before.vs_nalloc);
	assert_int_equal(stats(&a->vm).vs_nfree, before.vs_nfree);
	assert_true(vmem_check(&a->vm));
	/* A split now works, and takes one of them. */
	x = vmem_alloc(&a->vm, 2 * Q);
	assert_int_not_equal(x, VMEM_FAIL);
	assert_int_equal(vmem_size(&a->vm, x), 2 * Q);
	assert_int_equal(stats(&a->vm).vs_nspare, TAGS_PER_PAGE - 1);
	assert_int_equal(a->npages, 2);
	expect_assert_failure(vmem_add_tags(&a->vm, NULL));
	assert_true(vmem_check(&a->vm));
	arena_free(a);
}

static void test_owner_cookie(void **state)
{
	struct arena *a = arena_new(16);
	vaddr_t x = alloc(a, 2 * Q);
	int cookie;

	(void)state;
	assert_null(vmem_owner(&a->vm, x));
	assert_true(vmem_set_owner(&a->vm, x, &cookie));
	assert_ptr_equal(vmem_owner(&a->vm, x), &cookie);
	assert_false(vmem_set_owner(&a->vm, x + Q, &cookie));
	assert_false(vmem_set_owner(&a->vm, x + 2 * Q, &cookie));
	assert_false(vmem_set_owner(&a->vm, BASE - Q, &cookie));
	assert_null(vmem_owner(&a->vm, x + Q));
	assert_int_equal(vmem_free(&a->vm, x, NULL), VMEM_OK);
	assert_null(vmem_owner(&a->vm, x));
	assert_int_equal(alloc(a, Q), x);
	assert_null(vmem_owner(&a->vm, x));
	assert_true(vmem_check(&a->vm));
	arena_free(a);
}

static void test_size_of_non_allocations(void **state)
{
	struct arena *a = arena_new(16);
	vaddr_t x = alloc(a, 2 * Q);

	(void)state;
	assert_int_equal(vmem_size(&a->vm, x), 2 * Q);
	assert_int_equal(vmem_size(&a->vm, x + 1), 0);
	assert_int_equal(vmem_size(&a->vm, x + Q), 0);
	assert_int_equal(vmem_size(&a->vm, x + 2 * Q), 0);
	assert_int_equal(vmem_size(&a->vm, BASE - Q), 0);
	assert_int_equal(vmem_size(&a->vm, BASE + 16 * Q), 0);
	arena_free(a);
}

static void test_strerror(void **state)
{
	enum vmem_error e, f;

	(void)state;
	for (e = VMEM_OK; e <= VMEM_OUT_OF_RANGE; e++) {
		assert_non_null(vmem_strerror(e));
		for (f = VMEM_OK; f < e; f++)
			assert_string_not_equal(vmem_strerror(e),
			                        vmem_strerror(f));
	}
}

/* vmem_check() must notice broken invariants, or it proves nothing. */
static void test_check_catches_corruption(void **state)
{
	struct arena *a = arena_new(16);
	vaddr_t x = alloc(a, 2 * Q);
	struct vmem_btag *bt = a->index[0];

	(void)state;
	alloc(a, Q);
	assert_true(vmem_check(&a->vm));
	a->vm.vm_inuse += Q;
	assert_false(vmem_check(&a->vm));
	a->vm.vm_inuse -= Q;
	a->vm.vm_freemap ^= 1;
	assert_false(vmem_check(&a->vm));
	a->vm.vm_freemap ^= 1;
	a->index[1] = bt;
	assert_false(vmem_check(&a->vm));
	a->index[1] = NULL;
	bt->bt_size += Q;
	assert_false(vmem_check(&a->vm));
	bt->bt_size -= Q;
	bt->bt_type = VMEM_SEG_FREE;
	assert_false(vmem_check(&a->vm));
	bt->bt_type = VMEM_SEG_ALLOC;
	assert_true(vmem_check(&a->vm));
	assert_int_equal(vmem_free(&a->vm, x, NULL), VMEM_OK);
	arena_free(a);
}

/* Sizes in quanta: mostly small, a few large, as kernel_map sees them. */
static size_t random_quanta(void)
{
	uint32_t r = rng_below(100);

	if (r < 70)
		return 1 + rng_below(4);
	if (r < 95)
		return 1 + rng_below(32);
	return 1 + rng_below(300);
}

struct live {
	vaddr_t addr;
	size_t quanta;
};

#define RANDOM_QUANTA 4096
#define RANDOM_OPS 600000
#define RANDOM_SEED 0x9e3779b97f4a7c15ULL

/* The largest run of free quanta in the model. */
static size_t model_largest(const uint32_t *owner)
{
	size_t i, run = 0, best = 0;

	for (i = 0; i < RANDOM_QUANTA; i++) {
		run = owner[i] == 0 ? run + 1 : 0;
		best = MAX(best, run);
	}
	return best;
}

/* A free of a random non-start address must fail as the model says. */
static void random_bad_free(struct arena *a, const uint32_t *owner)
{
	size_t q = rng_below(RANDOM_QUANTA);
	vaddr_t addr = BASE + q * Q;

	if (rng_below(2))
		addr += rng_below(Q);

	if (owner[q] == 0)
		assert_int_equal(vmem_free(&a->vm, addr, NULL),
		                 VMEM_NOT_ALLOCATED);
	else if (addr != BASE + q * Q || (q > 0 && owner[q - 1] == owner[q]))
		assert_int_equal(vmem_free(&a->vm, addr, NULL), VMEM_INTERIOR);
}

static void test_random_against_model(void **state)
{
	struct arena *a = arena_new(RANDOM_QUANTA);
	uint32_t *owner = calloc(RANDOM_QUANTA, sizeof(*owner));
	struct live *live = calloc(RANDOM_QUANTA, sizeof(*live));
	struct vmem_stats before;
	size_t nlive = 0, op, i, n, q, j, inuse = 0, fails = 0;
	vaddr_t addr;
	bool tagfail;

	(void)state;
	rng_seed(RANDOM_SEED);
	assert_non_null(owner);
	assert_non_null(live);
	for (op = 0; op < RANDOM_OPS; op++) {
		if (rng_below(64) == 0)
			random_bad_free(a, owner);
		/* Drift between nearly empty and nearly full. */
		if (nlive == 0 ||
		    rng_below(1000) < ((op / 50000) % 2 ? 600 : 400)) {
			n = random_quanta();
			tagfail = rng_below(32) == 0;
			if (vmem_wants_tags(&a->vm) && !tagfail)
				vmem_add_tags(&a->vm, tag_page(a));
			vmem_stats(&a->vm, &before);
			addr = vmem_alloc(&a->vm, n * Q - rng_below(Q));
			if (addr == VMEM_FAIL) {
				/* Out of tags, or truly nothing big enough. */
				assert_unchanged(&before, &a->vm);
				if (!tagfail || before.vs_nspare > 0)
					assert_true(before.vs_largest < n * Q);
				fails++;
				continue;
			}
			assert_true(addr >= BASE && (addr - BASE) % Q == 0);
			q = (addr - BASE) / Q;
			assert_true(q + n <= RANDOM_QUANTA);
			for (i = q; i < q + n; i++) {
				assert_int_equal(owner[i], 0);
				owner[i] = (uint32_t)op + 1;
			}
			live[nlive].addr = addr;
			live[nlive++].quanta = n;
			inuse += n;
		} else {
			j = rng_below(nlive);
			assert_int_equal(vmem_free(&a->vm, live[j].addr, &n),
			                 VMEM_OK);
			assert_int_equal(n, live[j].quanta * Q);
			q = (live[j].addr - BASE) / Q;
			for (i = q; i < q + live[j].quanta; i++)
				owner[i] = 0;
			inuse -= live[j].quanta;
			live[j] = live[--nlive];
		}
		if (op % 4096 == 0) {
			assert_int_equal(stats(&a->vm).vs_inuse, inuse * Q);
			assert_int_equal(stats(&a->vm).vs_largest,
			                 model_largest(owner) * Q);
		}
		if (op % 50000 == 0)
			assert_true(vmem_check(&a->vm));
	}
	assert_true(fails > 1000);	/* the run did reach full */
	while (nlive > 0) {
		nlive--;
		assert_int_equal(vmem_free(&a->vm, live[nlive].addr, NULL),
		                 VMEM_OK);
	}
	assert_int_equal(stats(&a->vm).vs_nfree, 1);
	assert_int_equal(stats(&a->vm).vs_largest, RANDOM_QUANTA * Q);
	assert_int_equal(stats(&a->vm).vs_nspare, stats(&a->vm).vs_ntags - 1);
	assert_true(vmem_check(&a->vm));
	free(live);
	free(owner);
	arena_free(a);
}

/*
 * Two million quanta: with pages that would not fit a 32-bit address
 * space, but the arena only does arithmetic, so a smaller quantum will do.
 */
#define CT_QUANTA (1u << 21)
#define CT_QUANTUM 256
#define CT_OPS 20000

struct steps {
	unsigned alloc;
	unsigned free;
};

/*
 * With nlive allocations live and as many free holes between them, replace
 * random allocations by new ones; return the most steps any alloc and any
 * free took.
 */
static struct steps max_steps(size_t nlive)
{
	struct arena *a = arena_new_quantum(CT_QUANTA, CT_QUANTUM);
	vaddr_t *live = calloc(2 * nlive, sizeof(*live));
	struct steps max = { 0, 0 };
	size_t i, j;

	assert_non_null(live);
	rng_seed(RANDOM_SEED);
	for (i = 0; i < 2 * nlive; i++) {
		live[i] = alloc(a, (1 + rng_below(8)) * CT_QUANTUM);
		assert_int_not_equal(live[i], VMEM_FAIL);
	}
	/* Free every other one: nlive holes of 1 to 8 quanta. */
	for (i = 0; i < nlive; i++) {
		assert_int_equal(vmem_free(&a->vm, live[2 * i + 1], NULL),
		                 VMEM_OK);
		live[i] = live[2 * i];
	}
	assert_true(stats(&a->vm).vs_nfree >= nlive);
	for (i = 0; i < CT_OPS; i++) {
		j = rng_below(nlive);
		assert_int_equal(vmem_free(&a->vm, live[j], NULL), VMEM_OK);
		max.free = MAX(max.free, a->vm.vm_steps);
		live[j] = alloc(a, (1 + rng_below(16)) * CT_QUANTUM);
		assert_int_not_equal(live[j], VMEM_FAIL);
		max.alloc = MAX(max.alloc, a->vm.vm_steps);
	}
	assert_true(vmem_check(&a->vm));
	free(live);
	arena_free(a);
	return max;
}

static void test_constant_time(void **state)
{
	struct steps few = max_steps(10), many = max_steps(100000);

	(void)state;
	/* One list head per alloc; the tag and two neighbours per free. */
	assert_int_equal(few.alloc, 1);
	assert_int_equal(many.alloc, 1);
	assert_int_equal(few.free, 3);
	assert_int_equal(many.free, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_init_rejects_bad_arguments),
		cmocka_unit_test(test_init_without_tags),
		cmocka_unit_test(test_alloc_rounds_up_and_takes_low_end),
		cmocka_unit_test(test_alloc_zero_asserts),
		cmocka_unit_test(test_alloc_exhaustion_changes_nothing),
		cmocka_unit_test(test_free_reports_size),
		cmocka_unit_test(test_free_errors),
		cmocka_unit_test(test_free_merges_neighbours),
		cmocka_unit_test(
		    test_instant_fit_prefers_a_list_that_surely_fits),
		cmocka_unit_test(test_fallback_searches_floor_list),
		cmocka_unit_test(test_no_tags_changes_nothing),
		cmocka_unit_test(test_add_tags),
		cmocka_unit_test(test_owner_cookie),
		cmocka_unit_test(test_size_of_non_allocations),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_check_catches_corruption),
		cmocka_unit_test(test_random_against_model),
		cmocka_unit_test(test_constant_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
