/*
 * kernel/cpu/smp.h - the processors: which one is running this code, how
 * many there are, and running a function on all the others.
 *
 * Code that keeps per-CPU data (the allocator's magazines, statistics)
 * indexes an array of SMP_MAX_CPUS entries with cpu_index().  The answer
 * only stays true while the caller cannot migrate to another CPU, so call
 * it with interrupts off (inside a spinlock or spinlock_enter()).
 */
#ifndef KIVA_KERNEL_CPU_SMP_H
#define KIVA_KERNEL_CPU_SMP_H

#include "kernel/lib/types.h"

#define SMP_MAX_CPUS 8		/* the most Kiva starts; more are counted */

/* 0 .. smp_ncpus() - 1; the boot CPU is 0.  Interrupts must be off. */
unsigned cpu_index(void);

/* How many CPUs run Kiva's code (1 until the others are started). */
unsigned smp_ncpus(void);

/*
 * Runs fn(arg) on every other running CPU, with its interrupts off, and
 * returns when all have finished.  The caller must not hold a spinlock
 * (another CPU may be spinning on it with interrupts off, and would never
 * take the call).
 */
void smp_call_others(void (*fn)(void *arg), void *arg);

#endif
