/*
 * kernel/cpu/percpu.h - what each CPU keeps for itself, and how code finds
 * its own CPU's record in one instruction.
 *
 * Every CPU has a struct cpu.  Its GDT (kernel/cpu/gdt.c) has one more
 * data segment than the flat ones, PERCPU_SEL, whose base is that CPU's
 * struct cpu, and FS holds it whenever kernel code runs (trap entry loads
 * it, kernel/cpu/trapentry.S).  The record's first word points at itself,
 * so `movl %fs:0, %eax` is the record's address: the CPU's own, whichever
 * CPU runs the instruction, with no lookup of the APIC id.  Segment bases
 * are linear addresses (SDM Vol. 3A, 3.4.3), so this is the address C
 * uses for the record.
 *
 * The record is only this CPU's while the caller cannot move to another
 * CPU: with interrupts off, or for the fields a thread reads about itself
 * (curthread is the same on whichever CPU the thread is).
 */
#ifndef KIVA_KERNEL_CPU_PERCPU_H
#define KIVA_KERNEL_CPU_PERCPU_H

#include "kernel/cpu/smp.h"
#include "kernel/lib/types.h"

struct thread;

/* Per-CPU interrupt counts: the 16 ISA lines, then the APIC's own. */
enum cpu_intr {
	CPU_INTR_LAPIC_TIMER = 16,
	CPU_INTR_RESCHEDULE,
	CPU_INTR_CALL,
	CPU_INTR_SPURIOUS,
	CPU_NINTR
};

struct cpu {
	struct cpu *self;	/* at offset 0: see above */
	unsigned index;		/* 0 .. smp_ncpus() - 1; the boot CPU is 0 */
	uint8_t apic_id;	/* its local APIC's id */
	struct thread *thread;	/* the thread running on it: curthread */
	struct thread *idle;	/* its idle thread */
	int irq_depth;		/* interrupt handlers it is inside */
	bool need_resched;	/* switch at the next preemption point */
	unsigned kmap_atomic_depth; /* its kmap_atomic windows in use */
	/*
	 * Counters only their CPU writes; `intr` and `cpus` read them from
	 * any CPU, where a 64-bit read is two loads (i386 has no plain
	 * atomic one), so a figure may be off by a carry: display only.
	 */
	uint64_t intr_count[CPU_NINTR];	/* for the shell's `intr` */
	uint64_t ticks;		/* scheduler ticks it has taken */
	uint64_t switches;	/* thread switches it has made */
	uint64_t shootdowns;	/* TLB shootdowns it has sent */
	volatile bool online;	/* it runs the scheduler */
};

extern struct cpu cpus[SMP_MAX_CPUS];

static inline struct cpu *cpu_self(void)
{
	struct cpu *c;

	__asm__ volatile("movl %%fs:0, %0" : "=r"(c));
	return c;
}

/* The thread on this CPU. */
#define curthread (cpu_self()->thread)

#endif
