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
 *             | kmap_atomic        2 MiB   |  interrupt-safe windows onto any
 *             |                            |  frame, per CPU; APIC registers
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
 *
 * Each row of kva_layout also says what happens to its page tables, and
 * that is the one place it is said: mm_init() counts the tables to build
 * from it, paging_init() builds them, mapping a page grows a table only
 * where it says so, and `kva` prints it (as xv6's kmap[] table drives its
 * kernel page tables).
 *
 * This header is also included by boot/boot.S, for KERNBASE: everything
 * but the constants at the top is hidden from the assembler.
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
#include "kernel/lib/kassert.h"
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

/* What a region's page tables are (one table maps one 2 MiB span). */
enum kva_tables {
	KVA_TABLES_NONE,	/* a guard: nothing is ever mapped there */
	KVA_TABLES_AT_BOOT,	/* all built by paging_init(), so mapping a
				   page never allocates: interrupt-safe */
	KVA_TABLES_ON_DEMAND,	/* built when a page first needs one, in
				   thread context only */
};

struct kva_region {
	const char *name;
	vaddr_t start;
	vaddr_t end;	 /* exclusive */
	const char *use;
	enum kva_tables tables;
};

/*
 * The layout in force, filled by kva_tune() at boot.  Before that, the
 * direct map is what boot.S mapped: physical 0 .. 1 GiB, less the top
 * guard's 2 MiB (whose end, 2^32, an exclusive vaddr_t cannot hold).
 */
extern struct kva_region kva_layout[KVA_NREGIONS];

/* The name kva_print() shows for a table policy. */
const char *kva_tables_name(enum kva_tables t);

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

/*
 * kmem_design=2003 sizes kmem_map as FreeBSD 5 did on i386 (FreeBSD 5.x
 * sys/kern/kern_malloc.c, kmeminit(); sys/i386/include/vmparam.h): at
 * least VM_KMEM_SIZE, RAM / VM_KMEM_SIZE_SCALE when that is larger, at
 * most VM_KMEM_SIZE_MAX.  mm/kva.c has the whole formula.
 */
#define VM_KMEM_SIZE MiB(12)
#define VM_KMEM_SIZE_SCALE 3
#define VM_KMEM_SIZE_MAX MiB(320)
/*
 * The direct map the 2003 design must leave, or it does not fit: the
 * boot's own allocations live there (the frame database, 0.3% of RAM;
 * 24 bytes of allocator metadata per page of kmem_map and kernel_map; the
 * page tables built at boot), about 17 MiB at 2.6 GiB of RAM.
 */
#define DIRECT_MAP_MIN_2003 MiB(32)

/* What kva_tune() needs to know about the machine. */
struct kva_params {
	uint64_t ram_bytes;	 /* all usable RAM, high memory included */
	uint64_t phys_top;	 /* end of the highest usable RAM range */
	bool kmem_map_requested; /* the command line asked for a size */
	uint64_t kmem_map_request; /* that size, in bytes */
	bool design_2003;	 /* size as FreeBSD 5 did (kmem_design=2003) */
};

/* What kva_tune() decided (also visible in kva_layout). */
struct kva_sizes {
	uint64_t direct;
	uint64_t kmem_map;
	uint64_t kernel_map;
	bool override_rejected;	 /* kmem_map_request was refused */
	/*
	 * design_2003 only: the regions add up to more than the kernel's
	 * 1 GiB, va_asked bytes with the fixed pieces and the direct map's
	 * minimum (DIRECT_MAP_MIN_2003).  Then nothing is placed and
	 * kva_layout is left as it was.
	 */
	bool does_not_fit;
	uint64_t va_asked;
};

/*
 * Computes the layout from the machine (formula in mm/kva.c), fills
 * kva_layout and returns the sizes.  Kiva's own design always fits: an
 * impossible request is reported with kprintf, ignored, and
 * override_rejected is set.  design_2003 may not fit (does_not_fit), as
 * FreeBSD 5 did not on big PAE machines; the caller then stops the boot.
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

/* The bytes of physical memory the direct map covers, from 0. */
static inline paddr_t kva_direct_bytes(void)
{
	return kva_end(KVA_DIRECT) - KERNBASE;
}

/*
 * Physical <-> virtual for the direct map: va = pa + KERNBASE, for low
 * memory only.  An address outside the direct map has no such partner
 * (high memory is reached through kmap, mm/kmap.h): asserted.
 */
static inline void *P2V(paddr_t pa)
{
	KASSERT(pa < kva_direct_bytes());
	return (void *)(vaddr_t)(pa + KERNBASE);
}

static inline paddr_t V2P(const void *va)
{
	/* Below KERNBASE the difference wraps around to a huge value. */
	paddr_t pa = (vaddr_t)va - KERNBASE;

	KASSERT(pa < kva_direct_bytes());
	return pa;
}
#endif

#endif
