/*
 * kernel/cpu/gdt.h - segments: flat kernel and user code/data, and the TSS.
 *
 * i386 protected mode always translates through segments (SDM Vol. 3A,
 * 3.2); Kiva uses the flat model, where every segment spans 4 GiB and only
 * the privilege level differs.  The kernel's TSS exists for one field:
 * esp0, the kernel stack the CPU switches to when an interrupt arrives in
 * ring 3.  A second TSS is the double-fault task (kernel/cpu/trap.c).
 *
 * Every CPU has a GDT, TSS and double-fault TSS of its own: a TSS is busy
 * while its CPU uses it (SDM Vol. 3A, 7.2.2), esp0 is the kernel stack of
 * the thread on that CPU, and PERCPU_SEL's base is that CPU's struct cpu
 * (kernel/cpu/percpu.h).  The selectors are the same on every CPU.
 */
#ifndef KIVA_KERNEL_CPU_GDT_H
#define KIVA_KERNEL_CPU_GDT_H

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_CS (0x18 | 3)
#define USER_DS (0x20 | 3)
#define TSS_SEL 0x28
#define DOUBLE_FAULT_TSS_SEL 0x30
#define PERCPU_SEL 0x38		/* FS in the kernel: this CPU's struct cpu */

#ifndef __ASSEMBLY__
#include "kernel/lib/types.h"

struct cpu;

/*
 * Builds and loads the GDT and TSS of CPU c (its index picks them), with
 * FS = PERCPU_SEL based at c.  Each CPU calls it first thing.
 */
void gdt_init(struct cpu *c);
/* This CPU's kernel stack for traps from user mode (set at each switch). */
void tss_set_kernel_stack(vaddr_t esp0);
/*
 * Sets up this CPU's double-fault task: it starts at entry on stack_top,
 * with interrupts off, the current CR3 and this CPU's FS.
 */
void gdt_set_double_fault_task(void (*entry)(void), vaddr_t stack_top);
/*
 * Inside the double-fault task: the esp and ebp of the code that faulted,
 * which the task switch saved in this CPU's TSS (SDM Vol. 3A, 7.3).
 */
void tss_faulting_stack(uint32_t *esp, uint32_t *ebp);
#endif

#endif
