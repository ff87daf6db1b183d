/*
 * mm/mm.h - bringing up memory management, in the order the design
 * needs: map all physical memory first, then start the allocators.
 */
#ifndef KIVA_MM_MM_H
#define KIVA_MM_MM_H

#include "kernel/lib/cmdline.h"

/*
 * Finds the RAM, sizes the kernel VA layout (kmem_map as the command line
 * asked, if it did and the size fits), builds the frame database and
 * the page tables, and hands every remaining frame to the zones.  Returns
 * 0, or, when low memory is too small for the frame database, the page
 * tables and the allocators' metadata, how many bytes it lacks: then it
 * has built nothing, and the boot says how much RAM it takes and stops.
 * Panics only when the firmware's map makes booting impossible however
 * much RAM there is (no usable RAM, or too fragmented).
 */
uint64_t mm_init(const struct size_option *kmem_map_request);

/*
 * For the boot: how many frames short of `needed` free frames the machine
 * is once mm_init() is done (0: none), and its usable RAM in bytes (known
 * even when mm_init() found too little).
 */
uint64_t mm_frames_short_of(uint64_t needed);
uint64_t mm_usable_bytes(void);

#endif
