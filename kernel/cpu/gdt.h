/*
 * kernel/cpu/gdt.h - segments: flat kernel and user code/data, and the TSS.
 *
 * i386 protected mode always translates through segments (SDM Vol. 3A,
 * 3.2); Kiva uses the flat model, where every segment spans 4 GiB and only
 * the privilege level differs.  The kernel's TSS exists for one field:
 * esp0, the kernel stack the CPU switches to when an interrupt arrives in
 * ring 3.  A second TSS is the double-fault task (kernel/cpu/trap.c).
 */
#ifndef KIVA_KERNEL_CPU_GDT_H
#define KIVA_KERNEL_CPU_GDT_H

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_CS (0x18 | 3)
#define USER_DS (0x20 | 3)
#define TSS_SEL 0x28
#define DOUBLE_FAULT_TSS_SEL 0x30

#ifndef __ASSEMBLY__
#include "kernel/lib/types.h"

void gdt_init(void);
/* The kernel stack for traps from user mode (set at each switch). */
void tss_set_kernel_stack(vaddr_t esp0);
/*
 * Sets up the double-fault task: it starts at entry on stack_top, with
 * interrupts off and the current CR3.
 */
void gdt_set_double_fault_task(void (*entry)(void), vaddr_t stack_top);
/*
 * Inside the double-fault task: the esp and ebp of the code that faulted,
 * which the task switch saved in the kernel's TSS (SDM Vol. 3A, 7.3).
 */
void tss_faulting_stack(uint32_t *esp, uint32_t *ebp);
#endif

#endif
