/*
 * mm/buddy.h - the buddy allocator for physical page frames.
 *
 * A zone hands out blocks of 2^order contiguous frames, order 0 to
 * BUDDY_MAX_ORDER, each aligned to its own size.  The frame database is one
 * struct page per physical frame, indexed by frame number; the caller owns
 * it and may split it between several zones.  See mm/buddy.c for the design.
 */
#ifndef KIVA_MM_BUDDY_H
#define KIVA_MM_BUDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/lib/types.h"

#define BUDDY_MAX_ORDER 10	/* largest block: 2^10 frames, 4 MiB */
#define BUDDY_NR_ORDERS (BUDDY_MAX_ORDER + 1)

/* "No frame": ends a free list.  Never a frame of a zone (end <= it). */
#define PFN_NONE ((pfn_t)UINT32_MAX)

/*
 * The allocator's state of a frame, kept in page.flags.  A frame with none
 * of these is the tail of a block, free or allocated: only the first frame
 * of a block, its head, says what the block is and how big.  Other bits of
 * flags are left alone and may be given meanings by the kernel.
 */
enum page_flags {
	PG_FREE = 0x01,		/* head of a free block */
	PG_ALLOCATED = 0x02,	/* head of an allocated block */
	PG_RESERVED = 0x04,	/* never managed: hole, kernel, ... */
};
#define PG_BUDDY_MASK (PG_FREE | PG_ALLOCATED | PG_RESERVED)

/*
 * One physical frame: 12 bytes on i386 and x86_64 alike, 0.3% of RAM.
 * The list links are frame numbers, not pointers, so the record does not
 * grow with the pointer size and stays meaningful wherever the database
 * is mapped.  next and prev link the free list while the frame is the
 * head of a free block and are PFN_NONE otherwise; order is only
 * meaningful in a head.  spare is the kernel's: buddy_zone_init() zeroes
 * it and the allocator never touches it again.
 */
struct page {
	pfn_t next;
	pfn_t prev;
	uint8_t order;	/* the block is 2^order frames */
	uint8_t flags;	/* PG_* */
	uint8_t zone;	/* id of the zone owning the frame */
	uint8_t spare;
};
_Static_assert(sizeof(struct page) == 12, "struct page must stay 12 bytes");

enum buddy_error {
	BUDDY_OK = 0,
	BUDDY_DOUBLE_FREE,	/* the frame is already free */
	BUDDY_NOT_ALLOCATED,	/* reserved, or not the head of a block */
	BUDDY_WRONG_ORDER,	/* allocated with another order */
	BUDDY_WRONG_ZONE,	/* the frame is not in this zone */
};

/*
 * A zone: the frames [start, end) of the database.  Blocks never cross
 * the zone's bounds and zones never merge blocks with each other.
 * Callers read the fields but change them only through the functions.
 * free_head[k] is the first free block of order k (PFN_NONE: none) and
 * nr_free[k] the number of them.
 */
struct buddy_zone {
	const char *name;
	struct page *frames;	/* the database, indexed by pfn */
	pfn_t start;		/* first frame */
	pfn_t end;		/* one past the last frame */
	uint8_t id;		/* stored in page.zone */
	pfn_t free_head[BUDDY_NR_ORDERS];
	uint32_t nr_free[BUDDY_NR_ORDERS];
	uint32_t free_pages;	/* frames in free blocks */
	uint32_t managed_pages;	/* given by buddy_free_range() */

	/* Statistics. */
	uint64_t nalloc;	/* buddy_alloc() successes */
	uint64_t nalloc_failed;	/* buddy_alloc() returned NULL */
	uint64_t nfree;		/* buddy_free() successes */
	uint64_t nsplit;	/* blocks split in two */
	uint64_t nmerge;	/* pairs of buddies merged */
};

static inline pfn_t page_to_pfn(const struct page *frames, const struct page *p)
{
	return (pfn_t)(p - frames);
}

static inline struct page *pfn_to_page(struct page *frames, pfn_t pfn)
{
	return &frames[pfn];
}

void buddy_zone_init(struct buddy_zone *z, const char *name, int zone_id,
                     struct page *frames, pfn_t start, pfn_t end);
void buddy_free_range(struct buddy_zone *z, pfn_t start, pfn_t end);
struct page *buddy_alloc(struct buddy_zone *z, unsigned order);
enum buddy_error buddy_free(struct buddy_zone *z, struct page *p,
                            unsigned order);
const char *buddy_strerror(enum buddy_error err);
uint32_t buddy_nr_free(const struct buddy_zone *z, unsigned order);
bool buddy_check(const struct buddy_zone *z);

#endif
