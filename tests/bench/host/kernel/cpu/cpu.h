/*
 * tests/bench/host/kernel/cpu/cpu.h - the interrupt flag of
 * kernel/cpu/cpu.h, for the host build of kmalloc (tests/bench/bench.mk
 * puts this folder before the tree's, so that mm/kmem.c includes it).
 *
 * A host thread cannot turn interrupts off, but what kmalloc does with
 * the flag can be done to a flag of the same kind: each host thread (a
 * "CPU") has its own EFLAGS word, irq_save() reads it and clears IF,
 * irq_restore() writes the saved word back (the kernel's sets IF again
 * with sti if the saved word had it).  Like pushf, cli and sti, these are
 * compiler barriers, so the compiler keeps the critical section's memory
 * accesses inside it.  What it does not cost is the instructions
 * themselves: on hardware pushf and cli are slower than a plain load and
 * store, and under QEMU's TCG each is a call into the emulator
 * (make bench's in-QEMU figures, tests/kernel/test_bench.c, show both).
 */
#ifndef KIVA_KERNEL_CPU_CPU_H
#define KIVA_KERNEL_CPU_CPU_H

#include "kernel/lib/types.h"

#define EFLAGS_IF 0x200u	/* interrupts enabled (SDM Vol. 1, 3.4.3) */

extern __thread uint32_t host_eflags;

static inline uint32_t read_eflags(void)
{
	return host_eflags;
}

static inline bool interrupts_enabled(void)
{
	return (read_eflags() & EFLAGS_IF) != 0;
}

static inline uint32_t irq_save(void)
{
	uint32_t f = host_eflags;

	host_eflags = f & ~EFLAGS_IF;
	__asm__ volatile("" ::: "memory");
	return f;
}

static inline void irq_restore(uint32_t flags)
{
	__asm__ volatile("" ::: "memory");
	host_eflags = flags;
}

#endif
