/*
 * mm/paging.h - the kernel's page tables.
 *
 * paging_init() replaces boot.S's temporary 2 MiB mapping with the real
 * one: 4 KiB pages over every byte of low RAM (the direct map), kernel
 * text read-only, everything else no-execute when the CPU has NX, and the
 * page tables of every region interrupt code may touch (kmem_map, the kmap
 * windows) built in advance.  After it, the only page-table pages ever
 * allocated are kernel_map's, in thread context (asserted).
 */
#ifndef KIVA_MM_PAGING_H
#define KIVA_MM_PAGING_H

#include "kernel/lib/types.h"
#include "mm/memmap.h"
#include "mm/pagetable.h"

/* Flags for ordinary kernel data pages: writable, global, no-execute. */
pte_t paging_kernel_data_flags(void);

/* PTE_NX when the CPU has NX (and EFER.NXE is on), else 0. */
pte_t paging_nx_bit(void);

/* The kernel's page directory as a PDPT entry, shared by every address
 * space (mm/uvm.c), and the kernel's own address space for CR3. */
pte_t paging_kernel_pdpte(void);
uint32_t paging_kernel_cr3(void);

/*
 * Builds and loads the kernel page tables.  `ram` lists all RAM (for the
 * direct map); `alloc_table` hands out zeroed low pages for the tables.
 */
void paging_init(const struct mem_range *ram, size_t nram,
                 bool (*alloc_table)(paddr_t *pa, void *arg));

/*
 * Maps one kernel page at va (kmem_map, kernel_map, kmap).  In kmem_map and
 * the kmap windows the page table already exists, so this cannot fail and
 * is interrupt-safe.  In kernel_map it may need a new page table: thread
 * context only; returns false when no frame could be had for it.
 */
bool paging_map_kernel(vaddr_t va, paddr_t pa, pte_t flags);

/* Unmaps va and flushes it from the TLB; returns the old entry. */
pte_t paging_unmap_kernel(vaddr_t va);

/*
 * va's entry, with the rights the CPU applies (pt_lookup_effective), in
 * the address space whose CR3 is cr3: the kernel's or any process's.  0
 * when va is not mapped there.
 */
pte_t paging_lookup(uint32_t cr3, vaddr_t va);

/* The physical address va maps to; false when va is not mapped. */
bool paging_translate(vaddr_t va, paddr_t *pa);
bool paging_is_mapped(vaddr_t va);

/*
 * Maps device memory (uncached) and returns its kernel address.  Only
 * device ranges inside the direct map's span are supported (the legacy
 * hole below 1 MiB, where VGA lives); returns NULL for anything else.
 */
void *paging_map_device(paddr_t pa, size_t len);

/* Page tables present for the kernel VA range [start, end). */
unsigned paging_count_tables(vaddr_t start, vaddr_t end);

/* Page-table pages built at boot and grown since. */
struct paging_stats {
	uint32_t boot_tables;
	uint32_t grown_tables;
	bool nx;
	bool global;
};
extern struct paging_stats paging_stats;

#endif
