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
 *                              Each CPU has its own windows.
 */
#ifndef KIVA_MM_KMAP_H
#define KIVA_MM_KMAP_H

struct page;

#include "kernel/lib/types.h"

#define KMAP_SLOTS 512
#define KMAP_ATOMIC_DEPTH 16	/* frames one piece of code may map at once */
#define KMAP_DEVICE_PAGES 8	/* a local APIC and a few I/O APICs */

/* Returns the frame's kernel address, or NULL when all slots are in use. */
void *kmap(struct page *p);
void kunmap(void *va);

/* Never fails; asserts on nesting deeper than KMAP_ATOMIC_DEPTH. */
void *kmap_atomic(struct page *p);
/*
 * The same for any page-aligned physical address, RAM or not: for the
 * firmware's tables, which lie in memory the frame allocator does not
 * manage (ACPI's reclaimable and NVS ranges).
 */
void *kmap_atomic_phys(paddr_t pa);
void kunmap_atomic(void *va);

/*
 * Maps the device page holding pa, uncached, for good, and returns pa's
 * address there.  At boot, thread context; at most KMAP_DEVICE_PAGES.
 */
void *kmap_device(paddr_t pa);

/* Slots in use, for tests and statistics. */
unsigned kmap_slots_used(void);

#endif
