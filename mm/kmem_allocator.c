/*
 * mm/kmem_allocator.c - an allocator region: arena, pools and frames.
 *
 * Getting memory for a request of `size` bytes:
 *
 *   size <= max_object  pool_get() from pools[type][class]; when that pool
 *                       needs a page, pool_page_alloc() below gets one the
 *                       same way as a large request.
 *   larger              vmem_alloc() whole pages of VA, then back() each
 *                       page with a frame: page_alloc(0, PMM_ANY), high
 *                       memory first, and paging_map_kernel().
 *
 * In kmem_map every page table exists from boot (mm/paging.c), so backing
 * a page only writes an entry that is already there: that is what makes
 * this path safe in an interrupt handler.  In kernel_map the first page in
 * a 2 MiB span may need a new page table, which paging_map_kernel()
 * asserts happens in thread context; kmem.c only sends M_NOINTR requests
 * here, and M_NOINTR is refused in interrupt context.
 *
 * Boundary tags for the arena come from low frames through the direct map
 * (tag_page), which needs no mapping and so works in any context.
 */
#include "mm/kmem_allocator.h"

#include "kernel/lib/kassert.h"
#include "kernel/lib/kstring.h"
#include "mm/paging.h"
#include "mm/pmm.h"

/* An allocated segment's owner cookie says its malloc type. */
static const char type_cookies[M_NTYPES];

static unsigned class_of(size_t size)
{
	unsigned c = 0;

	while (((size_t)1 << (KMEM_MIN_SHIFT + c)) < size)
		c++;
	return c;
}

size_t kmem_allocator_round(const struct kmem_allocator *r, size_t size)
{
	if (size <= r->max_object)
		return (size_t)1 << (KMEM_MIN_SHIFT + class_of(size));
	return ROUND_UP(size, (size_t)PAGE_SIZE);
}

size_t kmem_allocator_index_bytes(size_t size)
{
	return size / PAGE_SIZE * sizeof(struct vmem_btag *);
}

size_t kmem_allocator_pages_bytes(size_t size)
{
	return size / PAGE_SIZE * sizeof(struct pool_page);
}

/* A frame for one page; handlers may fall back on the reserve. */
static struct page *take_frame(struct kmem_allocator *r, bool interrupt)
{
	struct page *p = page_alloc(0, PMM_ANY);

	if (p == NULL && interrupt && r->nreserve > 0) {
		p = r->reserve[--r->nreserve];
		r->reserve_used++;
	}
	return p;
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
static bool back(struct kmem_allocator *r, vaddr_t va, size_t size,
                 bool interrupt)
{
	for (size_t off = 0; off < size; off += PAGE_SIZE) {
		struct page *p = take_frame(r, interrupt);
		if (p == NULL || !paging_map_kernel(va + off, page_to_phys(p),
		                                    paging_kernel_data_flags())) {
			if (p != NULL)
				page_free(p, 0);
			unback(va, off);
			return false;
		}
	}
	return true;
}

/* VA for size bytes; thread context leaves the reserve's pages alone. */
static vaddr_t take_va(struct kmem_allocator *r, size_t size, bool interrupt)
{
	size_t keep = interrupt ? 0 : (size_t)r->reserve_target * PAGE_SIZE;

	if (r->arena.vm_size - r->arena.vm_inuse < size + keep)
		return VMEM_FAIL;
	return vmem_alloc(&r->arena, size);
}

static vaddr_t pages_alloc(struct kmem_allocator *r, size_t size, bool interrupt)
{
	vaddr_t va = take_va(r, size, interrupt);

	if (va == VMEM_FAIL)
		return VMEM_FAIL;
	if (!back(r, va, size, interrupt)) {
		vmem_free(&r->arena, va, NULL);
		return VMEM_FAIL;
	}
	return va;
}

/*
 * The pools' page source.  The region lock is held (pool_get() is only
 * called under it), and r->in_interrupt says who is asking.
 */
static void *pool_page_alloc(void *arg)
{
	struct kmem_allocator *r = arg;
	vaddr_t va = pages_alloc(r, PAGE_SIZE, r->in_interrupt);

	if (va != VMEM_FAIL && r->zero_new_pages)
		memset((void *)va, 0, PAGE_SIZE);
	return (void *)va;
}

static void pool_page_free(void *arg, void *page)
{
	struct kmem_allocator *r = arg;
	size_t size;

	unback((vaddr_t)page, PAGE_SIZE);
	vmem_free(&r->arena, (vaddr_t)page, &size);
}

/*
 * Boundary tags live in low frames, reached through the direct map.  An
 * interrupt handler's request may need a new tag page as much as a new
 * page of memory, so it may take a reserve frame for it too: that is why
 * the reserve holds low frames.
 */
static void *tag_page(void *arg)
{
	struct kmem_allocator *r = arg;
	struct page *p = page_alloc(0, PMM_LOW);

	if (p == NULL && r->in_interrupt && r->nreserve > 0) {
		p = r->reserve[--r->nreserve];
		r->reserve_used++;
	}
	return p != NULL ? page_to_virt(p) : NULL;
}

void kmem_allocator_init(struct kmem_allocator *r, const char *name, bool nointr,
                      struct spinlock *lock, vaddr_t base, size_t size,
                      void *index, void *pages)
{
	/* vmem_init() takes its first tag page already. */
	r->in_interrupt = false;
	static const char *const class_names[KMEM_NCLASSES] = {
		"16", "32", "64", "128", "256", "512", "1024", "2048", "4096"
	};
	enum vmem_error err;

	r->name = name;
	r->nointr = nointr;
	r->max_object = nointr ? PAGE_SIZE : PAGE_SIZE / 2;
	r->lock = lock;
	err = vmem_init(&r->arena, name, base, size, PAGE_SIZE, index, tag_page,
	                r);
	KASSERT(err == VMEM_OK);	/* mm_init() checked low memory */
	pool_map_init(&r->pmap, base, size / PAGE_SIZE, pages, pool_page_alloc,
	              pool_page_free, r);
	for (int t = 0; t < M_NTYPES; t++)
		for (unsigned c = 0; c < KMEM_NCLASSES; c++)
			pool_init(&r->pools[t][c], class_names[c],
			          (size_t)1 << (KMEM_MIN_SHIFT + c), &r->pmap);
	if (!nointr)
		r->reserve_target = (unsigned)MIN(KMEM_RESERVE_MAX,
		                                  MAX(8, size / PAGE_SIZE / 32));
}

void *kmem_allocator_alloc(struct kmem_allocator *r, size_t size, int type,
                        bool interrupt)
{
	void *p;

	KASSERT(spin_held(r->lock));
	r->in_interrupt = interrupt;
	if (size <= r->max_object) {
		p = pool_get(&r->pools[type][class_of(size)]);
	} else {
		p = (void *)pages_alloc(r, ROUND_UP(size, (size_t)PAGE_SIZE),
		                        interrupt);
		if (p != NULL)
			vmem_set_owner(&r->arena, (vaddr_t)p,
			               (void *)&type_cookies[type]);
	}
	return p;
}

static int pool_type(const struct kmem_allocator *r, const struct pool *pp)
{
	return (int)((pp - &r->pools[0][0]) / KMEM_NCLASSES);
}

static enum kmem_free_error free_object(struct kmem_allocator *r,
                                        struct pool *pp, void *p, int *type,
                                        size_t *size)
{
	switch (pool_put(pp, p)) {
	case POOL_OK:
		*type = pool_type(r, pp);
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

static enum kmem_free_error free_pages(struct kmem_allocator *r, vaddr_t va,
                                       int *type, size_t *size)
{
	const char *cookie = vmem_owner(&r->arena, va);

	switch (vmem_free(&r->arena, va, size)) {
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

enum kmem_free_error kmem_allocator_free(struct kmem_allocator *r, void *p,
                                      int *type, size_t *size)
{
	struct pool *pp;

	KASSERT(spin_held(r->lock));
	pp = pool_map_owner(&r->pmap, p);
	if (pp != NULL)
		return free_object(r, pp, p, type, size);
	return free_pages(r, (vaddr_t)p, type, size);
}

size_t kmem_allocator_size_of(struct kmem_allocator *r, const void *p)
{
	struct pool *pp;

	KASSERT(spin_held(r->lock));
	pp = pool_map_owner(&r->pmap, p);
	return pp != NULL ? pp->pr_size : vmem_size(&r->arena, (vaddr_t)p);
}

bool kmem_allocator_can_ever_hold(const struct kmem_allocator *r, size_t size,
                               bool interrupt)
{
	size_t keep = interrupt ? 0 : (size_t)r->reserve_target * PAGE_SIZE;
	uint64_t frames = ROUND_UP((uint64_t)size, PAGE_SIZE) / PAGE_SIZE;

	return size <= r->arena.vm_size - keep && frames <= pmm_managed_pages();
}

void kmem_allocator_refill(struct kmem_allocator *r)
{
	KASSERT(spin_held(r->lock));
	while (r->nreserve < r->reserve_target) {
		struct page *p = page_alloc(0, PMM_LOW);	/* see tag_page() */
		if (p == NULL)
			break;
		r->reserve[r->nreserve++] = p;
	}
}

void kmem_allocator_drain(struct kmem_allocator *r)
{
	KASSERT(spin_held(r->lock));
	for (int t = 0; t < M_NTYPES; t++)
		for (unsigned c = 0; c < KMEM_NCLASSES; c++)
			pool_drain(&r->pools[t][c]);
}

void kmem_allocator_stats(struct kmem_allocator *r, struct kmem_allocator_stats *st)
{
	struct vmem_stats vs;

	KASSERT(spin_held(r->lock));
	vmem_stats(&r->arena, &vs);
	st->size = vs.vs_size;
	st->used = vs.vs_inuse;
	st->free = vs.vs_free;
	st->largest_free = vs.vs_largest;
	st->reserve_frames = r->nreserve;
	st->reserve_target = r->reserve_target;
}

vaddr_t kmem_allocator_alloc_guarded(struct kmem_allocator *r, size_t size,
                                  int type)
{
	vaddr_t va;

	KASSERT(r->nointr && size % PAGE_SIZE == 0);
	KASSERT(spin_held(r->lock));
	r->in_interrupt = false;
	va = take_va(r, size + PAGE_SIZE, false);
	if (va != VMEM_FAIL && !back(r, va + PAGE_SIZE, size, false)) {
		vmem_free(&r->arena, va, NULL);
		va = VMEM_FAIL;
	}
	if (va != VMEM_FAIL)
		vmem_set_owner(&r->arena, va, (void *)&type_cookies[type]);
	return va == VMEM_FAIL ? VMEM_FAIL : va + PAGE_SIZE;
}

void kmem_allocator_free_guarded(struct kmem_allocator *r, vaddr_t va, int *type,
                              size_t *size)
{
	vaddr_t start = va - PAGE_SIZE;
	const char *cookie;
	enum vmem_error err;

	KASSERT(spin_held(r->lock));
	cookie = vmem_owner(&r->arena, start);
	err = vmem_free(&r->arena, start, size);
	KASSERT(err == VMEM_OK);	/* only kernel code frees stacks */
	*size -= PAGE_SIZE;
	unback(va, *size);
	*type = (int)(cookie - type_cookies);
}
