/*
 * mm/paging.c - building and editing the kernel's PAE page tables, and
 * giving pages of VA their frames.
 *
 * The kernel's quarter (KERNBASE and up) is one page directory,
 * kernel_pd, which every address space's PDPT shares as its fourth
 * entry, so a kernel mapping made once is seen everywhere.  All page-table
 * pages come from low memory and are edited through the direct map.
 *
 * Order at boot (SDM Vol. 3A, 4.1 and 4.10):
 *   1. EFER.NXE on, if the CPU has NX, before any entry uses bit 63:
 *      with NXE off, bit 63 is reserved and would fault (PF_RSVD).
 *   2. Build every table of the regions the layout says are built at boot
 *      (mm/kva.h), then fill in the direct map, while boot.S's mapping is
 *      still live.
 *   3. Load CR3 with the new PDPT (this also reloads the four PDPTEs).
 *   4. CR4.PGE on, so global kernel entries survive later CR3 loads.
 *
 * After boot, every page of VA that gets a fresh frame gets it through
 * paging_back_page(): kmalloc's pages in kmem_map and kernel_map, thread
 * stacks, user pages.  It is also the one place a page table is made, from
 * paging_table_alloc(), and only where the layout lets tables grow.
 */
#include "mm/paging.h"

#include "kernel/cpu/cpu.h"
#include "kernel/cpu/cpufeatures.h"
#include "kernel/cpu/smp.h"
#include "kernel/cpu/trap.h"
#include "kernel/debug/panic.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/kstring.h"
#include "mm/kva.h"
#include "mm/pmm.h"

extern const char __kernel_start[], __text_end[], __rodata_end[];

static pte_t kernel_pd[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static pte_t kernel_pdpt[PDPT_ENTRIES] __attribute__((aligned(PDPT_ALIGN)));
static pte_t nx_bit, global_bit;

struct paging_stats paging_stats;

static void *direct_p2v(paddr_t pa)
{
	return P2V(pa);
}

const struct pt_env paging_env = { direct_p2v };

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

pte_t *paging_kernel_pd(void)
{
	return kernel_pd;
}

/* Text: read-only and executable; read-only data: read-only; rest: RW. */
static pte_t direct_map_flags(paddr_t pa)
{
	/* LAB 1: BEGIN SOLUTION */
	vaddr_t va = (vaddr_t)P2V(pa);

	if (va >= (vaddr_t)__kernel_start && va < (vaddr_t)__text_end)
		return global_bit;
	if (va >= (vaddr_t)__text_end && va < (vaddr_t)__rodata_end)
		return global_bit | nx_bit;
	return paging_kernel_data_flags();
	/* LAB 1: END SOLUTION */
	/* LAB 1: BEGIN HANDOUT
	/+ YOUR CODE HERE: text read-only, read-only data read-only and
	   no-execute, the rest writable and no-execute (lab 1).  Until then
	   everything is writable and executable. +/
	(void)pa;
	return PTE_W | global_bit;
	   END HANDOUT */
}

/* Maps [base, end) of physical memory at P2V(base); the tables exist. */
static void map_direct_range(paddr_t base, paddr_t end)
{
	for (paddr_t pa = base; pa < end; pa += PAGE_SIZE) {
		vaddr_t va = (vaddr_t)P2V(pa);

		/* build_boot_tables() made the table: only pt_map() fails. */
		if (!pt_map(&paging_env, kernel_pd, va, pa,
		            direct_map_flags(pa)))
			panic("paging: pt_map() did not map physical %llx at "
			      "%08x, whose page table is installed "
			      "(mm/pagetable.c: pt_walk, pt_map)",
			      (unsigned long long)pa, (unsigned)va);
	}
}

/*
 * The legacy area below 1 MiB, RAM or not, then every page of RAM the
 * direct map covers.  boot.S mapped the legacy area, with the VGA text
 * buffer the console writes to, and it stays mapped, so that the console's
 * next character after CR3 is loaded still has somewhere to go;
 * kernel/kmain.c then remaps the VGA page as device memory.
 */
static void map_direct(const struct mem_range *ram, size_t nram)
{
	paddr_t limit = kva_direct_bytes();

	map_direct_range(0, MEMMAP_LEGACY_END);
	for (size_t i = 0; i < nram; i++)
		map_direct_range(MAX(ram[i].base, MEMMAP_LEGACY_END),
		                 MIN(ram[i].end, limit));
}

/*
 * Installs a page table for every 2 MiB span of every region whose tables
 * are built at boot (mm/kva.h), so that no page there ever needs one:
 * mm_init() counted the same spans and gave exactly that many pages.
 */
static void build_boot_tables(const paddr_t *tables, size_t ntables)
{
	pte_t pde_flags = pt_table_flags(paging_kernel_data_flags());
	size_t used = 0;

	for (int i = 0; i < KVA_NREGIONS; i++) {
		const struct kva_region *r = &kva_layout[i];
		if (r->tables != KVA_TABLES_AT_BOOT)
			continue;
		for (vaddr_t va = r->start; va < r->end; va += PD_SPAN) {
			KASSERT(used < ntables);
			pt_install_table(kernel_pd, va, tables[used++],
			                 pde_flags);
		}
	}
	KASSERT(used == ntables);
}

unsigned paging_count_tables(vaddr_t start, vaddr_t end)
{
	unsigned n = 0;

	for (vaddr_t va = start; va < end && va >= KERNBASE; va += PD_SPAN)
		n += (kernel_pd[pd_index(va)] & PTE_P) != 0;
	return n;
}

void paging_init(const struct mem_range *ram, size_t nram,
                 const paddr_t *tables, size_t ntables)
{
	if (cpu.nx) {
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
		nx_bit = PTE_NX;
	}
	if (cpu.pge)
		global_bit = PTE_G;
	paging_stats.nx = cpu.nx;
	paging_stats.global = cpu.pge;

	build_boot_tables(tables, ntables);
	map_direct(ram, nram);
	paging_stats.boot_tables = paging_count_tables(KERNBASE,
	                                               kva_end(KVA_GUARD_TOP));

	pte_set(&kernel_pdpt[pdpt_index(KERNBASE)], pte_make(V2P(kernel_pd),
	                                                     PTE_P));
	write_cr3((uint32_t)V2P(kernel_pdpt));
	paging_cpu_init();
}

struct page *paging_table_alloc(void)
{
	struct page *p;

	KASSERT(!in_interrupt());
	p = page_alloc(0, PMM_LOW);
	if (p != NULL)
		memset(page_to_virt(p), 0, PAGE_SIZE);
	return p;
}

/* How va's page tables come to be: its region's rule; user space grows. */
static enum kva_tables table_policy(vaddr_t va)
{
	const struct kva_region *r = kva_region_of(va);

	return r != NULL ? r->tables : KVA_TABLES_ON_DEMAND;
}

/* Makes the missing page table of va, for a page with pte_flags. */
static bool add_table(pte_t *pd, vaddr_t va, pte_t pte_flags,
                      int frame_flags)
{
	struct page *table;

	/* An interrupt handler cannot wait for a table, nor build one. */
	KASSERT(!(frame_flags & PMM_INTR));
	KASSERT(table_policy(va) == KVA_TABLES_ON_DEMAND);
	table = paging_table_alloc();
	if (table == NULL)
		return false;
	pt_install_table(pd, va, page_to_phys(table),
	                 pt_table_flags(pte_flags));
	if (pd == kernel_pd)
		paging_stats.grown_tables++;
	return true;
}

struct page *paging_back_page(pte_t *pd, vaddr_t va, pte_t pte_flags,
                              int frame_flags)
{
	pte_t *pte = pt_walk(&paging_env, pd, va);
	struct page *frame;

	if (pte == NULL) {
		if (!add_table(pd, va, pte_flags, frame_flags))
			return NULL;
		pte = pt_walk(&paging_env, pd, va);
	}
	KASSERT(!(*pte & PTE_P));	/* never silently replace a mapping */
	frame = page_alloc(0, frame_flags);
	if (frame != NULL)
		pte_set(pte, pte_make(page_to_phys(frame), pte_flags | PTE_P));
	return frame;
}

void paging_map_kernel(vaddr_t va, paddr_t pa, pte_t flags)
{
	pte_t *pte = pt_walk(&paging_env, kernel_pd, va);

	KASSERT(pte != NULL);	/* built at boot (mm/kva.h) */
	KASSERT(!(*pte & PTE_P));	/* never silently replace a mapping */
	pte_set(pte, pte_make(pa, flags | PTE_P));
}

pte_t paging_unmap_kernel_local(vaddr_t va)
{
	pte_t old = pt_unmap(&paging_env, kernel_pd, va);

	invlpg(va);
	return old;
}

pte_t paging_unmap_kernel(vaddr_t va)
{
	pte_t old = paging_unmap_kernel_local(va);

	/* Kernel pages are global: another CPU may hold va whatever its CR3. */
	smp_tlb_shootdown(SMP_TLB_KERNEL, va);
	return old;
}

pte_t paging_device_flags(void)
{
	return PTE_W | PTE_PCD | PTE_PWT | global_bit | nx_bit;
}

void paging_cpu_init(void)
{
	if (cpu.pge)
		write_cr4(read_cr4() | CR4_PGE);
}

pte_t paging_lookup(uint32_t cr3, vaddr_t va)
{
	/* Every PDPT and page directory is in low memory (mm/uvm.h). */
	/* LAB 1: BEGIN SOLUTION */
	const pte_t *pdpt = P2V((paddr_t)cr3);
	pte_t pdpte = pdpt[pdpt_index(va)];

	if (!(pdpte & PTE_P))
		return 0;
	return pt_lookup_effective(&paging_env, P2V(pte_addr(pdpte)), va);
	/* LAB 1: END SOLUTION */
	/* LAB 1: BEGIN HANDOUT
	/+ YOUR CODE HERE: the first of the three levels, from CR3 (SDM
	   Vol. 3A, 4.4.1), then the two below it (lab 1). +/
	(void)cr3, (void)va;
	return 0;
	   END HANDOUT */
}

bool paging_translate(vaddr_t va, paddr_t *pa)
{
	pte_t e;

	/* Before paging_init() there are no kernel tables to look in. */
	if (va < KERNBASE || kernel_pdpt[pdpt_index(KERNBASE)] == 0)
		return false;
	e = pt_lookup(&paging_env, kernel_pd, va);
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

	if (end > kva_direct_bytes())
		return NULL;
	for (paddr_t p = first; p < end; p += PAGE_SIZE) {
		pte_t *pte = pt_walk(&paging_env, kernel_pd, (vaddr_t)P2V(p));
		if (pte == NULL)
			return NULL;	/* no table: would need an allocation */
		pte_set(pte, pte_make(p, PTE_P | PTE_W | PTE_PCD | PTE_PWT |
		                      nx_bit));
		invlpg((vaddr_t)P2V(p));
	}
	return P2V(pa);
}
