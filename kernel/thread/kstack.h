/*
 * kernel/thread/kstack.h - kernel thread stacks, each with an unmapped
 * guard page.
 *
 * Each stack is KSTACK_SIZE of kernel_map with an unmapped guard page just
 * below it (kmem_alloc_guarded(), mm/kmem.h):
 *
 *          +------------------+  top: a new thread's first esp
 *          | stack (16 KiB)   |  grows down
 *          +------------------+  base
 *          | guard (unmapped) |  an overflow faults here instead of
 *          +------------------+  overwriting whatever lies below
 *
 * At most KSTACK_SLOTS stacks exist at once; when none is left, or
 * kernel_map has no room or no frame, kstack_alloc() fails and
 * thread_create() returns NULL.
 */
#ifndef KIVA_KERNEL_THREAD_KSTACK_H
#define KIVA_KERNEL_THREAD_KSTACK_H

#include "kernel/lib/types.h"
#include "mm/kva.h"

#define KSTACK_SLOTS 64

/*
 * A fresh stack is filled with this byte, so that the deepest word that no
 * longer holds it shows how much stack was ever used (the high-water
 * mark).  0xcc is also what MSVC fills uninitialised stack with: int3.
 */
#define KSTACK_FILL_BYTE 0xcc
#define KSTACK_FILL_WORD 0xccccccccu

struct kstack {
	int slot;	/* -1: not from a slot (the boot stack) */
	vaddr_t base;	/* lowest byte; the guard page is just below */
	vaddr_t top;	/* one past the highest byte: the initial esp */
};

/*
 * Takes a free slot and a guarded stack from kernel_map (frames of any
 * zone: the kernel reaches them through kernel_map) and fills it with
 * KSTACK_FILL_BYTE.  Thread context only: kernel_map may need a new page
 * table.  Returns false, with nothing allocated, when every slot is taken
 * or kernel_map has no room or no frame.
 */
bool kstack_alloc(struct kstack *ks);

/* Gives a stack from kstack_alloc() back, with its frames and slot. */
void kstack_free(const struct kstack *ks);

/* Fills [lo, hi) with KSTACK_FILL_BYTE. */
void kstack_fill(vaddr_t lo, vaddr_t hi);

/* Bytes of the stack [base, top) used so far (the high-water mark). */
size_t kstack_used(vaddr_t base, vaddr_t top);

/* Slots in use, for `ps` and the tests. */
unsigned kstack_slots_used(void);

#endif
