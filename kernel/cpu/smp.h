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

/*
 * The boot: smp_boot_cpu_init() makes this flow CPU 0, first thing in
 * kmain (curthread needs it); smp_init() finds the other CPUs (ACPI's
 * MADT, then the MP table), sets up the local APICs and their timers,
 * and starts at most max_cpus CPUs in all (the ncpus= option; 0: as many
 * as there are, up to SMP_MAX_CPUS).  Without an APIC, or with one CPU,
 * Kiva stays on the uniprocessor path: the 8259 and the PIT alone.
 */
void smp_boot_cpu_init(void);
void smp_init(unsigned max_cpus);

/* True once the local APICs' timers drive the scheduler's turns. */
bool smp_lapic_ticks(void);

/*
 * Flushes va from every other CPU's TLB, and returns when they have: for
 * a kernel page (cr3 SMP_TLB_KERNEL: global, cached whatever a CPU's CR3
 * is), or a user page of the address space cr3 (only CPUs that have it
 * loaded can hold it).  The caller has flushed its own.  Any context,
 * spinlocks held or not: a CPU flushes while it spins with interrupts
 * off, too (smp_poll_tlb).
 */
#define SMP_TLB_KERNEL 0
void smp_tlb_shootdown(uint32_t cr3, vaddr_t va);

/* Does the TLB flushes other CPUs wait for (for spin loops). */
void smp_poll_tlb(void);

/* Asks CPU `index` to run the scheduler at its next preemption point. */
void smp_reschedule(unsigned index);

/* At a panic: stops every other CPU (an NMI each), so the report is whole. */
void smp_stop_others(void);

/* The `cpus` listing: each CPU's APIC id, thread, ticks and interrupts. */
void smp_print(void);

#endif
