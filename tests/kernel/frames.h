/*
 * tests/kernel/frames.h - for tests that need the machine out of memory:
 * take every free frame, and give them back.  The frames are chained
 * through their own first word (written with kmap_atomic, so high frames
 * work too), so holding any number of them costs no memory.
 */
#ifndef KIVA_TESTS_KERNEL_FRAMES_H
#define KIVA_TESTS_KERNEL_FRAMES_H

#include "kernel/lib/types.h"

#define FRAMES_NONE ((paddr_t)-1)	/* the empty chain */

/* Takes every free frame; returns the chain and, if n, sets *n to its
 * length. */
paddr_t frames_take_all(size_t *n);

/* Gives the first frame of a chain back; returns the rest of the chain. */
paddr_t frames_give_one(paddr_t chain);

/* Gives every frame of a chain back. */
void frames_give_all(paddr_t chain);

#endif
