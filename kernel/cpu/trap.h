/*
 * kernel/cpu/trap.h - exceptions and interrupts: the IDT, the trap frame, IRQ
 * dispatch and the interrupt-context test.
 *
 * Every vector enters through kernel/cpu/trapentry.S, which saves the
 * registers as a struct trapframe and calls trap().  Exceptions (vectors
 * 0-31, SDM Vol. 3A, 6.15) in the kernel print a register dump and panic;
 * IRQs (vectors 32-47) go to the handler registered for the line.
 */
#ifndef KIVA_KERNEL_CPU_TRAP_H
#define KIVA_KERNEL_CPU_TRAP_H

/*
 * trapentry.S has a stub for each exception (0-31) and each 8259 IRQ
 * (32-47), NEXCEPTIONS + NIRQ in all (asserted in trap.c), and one for
 * the system call.  A plain number: the assembler needs it too.
 */
#define NTRAP_STUBS 48
/*
 * The local APIC's vectors (its timer, the IPIs, its spurious vector) are
 * the top 16, the highest priority class (SDM Vol. 3A, 10.8.3.1), with a
 * stub each.  Plain numbers, for the assembler.
 */
#define APIC_VECTOR_BASE 240
#define NAPIC_VECTORS 16

#ifndef __ASSEMBLY__
#include "kernel/cpu/percpu.h"
#include "kernel/lib/types.h"

#define T_DIVIDE 0
#define T_DEBUG 1
#define T_NMI 2
#define T_BREAKPOINT 3
#define T_INVALID_OPCODE 6
#define T_DOUBLE_FAULT 8
#define T_GPF 13
#define T_PAGE_FAULT 14
#define NEXCEPTIONS 32

/* Page-fault error code bits (SDM Vol. 3A, 4.7). */
#define PF_PRESENT 0x01	/* 0: page not present; 1: protection violation */
#define PF_WRITE 0x02
#define PF_USER 0x04
#define PF_RSVD 0x08	/* a reserved bit was set in a paging entry */
#define PF_FETCH 0x10	/* instruction fetch (NX) */

struct trapframe {
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax; /* pushal */
	uint32_t trapno;
	uint32_t err;
	uint32_t eip, cs, eflags;	/* pushed by the CPU */
	uint32_t esp, ss;		/* only when coming from ring 3 */
};

/*
 * The privilege level the trap came from is the low two bits of the saved
 * CS (its RPL: SDM Vol. 3A, 3.4.2 and 5.5).
 */
#define SELECTOR_RPL_MASK 3
#define RING_USER 3

static inline bool trapframe_from_user(const struct trapframe *tf)
{
	return (tf->cs & SELECTOR_RPL_MASK) == RING_USER;
}

/*
 * The interrupted code's esp.  From ring 3 the CPU switched stacks and
 * pushed the old esp; from ring 0 it pushed nothing more, so the
 * interrupted stack goes on right where the frame's esp field would be
 * (SDM Vol. 3A, 6.12.1, Figure 6-4).
 */
static inline uint32_t trapframe_esp(const struct trapframe *tf)
{
	return trapframe_from_user(tf) ? tf->esp : (uint32_t)&tf->esp;
}

void trap_init(void);	/* build and load the IDT */
void trap_cpu_init(void);	/* load it on another CPU */
/*
 * Makes the double fault a task gate to a task with its own stack, so that
 * a kernel stack overflow is reported instead of resetting the machine.
 * Call once the final page tables are loaded: the task switch loads CR3.
 */
void trap_init_double_fault(void);
void trap(struct trapframe *tf);	/* called by trapentry.S only */

typedef void (*irq_handler_fn)(struct trapframe *tf);
/* Installs the handler for an IRQ line and unmasks it. */
void irq_register(int irq, irq_handler_fn handler, const char *name);

/*
 * What delivers the 16 ISA lines: the 8259s (drivers/pic.h) from boot on,
 * or an I/O APIC (drivers/ioapic.h) once several CPUs run.
 */
struct irq_chip {
	const char *name;
	void (*unmask)(int irq);
	void (*eoi)(int irq);
	/* IRQ 7 and 15 may be spurious (the 8259's); NULL: never */
	bool (*is_spurious)(int irq);
};
/*
 * Makes c deliver the ISA lines from now on, unmasking there every line
 * that has a handler; the caller has masked the old one, interrupts off.
 */
void trap_set_irq_chip(const struct irq_chip *c);

/*
 * Installs the handler of a local APIC vector (drivers/lapic.h), which
 * trap() acknowledges with an EOI after it.
 */
void trap_set_apic_handler(int vector, irq_handler_fn handler,
                           const char *name);

/*
 * True while this CPU runs an interrupt handler (or code it called).  A
 * thread that asks cannot be in an interrupt on one CPU and not on
 * another: a thread runs only at depth 0, so a migration between the load
 * of the record and of the depth changes nothing.  Inline: kmalloc()'s
 * fast path asks it.
 */
static inline bool in_interrupt(void)
{
	return cpu_self()->irq_depth > 0;
}
/* The nesting depth behind in_interrupt(), saved and restored by catch.c. */
int trap_irq_depth(void);
void trap_set_irq_depth(int depth);

/* "page fault", "general protection", ... for exception vectors. */
const char *trap_exception_name(unsigned vector);
/*
 * Prints what a vector is: "page fault (exception 14)", "interrupt 32
 * (IRQ 0)", "system call (interrupt 128)" (for backtraces).
 */
void trap_print_vector(unsigned vector);

/* Prints the registers of a trap frame (used by panic). */
void trapframe_print(const struct trapframe *tf);
/* Prints CR0, CR2, CR3 and CR4 (part of trapframe_print). */
void control_registers_print(void);

/* Per-IRQ counts per CPU and spurious interrupts, for the shell's `intr`. */
void trap_print_stats(void);

#endif /* __ASSEMBLY__ */

#endif
