/*
 * kernel/cpu/trap.c - the IDT and the C side of every trap.
 *
 * All gates are 32-bit interrupt gates (SDM Vol. 3A, 6.11), so the CPU
 * clears IF on entry and handlers start with interrupts off; an IRQ
 * handler runs to completion before the EOI lets the line fire again.
 * Only the system-call gate (0x80) is callable from ring 3.
 *
 * The end of an IRQ, once the handler is done and acknowledged, is where
 * the scheduler preempts the interrupted thread (kernel/thread/sched.c).
 *
 * The double fault (vector 8) is the exception: it is a task gate.  When a
 * kernel stack overflows into its guard page, the page fault cannot push
 * its frame on that stack, which makes a double fault, and an interrupt
 * gate would push that one on the same stack again: a third fault, and
 * the CPU shuts down (SDM Vol. 3A, 6.15, "Interrupt 8").  A task gate
 * switches to a task with a stack of its own (SDM Vol. 3A, 7.3), from
 * where the overflow can be reported, naming the thread.
 */
#include "kernel/cpu/trap.h"

#include "drivers/lapic.h"
#include "drivers/pic.h"
#include "kernel/debug/catch.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/gdt.h"
#include "kernel/cpu/percpu.h"
#include "kernel/cpu/smp.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"
#include "kernel/debug/panic.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/syscall.h"
#include "kernel/thread/sched.h"
#include "kernel/thread/thread.h"
#include "mm/fault.h"

#define NVECTORS 256
#define GATE_INTR32 0x8e	/* present, DPL 0, 32-bit interrupt gate */
#define GATE_DPL3 0x60
#define GATE_TASK 0x85		/* present, DPL 0, task gate */

struct gatedesc {
	uint16_t off_low;
	uint16_t sel;
	uint8_t zero;
	uint8_t type;
	uint16_t off_high;
} __attribute__((packed));

struct irq_slot {
	irq_handler_fn handler;
	const char *name;
};

extern const uint32_t trap_vectors[NTRAP_STUBS];
_Static_assert(NTRAP_STUBS == NEXCEPTIONS + NIRQ, "a stub per vector");
extern const uint32_t trap_syscall_vector;
extern const uint32_t trap_apic_vectors[NAPIC_VECTORS];
/* Their counts follow the ISA lines' in struct cpu, in vector order. */
_Static_assert(LAPIC_TIMER_VECTOR == APIC_VECTOR_BASE &&
               IPI_CALL_VECTOR - APIC_VECTOR_BASE + CPU_INTR_LAPIC_TIMER ==
               CPU_INTR_CALL, "per-CPU counts in vector order");
_Static_assert(LAPIC_TIMER_VECTOR >= APIC_VECTOR_BASE &&
               LAPIC_SPURIOUS_VECTOR < APIC_VECTOR_BASE + NAPIC_VECTORS,
               "the APIC's vectors have stubs");

static const struct irq_chip pic_chip = {
	.name = "8259",
	.unmask = pic_unmask,
	.eoi = pic_eoi,
	.is_spurious = pic_is_spurious,
};
static const struct irq_chip *irq_chip = &pic_chip;
static struct gatedesc idt[NVECTORS];
static struct irq_slot irqs[NIRQ];
static struct irq_slot apic_irqs[NAPIC_VECTORS];
static uint64_t spurious_count[2];	/* IRQ 7, IRQ 15 */
static uint8_t double_fault_stack[SMP_MAX_CPUS][PAGE_SIZE]
	__attribute__((aligned(16)));

/* The offsets kernel/cpu/trapentry.S uses for its CFI and link frame. */
_Static_assert(offsetof(struct trapframe, edi) == 16, "TF_EDI");
_Static_assert(offsetof(struct trapframe, esi) == 20, "TF_ESI");
_Static_assert(offsetof(struct trapframe, ebp) == 24, "TF_EBP");
_Static_assert(offsetof(struct trapframe, ebx) == 32, "TF_EBX");
_Static_assert(offsetof(struct trapframe, edx) == 36, "TF_EDX");
_Static_assert(offsetof(struct trapframe, ecx) == 40, "TF_ECX");
_Static_assert(offsetof(struct trapframe, eax) == 44, "TF_EAX");
_Static_assert(offsetof(struct trapframe, trapno) == 48, "TF_TRAPNO");
_Static_assert(offsetof(struct trapframe, eip) == 56, "TF_EIP");
_Static_assert(offsetof(struct trapframe, eflags) == 64, "TF_EFLAGS");
_Static_assert(offsetof(struct trapframe, esp) == 68, "TF_ESP");

static const char *const exception_names[NEXCEPTIONS] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"BOUND range exceeded", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS",
	"segment not present", "stack-segment fault", "general protection",
	"page fault", "reserved (15)", "x87 floating-point error",
	"alignment check", "machine check", "SIMD floating-point",
	"virtualization", "control protection", "reserved (22)",
	"reserved (23)", "reserved (24)", "reserved (25)", "reserved (26)",
	"reserved (27)", "hypervisor injection", "VMM communication",
	"security", "reserved (31)",
};

static void set_gate(int vec, uint32_t handler, uint8_t type)
{
	idt[vec] = (struct gatedesc){
		.off_low = handler & 0xffff,
		.sel = KERNEL_CS,
		.type = type,
		.off_high = handler >> 16,
	};
}

void trap_cpu_init(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint32_t)idt };

	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void trap_init(void)
{
	for (int v = 0; v < NTRAP_STUBS; v++)
		set_gate(v, trap_vectors[v], GATE_INTR32);
	set_gate(SYSCALL_VECTOR, trap_syscall_vector, GATE_INTR32 | GATE_DPL3);
	for (int i = 0; i < NAPIC_VECTORS; i++)
		set_gate(APIC_VECTOR_BASE + i, trap_apic_vectors[i],
		         GATE_INTR32);
	trap_cpu_init();
}

void irq_register(int irq, irq_handler_fn handler, const char *name)
{
	irqs[irq].handler = handler;
	irqs[irq].name = name;
	irq_chip->unmask(irq);
}

void trap_set_irq_chip(const struct irq_chip *c)
{
	KASSERT(!interrupts_enabled());
	for (int i = 0; i < NIRQ; i++)
		if (irqs[i].handler != NULL)
			c->unmask(i);
	irq_chip = c;
}

void trap_set_apic_handler(int vector, irq_handler_fn handler,
                           const char *name)
{
	apic_irqs[vector - APIC_VECTOR_BASE].handler = handler;
	apic_irqs[vector - APIC_VECTOR_BASE].name = name;
}

int trap_irq_depth(void)
{
	return cpu_self()->irq_depth;
}

void trap_set_irq_depth(int depth)
{
	cpu_self()->irq_depth = depth;
}

const char *trap_exception_name(unsigned vector)
{
	return vector < NEXCEPTIONS ? exception_names[vector] : "interrupt";
}

void trap_print_vector(unsigned vector)
{
	if (vector < NEXCEPTIONS)
		kprintf("%s (exception %u)", exception_names[vector], vector);
	else if (vector >= IRQ_BASE && vector < IRQ_BASE + NIRQ)
		kprintf("interrupt %u (IRQ %u)", vector, vector - IRQ_BASE);
	else if (vector == SYSCALL_VECTOR)
		kprintf("system call (interrupt %u)", vector);
	else if (vector >= APIC_VECTOR_BASE &&
	         apic_irqs[vector - APIC_VECTOR_BASE].name != NULL)
		kprintf("interrupt %u (APIC %s)", vector,
		        apic_irqs[vector - APIC_VECTOR_BASE].name);
	else
		kprintf("interrupt %u", vector);
}

void trapframe_print(const struct trapframe *tf)
{
	kprintf("  eax %08x  ebx %08x  ecx %08x  edx %08x\n", tf->eax, tf->ebx,
	        tf->ecx, tf->edx);
	kprintf("  esi %08x  edi %08x  ebp %08x  esp %08x\n", tf->esi, tf->edi,
	        tf->ebp, trapframe_esp(tf));
	kprintf("  eip %08x  eflags %08x  cs %04x  ds %04x  err %08x\n",
	        tf->eip, tf->eflags, tf->cs, tf->ds, tf->err);
	control_registers_print();
}

void control_registers_print(void)
{
	kprintf("  cr0 %08x  cr2 %08x  cr3 %08x  cr4 %08x\n", read_cr0(),
	        read_cr2(), read_cr3(), read_cr4());
}

static void handle_irq(struct trapframe *tf)
{
	int irq = (int)tf->trapno - IRQ_BASE;
	struct cpu *c = cpu_self();

	if ((irq == 7 || irq == 15) && irq_chip->is_spurious != NULL &&
	    irq_chip->is_spurious(irq)) {
		spurious_count[irq == 15]++;
		return;
	}
	c->irq_depth++;
	c->intr_count[irq]++;
	if (irqs[irq].handler != NULL)
		irqs[irq].handler(tf);
	c->irq_depth--;
	irq_chip->eoi(irq);
}

/*
 * The local APIC's vectors.  Its spurious vector needs no EOI (SDM Vol.
 * 3A, 10.9); everything else gets one after its handler.
 */
static void handle_apic(struct trapframe *tf)
{
	const struct irq_slot *slot = &apic_irqs[tf->trapno - APIC_VECTOR_BASE];
	struct cpu *c = cpu_self();

	if (tf->trapno == LAPIC_SPURIOUS_VECTOR) {
		c->intr_count[CPU_INTR_SPURIOUS]++;
		return;
	}
	if (slot->handler == NULL)
		panic_trap(tf, "unexpected APIC interrupt %u", tf->trapno);
	c->irq_depth++;
	c->intr_count[CPU_INTR_LAPIC_TIMER + (tf->trapno -
	                                      LAPIC_TIMER_VECTOR)]++;
	slot->handler(tf);
	c->irq_depth--;
	lapic_eoi();
}

static void handle_exception(struct trapframe *tf)
{
	struct caught c = {
		.kind = CATCH_FAULT,
		.vector = tf->trapno,
		.err = tf->err,
		.cr2 = read_cr2(),
		.eip = tf->eip,
	};

	/* Another CPU panicked and stops this one (smp_stop_others). */
	if (tf->trapno == T_NMI && panic_in_progress())
		for (;;)
			halt();
	if (trapframe_from_user(tf))
		proc_fault(tf, c.cr2);	/* a user program's fault ends it */
	catch_deliver(&c);	/* returns only when no test expects it */
	if (tf->trapno == T_PAGE_FAULT)
		page_fault_report(tf, c.cr2);
	panic_trap(tf, "%s (exception %u) at eip %08x",
	           exception_names[tf->trapno], tf->trapno, tf->eip);
}

void trap(struct trapframe *tf)
{
	if (tf->trapno < NEXCEPTIONS) {
		handle_exception(tf);
	} else if (tf->trapno < IRQ_BASE + NIRQ) {
		handle_irq(tf);
		sched_preempt();
	} else if (tf->trapno == SYSCALL_VECTOR) {
		syscall_dispatch(tf);
		sched_preempt();
	} else if (tf->trapno >= APIC_VECTOR_BASE) {
		handle_apic(tf);
		sched_preempt();
	} else {
		panic_trap(tf, "unexpected trap %u", tf->trapno);
	}
	if (trapframe_from_user(tf))
		proc_user_return();	/* a killed process ends here */
}

/*
 * The double-fault task's code, on double_fault_stack with interrupts off.
 * The CPU saved the faulting context in the kernel's TSS, not in a trap
 * frame, and the saved eip is undefined for a double fault (SDM Vol. 3A,
 * 6.15, "Interrupt 8"), so what there is to go on is cr2, the address of
 * the page fault that could not be delivered, and the saved esp and ebp.
 * The backtrace walks the faulting thread's stack from that ebp: it is
 * mapped (only the guard page below it is not), and its frames name the
 * function that recursed.  This never returns, and nothing may catch the
 * panic: a jump back into the thread would run it inside this task.
 */
static __attribute__((noreturn)) void double_fault_task(void)
{
	uint32_t cr2 = read_cr2(), esp, ebp;
	const struct thread *t = thread_guard_owner(cr2);
	const struct thread *faulting = t != NULL ? t : curthread;
	struct backtrace_start from;

	curthread->catch_innermost = NULL;
	tss_faulting_stack(&esp, &ebp);
	from = (struct backtrace_start){
		ebp, faulting->kstack.base, faulting->kstack.top,
	};
	if (t != NULL)
		panic_from(&from, "stack overflow in thread %s (page fault at "
		           "%08x in its stack's guard page, then a double "
		           "fault; esp %08x, ebp %08x)", t->name, cr2, esp,
		           ebp);
	panic_from(&from, "double fault in thread %s (cr2 %08x; esp %08x, "
	           "ebp %08x)", curthread->name, cr2, esp, ebp);
}

void trap_init_double_fault(void)
{
	uint8_t *stack = double_fault_stack[cpu_self()->index];

	gdt_set_double_fault_task(double_fault_task, (vaddr_t)stack +
	                          sizeof(double_fault_stack[0]));
	/* A task gate uses only the selector (SDM Vol. 3A, 6.11, Fig. 6-2). */
	idt[T_DOUBLE_FAULT] = (struct gatedesc){
		.sel = DOUBLE_FAULT_TSS_SEL,
		.type = GATE_TASK,
	};
}

/* One row: an IRQ's or a vector's number, its name, its count per CPU. */
static void print_row(int number, const char *name, int intr)
{
	unsigned n = smp_ncpus();

	kprintf("%3d  %-7s", number, name);
	for (unsigned i = 0; i < n; i++)
		kprintf("  %10llu",
		        (unsigned long long)cpus[i].intr_count[intr]);
	kprintf("\n");
}

void trap_print_stats(void)
{
	unsigned n = smp_ncpus();

	kprintf("irq  name   ");	/* an APIC row's number is its vector */
	for (unsigned i = 0; i < n; i++)
		kprintf("  %10s%u", "cpu", i);
	kprintf("\n");
	for (int i = 0; i < NIRQ; i++)
		if (irqs[i].name != NULL)
			print_row(i, irqs[i].name, i);
	for (int i = 0; i < NAPIC_VECTORS; i++)
		if (apic_irqs[i].name != NULL)
			print_row(APIC_VECTOR_BASE + i, apic_irqs[i].name,
			          CPU_INTR_LAPIC_TIMER + i);
	kprintf("ISA lines through the %s; spurious: irq7 %llu, irq15 %llu\n",
	        irq_chip->name,
	        (unsigned long long)spurious_count[0],
	        (unsigned long long)spurious_count[1]);
}
