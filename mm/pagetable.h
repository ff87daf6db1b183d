/*
 * mm/pagetable.h - PAE page tables: entries, indices, map/unmap/lookup.
 *
 * PAE translation (Intel SDM Vol. 3A, 4.4) splits a 32-bit linear address
 * into 2 + 9 + 9 + 12 bits:
 *
 *   31 30 | 29 ........ 21 | 20 ........ 12 | 11 ........ 0
 *   PDPT  | page directory | page table     | offset in page
 *   (4)   | (512 entries)  | (512 entries)  |
 *
 * Every entry is 64 bits, so a physical address may exceed 4 GiB and bit
 * 63 can forbid instruction fetch (NX, when EFER.NXE is on).  One page
 * table maps 2 MiB; one page directory 1 GiB.
 *
 * The functions here only read and write table memory, through an
 * environment that converts physical addresses to pointers.  They never
 * allocate: a walk that finds no page table says so, and the caller, who
 * knows where table pages may come from and whether it may take one now,
 * installs one with pt_install_table() and walks again.  The kernel's
 * environment is its direct map (mm/paging.c); the host tests' is a plain
 * array, so this file runs under the sanitizers too.
 */
#ifndef KIVA_MM_PAGETABLE_H
#define KIVA_MM_PAGETABLE_H

/*
 * Entry bits (SDM Vol. 3A, 4.4, Tables 4-8 to 4-11).  Those in the low
 * word are plain numbers, so that boot/boot.S can use them too; in C they
 * widen to pte_t (a negated one, ~PTE_W, widens with all its high bits).
 */
#define PTE_P 0x001	/* present */
#define PTE_W 0x002	/* writable */
#define PTE_U 0x004	/* user-accessible */
#define PTE_PWT 0x008	/* write-through */
#define PTE_PCD 0x010	/* cache disabled: device memory */
#define PTE_A 0x020	/* accessed (set by the CPU) */
#define PTE_D 0x040	/* dirty (set by the CPU) */
#define PTE_PS 0x080	/* in a PDE: a 2 MiB page */
#define PTE_G 0x100	/* global: kept in the TLB across CR3 loads */

#ifndef __ASSEMBLY__
#include "kernel/lib/types.h"

typedef uint64_t pte_t;

#define PTE_NX (1ull << 63)	/* no instruction fetch (needs EFER.NXE) */
#define PTE_ADDR_MASK 0x000ffffffffff000ull	/* bits 51:12 */

#define PT_ENTRIES 512
#define PDPT_ENTRIES 4
#define PDPT_ALIGN 32	/* CR3 holds its bits 31:5 (SDM Vol. 3A, 4.4.1) */
#define PDPT_SHIFT 30
#define PD_SHIFT 21
#define PD_SPAN (1u << PD_SHIFT)	/* 2 MiB */

static inline unsigned pdpt_index(vaddr_t va)
{
	return (unsigned)((uint32_t)va >> PDPT_SHIFT) & (PDPT_ENTRIES - 1);
}
static inline unsigned pd_index(vaddr_t va)
{
	return (unsigned)((uint32_t)va >> PD_SHIFT) & (PT_ENTRIES - 1);
}
static inline unsigned pt_index(vaddr_t va)
{
	return (unsigned)((uint32_t)va >> PAGE_SHIFT) & (PT_ENTRIES - 1);
}
static inline paddr_t pte_addr(pte_t e)
{
	return e & PTE_ADDR_MASK;
}
static inline pte_t pte_make(paddr_t pa, pte_t flags)
{
	return (pa & PTE_ADDR_MASK) | flags;
}

/*
 * A 64-bit entry is two 32-bit stores on i386, and the CPU may walk the
 * tables between them (speculatively, or from an interrupt).  So an entry
 * becomes present only once its high half (address bits 32+, NX) is in
 * place, and stops being present before the high half changes: the low
 * half, which holds P, is written last when setting and first when
 * clearing (the same rule Linux follows for PAE).
 */
typedef uint32_t __attribute__((may_alias)) pte_half_t;

static inline void pte_set(pte_t *e, pte_t v)
{
	volatile pte_half_t *h = (volatile pte_half_t *)e;

	h[0] = 0;
	h[1] = (uint32_t)(v >> 32);
	h[0] = (uint32_t)v;
}

static inline void pte_clear(pte_t *e)
{
	volatile pte_half_t *h = (volatile pte_half_t *)e;

	h[0] = 0;
	h[1] = 0;
}

/* How table memory is reached: a physical address's kernel pointer. */
struct pt_env {
	void *(*p2v)(paddr_t pa);
};

/*
 * A page directory (one of the four a PDPT points to) is where all these
 * functions start: with PAE the kernel's quarter is one page directory,
 * shared by every address space, so kernel mappings never touch a PDPT.
 */

/*
 * Returns a pointer to va's page-table entry, or NULL when va's page table
 * is missing, or va is mapped by a 2 MiB page (which has no table).
 * Changes nothing.
 */
pte_t *pt_walk(const struct pt_env *env, pte_t *pd, vaddr_t va);

/*
 * The PDE flags for a page table made for a page with page_flags.  A PDE
 * grants the most the entries under it may use and the PTEs restrict it
 * (SDM Vol. 3A, 4.6.1), so it is always writable, and user-accessible when
 * the page is.
 */
static inline pte_t pt_table_flags(pte_t page_flags)
{
	return PTE_W | (page_flags & PTE_U);
}

/*
 * Makes table, the physical address of a zeroed page, the page table of
 * va's 2 MiB span, with PDE flags pde_flags (and P).  The span must have
 * no table yet, and table must be page-aligned: both asserted.
 */
void pt_install_table(pte_t *pd, vaddr_t va, paddr_t table, pte_t pde_flags);

/*
 * Maps one 4 KiB page.  Returns false, changing nothing, when va's page
 * table is missing (install one, then map again) or va lies in a 2 MiB
 * page.  The previous entry, if any, is overwritten: the caller flushes
 * the TLB.
 */
bool pt_map(const struct pt_env *env, pte_t *pd, vaddr_t va, paddr_t pa,
            pte_t flags);

/* Clears va's entry; returns the old one (0 if nothing was mapped). */
pte_t pt_unmap(const struct pt_env *env, pte_t *pd, vaddr_t va);

/* The entry mapping va (a PTE or a 2 MiB PDE), or 0 if none. */
pte_t pt_lookup(const struct pt_env *env, const pte_t *pd, vaddr_t va);

/*
 * The access rights the CPU applies to va: the entry pt_lookup() returns,
 * with PTE_W and PTE_U kept only if the PDE has them too, and PTE_NX set
 * if either has it (SDM Vol. 3A, 4.6.1: the rights of every level
 * combine).  0 if va is not mapped.
 */
pte_t pt_lookup_effective(const struct pt_env *env, const pte_t *pd,
                          vaddr_t va);

#endif /* __ASSEMBLY__ */

#endif
