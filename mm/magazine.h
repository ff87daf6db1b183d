/*
 * mm/magazine.h - per-CPU magazines and their depot, in front of a pool
 * (Bonwick and Adams, "Magazines and Vmem", USENIX 2001, sections 3.1-3.3).
 *
 * A magazine is a small stack of free objects ("rounds") of one pool.
 * Each CPU keeps two magazines per pool, `loaded` and `previous`, that
 * only it touches (with its interrupts off, so no lock is needed):
 *
 *   mag_get()  pops a round from loaded; when loaded is empty and previous
 *              has rounds, swaps the two first.
 *   mag_put()  pushes onto loaded; when loaded is full and previous has
 *              room, swaps the two first.
 *
 * Only when both are empty (get) or both full (put) does the CPU go to the
 * pool's depot, a list of full magazines and a list of empty ones shared by
 * every CPU under the depot's lock: mag_depot_load_full() gives the CPU a
 * full magazine for an empty one, mag_depot_load_empty() an empty one for
 * a full one.  Keeping two magazines means a CPU that alternates gets and
 * puts across a magazine boundary swaps them locally instead of going to
 * the depot each time: with R rounds per magazine, at least R gets or R
 * puts pass between two depot visits (section 3.1).
 *
 * This file is pure logic: no locking, no allocation.  The caller (mm/kmem.c)
 * disables interrupts around the CPU's own magazines, holds the depot lock
 * around the mag_depot_*() calls, allocates new empty magazines and gives
 * the rounds of reclaimed magazines back to the pool.
 */
#ifndef KIVA_MM_MAGAZINE_H
#define KIVA_MM_MAGAZINE_H

#include "kernel/lib/types.h"

/*
 * Rounds per magazine: a magazine is then 64 bytes on i386 (a link, a
 * count and 14 pointers), one of the pools' size classes.  Bonwick and
 * Adams size magazines dynamically; a fixed size keeps this simple, and
 * 14 rounds already make the depot rare on a hot pair (a pair never leaves
 * the loaded magazine).
 */
#define MAG_ROUNDS 14

struct magazine {
	struct magazine *m_next;	/* on a depot list, or a detached one */
	unsigned m_rounds;		/* rounds in m_round[0 .. m_rounds),
					   unless loaded (struct mag_cache) */
	void *m_round[MAG_ROUNDS];
};

/*
 * One CPU's magazines for one pool.  loaded == NULL means the CPU has none
 * yet (and then previous is NULL too); previous may be NULL alone.  The
 * counts of their rounds are kept here, beside the pointers, not in the
 * magazines (whose m_rounds is stale while they are loaded): the fast path
 * then reads the count without first loading the magazine's address, as
 * Solaris's cpu caches do (cc_rounds).  A missing magazine has 0.
 */
struct mag_cache {
	struct magazine *loaded;
	struct magazine *previous;
	unsigned rounds;	/* in loaded */
	unsigned prounds;	/* in previous */
};

/* One pool's depot; the caller's lock guards it. */
struct mag_depot {
	struct magazine *full;		/* each with MAG_ROUNDS rounds */
	struct magazine *empty;		/* each with no round */
	unsigned nfull, nempty;
};

/*
 * The fast path, inline: a round of loaded, or NULL when it has none;
 * room in loaded for obj, or false.
 */
static inline void *mag_get_loaded(struct mag_cache *c)
{
	return c->rounds > 0 ? c->loaded->m_round[--c->rounds] : NULL;
}

static inline bool mag_put_loaded(struct mag_cache *c, void *obj)
{
	if (c->loaded == NULL || c->rounds == MAG_ROUNDS)
		return false;
	c->loaded->m_round[c->rounds++] = obj;
	return true;
}

/* A round from the CPU's magazines, or NULL when both are empty. */
void *mag_get(struct mag_cache *c);

/* Keeps obj in the CPU's magazines; false when both are full (or none). */
bool mag_put(struct mag_cache *c, void *obj);

/*
 * After mag_get() returned NULL: trades the CPU's empty previous magazine
 * for a full one of the depot, which becomes loaded.  False, changing
 * nothing, when the depot has no full magazine.
 */
bool mag_depot_load_full(struct mag_depot *d, struct mag_cache *c);

/*
 * After mag_put() returned false: trades the CPU's full previous magazine
 * for an empty one of the depot, which becomes loaded.  False, changing
 * nothing, when the depot has no empty magazine: the caller may then give
 * it a new one (mag_depot_add_empty()) and ask again.
 */
bool mag_depot_load_empty(struct mag_depot *d, struct mag_cache *c);

/* Gives the depot a new magazine, which the caller zeroed or emptied. */
void mag_depot_add_empty(struct mag_depot *d, struct magazine *m);

/*
 * Reclaiming: detach every magazine, returned as a list through m_next
 * (NULL when there are none), for the caller to give the rounds back to
 * the pool and free the magazines.
 */
struct magazine *mag_cache_take(struct mag_cache *c);
struct magazine *mag_depot_take(struct mag_depot *d);

/* Rounds held by a cache (for statistics). */
unsigned mag_cache_rounds(const struct mag_cache *c);

#endif
