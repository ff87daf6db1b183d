/*
 * mm/kmap.c - the kmap and kmap_atomic windows, and the device windows.
 *
 * kmap slots are a bitmap over the KVA_KMAP region.  kmap_atomic slots are
 * a stack per CPU over KVA_KMAP_ATOMIC: CPU c's nesting level n uses slot
 * c * KMAP_ATOMIC_DEPTH + n.  Interrupts are off from kmap_atomic() to
 * kunmap_atomic() (spinlock_enter(), the interrupt-off section under every
 * spinlock, so it nests with spinlocks taken and released in any order),
 * so neither an interrupt handler nor another thread can take a slot out
 * of order, and the thread cannot move to another CPU; nesting only
 * happens when one piece of code maps two frames at once, copying from
 * one to the other.  Every window is mapped freshly and flushed on unmap,
 * so a stale translation never survives a slot's reuse: a kmap slot on
 * every CPU (its user may have moved between CPUs), a kmap_atomic slot
 * only on its own CPU, the only one that ever used that address.
 *
 * The device windows (kmap_device) are the last pages of KVA_KMAP_ATOMIC,
 * handed out downwards at boot and never unmapped: registers of devices
 * outside the direct map (the APICs), whose page tables also had to be
 * built at boot, since interrupt code uses them.
 */
#include "mm/kmap.h"

#include "kernel/cpu/cpu.h"
#include "kernel/cpu/percpu.h"
#include "kernel/lib/kassert.h"
#include "kernel/thread/spinlock.h"
#include "mm/kva.h"
#include "mm/paging.h"
#include "mm/pmm.h"

#define SLOTS_PER_WORD 32	/* bits of a slot_bitmap word */

static struct spinlock slots_lock = SPINLOCK_INIT("kmap slots");
static uint32_t slot_bitmap[KMAP_SLOTS / SLOTS_PER_WORD];
static unsigned slots_used;
static unsigned device_pages;	/* device windows handed out */

/* Per-CPU atomic slots and device pages share the region: never overlap. */
_Static_assert(SMP_MAX_CPUS * KMAP_ATOMIC_DEPTH + KMAP_DEVICE_PAGES <=
               KVA_KMAP_ATOMIC_SIZE / PAGE_SIZE, "kmap_atomic region full");

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
	int slot;
	vaddr_t va;

	if (page_is_low(p))
		return page_to_virt(p);
	spin_lock(&slots_lock);
	slot = take_slot();
	spin_unlock(&slots_lock);
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

	if (kva_in(KVA_DIRECT, va))
		return;
	KASSERT(kva_in(KVA_KMAP, va) && (va & PAGE_MASK) == 0);
	slot = (unsigned)((va - kva_start(KVA_KMAP)) >> PAGE_SHIFT);
	paging_unmap_kernel(va);
	spin_lock(&slots_lock);
	KASSERT(slot_bitmap[slot / SLOTS_PER_WORD] &
	        (1u << (slot % SLOTS_PER_WORD)));
	slot_bitmap[slot / SLOTS_PER_WORD] &= ~(1u << (slot % SLOTS_PER_WORD));
	slots_used--;
	spin_unlock(&slots_lock);
}

/* This CPU's atomic slot at nesting level depth. */
static vaddr_t atomic_slot_va(const struct cpu *c, unsigned depth)
{
	return slot_va(KVA_KMAP_ATOMIC, c->index * KMAP_ATOMIC_DEPTH + depth);
}

void *kmap_atomic_phys(paddr_t pa)
{
	struct cpu *c;
	vaddr_t va;

	KASSERT((pa & PAGE_MASK) == 0);
	spinlock_enter();
	c = cpu_self();
	KASSERT(c->kmap_atomic_depth < KMAP_ATOMIC_DEPTH);
	va = atomic_slot_va(c, c->kmap_atomic_depth++);
	paging_map_kernel(va, pa, paging_kernel_data_flags());
	return (void *)va;
}

void *kmap_atomic(struct page *p)
{
	return kmap_atomic_phys(page_to_phys(p));
}

void kunmap_atomic(void *ptr)
{
	struct cpu *c = cpu_self();	/* interrupts are off: stable */
	vaddr_t va = (vaddr_t)ptr;

	KASSERT(c->kmap_atomic_depth > 0);
	KASSERT(va == atomic_slot_va(c, c->kmap_atomic_depth - 1));
	paging_unmap_kernel_local(va);
	c->kmap_atomic_depth--;
	spinlock_exit();
}

void *kmap_device(paddr_t pa)
{
	vaddr_t va;

	KASSERT(device_pages < KMAP_DEVICE_PAGES);
	va = kva_end(KVA_KMAP_ATOMIC) - (vaddr_t)++device_pages * PAGE_SIZE;
	paging_map_kernel(va, ROUND_DOWN(pa, (paddr_t)PAGE_SIZE),
	                  paging_device_flags());
	return (void *)(va + (vaddr_t)(pa & PAGE_MASK));
}

unsigned kmap_slots_used(void)
{
	return slots_used;
}
