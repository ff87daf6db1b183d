/*
 * mm/pool.c - pools of equal-size objects; mm/pool.h describes the design.
 *
 * Notes on the implementation:
 *
 *  - A free object is a struct pool_free laid over its first two words:
 *    a link and the magic.  So a page's free objects are a one-way stack,
 *    not a kernel/lib/list.h list, whose two links would leave no room
 *    for the magic in a 16-byte object on LP64.  pool_get() clears the
 *    magic word, so that a live object carries it only if its user wrote
 *    it there; pool_put() then rarely has to walk a free list to rule out
 *    a double free.
 *
 *  - Objects are aligned to their size within a page-aligned page, so
 *    "is obj the start of an object" is a mask test.
 *
 *  - The pool's partial list has the pages with 1 to perpage - 1 free
 *    objects.  Full pages are on no list (nothing needs to find them; the
 *    record of an object's page is found from its address), and the one
 *    kept empty page is in pr_empty; a page pool_add_page() is given
 *    becomes that kept page, since it can only be given when there is
 *    none.  So pg_link is linked exactly while the page is partial.
 */
#include "mm/pool.h"

#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/kstring.h"

struct pool_free {
	struct pool_free *pf_next;
	uintptr_t pf_magic;
};

_Static_assert(sizeof(struct pool_free) <= POOL_MINSIZE,
               "a free object's links do not fit the smallest class");
_Static_assert(offsetof(struct pool_free, pf_magic) ==
                   POOL_MARK_WORD * sizeof(uintptr_t),
               "the mark is where pool.h reads it");

/* The record of the page of addr, or NULL if addr is not in the region. */
static struct pool_page *record_of(const struct pool_records *rs,
                                   const void *addr)
{
	vaddr_t off = (vaddr_t)addr - rs->rs_base;

	/* An address below rs_base wraps around to a huge offset. */
	if (off >> PAGE_SHIFT >= rs->rs_npages)
		return NULL;
	return &rs->rs_pages[off >> PAGE_SHIFT];
}

/* The page that record pg describes. */
static char *record_page(const struct pool_records *rs,
                         const struct pool_page *pg)
{
	return (char *)(rs->rs_base + (vaddr_t)(pg - rs->rs_pages) * PAGE_SIZE);
}

void pool_records_init(struct pool_records *rs, vaddr_t base, size_t npages,
                       struct pool_page *records)
{
	KASSERT((base & PAGE_MASK) == 0);
	rs->rs_base = base;
	rs->rs_npages = npages;
	rs->rs_pages = records;
	memset(records, 0, npages * sizeof(*records));
}

void pool_init(struct pool *pp, const char *name, size_t size,
               struct pool_records *rs)
{
	KASSERT(size >= POOL_MINSIZE && size <= PAGE_SIZE);
	KASSERT((size & (size - 1)) == 0);
	memset(pp, 0, sizeof(*pp));
	pp->pr_name = name;
	pp->pr_records = rs;
	pp->pr_size = size;
	pp->pr_perpage = PAGE_SIZE / size;
	list_init(&pp->pr_partial);
}

/* The first page on the partial list, which is not empty. */
static struct pool_page *partial_first(const struct pool *pp)
{
	return list_entry(list_front(&pp->pr_partial), struct pool_page,
	                  pg_link);
}

/* Take the first free object of pg, the first page on the partial list. */
static void *page_take(struct pool *pp, struct pool_page *pg)
{
	struct pool_free *f = pg->pg_free;

	pg->pg_free = f->pf_next;
	f->pf_magic = 0;
	if (--pg->pg_nfree == 0)
		list_remove(&pg->pg_link);	/* full: on no list */
	pp->pr_nget++;
	return f;
}

/*
 * pool_get() with no partial page: use the kept empty page, or tell the
 * owner that a page is needed.  Kept out of line so that pool_get()
 * itself makes no call and so saves no registers on its fast path.
 */
__attribute__((noinline)) static void *pool_get_kept(struct pool *pp)
{
	struct pool_page *pg = pp->pr_empty;

	if (pg == NULL) {
		pp->pr_nmiss++;
		return NULL;
	}
	pp->pr_empty = NULL;
	list_push_front(&pp->pr_partial, &pg->pg_link);
	return page_take(pp, pg);
}

void *pool_get(struct pool *pp)
{
	if (list_empty(&pp->pr_partial))
		return pool_get_kept(pp);
	return page_take(pp, partial_first(pp));
}

void pool_add_page(struct pool *pp, void *page)
{
	struct pool_page *pg = record_of(pp->pr_records, page);
	struct pool_free *f;
	unsigned i;

	KASSERT(pg != NULL && pg->pg_pool == NULL);
	KASSERT(((vaddr_t)page & PAGE_MASK) == 0);
	KASSERT(list_empty(&pp->pr_partial) && pp->pr_empty == NULL);
	pg->pg_pool = pp;
	pg->pg_free = NULL;
	/* From the top down, so that the list runs in address order. */
	for (i = pp->pr_perpage; i-- > 0;) {
		f = (struct pool_free *)((char *)page + i * pp->pr_size);
		f->pf_next = pg->pg_free;
		f->pf_magic = POOL_FREE_MAGIC;
		pg->pg_free = f;
	}
	pg->pg_nfree = pp->pr_perpage;
	pp->pr_npages++;
	/* All free: it is the kept page, which pool_get() takes next. */
	pp->pr_empty = pg;
}

/* Is f on pg's free list?  Only asked when f carries the magic. */
static bool page_has_free(const struct pool_page *pg, const struct pool_free *f)
{
	const struct pool_free *p;

	for (p = pg->pg_free; p != NULL; p = p->pf_next) {
		if (p == f)
			return true;
	}
	return false;
}

/* pg, all of whose objects are free and which is on no list, leaves pp. */
static void *page_release(struct pool *pp, struct pool_page *pg)
{
	pg->pg_pool = NULL;
	pp->pr_npages--;
	return record_page(pp->pr_records, pg);
}

/*
 * All of pg is free again: keep it if no other page is kept, else hand it
 * to the owner through *emptied.  Out of line, like pool_get_kept(), so
 * that pool_put() makes no call on its fast path.
 */
__attribute__((noinline)) static void
page_empty(struct pool *pp, struct pool_page *pg, void **emptied)
{
	list_remove(&pg->pg_link);
	if (pp->pr_empty == NULL)
		pp->pr_empty = pg;
	else
		*emptied = page_release(pp, pg);
}

enum pool_error pool_put(struct pool *pp, void *obj, void **emptied)
{
	struct pool_page *pg = record_of(pp->pr_records, obj);
	struct pool_free *f = obj;

	*emptied = NULL;
	if (pg == NULL || pg->pg_pool != pp)
		return POOL_NOT_OURS;
	if (((vaddr_t)obj & (pp->pr_size - 1)) != 0)
		return POOL_INTERIOR;
	if (f->pf_magic == POOL_FREE_MAGIC && page_has_free(pg, f))
		return POOL_DOUBLE_FREE;
	f->pf_next = pg->pg_free;
	f->pf_magic = POOL_FREE_MAGIC;
	pg->pg_free = f;
	pp->pr_nput++;
	if (++pg->pg_nfree == 1)	/* it was full */
		list_push_front(&pp->pr_partial, &pg->pg_link);
	if (pg->pg_nfree == pp->pr_perpage)
		page_empty(pp, pg, emptied);
	return POOL_OK;
}

void *pool_drain(struct pool *pp)
{
	struct pool_page *pg = pp->pr_empty;

	if (pg == NULL)
		return NULL;
	pp->pr_empty = NULL;
	return page_release(pp, pg);
}

void pool_stats(const struct pool *pp, struct pool_stats *st)
{
	st->ps_size = pp->pr_size;
	st->ps_inuse = (size_t)(pp->pr_nget - pp->pr_nput);
	st->ps_npages = pp->pr_npages;
	st->ps_nget = pp->pr_nget;
	st->ps_nput = pp->pr_nput;
	st->ps_nmiss = pp->pr_nmiss;
}

const char *pool_strerror(enum pool_error err)
{
	switch (err) {
	case POOL_OK: return "no error";
	case POOL_NOT_OURS: return "not in a page of this pool";
	case POOL_INTERIOR: return "not the start of an object";
	case POOL_DOUBLE_FREE: return "object already free";
	}
	return "unknown pool error";
}

/*
 * Report a broken invariant for pool_check(), with the address it
 * concerns; returns false.
 */
static bool check_failed(const struct pool *pp, const char *what,
                         const void *addr)
{
	kprintf("pool %s: %s (%p)\n", pp->pr_name, what, addr);
	return false;
}

/* Check the free list of one page held by pp. */
static bool check_page(const struct pool *pp, const struct pool_page *pg)
{
	const char *page = record_page(pp->pr_records, pg);
	const struct pool_free *f;
	size_t n = 0, off;

	if (pg->pg_nfree > pp->pr_perpage)
		return check_failed(pp, "too many free objects", page);
	/* A list with a repeat loops: stop counting past pg_nfree. */
	for (f = pg->pg_free; f != NULL && n <= pg->pg_nfree; f = f->pf_next) {
		off = (size_t)((const char *)f - page);
		if (off >= PAGE_SIZE || off % pp->pr_size != 0)
			return check_failed(pp, "bad free object", f);
		if (f->pf_magic != POOL_FREE_MAGIC)
			return check_failed(pp, "free object without magic", f);
		n++;
	}
	if (n != pg->pg_nfree)
		return check_failed(pp, "free count is wrong", page);
	return true;
}

/* Check that the partial list holds exactly the partly free pages. */
static bool check_partial(const struct pool *pp, size_t npartial)
{
	const struct list_node *n, *prev = &pp->pr_partial.head;
	const struct pool_page *pg;

	list_for_each(n, &pp->pr_partial)
	{
		pg = list_entry(n, struct pool_page, pg_link);
		if (pg->pg_pool != pp || n->prev != prev || pg->pg_nfree == 0 ||
		    pg->pg_nfree == pp->pr_perpage)
			return check_failed(pp, "partial list broken",
			                    record_page(pp->pr_records, pg));
		/* Each step checks a distinct page, or the count runs out. */
		if (npartial-- == 0)
			return check_failed(pp, "page on partial list twice",
			                    record_page(pp->pr_records, pg));
		prev = n;
	}
	if (npartial != 0)
		return check_failed(pp, "partial page not on the list", NULL);
	return true;
}

bool pool_check(const struct pool *pp)
{
	const struct pool_records *rs = pp->pr_records;
	const struct pool_page *pg;
	size_t i, npages = 0, npartial = 0, inuse = 0;

	for (i = 0; i < rs->rs_npages; i++) {
		pg = &rs->rs_pages[i];
		if (pg->pg_pool != pp)
			continue;
		if (!check_page(pp, pg))
			return false;
		if (pg->pg_nfree == pp->pr_perpage && pg != pp->pr_empty)
			return check_failed(pp, "empty page not given back",
			                    record_page(rs, pg));
		if (pg->pg_nfree > 0 && pg->pg_nfree < pp->pr_perpage)
			npartial++;
		inuse += pp->pr_perpage - pg->pg_nfree;
		npages++;
	}
	if (pp->pr_empty != NULL && (pp->pr_empty->pg_pool != pp ||
	                             pp->pr_empty->pg_nfree != pp->pr_perpage))
		return check_failed(pp, "kept page not empty", NULL);
	if (npages != pp->pr_npages)
		return check_failed(pp, "page count is wrong", NULL);
	if (inuse != pp->pr_nget - pp->pr_nput)
		return check_failed(pp, "objects in use miscounted", NULL);
	return check_partial(pp, npartial);
}
