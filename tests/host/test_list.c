/*
 * tests/host/test_list.c - unit tests for kernel/lib/list.h.
 *
 * A list is right when walking it forward and backward both give the
 * elements the operations put there, in order.  So every test keeps a
 * model, a plain array of the expected elements, and compares the list
 * with it in both directions after each step: first small hand-made cases
 * (the empty list, one element, the ends), then 200,000 random operations
 * on 64 elements.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel/lib/list.h"
#include "tests/host/test_rng.h"

#define NITEMS 64
#define RANDOM_STEPS 200000

struct item {
	int id;
	struct list_node link;
};

static struct item items[NITEMS];
static int model[NITEMS];	/* ids, first to last */
static int nmodel;

static void reset(struct list *l)
{
	list_init(l);
	nmodel = 0;
	for (int i = 0; i < NITEMS; i++)
		items[i] = (struct item){ .id = i };
}

/* The list holds exactly model[0..nmodel), forward and backward. */
static void check(const struct list *l)
{
	const struct list_node *n;
	int i = 0;

	list_for_each(n, l) {
		assert_true(i < nmodel);
		assert_int_equal(list_entry(n, struct item, link)->id,
		                 model[i]);
		i++;
	}
	assert_int_equal(i, nmodel);
	for (n = list_back(l); n != NULL; n = list_prev(l, n))
		assert_int_equal(list_entry(n, struct item, link)->id,
		                 model[--i]);
	assert_int_equal(i, 0);
	assert_int_equal(list_empty(l), nmodel == 0);
}

static void model_insert(int at, int id)
{
	for (int i = nmodel; i > at; i--)
		model[i] = model[i - 1];
	model[at] = id;
	nmodel++;
}

static void model_remove(int at)
{
	for (int i = at; i + 1 < nmodel; i++)
		model[i] = model[i + 1];
	nmodel--;
}

static void empty_list_has_no_ends(void **state)
{
	static struct list stat = LIST_INIT(stat);
	struct list l;

	(void)state;
	reset(&l);
	check(&l);
	assert_null(list_front(&l));
	assert_null(list_back(&l));
	assert_null(list_pop_front(&l));
	assert_true(list_empty(&stat));
	assert_null(list_front(&stat));
}

static void push_pop_and_remove_at_the_ends(void **state)
{
	struct list l;

	(void)state;
	reset(&l);
	list_push_back(&l, &items[1].link);
	model_insert(0, 1);
	list_push_front(&l, &items[0].link);
	model_insert(0, 0);
	list_push_back(&l, &items[2].link);
	model_insert(2, 2);
	check(&l);
	assert_ptr_equal(list_pop_front(&l), &items[0].link);
	model_remove(0);
	assert_false(list_linked(&items[0].link));
	check(&l);
	list_remove(&items[2].link);	/* the last */
	model_remove(1);
	check(&l);
	list_remove(&items[1].link);	/* the only one */
	model_remove(0);
	check(&l);
	assert_true(list_empty(&l));
}

static void insert_next_to_a_node(void **state)
{
	struct list l;

	(void)state;
	reset(&l);
	list_push_back(&l, &items[5].link);
	model_insert(0, 5);
	list_insert_after(&items[5].link, &items[7].link);
	model_insert(1, 7);
	list_insert_before(&items[7].link, &items[6].link);
	model_insert(1, 6);
	list_insert_before(&items[5].link, &items[4].link);
	model_insert(0, 4);
	check(&l);
	assert_ptr_equal(list_next(&l, &items[6].link), &items[7].link);
	assert_null(list_next(&l, &items[7].link));
	assert_null(list_prev(&l, &items[4].link));
}

/* Removing while walking, with list_for_each_safe. */
static void safe_walk_may_remove(void **state)
{
	struct list_node *n, *tmp;
	struct list l;

	(void)state;
	reset(&l);
	for (int i = 0; i < 10; i++) {
		list_push_back(&l, &items[i].link);
		model_insert(i, i);
	}
	list_for_each_safe(n, tmp, &l)
		if (list_entry(n, struct item, link)->id % 2 == 1)
			list_remove(n);
	for (int i = 9; i >= 0; i--)
		if (i % 2 == 1)
			model_remove(i);
	check(&l);
}

/* Where the model has element id, or -1. */
static int model_find(int id)
{
	for (int i = 0; i < nmodel; i++)
		if (model[i] == id)
			return i;
	return -1;
}

static void random_operations_match_the_model(void **state)
{
	struct list l;

	(void)state;
	reset(&l);
	rng_seed(0x11575);
	for (int step = 0; step < RANDOM_STEPS; step++) {
		int id = (int)rng_below(NITEMS), at = model_find(id);
		struct list_node *n = &items[id].link;

		if (at >= 0) {		/* on the list: take it off */
			if (rng_below(2) == 0 && at == 0) {
				assert_ptr_equal(list_pop_front(&l), n);
			} else {
				list_remove(n);
			}
			model_remove(at);
			assert_false(list_linked(n));
		} else if (nmodel > 0 && rng_below(2) == 0) {
			int near = (int)rng_below((uint32_t)nmodel);
			struct list_node *pos = &items[model[near]].link;

			if (rng_below(2) == 0) {
				list_insert_after(pos, n);
				model_insert(near + 1, id);
			} else {
				list_insert_before(pos, n);
				model_insert(near, id);
			}
		} else if (rng_below(2) == 0) {
			list_push_front(&l, n);
			model_insert(0, id);
		} else {
			list_push_back(&l, n);
			model_insert(nmodel, id);
		}
		assert_true(list_linked(n) == (model_find(id) >= 0));
		check(&l);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_list_has_no_ends),
		cmocka_unit_test(push_pop_and_remove_at_the_ends),
		cmocka_unit_test(insert_next_to_a_node),
		cmocka_unit_test(safe_walk_may_remove),
		cmocka_unit_test(random_operations_match_the_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
