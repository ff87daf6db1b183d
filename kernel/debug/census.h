/*
 * kernel/debug/census.h - what the kernel holds, counted at one moment, to
 * prove that a piece of work gave everything back.
 *
 *	struct census before, after;
 *
 *	census_begin(&before);
 *	...run the work...
 *	census_take(&after);
 *	if (census_compare(&before, &after, "fdbomb") != 0)
 *		...a leak, each difference already printed...
 *
 * A census counts every malloc type's bytes in use, the free frames, the
 * kernel stack slots (one per thread but thread 0) and the process slots.
 * Memory the kernel keeps on purpose once it has it is left out: the
 * empty pages kmalloc's pools cache and the console's read-out input chunk
 * are given back first, and the frames
 * that became kernel page tables or boundary-tag pages count as free,
 * since nothing ever frees them (mm/paging.c grows kernel_map's tables
 * for good; mm/vmem.c keeps every tag page it is given).
 *
 * With the kmem_debug option on, each kmalloc block's header says who
 * allocated it, and a leak also names the callers that hold more bytes
 * than at the last census_begin() (mm/kmem_debug.h).
 */
#ifndef KIVA_KERNEL_DEBUG_CENSUS_H
#define KIVA_KERNEL_DEBUG_CENSUS_H

#include "kernel/lib/types.h"
#include "mm/kmem_types.h"

struct census {
	uint64_t inuse[M_NTYPES];	/* bytes per malloc type */
	uint64_t frames_free;		/* free, plus kept for good */
	unsigned stack_slots;		/* threads with a slot */
	int proc_slots;			/* processes, zombies too */
	uint64_t calls;			/* kmem_calls(): not compared */
	uint64_t failures, sleeps;	/* over all types: not compared */
};

/*
 * Counts now.  Thread context (it gives the pools' cached pages back,
 * which takes kmem's lock and may free frames).  census_begin() also
 * marks, under kmem_debug, what each caller holds, for census_compare()
 * to name the callers of a leak: a census to compare with is begun.
 */
void census_begin(struct census *c);
void census_take(struct census *c);

/*
 * Prints one line per figure of `after` that differs from `before`, each
 * naming `who` and the figure ("census: fdbomb: type fdesc: 4096 bytes in
 * use, 0 before"), and, under kmem_debug, the allocating callers of what
 * grew.  Returns the number of figures that differ.
 */
int census_compare(const struct census *before, const struct census *after,
                   const char *who);

/* Whether every figure of a and b agrees (census_compare(), silent). */
bool census_equal(const struct census *a, const struct census *b);

/*
 * Takes *after, again a tick at a time for up to wait_ticks ticks while it
 * differs from *before: threads and processes that have just ended are
 * freed by whoever runs after them, a moment later.  Sleeps.
 */
void census_settle(const struct census *before, struct census *after,
                   unsigned wait_ticks);

/*
 * One line of every figure, as census_compare() names them, and, not
 * compared, kmalloc's calls, failures and sleeps since boot (what the
 * sweep counts).
 */
void census_print(const struct census *c);

#endif
