/*
 * mm/paging.h - the kernel's page tables, and giving pages of VA frames.
 *
 * paging_init() replaces boot.S's temporary 2 MiB mapping with the real
 * one: 4 KiB pages over every byte of low RAM (the direct map), kernel
 * text read-only, everything else no-execute when the CPU has NX, and
 * every page table of the regions whose tables are built at boot (the
 * direct map, kmem_map, the kmap windows: mm/kva.h) built in advance.
 * After it, page tables are made only where the layout says they grow on
 * demand (kernel_map) and in user address spaces (mm/uvm.c), always in
 * thread context (asserted), always through paging_back_page().
 */
#ifndef KIVA_MM_PAGING_H
#define KIVA_MM_PAGING_H

#include "kernel/lib/types.h"
#include "mm/memmap.h"
#include "mm/pagetable.h"

struct page;

/* Page-table memory is reached through the direct map: for pt_*(). */
extern const struct pt_env paging_env;

/* Flags for ordinary kernel data pages: writable, global, no-execute. */
pte_t paging_kernel_data_flags(void);

/* PTE_NX when the CPU has NX (and EFER.NXE is on), else 0. */
pte_t paging_nx_bit(void);

/* The kernel's page directory as a PDPT entry, shared by every address
 * space (mm/uvm.c), and the kernel's own address space for CR3. */
pte_t paging_kernel_pdpte(void);
uint32_t paging_kernel_cr3(void);

/* The kernel's page directory, for paging_back_page(). */
pte_t *paging_kernel_pd(void);

/*
 * Builds and loads the kernel page tables.  `ram` lists all RAM (for the
 * direct map); `tables` are ntables zeroed low pages for the tables built
 * at boot, exactly as many as those regions have 2 MiB spans (asserted).
 */
void paging_init(const struct mem_range *ram, size_t nram,
                 const paddr_t *tables, size_t ntables);

/*
 * A page for a page table, page directory or PDPT: a zeroed low frame,
 * so the kernel edits it through the direct map (and a PDPT lies below
 * 4 GiB, as PAE needs: SDM Vol. 3A, 4.4.1).  NULL when none is free.
 * Thread context.  Give it back with page_free(p, 0).
 */
struct page *paging_table_alloc(void);

/*
 * Gives the page at va, which is not mapped, a fresh frame: takes it with
 * page_alloc(0, frame_flags) and maps it with pte_flags in the page
 * directory pd (the kernel's, or one of a process's).  If va's page table
 * is missing, it first makes one with paging_table_alloc(): only thread
 * context may (frame_flags without PMM_INTR), and only where tables grow
 * on demand (user space, kernel_map); anywhere else a missing table is a
 * bug (asserted).  Returns the frame, or NULL when no frame could be had
 * for the page or its table; a table made for it stays.  No TLB flush is
 * needed: the CPU caches no translation from a not-present entry (SDM
 * Vol. 3A, 4.10.2).
 */
struct page *paging_back_page(pte_t *pd, vaddr_t va, pte_t pte_flags,
                              int frame_flags);

/*
 * Maps the frame at pa at va, in a region whose page tables were built at
 * boot (the kmap windows): never allocates, so it is interrupt-safe.
 */
void paging_map_kernel(vaddr_t va, paddr_t pa, pte_t flags);

/*
 * Unmaps a kernel va and flushes it from the TLB of every CPU (this one's
 * with invlpg, the others' with a shootdown: kernel/cpu/smp.h), before
 * returning the old entry, so its frame may be reused at once.
 */
pte_t paging_unmap_kernel(vaddr_t va);
/*
 * The same, flushing only this CPU's TLB: for a va no other CPU ever used
 * (this CPU's kmap_atomic windows).
 */
pte_t paging_unmap_kernel_local(vaddr_t va);

/* Flags for device registers: writable, uncached (PCD, PWT), no-execute. */
pte_t paging_device_flags(void);

/*
 * This CPU's paging bits beyond the tables, as paging_init() set them on
 * the boot CPU: global pages (CR4.PGE).  For the other CPUs' start.
 */
void paging_cpu_init(void);

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
 * area below 1 MiB, where VGA lives); returns NULL for anything else.
 */
void *paging_map_device(paddr_t pa, size_t len);

/* Page tables present for the kernel VA range [start, end). */
unsigned paging_count_tables(vaddr_t start, vaddr_t end);

/* Kernel page-table pages built at boot and grown since. */
struct paging_stats {
	uint32_t boot_tables;
	uint32_t grown_tables;
	bool nx;
	bool global;
};
extern struct paging_stats paging_stats;

#endif
