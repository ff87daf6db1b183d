/*
 * mm/kmem_allocator.h - one of kmalloc's two allocators: the one over
 * kmem_map or the one over kernel_map.
 *
 * An allocator owns a stretch of kernel VA (a region of mm/kva.h) and
 *   - a vmem arena handing out its pages (mm/vmem.c),
 *   - pools of power-of-two objects, one set per malloc type, so that an
 *     object's page tells kfree() its type and size (mm/pool.c),
 *   - the frames behind its pages: taken when a page is allocated, given
 *     back when it is freed (mm/paging.c, mm/pmm.c).
 * It drives all three itself: the arena and the pools never call back.
 * kmem.c puts the two allocators behind kmalloc()/kfree(), with per-CPU
 * magazines in front of the pools.  The caller holds the lock given to
 * kmem_allocator_init() around every call (asserted) but the inline ones
 * (the pool of an address, size classes); no function sleeps.  Whether
 * the caller is an interrupt handler is an argument wherever it matters:
 * handlers may use what is kept for them, threads may not.
 */
#ifndef KIVA_MM_KMEM_ALLOCATOR_H
#define KIVA_MM_KMEM_ALLOCATOR_H

#include "kernel/thread/spinlock.h"
#include "mm/kmem_types.h"
#include "mm/pool.h"
#include "mm/vmem.h"

#define KMEM_MIN_SHIFT 4	/* smallest object: 16 bytes */
#define KMEM_NCLASSES (PAGE_SHIFT - KMEM_MIN_SHIFT + 1)	/* 16 .. 4096 */

struct kmem_allocator {
	const char *name;
	bool nointr;			/* kernel_map: M_NOINTR memory */
	size_t max_object;		/* larger sizes take whole pages */
	struct spinlock *lock;		/* held around every call */
	bool zero_new_pages;		/* kmem_debug: no stale headers */
	struct vmem arena;
	struct pool_records records;
	struct pool pools[M_NTYPES][KMEM_NCLASSES];
	/*
	 * kmem_map only: pages of VA kept for interrupt handlers.  A caller
	 * in thread context may not take the last reserve_pages of the
	 * region.  The frames for them are the frame allocator's interrupt
	 * reserve (mm/pmm.h), which has as many.
	 */
	unsigned reserve_pages;
};

/* Bytes of the two metadata arrays an allocator of `size` bytes needs. */
size_t kmem_allocator_index_bytes(size_t size);
size_t kmem_allocator_records_bytes(size_t size);

/*
 * Sets an allocator up over [base, base + size) with zeroed metadata; for
 * kmem_map (nointr false) that includes sizing reserve_pages.
 */
void kmem_allocator_init(struct kmem_allocator *a, const char *name,
                         bool nointr, struct spinlock *lock, vaddr_t base,
                         size_t size, void *index, void *records);

/*
 * Allocates size bytes of `type`, or returns NULL when there is no VA or
 * no frame for it right now.  `interrupt` says the caller is an interrupt
 * handler, which may use the reserve.
 */
void *kmem_allocator_alloc(struct kmem_allocator *a, size_t size, int type,
                           bool interrupt);

/* What kmem_allocator_free() found wrong with a pointer, if anything. */
enum kmem_free_error {
	KMEM_FREE_OK,
	KMEM_FREE_DOUBLE,	/* already free */
	KMEM_FREE_INTERIOR,	/* inside an allocation, not its start */
	KMEM_FREE_UNKNOWN,	/* no allocation there */
};

/* Frees p; on success sets *type and *size (the rounded size). */
enum kmem_free_error kmem_allocator_free(struct kmem_allocator *a, void *p,
                                         int *type, size_t *size);

/* The rounded size of the allocation at p, or 0 when there is none. */
size_t kmem_allocator_size_of(struct kmem_allocator *a, const void *p);

/*
 * The pool that holds p's page, or NULL (a whole-page block, or no block).
 * Reads one record without the lock: kfree()'s magazine path calls it for
 * an object it was handed, whose page cannot change pools while the
 * object is out.  Sets *type and *sclass to the pool's malloc type and
 * size class.
 */
static inline struct pool *kmem_allocator_pool_of(struct kmem_allocator *a,
                                                  const void *p, int *type,
                                                  unsigned *sclass)
{
	struct pool *pp = pool_records_owner(&a->records, p);

	/*
	 * The row of a->pools is the type; the size is the class.  Both are
	 * found without dividing by sizeof(struct pool), which is no power of
	 * two: kfree()'s fast path waits for them.
	 */
	if (pp != NULL) {
		*type = (int)((size_t)((const char *)pp - (const char *)a->pools) /
		              sizeof a->pools[0]);
		*sclass = (unsigned)__builtin_ctzl(pp->pr_size) - KMEM_MIN_SHIFT;
	}
	return pp;
}

/*
 * The size class (0 for 16 bytes) of a pool object of `size` (> 0)
 * bytes: the smallest power of two that holds it, from the highest set
 * bit of size - 1.  Inline: kmalloc()'s fast path.
 */
static inline unsigned kmem_allocator_class(size_t size)
{
	if (size <= (size_t)1 << KMEM_MIN_SHIFT)
		return 0;
	return (unsigned)(sizeof(long) * 8 - __builtin_clzl(size - 1)) -
	       KMEM_MIN_SHIFT;
}

/* The bytes of a pool object of class sclass. */
static inline size_t kmem_allocator_class_size(unsigned sclass)
{
	return (size_t)1 << (KMEM_MIN_SHIFT + sclass);
}

/* The size kmem_allocator_alloc() would really take for `size` bytes. */
size_t kmem_allocator_round(const struct kmem_allocator *a, size_t size);

/*
 * False when `size` can never be allocated here by this kind of caller:
 * larger than the region (less the reserve, for thread context), or than
 * all the frames the machine has to back it.
 */
bool kmem_allocator_can_ever_hold(const struct kmem_allocator *a,
                                  size_t size, bool interrupt);

/*
 * Whether a request of `size` bytes that just failed did so for want of
 * the region's VA (no free stretch of the pages it needs, or only the
 * reserve left, for thread context) rather than of frames.  Sets *asked to
 * the bytes it needed from the arena: a page for a pool object, the
 * rounded size for a large block.  For kmem_design=2003's panic.
 */
bool kmem_allocator_lacks_va(struct kmem_allocator *a, size_t size,
                             bool interrupt, size_t *asked);

/*
 * Whole pages with an unmapped guard page below them (kernel_map only:
 * thread stacks).  Returns the address above the guard, or VMEM_FAIL.
 */
vaddr_t kmem_allocator_alloc_guarded(struct kmem_allocator *a, size_t size,
                                     int type);
/* Frees what kmem_allocator_alloc_guarded() returned; sets *type, *size. */
void kmem_allocator_free_guarded(struct kmem_allocator *a, vaddr_t va,
                                 int *type, size_t *size);

/*
 * Gives every pool's kept empty page back: before a request is refused
 * or made to sleep, memory cached there is memory available.
 */
void kmem_allocator_drain(struct kmem_allocator *a);

void kmem_allocator_stats(struct kmem_allocator *a,
                          struct kmem_allocator_stats *st);

#endif
