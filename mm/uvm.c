/*
 * mm/uvm.c - building and tearing down user address spaces (mm/uvm.h).
 *
 * The processor caches the four PDPT entries when CR3 is loaded (SDM
 * Vol. 3A, 4.4.1), so adding a page directory to the address space that is
 * current takes a CR3 reload before the CPU sees it; uvm_map_zero() does
 * that.  Page-table edits of the current address space are flushed with
 * invlpg; other address spaces get their TLB entries flushed when CR3 is
 * loaded at the next switch to them.  Another CPU may have this address
 * space loaded too (its thread ran there, or runs there now): an unmapped
 * page is shot down there as well (kernel/cpu/smp.h).
 */
#include "mm/uvm.h"

#include "kernel/cpu/cpu.h"
#include "kernel/cpu/smp.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/kstring.h"
#include "mm/kmap.h"
#include "mm/kva.h"
#include "mm/paging.h"
#include "mm/pmm.h"

bool uvm_init(struct uvm *vm)
{
	struct page *p;

	memset(vm, 0, sizeof(*vm));
	p = paging_table_alloc();
	if (p == NULL)
		return false;
	vm->pdpt_pa = page_to_phys(p);
	vm->pdpt = page_to_virt(p);
	pte_set(&vm->pdpt[pdpt_index(KERNBASE)], paging_kernel_pdpte());
	return true;
}

static bool is_current(const struct uvm *vm)
{
	return read_cr3() == uvm_cr3(vm);
}

/* The page directory for va, made if needed; NULL when no frame is free. */
static pte_t *directory(struct uvm *vm, vaddr_t va)
{
	unsigned i = pdpt_index(va);
	struct page *p;

	KASSERT(i < USER_PDS);
	if (vm->pd[i] == NULL) {
		p = paging_table_alloc();
		if (p == NULL)
			return NULL;
		vm->pd[i] = page_to_virt(p);
		/* PDPTEs have only P and the address (SDM Vol. 3A, 4.4.1). */
		pte_set(&vm->pdpt[i], pte_make(page_to_phys(p), PTE_P));
		if (is_current(vm))
			write_cr3(read_cr3());
	}
	return vm->pd[i];
}

static pte_t unmap_page(struct uvm *vm, vaddr_t va)
{
	pte_t *pd = vm->pd[pdpt_index(va)];
	pte_t old;

	if (pd == NULL)
		return 0;
	old = pt_unmap(&paging_env, pd, va);
	if (old & PTE_P) {
		/* Off every CPU's TLB before the frame can be reused. */
		if (is_current(vm))
			invlpg(va);
		smp_tlb_shootdown(uvm_cr3(vm), va);
		page_free(phys_to_page(pte_addr(old)), 0);
		vm->pages--;
	}
	return old;
}

/*
 * A fresh zeroed page at va, unless one is there.  The frame may be high
 * memory, so it is zeroed through kmap_atomic, just after it is mapped:
 * nothing can read it in between, since an address space is used only by
 * its process's one thread, and that is either the caller (a system call)
 * or not started yet.
 */
static bool map_one(struct uvm *vm, vaddr_t va, pte_t flags)
{
	pte_t *pd = directory(vm, va);
	struct page *p;
	void *w;

	if (pd == NULL)
		return false;
	if (pt_lookup(&paging_env, pd, va) != 0)
		return true;		/* already there: keep it */
	p = paging_back_page(pd, va, flags, PMM_ANY);
	if (p == NULL)
		return false;
	w = kmap_atomic(p);
	memset(w, 0, PAGE_SIZE);
	kunmap_atomic(w);
	vm->pages++;
	return true;
}

bool uvm_map_zero(struct uvm *vm, vaddr_t va, size_t len, bool writable,
                  bool executable)
{
	vaddr_t start = ROUND_DOWN(va, (vaddr_t)PAGE_SIZE);
	vaddr_t end;
	pte_t flags = PTE_U | (writable ? PTE_W : 0) |
	              (executable ? 0 : paging_nx_bit());

	if (len == 0)
		return true;
	if (!uvm_range_ok(va, len))
		return false;
	end = ROUND_UP(va + len, (vaddr_t)PAGE_SIZE);
	for (vaddr_t p = start; p < end; p += PAGE_SIZE) {
		if (!map_one(vm, p, flags)) {
			uvm_unmap(vm, start, p - start);
			return false;
		}
	}
	return true;
}

void uvm_unmap(struct uvm *vm, vaddr_t va, size_t len)
{
	vaddr_t start = ROUND_UP(va, (vaddr_t)PAGE_SIZE);
	vaddr_t end = ROUND_DOWN(va + len, (vaddr_t)PAGE_SIZE);

	for (vaddr_t p = start; p < end; p += PAGE_SIZE)
		unmap_page(vm, p);
}

bool uvm_copy_to(struct uvm *vm, vaddr_t va, const void *src, size_t len)
{
	const uint8_t *s = src;

	while (len > 0) {
		pte_t *pd = vm->pd[pdpt_index(va)];
		pte_t e = pd != NULL ? pt_lookup(&paging_env, pd, va) : 0;
		size_t off = va & PAGE_MASK, n = MIN(len, PAGE_SIZE - off);
		uint8_t *w;

		if (!(e & PTE_P))
			return false;
		w = kmap_atomic(phys_to_page(pte_addr(e)));
		memcpy(w + off, s, n);
		kunmap_atomic(w);
		va += n;
		s += n;
		len -= n;
	}
	return true;
}

/* Frees every page a page table maps, then the table. */
static void free_table(struct uvm *vm, pte_t pde)
{
	pte_t *pt = P2V(pte_addr(pde));

	for (int i = 0; i < PT_ENTRIES; i++) {
		if (pt[i] & PTE_P) {
			page_free(phys_to_page(pte_addr(pt[i])), 0);
			vm->pages--;
		}
	}
	page_free(phys_to_page(pte_addr(pde)), 0);
}

void uvm_destroy(struct uvm *vm)
{
	KASSERT(!is_current(vm));	/* switch to another address space first */
	for (unsigned i = 0; i < USER_PDS; i++) {
		if (vm->pd[i] == NULL)
			continue;
		for (int j = 0; j < PT_ENTRIES; j++)
			if (vm->pd[i][j] & PTE_P)
				free_table(vm, vm->pd[i][j]);
		page_free(phys_to_page(V2P(vm->pd[i])), 0);
	}
	page_free(phys_to_page(vm->pdpt_pa), 0);
	KASSERT(vm->pages == 0);
	memset(vm, 0, sizeof(*vm));
}
