/*
 * mm/kmem_allocator.h - one allocator region: kmem_map or kernel_map.
 *
 * A region is a stretch of kernel VA with
 *   - a vmem arena handing out its pages (mm/vmem.c),
 *   - pools of power-of-two objects, one set per malloc type, so that an
 *     object's page tells kfree() its type and size (mm/pool.c),
 *   - the frames behind its pages: taken from the zones when a page is
 *     allocated, given back when it is freed.
 * kmem.c puts the two regions behind kmalloc()/kfree().  The caller holds
 * the lock given to kmem_allocator_init() around every call (asserted); no
 * function sleeps.
 */
#ifndef KIVA_MM_KMEM_ALLOCATOR_H
#define KIVA_MM_KMEM_ALLOCATOR_H

#include "kernel/thread/spinlock.h"
#include "mm/kmem.h"
#include "mm/pool.h"
#include "mm/vmem.h"

#define KMEM_MIN_SHIFT 4	/* smallest object: 16 bytes */
#define KMEM_NCLASSES (PAGE_SHIFT - KMEM_MIN_SHIFT + 1)	/* 16 .. 4096 */
#define KMEM_RESERVE_MAX 64

struct page;

struct kmem_allocator {
	const char *name;
	bool nointr;			/* kernel_map: M_NOINTR memory */
	size_t max_object;		/* larger sizes take whole pages */
	struct spinlock *lock;		/* held by the caller of every function */
	bool in_interrupt;		/* the current request's context */
	bool zero_new_pages;		/* kmem_debug: no stale headers */
	struct vmem arena;
	struct pool_map pmap;
	struct pool pools[M_NTYPES][KMEM_NCLASSES];
	/*
	 * kmem_map only: low frames and pages kept for interrupt handlers.
	 * A caller in thread context may not take the last reserve_target
	 * pages of the region, nor a reserved frame.
	 */
	struct page *reserve[KMEM_RESERVE_MAX];
	unsigned nreserve, reserve_target;
	uint64_t reserve_used;		/* frames handlers took from it */
};

/* Bytes of the two metadata arrays a region of `size` bytes needs. */
size_t kmem_allocator_index_bytes(size_t size);
size_t kmem_allocator_pages_bytes(size_t size);

/* Sets a region up over [base, base + size) with zeroed metadata. */
void kmem_allocator_init(struct kmem_allocator *r, const char *name, bool nointr,
                      struct spinlock *lock, vaddr_t base, size_t size,
                      void *index, void *pages);

/*
 * Allocates size bytes of `type`, or returns NULL when the region has no
 * VA or no frame for it right now.  `interrupt` says the caller is an
 * interrupt handler, which may dip into the reserve.
 */
void *kmem_allocator_alloc(struct kmem_allocator *r, size_t size, int type,
                        bool interrupt);

/* What kmem_allocator_free() found wrong with a pointer, if anything. */
enum kmem_free_error {
	KMEM_FREE_OK,
	KMEM_FREE_DOUBLE,	/* already free */
	KMEM_FREE_INTERIOR,	/* inside an allocation, not its start */
	KMEM_FREE_UNKNOWN,	/* no allocation there */
};

/* Frees p; on success sets *type and *size (the rounded size). */
enum kmem_free_error kmem_allocator_free(struct kmem_allocator *r, void *p,
                                      int *type, size_t *size);

/* The rounded size of the allocation at p, or 0 when there is none. */
size_t kmem_allocator_size_of(struct kmem_allocator *r, const void *p);

/* The size kmem_allocator_alloc() would really take for `size` bytes. */
size_t kmem_allocator_round(const struct kmem_allocator *r, size_t size);

/*
 * False when `size` can never be allocated here by this kind of caller:
 * larger than the region (less the reserve, for thread context), or than
 * all the frames the machine has to back it.
 */
bool kmem_allocator_can_ever_hold(const struct kmem_allocator *r, size_t size,
                               bool interrupt);

/*
 * Whole pages with an unmapped guard page below them (kernel_map only:
 * thread stacks).  Returns the address above the guard, or VMEM_FAIL.
 */
vaddr_t kmem_allocator_alloc_guarded(struct kmem_allocator *r, size_t size,
                                  int type);
/* Frees what kmem_allocator_alloc_guarded() returned; sets *type and *size. */
void kmem_allocator_free_guarded(struct kmem_allocator *r, vaddr_t va, int *type,
                              size_t *size);

/*
 * Gives every pool's kept empty page back to the region: before a request
 * is refused or made to sleep, memory cached there is memory available.
 */
void kmem_allocator_drain(struct kmem_allocator *r);

/*
 * Tops the reserve up with low frames (they serve as pages and as tag
 * pages); thread context, kmem_map only.
 */
void kmem_allocator_refill(struct kmem_allocator *r);

void kmem_allocator_stats(struct kmem_allocator *r, struct kmem_allocator_stats *st);

#endif
