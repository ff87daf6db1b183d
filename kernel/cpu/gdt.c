/*
 * kernel/cpu/gdt.c - the global descriptor table and the task-state segment.
 *
 * Descriptor layout: SDM Vol. 3A, 3.4.5 (segment descriptors) and 7.2.2
 * (TSS descriptor).  Access byte: present, DPL, type; flags: 4 KiB
 * granularity and 32-bit default size.
 *
 * Two TSSs: the kernel's own, used for esp0, and the double-fault task's
 * (kernel/cpu/trap.c), which the CPU switches to through a task gate.  On that
 * switch the CPU stores the faulting context in the kernel's TSS and loads
 * the registers of the double-fault TSS (SDM Vol. 3A, 7.3), so both carry
 * the full 32-bit layout of SDM Vol. 3A, 7.2.1, Figure 7-2.
 *
 * Each CPU has its own of all three (kernel/cpu/gdt.h), indexed by its
 * cpu_index().
 */
#include "kernel/cpu/gdt.h"

#include "kernel/cpu/cpu.h"
#include "kernel/cpu/percpu.h"
#include "kernel/lib/kstring.h"

struct segdesc {
	uint16_t limit_low;
	uint16_t base_low;
	uint8_t base_mid;
	uint8_t access;
	uint8_t flags_limit_high;
	uint8_t base_high;
} __attribute__((packed));

struct tss {
	uint32_t link;
	uint32_t esp0, ss0, esp1, ss1, esp2, ss2;
	uint32_t cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
} __attribute__((packed));

#define ACC_PRESENT 0x80
#define ACC_DPL(n) ((n) << 5)
#define ACC_CODE_DATA 0x10
#define ACC_EXEC_READ 0x0a
#define ACC_READ_WRITE 0x02
#define ACC_TSS_32 0x09
#define FLAGS_4K_32BIT 0xc0

#define GDT_ENTRIES (PERCPU_SEL / 8 + 1)

static struct tss tss[SMP_MAX_CPUS];
static struct tss double_fault_tss[SMP_MAX_CPUS];
static struct segdesc gdt[SMP_MAX_CPUS][GDT_ENTRIES];

static struct segdesc make_desc(uint32_t base, uint32_t limit, uint8_t access,
                                uint8_t flags)
{
	return (struct segdesc){
		.limit_low = limit & 0xffff,
		.base_low = base & 0xffff,
		.base_mid = (base >> 16) & 0xff,
		.access = access,
		.flags_limit_high = flags | ((limit >> 16) & 0x0f),
		.base_high = base >> 24,
	};
}

static struct segdesc flat(int dpl, uint8_t type)
{
	return make_desc(0, 0xfffff,
	                 ACC_PRESENT | ACC_DPL(dpl) | ACC_CODE_DATA | type,
	                 FLAGS_4K_32BIT);
}

void gdt_init(struct cpu *c)
{
	struct segdesc *g = gdt[c->index];
	struct tss *t = &tss[c->index];
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) gdtr = { sizeof(gdt[0]) - 1, (uint32_t)g };

	memset(t, 0, sizeof(*t));
	t->ss0 = KERNEL_DS;
	t->iomap_base = sizeof(*t);	/* no I/O permission bitmap */

	g[KERNEL_CS >> 3] = flat(0, ACC_EXEC_READ);
	g[KERNEL_DS >> 3] = flat(0, ACC_READ_WRITE);
	g[USER_CS >> 3] = flat(3, ACC_EXEC_READ);
	g[USER_DS >> 3] = flat(3, ACC_READ_WRITE);
	g[TSS_SEL >> 3] = make_desc((uint32_t)t, sizeof(*t) - 1,
	                            ACC_PRESENT | ACC_TSS_32, 0);
	g[DOUBLE_FAULT_TSS_SEL >> 3] =
		make_desc((uint32_t)&double_fault_tss[c->index],
		          sizeof(double_fault_tss[0]) - 1,
		          ACC_PRESENT | ACC_TSS_32, 0);
	/* Ring 0 only, and just big enough for the record. */
	g[PERCPU_SEL >> 3] = make_desc((uint32_t)c, sizeof(*c) - 1,
	                               ACC_PRESENT | ACC_DPL(0) |
	                               ACC_CODE_DATA | ACC_READ_WRITE, 0);
	c->self = c;

	__asm__ volatile(
		"lgdt %0\n\t"
		"ljmp %1, $1f\n"
		"1:\tmovw %w2, %%ds\n\t"
		"movw %w2, %%es\n\t"
		"movw %w4, %%fs\n\t"
		"movw %w2, %%gs\n\t"
		"movw %w2, %%ss\n\t"
		"ltr %w3"
		:
		: "m"(gdtr), "i"(KERNEL_CS), "r"(KERNEL_DS), "r"(TSS_SEL),
		  "r"(PERCPU_SEL)
		: "memory");
}

void tss_set_kernel_stack(vaddr_t esp0)
{
	tss[cpu_self()->index].esp0 = esp0;
}

void tss_faulting_stack(uint32_t *esp, uint32_t *ebp)
{
	/* Written by the CPU, behind the compiler's back. */
	const volatile struct tss *saved = &tss[cpu_self()->index];

	*esp = saved->esp;
	*ebp = saved->ebp;
}

void gdt_set_double_fault_task(void (*entry)(void), vaddr_t stack_top)
{
	struct tss *t = &double_fault_tss[cpu_self()->index];

	memset(t, 0, sizeof(*t));
	t->cr3 = read_cr3();
	t->eip = (uint32_t)entry;
	t->eflags = EFLAGS_RESERVED_1;	/* and IF clear */
	t->esp = stack_top;
	t->cs = KERNEL_CS;
	t->ss = t->ds = t->es = t->gs = KERNEL_DS;
	t->fs = PERCPU_SEL;	/* so that the task finds its CPU's record */
	t->iomap_base = sizeof(*t);
}
