/*
 * kernel/cpu/cpu.h - one-instruction wrappers for what C cannot say: port I/O,
 * control registers, the interrupt flag, CPUID, MSRs and the TLB.
 *
 * irq_save()/irq_restore() are the interrupt save/restore primitives:
 *
 *	uint32_t flags = irq_save();	// interrupts off, old state kept
 *	... short critical section ...
 *	irq_restore(flags);		// back to whatever it was
 *
 * They nest, unlike a bare cli/sti pair, which is why code never uses
 * cli/sti directly except at boot and in the idle loop.
 */
#ifndef KIVA_KERNEL_CPU_CPU_H
#define KIVA_KERNEL_CPU_CPU_H

/*
 * Bits of EFLAGS and the control registers (SDM Vol. 1, 3.4.3; Vol. 3A,
 * 2.5).  Plain numbers, without a 'u', so that assembly can use them.
 */
#define EFLAGS_RESERVED_1 0x00000002	/* bit 1: always reads 1 */
#define EFLAGS_IF 0x00000200		/* interrupts enabled */
#define EFLAGS_DF 0x00000400		/* string instructions count down */
#define EFLAGS_AC 0x00040000		/* alignment check; overrides SMAP */
#define EFLAGS_ID 0x00200000		/* writable only when CPUID exists */

/* What boot.S checks before any C runs (SDM Vol. 2A, CPUID). */
#define CPUID_1_EDX_PAE 0x00000040	/* PAE paging */

#define CR0_MP 0x00000002	/* WAIT/FWAIT honour TS */
#define CR0_EM 0x00000004	/* no x87: its instructions fault (#NM) */
#define CR0_TS 0x00000008	/* x87/SSE state is not loaded (#NM) */
#define CR0_NE 0x00000020	/* x87 errors as #MF, not through the PIC */
#define CR0_WP 0x00010000	/* ring 0 honours read-only pages */
#define CR0_PG 0x80000000	/* paging */

#define CR4_PSE 0x00000010	/* 4 MiB pages without PAE */
#define CR4_PAE 0x00000020	/* PAE paging */
#define CR4_PGE 0x00000080	/* global pages */
#define CR4_OSFXSR 0x00000200	/* FXSAVE/FXRSTOR and SSE usable */
#define CR4_OSXMMEXCPT 0x00000400 /* SSE errors as #XM */
#define CR4_UMIP 0x00000800	/* SGDT, SIDT, SLDT, SMSW, STR only at CPL 0 */
#define CR4_SMEP 0x00100000	/* ring 0 never executes a user page */
#define CR4_SMAP 0x00200000	/* ring 0 touches user pages only with AC=1 */

#ifndef __ASSEMBLY__
#include "kernel/lib/types.h"

#define MSR_EFER 0xC0000080u
/* The execute-disable bit is usable (SDM Vol. 3A, 4.1.1). */
#define EFER_NXE (1u << 11)

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t read_eflags(void)
{
	uint32_t f;
	__asm__ volatile("pushfl; popl %0" : "=r"(f));
	return f;
}

static inline bool interrupts_enabled(void)
{
	return (read_eflags() & EFLAGS_IF) != 0;
}

static inline uint32_t irq_save(void)
{
	uint32_t f = read_eflags();
	__asm__ volatile("cli" ::: "memory");
	return f;
}

static inline void irq_restore(uint32_t flags)
{
	if (flags & EFLAGS_IF)
		__asm__ volatile("sti" ::: "memory");
}

static inline void irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

/* Enable interrupts and halt in one step: an IRQ cannot slip in between. */
static inline void irq_enable_and_halt(void)
{
	__asm__ volatile("sti; hlt" ::: "memory");
}

static inline void halt(void)
{
	__asm__ volatile("hlt" ::: "memory");
}

#define DEFINE_CR(n)                                                  \
	static inline uint32_t read_cr##n(void)                       \
	{                                                             \
		uint32_t v;                                           \
		__asm__ volatile("movl %%cr" #n ", %0" : "=r"(v));    \
		return v;                                             \
	}                                                             \
	static inline void write_cr##n(uint32_t v)                    \
	{                                                             \
		__asm__ volatile("movl %0, %%cr" #n : : "r"(v) : "memory"); \
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c,
                         uint32_t *d)
{
	__asm__ volatile("cpuid"
	                 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
	                 : "a"(leaf), "c"(0));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
	                 "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void invlpg(vaddr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint32_t read_ebp(void)
{
	uint32_t v;
	__asm__ volatile("movl %%ebp, %0" : "=r"(v));
	return v;
}

static inline uint32_t read_esp(void)
{
	uint32_t v;
	__asm__ volatile("movl %%esp, %0" : "=r"(v));
	return v;
}

#endif /* __ASSEMBLY__ */

#endif
