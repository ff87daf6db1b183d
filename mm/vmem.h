/*
 * mm/vmem.h - a vmem arena: constant-time allocation of integer ranges.
 *
 * An arena hands out pieces of one range [base, base + size), in multiples
 * of a quantum (PAGE_SIZE for kernel virtual addresses).  It only does
 * arithmetic on the numbers; it never touches the memory they may name.
 * The design is Bonwick and Adams, "Magazines and Vmem" (USENIX 2001),
 * section 4, without the quantum caches and without imported spans:
 *
 *  - Every piece of the range, free or allocated, is a segment described
 *    by a boundary tag (struct vmem_btag).  The tags sit on a list in
 *    address order, so a segment's neighbours are one pointer away and
 *    freeing merges a segment with free neighbours in constant time.
 *    Two free segments are never adjacent.
 *
 *  - Free segments are also on power-of-two free lists: list i holds the
 *    free segments of 2^i to 2^(i+1) - 1 quanta.  A bitmap says which lists
 *    are non-empty, so one bit scan finds the first list that fits.
 *
 *  - Allocated segments are found by their start in constant time through
 *    an index that the owner provides: one pointer per quantum of the
 *    range (4 bytes per page on i386).  Only the slot of an allocated
 *    segment's first quantum is set.
 *
 * Allocation policy ("instant fit"): a request for n quanta takes the
 * first segment of the lowest non-empty list at or above ceil(log2 n),
 * where every segment is big enough, so no list is ever searched.  Only
 * when all of those lists are empty does it search list floor(log2 n),
 * whose segments may or may not fit; that search is the one step whose
 * cost grows with the number of segments, and it happens only when the
 * arena has nothing larger left.  It always takes the low end of the
 * segment and leaves the rest free.
 *
 * Boundary tags come from a spare list.  An allocation needs at most one
 * new tag (to split a segment); a free needs none (merging gives tags
 * back).  The arena never asks for memory: its owner gives it the first
 * page of tags in vmem_init(), asks vmem_wants_tags() before an
 * allocation, and when the spares have run out gives it another page with
 * vmem_add_tags(), which cuts it into tags (146 of 28 bytes on i386):
 *
 *	if (vmem_wants_tags(vm) && (page = ...the owner's page...) != NULL)
 *		vmem_add_tags(vm, page);
 *	addr = vmem_alloc(vm, size);	// without tags, only an exact fit
 *
 * Tags are never given back, so they cost what the arena's busiest moment
 * needed.
 *
 * The arena does no locking; its owner serialises calls.
 */
#ifndef KIVA_MM_VMEM_H
#define KIVA_MM_VMEM_H

#include "kernel/lib/list.h"
#include "kernel/lib/types.h"

/* What vmem_alloc() returns when it fails; an arena never starts at 0. */
#define VMEM_FAIL ((vaddr_t)0)

/* Free lists: one per power of two a size in quanta can have. */
#define VMEM_NLISTS (sizeof(size_t) * 8)

enum vmem_error {
	VMEM_OK = 0,
	VMEM_NO_TAGS,		/* init: no page of tags was given */
	VMEM_NOT_ALLOCATED,	/* free: the address is not allocated */
	VMEM_INTERIOR,		/* free: inside an allocation, not its start */
	VMEM_OUT_OF_RANGE,	/* free: outside [base, base + size) */
};

enum vmem_segtype {
	VMEM_SEG_SPARE,		/* on the spare list, describes nothing */
	VMEM_SEG_FREE,
	VMEM_SEG_ALLOC,
};

/*
 * A boundary tag.  Only mm/vmem.c looks inside; the type is complete here
 * so that owners can size the index and tests can count bytes.
 */
struct vmem_btag {
	struct list_node bt_seglink;	/* segment list, in address order,
					   or the spare list */
	union {
		struct list_node bt_freelink;	/* free: its free list */
		void *bt_owner;		/* an allocated one: owner's cookie */
	};
	vaddr_t bt_start;
	size_t bt_size;			/* in bytes, a multiple of the quantum */
	enum vmem_segtype bt_type;
};

/* The tags vmem_add_tags() cuts from one page. */
#define VMEM_TAGS_PER_PAGE (PAGE_SIZE / sizeof(struct vmem_btag))

struct vmem {
	const char *vm_name;
	vaddr_t vm_base;
	size_t vm_size;
	unsigned vm_qshift;		/* log2 of the quantum */
	struct vmem_btag **vm_index;	/* per quantum: allocation there */
	struct list vm_segs;		/* all segments, address order */
	struct list vm_freelist[VMEM_NLISTS];
	unsigned long vm_freemap;	/* bit i: vm_freelist[i] not empty */
	struct list vm_spare;		/* tags that describe nothing */
	size_t vm_nspare;
	size_t vm_inuse;		/* bytes allocated */
	size_t vm_nalloc;		/* allocated segments */
	size_t vm_nfree;		/* free segments */
	size_t vm_ntags;		/* tags cut from the owner's pages */
	/*
	 * Tags looked at by the last vmem_alloc() or vmem_free(), for the
	 * tests and the benchmark: it must not grow with the number of
	 * segments, except in the fallback search described above.
	 */
	unsigned vm_steps;
};

struct vmem_stats {
	size_t vs_size;		/* bytes the arena manages */
	size_t vs_inuse;	/* bytes allocated */
	size_t vs_free;		/* bytes free */
	size_t vs_nalloc;	/* allocated segments */
	size_t vs_nfree;	/* free segments */
	size_t vs_largest;	/* largest free segment, bytes */
	size_t vs_ntags;	/* tags cut from the owner's pages */
	size_t vs_nspare;	/* of which on the spare list */
};

/*
 * Set up vm to manage [base, base + size) in units of quantum, a power of
 * two.  base and size are multiples of quantum, base is not 0 and
 * base + size does not overflow.  index has size / quantum slots; vmem_init
 * clears it and the arena owns it from then on.  tags is the first page of
 * boundary tags: PAGE_SIZE bytes, pointer-aligned, the arena's for good.
 * Returns VMEM_OK, or VMEM_NO_TAGS if tags is NULL (the owner had no
 * page), which leaves vm unusable.
 */
enum vmem_error vmem_init(struct vmem *vm, const char *name, vaddr_t base,
    size_t size, size_t quantum, struct vmem_btag **index, void *tags);

/*
 * True when no spare tag is left, so that an allocation that has to split
 * a segment would fail: the owner should vmem_add_tags() first.
 */
bool vmem_wants_tags(const struct vmem *vm);

/* Cut page (PAGE_SIZE bytes, pointer-aligned) into spare tags, for good. */
void vmem_add_tags(struct vmem *vm, void *page);

/*
 * Allocate size bytes (not 0), rounded up to the quantum.  Returns the
 * start, or VMEM_FAIL when no free segment is big enough, or when the one
 * found must be split and no spare tag is left; a failure changes nothing.
 */
vaddr_t vmem_alloc(struct vmem *vm, size_t size);

/*
 * Free the allocation that starts at addr and, if sizep is not NULL,
 * store its size there.  Returns VMEM_OK, or without changing anything:
 * VMEM_OUT_OF_RANGE, VMEM_INTERIOR (addr is inside an allocation but not
 * its start) or VMEM_NOT_ALLOCATED (addr is in a free segment).
 */
enum vmem_error vmem_free(struct vmem *vm, vaddr_t addr, size_t *sizep);

/* The size of the allocation that starts at addr; 0 if there is none. */
size_t vmem_size(const struct vmem *vm, vaddr_t addr);

/*
 * Attach the owner's cookie to the allocation that starts at addr (a new
 * allocation has NULL).  Returns false, changing nothing, if no
 * allocation starts at addr.
 */
bool vmem_set_owner(struct vmem *vm, vaddr_t addr, void *owner);

/* The cookie of the allocation that starts at addr; NULL if none. */
void *vmem_owner(const struct vmem *vm, vaddr_t addr);

/* Fill *st.  vs_largest costs a walk of the highest non-empty free list. */
void vmem_stats(const struct vmem *vm, struct vmem_stats *st);

/* A short English name for err, for diagnostics. */
const char *vmem_strerror(enum vmem_error err);

/*
 * Check every invariant of the arena, walking all segments and the whole
 * index.  Returns true if all hold; otherwise prints the first broken one
 * with kprintf() and returns false.
 */
bool vmem_check(const struct vmem *vm);

#endif
