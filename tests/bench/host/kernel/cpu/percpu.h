/*
 * tests/bench/host/kernel/cpu/percpu.h - the per-CPU record of
 * kernel/cpu/percpu.h, for the host build of kmalloc (tests/bench/bench.mk
 * puts this folder before the tree's).  In the kernel, each CPU finds its
 * own struct cpu in one load through %fs, whose base is that record; a
 * host thread (the benchmark's one "CPU") finds its own in one load
 * through %fs too, as a thread-local variable, which tests/bench/
 * kmem_host.c defines.  The record has the fields mm/kmem.c and what it
 * includes read; what mm/kmem.c calls per CPU is kernel/cpu/smp.h's,
 * which kmem_host.c answers.
 */
#ifndef KIVA_KERNEL_CPU_PERCPU_H
#define KIVA_KERNEL_CPU_PERCPU_H

#include "kernel/cpu/smp.h"
#include "kernel/lib/types.h"

struct thread;

struct cpu {
	unsigned index;		/* always 0: one CPU */
	struct thread *thread;	/* the benchmark's one thread */
	int irq_depth;		/* always 0: no interrupt handler runs */
};

extern __thread struct cpu host_cpu;

static inline struct cpu *cpu_self(void)
{
	return &host_cpu;
}

/* The thread on this CPU. */
#define curthread (cpu_self()->thread)

#endif
