/*
 * mm/pmm.h - the physical memory manager: who owns which page frame.
 *
 * Two zones share one frame database (struct page, mm/buddy.h):
 *
 *   ZONE_LOW   frames inside the direct map: the kernel can always reach
 *              them at P2V(pa), so page tables and allocator metadata
 *              come from here.
 *   ZONE_HIGH  everything above, including RAM above 4 GiB: owned and
 *              used like any frame, reached through kmap() or by mapping
 *              it into kernel_map or a user address space.
 *
 * Owning a frame and having a kernel address for it are separate things:
 * page_alloc() hands out frames, never addresses.
 *
 * Beside the zones, a few low frames are kept for interrupt handlers: an
 * interrupt cannot wait for memory, so when the zones are empty a
 * handler's request (PMM_INTR) may take one of these.  Thread context
 * tops the reserve back up (pmm_reserve_refill(), which kmalloc() and
 * kfree() call), and a thread's request never takes from it, so threads
 * cannot drain what handlers need.  The frames are low because a handler
 * may need one for a boundary-tag page, used through the direct map
 * (mm/kmem_allocator.c), as much as for a page of kmem_map.
 */
#ifndef KIVA_MM_PMM_H
#define KIVA_MM_PMM_H

#include "kernel/lib/types.h"
#include "mm/buddy.h"
#include "mm/memmap.h"

enum zone_id { ZONE_LOW, ZONE_HIGH, NZONES };

/*
 * Flags for page_alloc(): PMM_LOW or PMM_ANY says where from, PMM_INTR
 * who is asking (as Pintos's palloc flags say PAL_USER, PAL_ZERO).
 */
#define PMM_LOW 0x1	/* only low memory: the kernel reaches the frame at
			   page_to_virt(), so page tables and metadata */
#define PMM_ANY 0x2	/* high memory first, then low: keeps low memory
			   for what needs it */
#define PMM_INTR 0x4	/* an interrupt handler asks: when the zones are
			   empty, take a frame of the reserve (order 0) */

/* Frames the reserve can hold at most. */
#define PMM_RESERVE_MAX 64

/*
 * Allocates 2^order contiguous frames (order <= BUDDY_MAX_ORDER).
 * Interrupt-safe; never sleeps.  Returns NULL when no zone allowed by
 * `flags` has a free block that large and, with PMM_INTR, the reserve is
 * empty too.
 */
struct page *page_alloc(unsigned order, int flags);

/*
 * Frees a block page_alloc() returned, with the same order.  Freeing a
 * frame twice, a frame never handed out, or with the wrong order is
 * refused with a diagnostic naming the frame and the caller.
 */
void page_free(struct page *p, unsigned order);

/*
 * The one call the frame allocator makes upward: after every page_free()
 * that gave frames back it calls hook(), from any context, so that the
 * layer above can wake threads that wait for memory (kmalloc's M_WAITOK
 * sleepers, mm/kmem.c) without this file knowing about the scheduler.
 * NULL (the default) calls nothing.
 */
void pmm_set_free_hook(void (*hook)(void));

/*
 * The other call upward: before every page_alloc(), hook() may say to
 * fail it on purpose, for fault injection (the fail= option: mm/kmem.c
 * decides, by its spec, which frames fail).  NULL (the default) fails
 * none.
 */
void pmm_set_fail_hook(bool (*hook)(void));

/*
 * The interrupt reserve: how many frames it should hold (at most
 * PMM_RESERVE_MAX; set once, by kmem_init()), and topping it up to that
 * from the low zone, as far as frames last.  Refilling is for thread
 * context: an interrupt handler must leave the zones to threads' needs.
 */
void pmm_reserve_set_target(unsigned frames);
void pmm_reserve_refill(void);

struct pmm_reserve_stats {
	unsigned frames;	/* in the reserve now */
	unsigned target;	/* what refilling aims at */
	uint64_t used;		/* frames handlers have taken from it */
};
void pmm_reserve_stats(struct pmm_reserve_stats *st);

paddr_t page_to_phys(const struct page *p);
/* The frame record of pa, or NULL when pa is beyond the database. */
struct page *phys_to_page(paddr_t pa);
bool page_is_low(const struct page *p);
/* The direct-map address of a low frame (asserts it is low). */
void *page_to_virt(const struct page *p);

/*
 * Takes over all free RAM: `ranges` are the usable ranges left after the
 * boot allocator (mm/mm.c) took what it needed; frames below `direct_end`
 * go to ZONE_LOW, the rest to ZONE_HIGH.  `frames` is the database for
 * frame numbers [0, nframes).
 */
void pmm_init(struct page *frames, pfn_t nframes, paddr_t direct_end,
              const struct mem_range *ranges, size_t nranges);

/* Free frames in a zone. */
uint64_t pmm_free_pages(enum zone_id z);

/*
 * Frames the zones manage, free or not: the most page_alloc() could ever
 * hand out at once, so a need for more can never be met.
 */
uint64_t pmm_managed_pages(void);

/* The `mem` report: RAM totals, zones, free frames, frame database size. */
void pmm_print(void);

/* Set by mm_init() for pmm_print(). */
struct pmm_boot_stats {
	uint64_t usable_bytes;		/* all usable RAM in the firmware map */
	uint64_t low_bytes, high_bytes;	/* of which direct-mapped / not */
	uint64_t boot_alloc_bytes;	/* frame db, page tables, metadata */
	uint64_t framedb_bytes;
	pfn_t nframes;
};
extern struct pmm_boot_stats pmm_boot_stats;

#endif
