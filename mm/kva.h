/*
 * mm/kva.h - the kernel's virtual address space, as one map.
 *
 * With PAE the 4 GiB of virtual space are four 1 GiB quarters, one per
 * page-directory-pointer-table entry (Intel SDM Vol. 3A, 4.4).  The top
 * quarter, from KERNBASE, is the kernel's and is the same page directory in
 * every address space; the three below are the user's.  Inside the kernel
 * quarter every region starts and ends on a 2 MiB boundary, the span of one
 * PAE page table, so that a page table belongs to exactly one region and the
 * tables of a region can be preallocated as a whole.
 *
 *  0xFFFFFFFF +----------------------------+
 *             | top guard          2 MiB   |  unmapped: catches wrap-around
 *             +----------------------------+
 *             | kmap_atomic        2 MiB   |  interrupt-safe windows onto any frame
 *             | kmap               2 MiB   |  sleeping windows onto high memory
 *             +----------------------------+  page tables of both: built at boot
 *             | guard            >= 2 MiB  |  unmapped (also any unused VA)
 *             +----------------------------+
 *             | kernel_map       auto      |  non-interrupt allocator, thread stacks;
 *             |                            |  page tables grown in thread context only
 *             +----------------------------+
 *             | guard              2 MiB   |
 *             +----------------------------+
 *             | kmem_map         auto      |  interrupt-safe allocator;
 *             |                            |  every page table built at boot
 *             +----------------------------+
 *             | guard              2 MiB   |
 *             +----------------------------+
 *             | direct map       auto      |  physical 0.. (all low RAM), so
 *             |   kernel image at +1 MiB   |  va = pa + KERNBASE
 *  0xC0000000 +----------------------------+  KERNBASE
 *             | user               3 GiB   |
 *  0x00000000 +----------------------------+
 *
 * The sizes marked "auto" are computed at boot by kva_tune() (mm/kva.c,
 * where the formula is) from the amount of RAM and the 1 GiB of kernel VA.
 */
#ifndef KIVA_MM_KVA_H
#define KIVA_MM_KVA_H

/*
 * No 'u' suffixes: linker.ld and boot/boot.S use these too.  (In C a hex
 * constant too large for int is unsigned anyway, C11 6.4.4.1.)
 */
#define KERNBASE 0xC0000000
#define KVA_SPAN 0x40000000u  /* the kernel's quarter: 1 GiB */
#define KVA_ALIGN 0x00200000u /* 2 MiB: what one PAE page table maps */
#define KSTACK_SIZE 16384     /* a kernel thread's stack */

#ifndef __ASSEMBLY__
#include "kernel/lib/types.h"

enum kva_region_id {
	KVA_DIRECT,
	KVA_GUARD_LOW,
	KVA_KMEM_MAP,
	KVA_GUARD_MID,
	KVA_KERNEL_MAP,
	KVA_GUARD_HIGH,
	KVA_KMAP,
	KVA_KMAP_ATOMIC,
	KVA_GUARD_TOP,
	KVA_NREGIONS
};

struct kva_region {
	const char *name;
	vaddr_t start;
	vaddr_t end;	 /* exclusive */
	const char *use;
	bool mapped;	 /* false for guards: nothing is ever mapped there */
};

/* The layout in force, filled by kva_tune() at boot. */
extern struct kva_region kva_layout[KVA_NREGIONS];

/* Sizes that do not depend on RAM. */
#define KVA_GUARD_SIZE KVA_ALIGN
#define KVA_KMAP_SIZE KVA_ALIGN		/* 512 kmap slots */
#define KVA_KMAP_ATOMIC_SIZE KVA_ALIGN	/* kmap_atomic slots */
#define KMEM_MAP_MIN MiB(2)
#define KMEM_MAP_AUTO_MAX MiB(64)
#define KMEM_MAP_OVERRIDE_MAX MiB(256)
#define KERNEL_MAP_MIN MiB(64)
#define KERNEL_MAP_MAX MiB(256)
#define DIRECT_MAP_MIN MiB(16)

/* What kva_tune() needs to know about the machine. */
struct kva_params {
	uint64_t ram_bytes;	 /* all usable RAM, high memory included */
	uint64_t phys_top;	 /* end of the highest usable RAM range */
	bool kmem_map_requested; /* the command line asked for a size */
	uint64_t kmem_map_request; /* that size, in bytes */
};

/* What kva_tune() decided (also visible in kva_layout). */
struct kva_sizes {
	uint64_t direct;
	uint64_t kmem_map;
	uint64_t kernel_map;
	bool override_rejected;	 /* kmem_map_request was refused */
};

/*
 * Computes the layout from the machine (formula in mm/kva.c), fills
 * kva_layout and returns the sizes.  Never fails: an impossible request is
 * reported with kprintf, ignored, and override_rejected is set.
 */
struct kva_sizes kva_tune(const struct kva_params *p);

/* The region containing va, or NULL for a user address (below KERNBASE). */
const struct kva_region *kva_region_of(vaddr_t va);
static inline vaddr_t kva_start(enum kva_region_id id)
{
	return kva_layout[id].start;
}
static inline vaddr_t kva_end(enum kva_region_id id)
{
	return kva_layout[id].end;
}
static inline bool kva_in(enum kva_region_id id, vaddr_t va)
{
	return va >= kva_layout[id].start && va < kva_layout[id].end;
}

/* Prints the layout: start, end, size and use of every region. */
void kva_print(void);

/* Physical <-> virtual for the direct map (low memory only). */
#define P2V(pa) ((void *)(vaddr_t)((paddr_t)(pa) + KERNBASE))
#define V2P(va) ((paddr_t)((vaddr_t)(va) - KERNBASE))
#endif

#endif
