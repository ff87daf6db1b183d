/*
 * mm/kmap.h - temporary kernel addresses for frames outside the direct map.
 *
 * A high-memory frame has no permanent kernel address.  To touch it, the
 * kernel maps it for a moment into one of the windows at the top of the
 * kernel VA (mm/kva.h), whose page tables were built at boot, so mapping
 * never allocates.  Low frames are simply returned at their direct-map
 * address.
 *
 *   kmap()/kunmap()            one of 512 slots, kept as long as needed;
 *                              thread context.
 *   kmap_atomic()/kunmap_atomic()  any context, interrupt handlers too;
 *                              interrupts stay off until the matching
 *                              kunmap_atomic(), so keep it short (copy or
 *                              zero a page) and unmap in reverse order.
 */
#ifndef KIVA_MM_KMAP_H
#define KIVA_MM_KMAP_H

struct page;

#define KMAP_SLOTS 512
#define KMAP_ATOMIC_DEPTH 16	/* frames one piece of code may map at once */

/* Returns the frame's kernel address, or NULL when all slots are in use. */
void *kmap(struct page *p);
void kunmap(void *va);

/* Never fails; asserts on nesting deeper than KMAP_ATOMIC_DEPTH. */
void *kmap_atomic(struct page *p);
void kunmap_atomic(void *va);

/* Slots in use, for tests and statistics. */
unsigned kmap_slots_used(void);

#endif
