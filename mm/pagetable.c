/*
 * mm/pagetable.c - walking and editing PAE page tables (pure logic).
 */
#include "mm/pagetable.h"

#include "kernel/lib/kassert.h"

pte_t *pt_walk(const struct pt_env *env, pte_t *pd, vaddr_t va)
{
	/* LAB 1: BEGIN SOLUTION */
	pte_t pde = pd[pd_index(va)];
	pte_t *pt;

	if (!(pde & PTE_P) || (pde & PTE_PS))
		return NULL;
	pt = env->p2v(pte_addr(pde));
	return &pt[pt_index(va)];
	/* LAB 1: END SOLUTION */
	/* LAB 1: BEGIN HANDOUT
	/+ YOUR CODE HERE: va's entry in the page directory, then, if it
	   points to a page table, va's entry there (lab 1). +/
	(void)env, (void)pd, (void)va;
	return NULL;
	   END HANDOUT */
}

void pt_install_table(pte_t *pd, vaddr_t va, paddr_t table, pte_t pde_flags)
{
	pte_t *pde = &pd[pd_index(va)];

	KASSERT(!(*pde & PTE_P));	/* neither a table nor a 2 MiB page */
	KASSERT((table & PAGE_MASK) == 0);
	pte_set(pde, pte_make(table, pde_flags | PTE_P));
}

bool pt_map(const struct pt_env *env, pte_t *pd, vaddr_t va, paddr_t pa,
            pte_t flags)
{
	KASSERT((pa & PAGE_MASK) == 0 && (va & PAGE_MASK) == 0);
	/* LAB 1: BEGIN SOLUTION */
	pte_t *pte = pt_walk(env, pd, va);

	if (pte == NULL)
		return false;
	/* The table may have been made for a kernel page: grant U now. */
	pd[pd_index(va)] |= flags & PTE_U;
	pte_set(pte, pte_make(pa, flags | PTE_P));
	return true;
	/* LAB 1: END SOLUTION */
	/* LAB 1: BEGIN HANDOUT
	/+ YOUR CODE HERE: find va's entry, make it map pa with flags and P,
	   and mind the rights of the directory entry above it (lab 1). +/
	(void)env, (void)pd, (void)va, (void)pa, (void)flags;
	return false;
	   END HANDOUT */
}

pte_t pt_unmap(const struct pt_env *env, pte_t *pd, vaddr_t va)
{
	/* LAB 1: BEGIN SOLUTION */
	pte_t *pte = pt_walk(env, pd, va);
	pte_t old;

	if (pte == NULL)
		return 0;
	old = *pte;
	pte_clear(pte);
	return old;
	/* LAB 1: END SOLUTION */
	/* LAB 1: BEGIN HANDOUT
	/+ YOUR CODE HERE: clear va's entry, return what it was (lab 1). +/
	(void)env, (void)pd, (void)va;
	return 0;
	   END HANDOUT */
}

pte_t pt_lookup(const struct pt_env *env, const pte_t *pd, vaddr_t va)
{
	/* LAB 1: BEGIN SOLUTION */
	pte_t pde = pd[pd_index(va)];

	if (!(pde & PTE_P))
		return 0;
	if (pde & PTE_PS)
		return pde;
	const pte_t *pt = env->p2v(pte_addr(pde));
	return pt[pt_index(va)] & PTE_P ? pt[pt_index(va)] : 0;
	/* LAB 1: END SOLUTION */
	/* LAB 1: BEGIN HANDOUT
	/+ YOUR CODE HERE: the entry that maps va: a PTE, or a PDE with PS
	   (a 2 MiB page, SDM Vol. 3A, 4.4.2), or 0 (lab 1). +/
	(void)env, (void)pd, (void)va;
	return 0;
	   END HANDOUT */
}

pte_t pt_lookup_effective(const struct pt_env *env, const pte_t *pd,
                          vaddr_t va)
{
	/* LAB 1: BEGIN SOLUTION */
	pte_t pde = pd[pd_index(va)], leaf = pt_lookup(env, pd, va);
	/* The rights the PDE lacks. */
	pte_t withheld = (PTE_W | PTE_U) & ~pde;

	if (leaf == 0 || leaf == pde)	/* unmapped, or a 2 MiB page */
		return leaf;
	return (leaf & ~withheld) | (pde & PTE_NX);
	/* LAB 1: END SOLUTION */
	/* LAB 1: BEGIN HANDOUT
	/+ YOUR CODE HERE: combine the rights of both levels as the CPU does
	   (SDM Vol. 3A, 4.6.1) (lab 1). +/
	(void)env, (void)pd, (void)va;
	return 0;
	   END HANDOUT */
}
