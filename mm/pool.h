/*
 * mm/pool.h - a pool of objects of one power-of-two size, cut from pages.
 *
 * A pool serves one size class, 16 bytes to PAGE_SIZE.  It cuts whole
 * pages into objects of that size ("slabs", Bonwick 1994, without the
 * constructors and colouring) and keeps the pages that have free objects
 * on its partial list.  Each page's free objects are on a list linked
 * through their first word.
 *
 * The pool never gets or gives back a page by itself: its owner does, the
 * only one who knows where pages come from and what the caller may wait
 * for or take.  The owner drives:
 *
 *	obj = pool_get(pp);
 *	if (obj == NULL) {		// nothing free: a page is needed
 *		page = ...the owner's page...;
 *		if (page == NULL)
 *			fail;
 *		pool_add_page(pp, page);
 *		obj = pool_get(pp);		// cannot fail now
 *	}
 *	...
 *	pool_put(pp, obj, &emptied);
 *	if (emptied != NULL)
 *		...the owner takes its page back...
 *
 *  - pool_get() takes the first free object of the first partial page:
 *    constant time.  With no partial page it uses the one kept empty page
 *    (below), if there is one, and otherwise returns NULL.
 *
 *  - pool_add_page() threads all the objects of a page onto the page's
 *    free list at once, at most PAGE_SIZE / 16 = 256 stores.  Cutting
 *    pages up lazily would save that, but would need a second kind of free
 *    object (never used) beside the free list; doing it at once keeps one
 *    kind, and the cost spread over the page's objects is constant.
 *
 *  - pool_put() pushes the object on its page's free list: constant time.
 *    A page that was full goes back on the partial list.  A page that is
 *    completely free again is handed back to the owner through pool_put()'s
 *    out-parameter, except that the pool keeps one such page: a pool whose
 *    use swings up and down across a page boundary would otherwise need
 *    and give back a page every time.  pool_drain() hands that page back
 *    too, when the owner needs it.
 *
 * Per-page records (struct pool_page) are not in the page, so that a
 * PAGE_SIZE class has a whole page per object.  The owner keeps one record
 * for every page of the region the pages come from, in a struct
 * pool_records shared by every pool of that region: on i386 a record is
 * 20 bytes per page of the region.  The record also says which pool holds
 * a page, which is how a free() that is given only an address finds the
 * pool.
 *
 * pool_put() rejects, without changing anything, an address that is not
 * in a page of this pool, not the start of an object (an interior
 * pointer), or already free.  Free objects carry a magic number in their
 * second word (objects have at least two words); a put that finds it
 * walks the page's free list (at most 256 objects) to tell a double free
 * from a live object that happens to hold the number.  A bitmap of free
 * objects would answer exactly, but would cost 32 bytes more per record.
 *
 * A pool does no locking; its owner serialises calls.
 */
#ifndef KIVA_MM_POOL_H
#define KIVA_MM_POOL_H

#include "kernel/lib/list.h"
#include "kernel/lib/types.h"

#define POOL_MINSIZE 16	/* the smallest class: two words on LP64 */

enum pool_error {
	POOL_OK = 0,
	POOL_NOT_OURS,		/* not in a page of this pool */
	POOL_INTERIOR,		/* in one, but not at the start of an object */
	POOL_DOUBLE_FREE,	/* the object is free already */
};

struct pool;

/* Per page of a pool_records' region.  Only mm/pool.c changes it. */
struct pool_page {
	struct list_node pg_link;	/* on the pool's partial list */
	struct pool_free *pg_free;	/* free objects on the page */
	struct pool *pg_pool;		/* holder, NULL if none */
	unsigned pg_nfree;		/* objects on pg_free */
};

/*
 * The records of every page of one region of kernel virtual addresses,
 * where the pages of a group of pools come from.
 */
struct pool_records {
	vaddr_t rs_base;
	size_t rs_npages;
	struct pool_page *rs_pages;	/* rs_npages records */
};

struct pool {
	const char *pr_name;
	struct pool_records *pr_records;
	size_t pr_size;			/* object size, a power of two */
	unsigned pr_perpage;		/* objects per page */
	struct list pr_partial;		/* pages with some free */
	struct pool_page *pr_empty;	/* a kept page with all free, or NULL */
	size_t pr_npages;		/* pages held, pr_empty included */
	uint64_t pr_nget;		/* successful pool_get()s */
	uint64_t pr_nput;		/* successful pool_put()s */
	uint64_t pr_nmiss;		/* pool_get()s that found none */
};

struct pool_stats {
	size_t ps_size;		/* object size */
	size_t ps_inuse;	/* objects allocated */
	size_t ps_npages;	/* pages held */
	uint64_t ps_nget;
	uint64_t ps_nput;
	uint64_t ps_nmiss;	/* the owner was asked for a page */
};

/*
 * Describe the region [base, base + npages * PAGE_SIZE), base page-aligned,
 * with records, an array of npages that pool_records_init() clears.
 */
void pool_records_init(struct pool_records *rs, vaddr_t base, size_t npages,
                       struct pool_page *records);

/*
 * The pool that holds the page of addr; NULL if none does.  Inline: it is
 * on kfree()'s fast path.  An address below rs_base wraps around to a
 * huge offset.
 */
static inline struct pool *pool_records_owner(const struct pool_records *rs,
                                              const void *addr)
{
	vaddr_t page = ((vaddr_t)addr - rs->rs_base) >> PAGE_SHIFT;

	return page < rs->rs_npages ? rs->rs_pages[page].pg_pool : NULL;
}

/* Set up pp for objects of size bytes, a power of two, 16 to PAGE_SIZE. */
void pool_init(struct pool *pp, const char *name, size_t size,
               struct pool_records *rs);

/*
 * An object of the pool's size, aligned to it; NULL when no object is free
 * and no empty page is kept: the owner then adds a page and asks again.
 */
void *pool_get(struct pool *pp);

/*
 * Give the pool page, a page-aligned PAGE_SIZE page of the records'
 * region that no pool holds, to cut into objects.  Only when the pool has
 * nothing free, as after pool_get() returned NULL.  All asserted.
 */
void pool_add_page(struct pool *pp, void *page);

/*
 * Give obj back.  Returns POOL_OK, or without changing anything:
 * POOL_NOT_OURS, POOL_INTERIOR or POOL_DOUBLE_FREE.  Sets *emptied to a
 * page that became free and that the pool does not keep, which is the
 * owner's again, or to NULL.
 */
enum pool_error pool_put(struct pool *pp, void *obj, void **emptied);

/*
 * Give up the kept empty page, if any: returns it, the owner's again, or
 * NULL.  For an owner short of pages, and before abandoning a pool that
 * has no objects out.
 */
void *pool_drain(struct pool *pp);

void pool_stats(const struct pool *pp, struct pool_stats *st);

/*
 * The free mark: the magic number a free object carries in its second
 * word (odd, so unlike the pointers objects often hold).  pool_put() sets
 * it and pool_get() clears it.  An owner that keeps free objects outside
 * the pool (mm/kmem.c's magazines) marks them too, so that freeing one
 * again is suspected at once, and clears the mark before it hands the
 * object out or gives it back with pool_put().
 */
#define POOL_FREE_MAGIC ((uintptr_t)0xf4eef4eef4eef4efULL)
#define POOL_MARK_WORD 1

static inline bool pool_marked_free(const void *obj)
{
	return ((const uintptr_t *)obj)[POOL_MARK_WORD] == POOL_FREE_MAGIC;
}

static inline void pool_mark_free(void *obj)
{
	((uintptr_t *)obj)[POOL_MARK_WORD] = POOL_FREE_MAGIC;
}

static inline void pool_clear_mark(void *obj)
{
	((uintptr_t *)obj)[POOL_MARK_WORD] = 0;
}

/* A short English name for err, for diagnostics. */
const char *pool_strerror(enum pool_error err);

/*
 * Check every invariant of pp, walking all the records of its region and
 * every free list.  Returns true if all hold; otherwise prints the first
 * broken one with kprintf() and returns false.
 */
bool pool_check(const struct pool *pp);

#endif
