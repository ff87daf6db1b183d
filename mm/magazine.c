/*
 * mm/magazine.c - magazines and the depot (see mm/magazine.h).
 *
 * The depot only ever receives a magazine that is exactly full or exactly
 * empty: mag_depot_load_full() hands back an empty previous, and
 * mag_depot_load_empty() a full one.  So a magazine loaded from the depot
 * always has all its rounds or all its room.
 */
#include "mm/magazine.h"

#include "kernel/lib/kassert.h"

static void swap(struct mag_cache *c)
{
	struct magazine *m = c->loaded;
	unsigned rounds = c->rounds;

	c->loaded = c->previous;
	c->rounds = c->prounds;
	c->previous = m;
	c->prounds = rounds;
}

void *mag_get(struct mag_cache *c)
{
	/* LAB 6: BEGIN SOLUTION */
	if (c->rounds == 0) {
		if (c->prounds == 0)
			return NULL;
		swap(c);
	}
	/* LAB 6: END SOLUTION */
	/* LAB 6: BEGIN HANDOUT
	/+ YOUR CODE HERE (lab 6): when loaded is empty and previous has
	   rounds, swap the two first (swap() is written). +/
	(void)swap;
	   END HANDOUT */
	return mag_get_loaded(c);
}

bool mag_put(struct mag_cache *c, void *obj)
{
	/* LAB 6: BEGIN SOLUTION */
	if (c->loaded == NULL)
		return false;
	if (c->rounds == MAG_ROUNDS) {
		if (c->previous == NULL || c->prounds == MAG_ROUNDS)
			return false;
		swap(c);
	}
	/* LAB 6: END SOLUTION */
	/* LAB 6: BEGIN HANDOUT
	/+ YOUR CODE HERE (lab 6): when loaded is full and previous has
	   room, swap the two first. +/
	   END HANDOUT */
	return mag_put_loaded(c, obj);
}

static struct magazine *pop(struct magazine **list, unsigned *n)
{
	struct magazine *m = *list;

	*list = m->m_next;
	m->m_next = NULL;
	--*n;
	return m;
}

static void push(struct magazine **list, unsigned *n, struct magazine *m)
{
	m->m_next = *list;
	*list = m;
	++*n;
}

/*
 * Loads m: loaded becomes previous, and the old previous, if any, goes to
 * the depot list that matches it (*list, counted by *n), its count of
 * rounds written back into it.
 */
static void load(struct mag_cache *c, struct magazine *m,
                 struct magazine **list, unsigned *n)
{
	if (c->previous != NULL) {
		c->previous->m_rounds = c->prounds;
		push(list, n, c->previous);
	}
	c->previous = c->loaded;
	c->prounds = c->rounds;
	c->loaded = m;
	c->rounds = m->m_rounds;
}

bool mag_depot_load_full(struct mag_depot *d, struct mag_cache *c)
{
	/* LAB 6: BEGIN SOLUTION */
	if (d->full == NULL)
		return false;
	KASSERT(c->rounds == 0 && c->prounds == 0);
	load(c, pop(&d->full, &d->nfull), &d->empty, &d->nempty);
	return true;
	/* LAB 6: END SOLUTION */
	/* LAB 6: BEGIN HANDOUT
	/+ YOUR CODE HERE (lab 6): a full magazine of the depot for the
	   CPU's empty pair, with load() and pop(); assert the pair is
	   empty.  Until then no magazine is ever loaded, and every kmalloc
	   and kfree goes to the pools. +/
	(void)d;
	(void)c;
	(void)load;
	(void)pop;
	return false;
	   END HANDOUT */
}

bool mag_depot_load_empty(struct mag_depot *d, struct mag_cache *c)
{
	/* LAB 6: BEGIN SOLUTION */
	if (d->empty == NULL)
		return false;
	KASSERT(c->loaded == NULL || c->rounds == MAG_ROUNDS);
	KASSERT(c->previous == NULL || c->prounds == MAG_ROUNDS);
	load(c, pop(&d->empty, &d->nempty), &d->full, &d->nfull);
	return true;
	/* LAB 6: END SOLUTION */
	/* LAB 6: BEGIN HANDOUT
	/+ YOUR CODE HERE (lab 6): an empty magazine of the depot for the
	   CPU's full pair (or for a CPU that has none yet). +/
	(void)d;
	(void)c;
	return false;
	   END HANDOUT */
}

void mag_depot_add_empty(struct mag_depot *d, struct magazine *m)
{
	KASSERT(m->m_rounds == 0);
	push(&d->empty, &d->nempty, m);
}

struct magazine *mag_cache_take(struct mag_cache *c)
{
	struct magazine *list = NULL;

	if (c->previous != NULL) {
		c->previous->m_rounds = c->prounds;
		c->previous->m_next = NULL;
		list = c->previous;
	}
	if (c->loaded != NULL) {
		c->loaded->m_rounds = c->rounds;
		c->loaded->m_next = list;
		list = c->loaded;
	}
	c->loaded = c->previous = NULL;
	c->rounds = c->prounds = 0;
	return list;
}

struct magazine *mag_depot_take(struct mag_depot *d)
{
	struct magazine *list = d->empty, **tail = &list;

	while (*tail != NULL)
		tail = &(*tail)->m_next;
	*tail = d->full;
	d->full = d->empty = NULL;
	d->nfull = d->nempty = 0;
	return list;
}

unsigned mag_cache_rounds(const struct mag_cache *c)
{
	return c->rounds + c->prounds;
}
