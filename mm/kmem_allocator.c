/*
 * mm/kmem_allocator.c - an allocator: arena, pools and frames.
 *
 * Getting memory for a request of `size` bytes, top-down:
 *
 *   size <= max_object  pool_get() from pools[type][class]; when the pool
 *                       has nothing free, backed_pages_alloc() one page
 *                       and pool_add_page() it, then pool_get() again.
 *   larger              backed_pages_alloc() whole pages.
 *
 *   backed_pages_alloc  VA from the arena (vmem_alloc(), after supplying
 *                       a page of boundary tags if vmem_wants_tags()),
 *                       then paging_back_page() for each page: a fresh
 *                       frame, high memory first, and its page-table
 *                       entry.
 *
 * Giving memory back is the same in reverse: pool_put() may hand back a
 * page that became empty, and backed_pages_free() unmaps its frames and
 * gives its VA back to the arena.
 *
 * In kmem_map every page table exists from boot (mm/kva.h), so backing a
 * page only writes an entry that is already there: that is what makes
 * this path safe in an interrupt handler.  In kernel_map the first page in
 * a 2 MiB span may need a new page table, which paging_back_page() asserts
 * happens in thread context; kmem.c only sends M_NOINTR requests here,
 * and M_NOINTR is refused in interrupt context.
 *
 * Boundary tags for the arena live in low frames, reached through the
 * direct map, which needs no mapping and so works in any context.
 */
#include "mm/kmem_allocator.h"

#include "kernel/debug/panic.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/kstring.h"
#include "mm/paging.h"
#include "mm/pmm.h"

/*
 * kmem_map keeps one page in RESERVE_FRACTION of its VA for interrupt
 * handlers, at least RESERVE_MIN_PAGES and at most what the frame
 * allocator's reserve can back (PMM_RESERVE_MAX).
 */
#define RESERVE_FRACTION 32
#define RESERVE_MIN_PAGES 8

/* An allocated segment's owner cookie says its malloc type. */
static const char type_cookies[M_NTYPES];

size_t kmem_allocator_round(const struct kmem_allocator *a, size_t size)
{
	if (size <= a->max_object)
		return kmem_allocator_class_size(kmem_allocator_class(size));
	return ROUND_UP(size, (size_t)PAGE_SIZE);
}

size_t kmem_allocator_index_bytes(size_t size)
{
	return size / PAGE_SIZE * sizeof(struct vmem_btag *);
}

size_t kmem_allocator_records_bytes(size_t size)
{
	return size / PAGE_SIZE * sizeof(struct pool_page);
}

/* The page_alloc() flag of a request: handlers may use the reserve. */
static int context_flag(bool interrupt)
{
	return interrupt ? PMM_INTR : 0;
}

/*
 * Gives the arena a page of boundary tags, if a low frame can be had.  An
 * interrupt handler's request may need a new tag page as much as a new
 * page of memory, so it may take a reserve frame for it too: that is why
 * the reserve holds low frames.
 */
static void supply_tags(struct kmem_allocator *a, bool interrupt)
{
	struct page *p = page_alloc(0, PMM_LOW | context_flag(interrupt));

	if (p != NULL)
		vmem_add_tags(&a->arena, page_to_virt(p));
}

static void unback(vaddr_t va, size_t size)
{
	for (size_t off = 0; off < size; off += PAGE_SIZE) {
		pte_t old = paging_unmap_kernel(va + off);
		KASSERT(old & PTE_P);
		page_free(phys_to_page(pte_addr(old)), 0);
	}
}

/* Maps a fresh frame behind every page of [va, va + size), or none. */
static bool back(vaddr_t va, size_t size, bool interrupt)
{
	int frame_flags = PMM_ANY | context_flag(interrupt);

	for (size_t off = 0; off < size; off += PAGE_SIZE) {
		if (paging_back_page(paging_kernel_pd(), va + off,
		                     paging_kernel_data_flags(),
		                     frame_flags) == NULL) {
			unback(va, off);
			return false;
		}
	}
	return true;
}

/* VA for size bytes; thread context leaves the reserve's pages alone. */
static vaddr_t take_va(struct kmem_allocator *a, size_t size, bool interrupt)
{
	size_t keep = interrupt ? 0 : (size_t)a->reserve_pages * PAGE_SIZE;

	if (a->arena.vm_size - a->arena.vm_inuse < size + keep)
		return VMEM_FAIL;
	/* Without a new tag page, only an exact fit can succeed. */
	if (vmem_wants_tags(&a->arena))
		supply_tags(a, interrupt);
	return vmem_alloc(&a->arena, size);
}

/* Whole pages of VA, each backed by a fresh frame; VMEM_FAIL if none. */
static vaddr_t backed_pages_alloc(struct kmem_allocator *a, size_t size,
                                  bool interrupt)
{
	vaddr_t va = take_va(a, size, interrupt);

	if (va == VMEM_FAIL)
		return VMEM_FAIL;
	if (!back(va, size, interrupt)) {
		vmem_free(&a->arena, va, NULL);
		return VMEM_FAIL;
	}
	return va;
}

/* Gives back pages from backed_pages_alloc(): frames, then VA. */
static void backed_pages_free(struct kmem_allocator *a, vaddr_t va,
                              size_t size)
{
	enum vmem_error err;

	unback(va, size);
	err = vmem_free(&a->arena, va, NULL);
	KASSERT(err == VMEM_OK);
}

void kmem_allocator_init(struct kmem_allocator *a, const char *name,
                         bool nointr, struct spinlock *lock, vaddr_t base,
                         size_t size, void *index, void *records)
{
	static const char *const class_names[KMEM_NCLASSES] = {
		"16", "32", "64", "128", "256", "512", "1024", "2048", "4096"
	};
	struct page *tags = page_alloc(0, PMM_LOW);	/* supply_tags() */
	enum vmem_error err;

	a->name = name;
	a->nointr = nointr;
	a->max_object = nointr ? PAGE_SIZE : PAGE_SIZE / 2;
	a->lock = lock;
	err = vmem_init(&a->arena, name, base, size, PAGE_SIZE, index,
	                tags != NULL ? page_to_virt(tags) : NULL);
	KASSERT(err == VMEM_OK);	/* mm_init() checked low memory */
	pool_records_init(&a->records, base, size / PAGE_SIZE, records);
	for (int t = 0; t < M_NTYPES; t++)
		for (unsigned c = 0; c < KMEM_NCLASSES; c++)
			pool_init(&a->pools[t][c], class_names[c],
			          (size_t)1 << (KMEM_MIN_SHIFT + c),
			          &a->records);
	if (!nointr)
		a->reserve_pages = (unsigned)MIN(PMM_RESERVE_MAX,
		                                 MAX(RESERVE_MIN_PAGES,
		                                     size / PAGE_SIZE /
		                                     RESERVE_FRACTION));
}

/* An object of pool pp, adding a page to the pool if it has none free. */
static void *alloc_object(struct kmem_allocator *a, struct pool *pp,
                          bool interrupt)
{
	void *obj = pool_get(pp);
	vaddr_t page;

	if (obj != NULL)
		return obj;
	page = backed_pages_alloc(a, PAGE_SIZE, interrupt);
	if (page == VMEM_FAIL)
		return NULL;
	if (a->zero_new_pages)
		memset((void *)page, 0, PAGE_SIZE);
	pool_add_page(pp, (void *)page);
	return pool_get(pp);
}

void *kmem_allocator_alloc(struct kmem_allocator *a, size_t size, int type,
                           bool interrupt)
{
	vaddr_t va;

	KASSERT(spin_held(a->lock));
	if (size <= a->max_object)
		return alloc_object(a,
		                    &a->pools[type][kmem_allocator_class(size)],
		                    interrupt);
	va = backed_pages_alloc(a, ROUND_UP(size, (size_t)PAGE_SIZE),
	                        interrupt);
	if (va != VMEM_FAIL)
		vmem_set_owner(&a->arena, va, (void *)&type_cookies[type]);
	return (void *)va;
}

static int pool_type(const struct kmem_allocator *a, const struct pool *pp)
{
	return (int)((pp - &a->pools[0][0]) / KMEM_NCLASSES);
}

static enum kmem_free_error free_object(struct kmem_allocator *a,
                                        struct pool *pp, void *p, int *type,
                                        size_t *size)
{
	void *emptied;

	switch (pool_put(pp, p, &emptied)) {
	case POOL_OK:
		if (emptied != NULL)
			backed_pages_free(a, (vaddr_t)emptied, PAGE_SIZE);
		*type = pool_type(a, pp);
		*size = pp->pr_size;
		return KMEM_FREE_OK;
	case POOL_DOUBLE_FREE:
		return KMEM_FREE_DOUBLE;
	case POOL_INTERIOR:
		return KMEM_FREE_INTERIOR;
	case POOL_NOT_OURS:
		break;
	}
	return KMEM_FREE_UNKNOWN;
}

static enum kmem_free_error free_pages(struct kmem_allocator *a, vaddr_t va,
                                       int *type, size_t *size)
{
	const char *cookie = vmem_owner(&a->arena, va);

	/* vmem_free() says whether va starts an allocation, and its size. */
	switch (vmem_free(&a->arena, va, size)) {
	case VMEM_OK:
		/* Still under the lock: nobody can reuse the VA before this. */
		unback(va, *size);
		*type = (int)(cookie - type_cookies);
		return KMEM_FREE_OK;
	case VMEM_INTERIOR:
		return KMEM_FREE_INTERIOR;
	default:
		return KMEM_FREE_UNKNOWN;
	}
}

enum kmem_free_error kmem_allocator_free(struct kmem_allocator *a, void *p,
                                         int *type, size_t *size)
{
	struct pool *pp;

	KASSERT(spin_held(a->lock));
	pp = pool_records_owner(&a->records, p);
	if (pp != NULL)
		return free_object(a, pp, p, type, size);
	return free_pages(a, (vaddr_t)p, type, size);
}

size_t kmem_allocator_size_of(struct kmem_allocator *a, const void *p)
{
	struct pool *pp;

	KASSERT(spin_held(a->lock));
	pp = pool_records_owner(&a->records, p);
	return pp != NULL ? pp->pr_size : vmem_size(&a->arena, (vaddr_t)p);
}

bool kmem_allocator_can_ever_hold(const struct kmem_allocator *a,
                                  size_t size, bool interrupt)
{
	size_t keep = interrupt ? 0 : (size_t)a->reserve_pages * PAGE_SIZE;
	uint64_t frames = ROUND_UP((uint64_t)size, PAGE_SIZE) / PAGE_SIZE;

	return size <= a->arena.vm_size - keep && frames <= pmm_managed_pages();
}

bool kmem_allocator_lacks_va(struct kmem_allocator *a, size_t size,
                             bool interrupt, size_t *asked)
{
	size_t keep = interrupt ? 0 : (size_t)a->reserve_pages * PAGE_SIZE;
	struct vmem_stats vs;

	KASSERT(spin_held(a->lock));
	*asked = size <= a->max_object ? (size_t)PAGE_SIZE
	                               : ROUND_UP(size, (size_t)PAGE_SIZE);
	vmem_stats(&a->arena, &vs);
	return vs.vs_free < *asked + keep || vs.vs_largest < *asked;
}

void kmem_allocator_drain(struct kmem_allocator *a)
{
	void *page;

	KASSERT(spin_held(a->lock));
	for (int t = 0; t < M_NTYPES; t++)
		for (unsigned c = 0; c < KMEM_NCLASSES; c++)
			if ((page = pool_drain(&a->pools[t][c])) != NULL)
				backed_pages_free(a, (vaddr_t)page, PAGE_SIZE);
}

void kmem_allocator_stats(struct kmem_allocator *a,
                          struct kmem_allocator_stats *st)
{
	struct vmem_stats vs;

	/* A panic's report reads unlocked: the holder may be stopped. */
	KASSERT(spin_held(a->lock) || panic_in_progress());
	vmem_stats(&a->arena, &vs);
	st->size = vs.vs_size;
	st->used = vs.vs_inuse;
	st->free = vs.vs_free;
	st->largest_free = vs.vs_largest;
}

vaddr_t kmem_allocator_alloc_guarded(struct kmem_allocator *a, size_t size,
                                     int type)
{
	vaddr_t va;

	KASSERT(a->nointr && size % PAGE_SIZE == 0);
	KASSERT(spin_held(a->lock));
	va = take_va(a, size + PAGE_SIZE, false);
	if (va != VMEM_FAIL && !back(va + PAGE_SIZE, size, false)) {
		vmem_free(&a->arena, va, NULL);
		va = VMEM_FAIL;
	}
	if (va != VMEM_FAIL)
		vmem_set_owner(&a->arena, va, (void *)&type_cookies[type]);
	return va == VMEM_FAIL ? VMEM_FAIL : va + PAGE_SIZE;
}

void kmem_allocator_free_guarded(struct kmem_allocator *a, vaddr_t va,
                                 int *type, size_t *size)
{
	vaddr_t start = va - PAGE_SIZE;
	const char *cookie;
	enum vmem_error err;

	KASSERT(spin_held(a->lock));
	cookie = vmem_owner(&a->arena, start);
	err = vmem_free(&a->arena, start, size);
	KASSERT(err == VMEM_OK);	/* only kernel code frees stacks */
	*size -= PAGE_SIZE;
	unback(va, *size);
	*type = (int)(cookie - type_cookies);
}
