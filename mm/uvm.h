/*
 * mm/uvm.h - user address spaces.
 *
 * Each process has its own page-directory-pointer table.  Its first three
 * entries point at the process's own page directories (the 3 GiB of user
 * space, made on demand); the fourth points at the kernel's one page
 * directory, so the kernel is mapped identically in every process (SDM
 * Vol. 3A, 4.4.1; mm/kva.h).  The PDPT, directories and page tables are
 * paging_table_alloc()'s low frames, which the kernel edits through the
 * direct map; the pages they map come from any zone, high memory first,
 * so user memory does not eat the memory the kernel itself needs.  A page
 * and its page table are made by paging_back_page(), as for the kernel's
 * own pages (mm/paging.h).
 */
#ifndef KIVA_MM_UVM_H
#define KIVA_MM_UVM_H

#include "kernel/lib/types.h"
#include "mm/kva.h"
#include "mm/pagetable.h"

#define USER_BASE 0x00001000u	/* page 0 stays unmapped: NULL faults */
#define USER_TOP KERNBASE	/* user space ends where the kernel's begins */
#define USER_STACK_TOP (USER_TOP - PAGE_SIZE)	/* a guard page above */
#define USER_STACK_SIZE (64 * 1024)

/* User space's page directories: one per GiB below KERNBASE. */
#define USER_PDS (USER_TOP >> PDPT_SHIFT)

struct uvm {
	pte_t *pdpt;		/* direct-mapped; its physical address: cr3 */
	paddr_t pdpt_pa;
	pte_t *pd[USER_PDS];	/* the user page directories, or NULL */
	size_t pages;		/* user pages mapped */
};

/* Sets up an empty address space.  Returns false when no low frame is free. */
bool uvm_init(struct uvm *vm);

/* Frees every page, table and directory, and the PDPT itself. */
void uvm_destroy(struct uvm *vm);

/*
 * Maps fresh zeroed pages over [va, va + len) (page-rounded outward) with
 * the given permissions.  Pages already mapped there are kept as they are.
 * Returns false, with whatever it had mapped of the range undone, when a
 * frame or a table could not be had or the range is not user space.
 */
bool uvm_map_zero(struct uvm *vm, vaddr_t va, size_t len, bool writable,
                  bool executable);

/* Unmaps [va, va + len) (page-rounded inward) and frees the pages. */
void uvm_unmap(struct uvm *vm, vaddr_t va, size_t len);

/*
 * Copies len bytes into the address space at va, through the frames
 * (kmap_atomic), whatever the page protections and whichever address space
 * is current.  Returns false if part of the range is not mapped.
 */
bool uvm_copy_to(struct uvm *vm, vaddr_t va, const void *src, size_t len);

/* The value for CR3 (a PAE PDPT must lie below 4 GiB: low memory does). */
static inline uint32_t uvm_cr3(const struct uvm *vm)
{
	return (uint32_t)vm->pdpt_pa;
}

/* True when [va, va + len) lies inside user space without wrapping. */
static inline bool uvm_range_ok(vaddr_t va, size_t len)
{
	return va >= USER_BASE && va <= USER_TOP && len <= USER_TOP - va;
}

#endif
