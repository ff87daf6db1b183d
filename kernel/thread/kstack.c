/*
 * kernel/thread/kstack.c - thread stacks (see kernel/thread/kstack.h).
 *
 * The memory comes from kernel_map through kmem_alloc_guarded(), which
 * maps fresh frames and leaves the page below unmapped.  A bitmap of
 * KSTACK_SLOTS slots bounds how many stacks exist at once (and so the
 * thread table's size); a slot number is just a stack's identity.
 */
#include "kernel/thread/kstack.h"

#include "kernel/lib/kassert.h"
#include "kernel/lib/kstring.h"
#include "kernel/thread/spinlock.h"
#include "kernel/cpu/trap.h"
#include "mm/kmem.h"

_Static_assert(KSTACK_SLOTS % 32 == 0, "the bitmap is whole words");

static struct spinlock kstack_lock = SPINLOCK_INIT("kstack");
static uint32_t slot_used[KSTACK_SLOTS / 32];
static unsigned nslots_used;

static bool slot_is_used(int slot)
{
	return (slot_used[slot / 32] >> (slot % 32)) & 1;
}

static int take_slot(void)
{
	int slot;

	spin_lock(&kstack_lock);
	for (slot = 0; slot < KSTACK_SLOTS && slot_is_used(slot); slot++)
		continue;
	if (slot < KSTACK_SLOTS) {
		slot_used[slot / 32] |= 1u << (slot % 32);
		nslots_used++;
	}
	spin_unlock(&kstack_lock);
	return slot < KSTACK_SLOTS ? slot : -1;
}

static void give_slot(int slot)
{
	spin_lock(&kstack_lock);
	KASSERT(slot_is_used(slot));
	slot_used[slot / 32] &= ~(1u << (slot % 32));
	nslots_used--;
	spin_unlock(&kstack_lock);
}

bool kstack_alloc(struct kstack *ks)
{
	int slot;
	vaddr_t base;

	KASSERT(!in_interrupt());
	slot = take_slot();
	if (slot < 0)
		return false;
	base = kmem_alloc_guarded(KSTACK_SIZE, M_THREAD);
	if (base == 0) {
		/* LAB 5: BEGIN SOLUTION */
		give_slot(slot);
		/* LAB 5: END SOLUTION */
		/* LAB 5: BEGIN HANDOUT
		   END HANDOUT */
		return false;
	}
	ks->slot = slot;
	ks->base = base;
	ks->top = base + KSTACK_SIZE;
	kstack_fill(ks->base, ks->top);
	return true;
}

void kstack_free(const struct kstack *ks)
{
	KASSERT(ks->slot >= 0 && ks->slot < KSTACK_SLOTS);
	kmem_free_guarded(ks->base);
	give_slot(ks->slot);
}

void kstack_fill(vaddr_t lo, vaddr_t hi)
{
	memset((void *)lo, KSTACK_FILL_BYTE, hi - lo);
}

size_t kstack_used(vaddr_t base, vaddr_t top)
{
	const uint32_t *w = (const uint32_t *)base;

	while ((vaddr_t)w < top && *w == KSTACK_FILL_WORD)
		w++;
	return top - (vaddr_t)w;
}

unsigned kstack_slots_used(void)
{
	return nslots_used;
}
