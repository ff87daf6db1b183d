/*
 * mm/kmap.c - the kmap and kmap_atomic windows.
 *
 * kmap slots are a bitmap over the KVA_KMAP region.  kmap_atomic slots are
 * a stack over KVA_KMAP_ATOMIC: nesting level n uses slot n.  Interrupts
 * are off from kmap_atomic() to kunmap_atomic() (spinlock_enter(), the
 * interrupt-off section under every spinlock, so it nests with spinlocks
 * taken and released in any order), so neither an interrupt handler nor
 * another thread can take a slot out of order; nesting only happens when
 * one piece of code maps two frames at once, copying from one to the
 * other.  Every window is
 * mapped freshly and flushed with invlpg on unmap, so a stale translation
 * never survives a slot's reuse.
 */
#include "mm/kmap.h"

#include "kernel/cpu/cpu.h"
#include "kernel/lib/kassert.h"
#include "kernel/thread/spinlock.h"
#include "mm/kva.h"
#include "mm/paging.h"
#include "mm/pmm.h"

#define SLOTS_PER_WORD 32	/* bits of a slot_bitmap word */

static uint32_t slot_bitmap[KMAP_SLOTS / SLOTS_PER_WORD];
static unsigned slots_used;
static unsigned atomic_depth;

static vaddr_t slot_va(enum kva_region_id region, unsigned slot)
{
	return kva_start(region) + (vaddr_t)slot * PAGE_SIZE;
}

static int take_slot(void)
{
	for (unsigned w = 0; w < ARRAY_SIZE(slot_bitmap); w++) {
		if (slot_bitmap[w] == UINT32_MAX)
			continue;
		unsigned bit = (unsigned)__builtin_ctz(~slot_bitmap[w]);
		slot_bitmap[w] |= 1u << bit;
		slots_used++;
		return (int)(w * SLOTS_PER_WORD + bit);
	}
	return -1;
}

void *kmap(struct page *p)
{
	uint32_t flags;
	int slot;
	vaddr_t va;

	if (page_is_low(p))
		return page_to_virt(p);
	flags = irq_save();
	slot = take_slot();
	irq_restore(flags);
	if (slot < 0)
		return NULL;
	va = slot_va(KVA_KMAP, (unsigned)slot);
	paging_map_kernel(va, page_to_phys(p), paging_kernel_data_flags());
	return (void *)va;
}

void kunmap(void *ptr)
{
	vaddr_t va = (vaddr_t)ptr;
	unsigned slot;
	uint32_t flags;

	if (kva_in(KVA_DIRECT, va))
		return;
	KASSERT(kva_in(KVA_KMAP, va) && (va & PAGE_MASK) == 0);
	slot = (unsigned)((va - kva_start(KVA_KMAP)) >> PAGE_SHIFT);
	paging_unmap_kernel(va);
	flags = irq_save();
	KASSERT(slot_bitmap[slot / SLOTS_PER_WORD] &
	        (1u << (slot % SLOTS_PER_WORD)));
	slot_bitmap[slot / SLOTS_PER_WORD] &= ~(1u << (slot % SLOTS_PER_WORD));
	slots_used--;
	irq_restore(flags);
}

void *kmap_atomic(struct page *p)
{
	vaddr_t va;

	spinlock_enter();
	KASSERT(atomic_depth < KMAP_ATOMIC_DEPTH);
	va = slot_va(KVA_KMAP_ATOMIC, atomic_depth++);
	paging_map_kernel(va, page_to_phys(p), paging_kernel_data_flags());
	return (void *)va;
}

void kunmap_atomic(void *ptr)
{
	vaddr_t va = (vaddr_t)ptr;

	KASSERT(atomic_depth > 0);
	KASSERT(va == slot_va(KVA_KMAP_ATOMIC, atomic_depth - 1));
	paging_unmap_kernel(va);
	atomic_depth--;
	spinlock_exit();
}

unsigned kmap_slots_used(void)
{
	return slots_used;
}
