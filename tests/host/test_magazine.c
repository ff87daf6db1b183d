/*
 * tests/host/test_magazine.c - unit tests for the magazines and the depot
 * (mm/magazine.c).
 *
 * The test plays the owner of mm/kmem.c: a "pool" of numbered objects,
 * CPUs with a cache each, one depot, and new magazines from calloc().  One
 * test per contract of mm/magazine.h, then a random run on four CPUs that
 * checks, after every step, that each object is in exactly one place (the
 * pool, a round of some magazine, or a caller's hands) and that the depot
 * holds only full and empty magazines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm/magazine.h"
#include "tests/host/test_rng.h"

#define NOBJ 600
#define NCPU 4

static char objs[NOBJ];

static struct magazine *new_magazine(void)
{
	struct magazine *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	return m;
}

/* Frees a detached list, returning its rounds' count. */
static unsigned free_list(struct magazine *list)
{
	unsigned rounds = 0;

	while (list != NULL) {
		struct magazine *next = list->m_next;
		rounds += list->m_rounds;
		free(list);
		list = next;
	}
	return rounds;
}

/*
 * Gives an empty cache two magazines from d, as kfree() does (one when it
 * has none, the second when the first is full), and fills both with
 * objs[0 .. 2 * MAG_ROUNDS).
 */
static void fill_two(struct mag_depot *d, struct mag_cache *c)
{
	int i;

	mag_depot_add_empty(d, new_magazine());
	mag_depot_add_empty(d, new_magazine());
	assert_true(mag_depot_load_empty(d, c));
	for (i = 0; i < MAG_ROUNDS; i++)
		assert_true(mag_put(c, &objs[i]));
	assert_false(mag_put(c, &objs[i]));
	assert_true(mag_depot_load_empty(d, c));
	for (; i < 2 * MAG_ROUNDS; i++)
		assert_true(mag_put(c, &objs[i]));
}

static void test_empty_cache_has_nothing(void **state)
{
	struct mag_cache c = { 0 };

	(void)state;
	assert_null(mag_get(&c));
	assert_null(mag_get_loaded(&c));
	assert_false(mag_put(&c, &objs[0]));
	assert_false(mag_put_loaded(&c, &objs[0]));
	assert_null(mag_cache_take(&c));
	assert_int_equal(mag_cache_rounds(&c), 0);
}

/* Puts fill loaded, then previous by swapping; gets come back LIFO. */
static void test_two_magazines_before_the_depot(void **state)
{
	struct mag_cache c = { 0 };
	struct mag_depot d = { 0 };
	int i;

	(void)state;
	fill_two(&d, &c);
	assert_int_equal(d.nempty, 0);
	assert_int_equal(d.nfull, 0);
	assert_false(mag_put(&c, &objs[2 * MAG_ROUNDS]));
	assert_int_equal(mag_cache_rounds(&c), 2 * MAG_ROUNDS);
	for (i = 2 * MAG_ROUNDS - 1; i >= 0; i--)
		assert_ptr_equal(mag_get(&c), &objs[i]);
	assert_null(mag_get(&c));
	assert_int_equal(free_list(mag_cache_take(&c)), 0);
}

/*
 * A pair alternating at a magazine boundary swaps loaded and previous and
 * never needs the depot.
 */
static void test_boundary_pair_stays_local(void **state)
{
	struct mag_cache c = { 0 };
	struct mag_depot d = { 0 };
	int i;

	(void)state;
	fill_two(&d, &c);
	for (i = 0; i < MAG_ROUNDS; i++)
		assert_non_null(mag_get(&c));
	/* loaded is empty, previous full: now alternate at the boundary. */
	for (i = 0; i < 1000; i++) {
		assert_ptr_equal(mag_get(&c), &objs[MAG_ROUNDS - 1]);
		assert_true(mag_put(&c, &objs[MAG_ROUNDS - 1]));
		assert_true(mag_put(&c, &objs[2 * MAG_ROUNDS]));
		assert_ptr_equal(mag_get(&c), &objs[2 * MAG_ROUNDS]);
	}
	assert_int_equal(d.nfull + d.nempty, 0);
	assert_int_equal(mag_cache_rounds(&c), MAG_ROUNDS);
	assert_int_equal(free_list(mag_cache_take(&c)), MAG_ROUNDS);
}

/* Full previous goes to the depot for an empty one; and back. */
static void test_depot_trades_full_for_empty(void **state)
{
	struct mag_cache a = { 0 }, b = { 0 };
	struct mag_depot d = { 0 };
	int i;

	(void)state;
	fill_two(&d, &a);
	i = 2 * MAG_ROUNDS;
	mag_depot_add_empty(&d, new_magazine());
	assert_true(mag_depot_load_empty(&d, &a));
	assert_int_equal(d.nfull, 1);
	assert_int_equal(d.nempty, 0);
	assert_false(mag_depot_load_empty(&d, &a));	/* none left */
	assert_true(mag_put(&a, &objs[i]));
	/* Another CPU, with nothing, takes the full one. */
	assert_null(mag_get(&b));
	assert_true(mag_depot_load_full(&d, &b));
	assert_int_equal(d.nfull, 0);
	for (i = 0; i < MAG_ROUNDS; i++)
		assert_non_null(mag_get(&b));
	assert_null(mag_get(&b));
	assert_false(mag_depot_load_full(&d, &b));
	assert_int_equal(free_list(mag_cache_take(&a)), 1 + MAG_ROUNDS);
	assert_int_equal(free_list(mag_cache_take(&b)), 0);
	assert_int_equal(free_list(mag_depot_take(&d)), 0);
}

/* Trading with the wrong magazines is the caller's bug: asserted. */
static void test_trades_assert_their_preconditions(void **state)
{
	struct mag_cache c = { 0 };
	struct mag_depot d = { 0 };
	struct magazine *full = new_magazine();

	(void)state;
	mag_depot_add_empty(&d, new_magazine());
	assert_true(mag_depot_load_empty(&d, &c));
	assert_true(mag_put(&c, &objs[0]));	/* loaded neither full */
	full->m_rounds = MAG_ROUNDS;		/* nor empty */
	d.full = full;
	d.nfull = 1;
	expect_assert_failure(mag_depot_load_full(&d, &c));
	mag_depot_add_empty(&d, new_magazine());
	expect_assert_failure(mag_depot_load_empty(&d, &c));
	assert_int_equal(free_list(mag_cache_take(&c)), 1);
	assert_int_equal(free_list(mag_depot_take(&d)), MAG_ROUNDS);
}

static void test_take_detaches_everything(void **state)
{
	struct mag_cache c = { 0 };
	struct mag_depot d = { 0 };
	int i;

	(void)state;
	fill_two(&d, &c);
	i = 2 * MAG_ROUNDS;
	mag_depot_add_empty(&d, new_magazine());
	mag_depot_add_empty(&d, new_magazine());
	assert_true(mag_depot_load_empty(&d, &c));	/* one full to d */
	assert_true(mag_put(&c, &objs[i]));
	assert_int_equal(free_list(mag_cache_take(&c)), MAG_ROUNDS + 1);
	assert_null(c.loaded);
	assert_null(c.previous);
	assert_int_equal(d.nfull, 1);
	assert_int_equal(d.nempty, 1);
	assert_int_equal(free_list(mag_depot_take(&d)), MAG_ROUNDS);
	assert_null(d.full);
	assert_null(d.empty);
	assert_int_equal(d.nfull + d.nempty, 0);
}

/* ------------------------------------------------------------ random run */

enum where { IN_POOL, IN_MAGAZINE, HELD };

struct model {
	enum where where[NOBJ];
	unsigned seen[NOBJ];
	struct mag_cache cpu[NCPU];
	struct mag_depot depot;
	unsigned held[NOBJ], nheld;
	unsigned pool[NOBJ], npool;
	unsigned magazines;	/* allocated, not yet freed */
};

static unsigned index_of(void *obj)
{
	return (unsigned)((char *)obj - objs);
}

/* What mm/kmem.c does on a kmalloc: magazine, depot, else the pool. */
static void model_get(struct model *m, unsigned cpu)
{
	struct mag_cache *c = &m->cpu[cpu];
	void *obj = mag_get(c);
	unsigned i;

	if (obj == NULL && mag_depot_load_full(&m->depot, c))
		assert_non_null(obj = mag_get(c));
	if (obj == NULL) {
		if (m->npool == 0)
			return;
		obj = &objs[m->pool[--m->npool]];
		assert_int_equal(m->where[index_of(obj)], IN_POOL);
	} else {
		assert_int_equal(m->where[index_of(obj)], IN_MAGAZINE);
	}
	i = index_of(obj);
	m->where[i] = HELD;
	m->held[m->nheld++] = i;
}

/* ... and on a kfree: magazine, depot, a new magazine, else the pool. */
static void model_put(struct model *m, unsigned cpu, unsigned k)
{
	struct mag_cache *c = &m->cpu[cpu];
	unsigned i = m->held[k];

	bool kept = mag_put(c, &objs[i]);

	m->held[k] = m->held[--m->nheld];
	if (!kept && !mag_depot_load_empty(&m->depot, c) &&
	    rng_below(4) != 0) {	/* a new magazine, unless short */
		mag_depot_add_empty(&m->depot, new_magazine());
		m->magazines++;
		assert_true(mag_depot_load_empty(&m->depot, c));
	}
	if (!kept && c->loaded != NULL)
		kept = mag_put(c, &objs[i]);
	m->where[i] = kept ? IN_MAGAZINE : IN_POOL;
	if (!kept)
		m->pool[m->npool++] = i;
}

/* Gives a detached list's rounds to the pool and frees the magazines. */
static void model_reclaim(struct model *m, struct magazine *list)
{
	while (list != NULL) {
		struct magazine *next = list->m_next;
		while (list->m_rounds > 0) {
			unsigned i = index_of(list->m_round[--list->m_rounds]);
			assert_int_equal(m->where[i], IN_MAGAZINE);
			m->where[i] = IN_POOL;
			m->pool[m->npool++] = i;
		}
		free(list);
		m->magazines--;
		list = next;
	}
}

static void count_rounds(struct model *m, const struct magazine *mg,
                         unsigned rounds)
{
	for (unsigned r = 0; r < rounds; r++) {
		unsigned i = index_of(mg->m_round[r]);
		assert_int_equal(m->where[i], IN_MAGAZINE);
		m->seen[i]++;
	}
}

/* Every object in exactly one place; the depot only full and empty. */
static void model_check(struct model *m)
{
	const struct magazine *mg;
	unsigned i, n;

	memset(m->seen, 0, sizeof(m->seen));
	for (i = 0; i < NCPU; i++) {
		const struct mag_cache *c = &m->cpu[i];
		if (c->loaded == NULL)
			assert_null(c->previous);
		else
			count_rounds(m, c->loaded, c->rounds);
		if (c->previous != NULL)
			count_rounds(m, c->previous, c->prounds);
		else
			assert_int_equal(c->prounds, 0);
		assert_true(c->rounds <= MAG_ROUNDS);
		assert_true(c->prounds <= MAG_ROUNDS);
	}
	for (n = 0, mg = m->depot.full; mg != NULL; mg = mg->m_next, n++) {
		assert_int_equal(mg->m_rounds, MAG_ROUNDS);
		count_rounds(m, mg, mg->m_rounds);
	}
	assert_int_equal(n, m->depot.nfull);
	for (n = 0, mg = m->depot.empty; mg != NULL; mg = mg->m_next, n++)
		assert_int_equal(mg->m_rounds, 0);
	assert_int_equal(n, m->depot.nempty);
	for (i = 0; i < m->npool; i++)
		m->seen[m->pool[i]]++;
	for (i = 0; i < m->nheld; i++)
		m->seen[m->held[i]]++;
	for (i = 0; i < NOBJ; i++)
		assert_int_equal(m->seen[i], 1);
}

static void test_random_against_a_model(void **state)
{
	static struct model m;
	unsigned step, i;

	(void)state;
	rng_seed(0x6d6167617a696e65ULL);	/* "magazine" */
	memset(&m, 0, sizeof(m));
	for (i = 0; i < NOBJ; i++)
		m.pool[m.npool++] = i;
	for (step = 0; step < 200000; step++) {
		unsigned cpu = rng_below(NCPU), dice = rng_below(1000);

		/* Phases drifting up and down: magazines fill and empty. */
		bool grow = (step / 5000) % 2 == 0;
		if (dice == 0) {
			model_reclaim(&m, mag_cache_take(&m.cpu[cpu]));
		} else if (dice == 1) {
			model_reclaim(&m, mag_depot_take(&m.depot));
		} else if (m.nheld > 0 && rng_below(100) < (grow ? 40u : 60u)) {
			model_put(&m, cpu, rng_below(m.nheld));
		} else {
			model_get(&m, cpu);
		}
		if (step % 97 == 0)
			model_check(&m);
	}
	model_check(&m);
	for (i = 0; i < NCPU; i++)
		model_reclaim(&m, mag_cache_take(&m.cpu[i]));
	model_reclaim(&m, mag_depot_take(&m.depot));
	assert_int_equal(m.magazines, 0);
	assert_int_equal(m.npool + m.nheld, NOBJ);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_cache_has_nothing),
		cmocka_unit_test(test_two_magazines_before_the_depot),
		cmocka_unit_test(test_boundary_pair_stays_local),
		cmocka_unit_test(test_depot_trades_full_for_empty),
		cmocka_unit_test(test_trades_assert_their_preconditions),
		cmocka_unit_test(test_take_detaches_everything),
		cmocka_unit_test(test_random_against_a_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
