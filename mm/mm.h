/*
 * mm/mm.h - bringing up memory management, in the order the mission asks:
 * map all physical memory first, then start the allocators.
 */
#ifndef KIVA_MM_MM_H
#define KIVA_MM_MM_H

/*
 * Finds the RAM, sizes the kernel VA layout, builds the frame database and
 * the page tables, and hands every remaining frame to the zones.  Panics
 * only when the machine cannot run the kernel at all (too little low
 * memory for the frame database and page tables), saying how much it
 * needed.
 */
void mm_init(void);

#endif
