/*
 * mm/paging.c - building and editing the kernel's PAE page tables.
 *
 * The kernel's quarter (KERNBASE and up) is one page directory,
 * kernel_pd, which every address space's PDPT will share as its fourth
 * entry, so a kernel mapping made once is seen everywhere.  All page-table
 * pages come from low memory and are edited through the direct map.
 *
 * Order at boot (SDM Vol. 3A, 4.1 and 4.10):
 *   1. EFER.NXE on, if the CPU has NX, before any entry uses bit 63:
 *      with NXE off, bit 63 is reserved and would fault (PF_RSVD).
 *   2. Fill the tables while boot.S's mapping is still live.
 *   3. Load CR3 with the new PDPT (this also reloads the four PDPTEs).
 *   4. CR4.PGE on, so global kernel entries survive later CR3 loads.
 */
#include "mm/paging.h"

#include "drivers/vga.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/cpufeatures.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/kstring.h"
#include "kernel/cpu/trap.h"
#include "mm/kva.h"
#include "mm/pmm.h"

extern const char __kernel_start[], __text_end[], __rodata_end[];

static pte_t kernel_pd[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static pte_t kernel_pdpt[PDPT_ENTRIES] __attribute__((aligned(32)));
static pte_t nx_bit, global_bit;

struct paging_stats paging_stats;

static void *direct_p2v(paddr_t pa, void *arg)
{
	(void)arg;
	KASSERT(pa < kva_end(KVA_DIRECT) - KERNBASE);
	return P2V(pa);
}

/* Page tables grown after boot: kernel_map only, never in an interrupt. */
static bool grow_table(paddr_t *pa, void *arg)
{
	struct page *p;

	(void)arg;
	KASSERT(!in_interrupt());
	p = page_alloc(0, PMM_LOW);
	if (p == NULL)
		return false;
	memset(page_to_virt(p), 0, PAGE_SIZE);
	*pa = page_to_phys(p);
	paging_stats.grown_tables++;
	return true;
}

static const struct pt_env grow_env = { direct_p2v, grow_table, NULL };

pte_t paging_kernel_data_flags(void)
{
	return PTE_W | global_bit | nx_bit;
}

pte_t paging_nx_bit(void)
{
	return nx_bit;
}

pte_t paging_kernel_pdpte(void)
{
	return kernel_pdpt[pdpt_index(KERNBASE)];
}

uint32_t paging_kernel_cr3(void)
{
	return (uint32_t)V2P(kernel_pdpt);
}

/* Text: read-only and executable; read-only data: read-only; rest: RW. */
static pte_t direct_map_flags(paddr_t pa)
{
	vaddr_t va = (vaddr_t)P2V(pa);

	if (va >= (vaddr_t)__kernel_start && va < (vaddr_t)__text_end)
		return global_bit;
	if (va >= (vaddr_t)__text_end && va < (vaddr_t)__rodata_end)
		return global_bit | nx_bit;
	return paging_kernel_data_flags();
}

static void map_direct(const struct pt_env *env, const struct mem_range *ram,
                       size_t nram)
{
	paddr_t limit = kva_end(KVA_DIRECT) - KERNBASE;

	for (size_t i = 0; i < nram; i++) {
		paddr_t end = MIN(ram[i].end, limit);
		for (paddr_t pa = ram[i].base; pa < end; pa += PAGE_SIZE) {
			bool ok = pt_map(env, kernel_pd, (vaddr_t)P2V(pa), pa,
			                 direct_map_flags(pa));
			KASSERT(ok);	/* mm_init() reserved every table */
		}
	}
}

/* Builds every page table of a region now, so none is needed later. */
static void preallocate(const struct pt_env *env, enum kva_region_id id)
{
	for (vaddr_t va = kva_start(id); va < kva_end(id); va += PD_SPAN) {
		pte_t *pte = pt_walk(env, kernel_pd, va, true, PTE_W);
		KASSERT(pte != NULL);	/* mm_init() reserved every table */
	}
}

unsigned paging_count_tables(vaddr_t start, vaddr_t end)
{
	unsigned n = 0;

	for (vaddr_t va = start; va < end && va >= KERNBASE; va += PD_SPAN)
		n += (kernel_pd[pd_index(va)] & PTE_P) != 0;
	return n;
}

void paging_init(const struct mem_range *ram, size_t nram,
                 bool (*alloc_table)(paddr_t *pa, void *arg))
{
	const struct pt_env boot_env = { direct_p2v, alloc_table, NULL };

	if (cpu.nx) {
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
		nx_bit = PTE_NX;
	}
	if (cpu.pge)
		global_bit = PTE_G;
	paging_stats.nx = cpu.nx;
	paging_stats.global = cpu.pge;

	map_direct(&boot_env, ram, nram);
	preallocate(&boot_env, KVA_KMEM_MAP);
	preallocate(&boot_env, KVA_KMAP);
	preallocate(&boot_env, KVA_KMAP_ATOMIC);
	paging_stats.boot_tables = paging_count_tables(KERNBASE, 0xffffffffu);

	pte_set(&kernel_pdpt[pdpt_index(KERNBASE)], pte_make(V2P(kernel_pd),
	                                                     PTE_P));
	write_cr3((uint32_t)V2P(kernel_pdpt));
	if (cpu.pge)
		write_cr4(read_cr4() | CR4_PGE);

	vga_set_buffer(paging_map_device(VGA_TEXT_PHYS, PAGE_SIZE));
}

static bool needs_preallocated_table(vaddr_t va)
{
	return kva_in(KVA_KMEM_MAP, va) || kva_in(KVA_KMAP, va) ||
	       kva_in(KVA_KMAP_ATOMIC, va);
}

bool paging_map_kernel(vaddr_t va, paddr_t pa, pte_t flags)
{
	pte_t *pte;

	if (needs_preallocated_table(va)) {
		pte = pt_walk(&grow_env, kernel_pd, va, false, 0);
		KASSERT(pte != NULL);	/* built by paging_init() */
	} else {
		KASSERT(kva_in(KVA_KERNEL_MAP, va));
		pte = pt_walk(&grow_env, kernel_pd, va, true, PTE_W);
		if (pte == NULL)
			return false;
	}
	KASSERT(!(*pte & PTE_P));	/* never silently replace a mapping */
	pte_set(pte, pte_make(pa, flags | PTE_P));
	return true;
}

pte_t paging_unmap_kernel(vaddr_t va)
{
	pte_t old = pt_unmap(&grow_env, kernel_pd, va);

	invlpg(va);
	return old;
}

pte_t paging_lookup(uint32_t cr3, vaddr_t va)
{
	/* Every PDPT and page directory is in low memory (mm/uvm.h). */
	const pte_t *pdpt = P2V((paddr_t)cr3);
	pte_t pdpte = pdpt[pdpt_index(va)];

	if (!(pdpte & PTE_P))
		return 0;
	return pt_lookup_effective(&grow_env, P2V(pte_addr(pdpte)), va);
}

bool paging_translate(vaddr_t va, paddr_t *pa)
{
	pte_t e;

	if (va < KERNBASE || kernel_pdpt[3] == 0)
		return false;
	e = pt_lookup(&grow_env, kernel_pd, va);
	if (e == 0)
		return false;
	if (e & PTE_PS)
		*pa = pte_addr(e) + (va & (PD_SPAN - 1));
	else
		*pa = pte_addr(e) + (va & PAGE_MASK);
	return true;
}

bool paging_is_mapped(vaddr_t va)
{
	paddr_t pa;
	return paging_translate(va, &pa);
}

void *paging_map_device(paddr_t pa, size_t len)
{
	paddr_t first = ROUND_DOWN(pa, (paddr_t)PAGE_SIZE);
	paddr_t end = ROUND_UP(pa + len, (paddr_t)PAGE_SIZE);

	if (end > kva_end(KVA_DIRECT) - KERNBASE)
		return NULL;
	for (paddr_t p = first; p < end; p += PAGE_SIZE) {
		pte_t *pte = pt_walk(&grow_env, kernel_pd, (vaddr_t)P2V(p),
		                     false, 0);
		if (pte == NULL)
			return NULL;	/* no table: would need an allocation */
		pte_set(pte, pte_make(p, PTE_P | PTE_W | PTE_PCD | PTE_PWT |
		                      nx_bit));
		invlpg((vaddr_t)P2V(p));
	}
	return P2V(pa);
}
