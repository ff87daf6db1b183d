/*
 * mm/kmem.h - the kernel's malloc: kmalloc(9) and kfree(9).
 *
 *	p = kmalloc(sizeof(*p), M_DEVBUF, M_NOWAIT | M_ZERO);
 *	if (p == NULL)
 *		return ENOMEM;		// every caller handles NULL
 *	...
 *	kfree(p);
 *
 * Two allocators stand behind this interface, over separate regions of
 * kernel VA (mm/kva.h):
 *
 *   interrupt-safe   (no M_NOINTR)  kmem_map: page tables all built at
 *                    boot, so an allocation only takes a frame and fills an
 *                    entry that already exists, with interrupts off for a
 *                    bounded time.  Buckets of 16 B .. PAGE_SIZE/2, and
 *                    whole pages from kmem_map's own arena.  Pages of
 *                    kmem_map, and frames (mm/pmm.h), are kept for
 *                    interrupt handlers, so thread-context M_NOWAIT callers
 *                    cannot drain them.
 *   non-interrupt    (M_NOINTR)     kernel_map, many times larger: pools of
 *                    16 B .. PAGE_SIZE and page multiples from a vmem arena,
 *                    backed by any frame (high memory first).  Its page
 *                    tables grow on demand, in thread context only.
 *
 * kfree() finds the allocator, and the size, from the address alone.
 */
#ifndef KIVA_MM_KMEM_H
#define KIVA_MM_KMEM_H

#include "kernel/lib/types.h"
#include "mm/kmem_types.h"

/* Flags: exactly one of M_NOWAIT and M_WAITOK, plus any of the others. */
#define M_NOWAIT 0x0001	/* never sleep; may return NULL; the only mode
			   allowed in interrupt context */
#define M_WAITOK 0x0002	/* may sleep until memory is freed; returns NULL
			   only for a size the region can never hold */
#define M_NOINTR 0x0004	/* the memory is never touched in interrupt
			   context: take it from kernel_map */
#define M_ZERO 0x0008	/* zero the memory */

/*
 * Allocates size bytes of type `type`.  Returns NULL when:
 *   - M_NOWAIT and no memory (or kernel VA) is free right now,
 *   - size is 0 or larger than the chosen region could ever hold,
 *   - fault injection (the `fail` option) picked this call.
 * Never panics on exhaustion.  Asserts (a caller's bug) when M_WAITOK or
 * M_NOINTR is used in interrupt context, or neither/both of M_NOWAIT and
 * M_WAITOK is given.  Sizes up to PAGE_SIZE/2 (interrupt-safe) or PAGE_SIZE
 * (M_NOINTR) are rounded up to a power of two, larger ones to whole pages.
 */
void *kmalloc(size_t size, int type, int flags);

/*
 * Frees what kmalloc returned; kfree(NULL) does nothing.  A pointer no
 * allocator gave out, a double free or an interior pointer is refused with
 * a diagnostic naming the pointer, its region and the caller.
 */
void kfree(void *p);

/* The usable size of a kmalloc'd block (what it was rounded up to). */
size_t kmalloc_size(const void *p);

/* Per-type statistics. */
struct kmem_type_stats {
	uint64_t inuse;		/* bytes allocated now */
	uint64_t highwater;	/* most bytes allocated at once */
	uint64_t requests;	/* successful kmalloc calls */
	uint64_t failures;	/* kmalloc calls that returned NULL */
	uint64_t sleeps;	/* times an M_WAITOK caller slept */
};
const char *kmem_type_name(int type);
/* The type called name ("temp", "fdesc", ...), or -1. */
int kmem_type_lookup(const char *name);
void kmem_type_stats(int type, struct kmem_type_stats *out);
/* Size and use of kmem_map (nointr false) or kernel_map (true). */
void kmem_allocator_usage(bool nointr, struct kmem_allocator_stats *out);

/*
 * Prints everything, like vmstat -m (the shell's `kmem`, and panic()):
 * per type, per allocator with the interrupt reserve, fault injection.
 */
void kmem_print(void);

/* Frames both allocators took for boundary tags: kept for good. */
uint64_t kmem_tag_frames(void);

/* True once kmem_init() has run (a panic before it has nothing to print). */
bool kmem_ready(void);

/*
 * Sets up both allocators over the regions kva_tune() sized, with the
 * metadata arrays mm_init() took from the boot allocator (zeroed, sized by
 * kmem_allocator_index_bytes() and kmem_allocator_records_bytes() of each
 * region's size, mm/kmem_allocator.h), and the frame allocator's interrupt
 * reserve.
 */
struct kmem_boot_memory {
	void *kmem_index, *kmem_records;
	void *kernel_index, *kernel_records;
};
void kmem_init(const struct kmem_boot_memory *m);

/*
 * Allocates `size` bytes (whole pages) of kernel_map with an unmapped guard
 * page just below, for thread stacks.  Thread context.  Returns the lowest
 * usable address, or 0 when no VA or frame is free.
 */
vaddr_t kmem_alloc_guarded(size_t size, int type);
void kmem_free_guarded(vaddr_t va);

/*
 * Fault injection: "nth:N", "every:N", "random:P:SEED", "off", with
 * ",type=NAME" and ",alloc=intr|nointr" (mm/failinject.h).  It counts
 * kmalloc() and kmem_alloc_guarded() calls and the page_alloc() calls
 * made outside them (page tables, user pages), which ",type=frame" picks
 * alone.  Returns false and sets *why for a bad spec.
 */
bool kmem_fail_set(const char *spec, const char **why);
void kmem_fail_print(void);
/* Failures injected since the spec was set: a NULL to tell from a shortage. */
uint64_t kmem_fail_injected(void);
/* kmalloc() and kmem_alloc_guarded() calls since boot. */
uint64_t kmem_calls(void);

/*
 * The design kmalloc follows, chosen once at boot, before mm_init(), by
 * the kmem_design= option:
 *
 *   kiva   (the default) the two allocators above.
 *   2003   the design of the 2001 and 2003 failures, rebuilt to teach
 *          them: every request comes from kmem_map whatever its flags
 *          (M_NOINTR is ignored), kmem_map is sized by FreeBSD 5's
 *          formula (mm/kva.c), and an M_WAITOK request that finds no
 *          room in kmem_map panics, as FreeBSD 5's kmem_malloc() did:
 *          "kmem_malloc(SIZE): kmem_map too small: N total allocated".
 *          M_NOWAIT requests still get NULL.
 *
 * kmem_set_design() returns false, changing nothing, for another name.
 */
bool kmem_set_design(const char *name);
/* Whether kmem_design=2003 is in force (fdtable.c and proc.c ask). */
bool kmem_design_2003(void);

/*
 * Per-CPU magazines in front of every pool (mm/kmem.c): "on" (the
 * default) or "off", the magazines= boot option, chosen before any
 * allocation.  Returns false, changing nothing, for another value.
 * Turning them off later is safe right after kmem_reclaim(), with nothing
 * allocating meanwhile (the host benchmark compares both in one process).
 */
bool kmem_set_magazines(const char *value);
bool kmem_magazines_on(void);

/*
 * Gives everything the allocators cache back: every CPU's magazines and
 * the depots to the pools, and the pools' kept pages to the regions.
 * What a failing request does first; tests call it to compare regions.
 * Thread context, holding no spinlock.
 */
void kmem_reclaim(void);

/*
 * The counters of kmalloc's locks: kmem_map's and kernel_map's allocator
 * and depot locks, then fault injection's (struct spinlock).
 */
#define KMEM_NLOCKS 5
struct kmem_lock_stats {
	const char *name;
	uint64_t acquisitions, contended;
};
void kmem_lock_stats(struct kmem_lock_stats out[KMEM_NLOCKS]);

/*
 * kmem_debug: poison freed memory, check redzones on free and the poison
 * on reuse (mm/kmem_debug.c).  Set once at boot, before any allocation.
 */
void kmem_set_debug(bool on);

#endif
