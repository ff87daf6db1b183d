/*
 * tests/kernel/test_bench.c - kmalloc/kfree cost inside QEMU, in TSC
 * cycles per pair: an indicative figure for `make bench` (TCG's TSC is
 * emulated), as a ratio against a bare free-list pop/push measured in the
 * same run.  Manual: it measures, and fails only if an allocation does.
 *
 * Then what the pair is made of: with magazines on, a kmalloc and a kfree
 * that their CPU's magazine serves each run one interrupt-off section
 * (irq_save() .. irq_restore(): pushf, cli, popf) and call cpu_index()
 * in it; the figures for an empty section and for cpu_index() show how
 * much of the pair those cost.  Under TCG the interrupt-flag instructions
 * are not translated to host instructions but call into the emulator
 * (and popf, which may enable interrupts, ends the translated block).
 */
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/smp.h"
#include "kernel/lib/kprintf.h"
#include "kernel/debug/ktest.h"
#include "mm/kmem.h"

#define ROUNDS 20000

struct node {
	struct node *next;
};

static struct node nodes[2];
static struct node *freelist;

static __attribute__((noinline)) struct node *bare_pop(void)
{
	struct node *n = freelist;
	freelist = n->next;
	return n;
}

static __attribute__((noinline)) void bare_push(struct node *n)
{
	n->next = freelist;
	freelist = n;
}

static uint64_t bare_cycles(void)
{
	uint64_t t0;

	freelist = NULL;
	bare_push(&nodes[0]);
	bare_push(&nodes[1]);
	t0 = rdtsc();
	for (int i = 0; i < ROUNDS; i++)
		bare_push(bare_pop());
	return (rdtsc() - t0) / ROUNDS;
}

static uint64_t pair_cycles(struct ktest_ctx *t, size_t size, int flags)
{
	void *keep = kmalloc(size, M_TEST, flags);	/* a pool in use */
	uint64_t t0 = rdtsc();

	for (int i = 0; i < ROUNDS; i++) {
		void *p = kmalloc(size, M_TEST, flags);
		if (!KEXPECT(t, p != NULL))
			break;
		kfree(p);
	}
	t0 = rdtsc() - t0;
	kfree(keep);
	return t0 / ROUNDS;
}

/* An empty interrupt-off section, as the magazines' fast path has. */
static uint64_t section_cycles(void)
{
	uint64_t t0 = rdtsc();

	for (int i = 0; i < ROUNDS; i++) {
		uint32_t flags = irq_save();
		irq_restore(flags);
	}
	return (rdtsc() - t0) / ROUNDS;
}

/* cpu_index(), in one section for all the calls. */
static uint64_t cpu_index_cycles(void)
{
	uint32_t flags = irq_save();
	uint64_t t0 = rdtsc();
	unsigned sum = 0;

	for (int i = 0; i < ROUNDS; i++)
		sum += cpu_index();
	t0 = rdtsc() - t0;
	irq_restore(flags);
	__asm__ volatile("" : : "r"(sum));
	return t0 / ROUNDS;
}

/* "N (X.YYx)": cycles and their ratio to the bare pop/push. */
static void print_ratio(uint64_t cycles, uint64_t bare)
{
	kprintf("%6llu (%3llu.%02llux)", (unsigned long long)cycles,
	        (unsigned long long)(cycles / bare),
	        (unsigned long long)(cycles * 100 / bare % 100));
}

KTEST_NEEDING(kmalloc_cycles, KTEST_BENCHMARK)
{
	uint64_t bare = bare_cycles();
	uint64_t section = section_cycles(), index = cpu_index_cycles();
	uint64_t pair = 0;

	kprintf("kmalloc/kfree pair in QEMU (TCG), TSC cycles per pair\n");
	kprintf("  bare free list pop/push: %llu cycles (1.00x)\n",
	        (unsigned long long)bare);
	kprintf("  size   kmem_map (M_NOWAIT)   kernel_map (M_NOINTR)\n");
	for (size_t size = 16; size <= 2048; size *= 2) {
		uint64_t a = pair_cycles(t, size, M_NOWAIT);
		uint64_t b = pair_cycles(t, size, M_NOWAIT | M_NOINTR);
		kprintf("  %4u   ", (unsigned)size);
		print_ratio(a, bare);
		kprintf("      ");
		print_ratio(b, bare);
		kprintf("\n");
		if (size == 64)
			pair = a;
	}
	kprintf("what a 64-byte kmem_map pair is made of (magazines %s):\n",
	        kmem_magazines_on() ? "on" : "off");
	kprintf("  an empty interrupt-off section (pushf; cli; popf): ");
	print_ratio(section, bare);
	kprintf("\n  cpu_index(), interrupts off:                        ");
	print_ratio(index, bare);
	kprintf("\n  the pair's 2 sections and 2 cpu_index() calls: %llu of "
	        "its %llu cycles (%llu%%)\n",
	        (unsigned long long)(2 * (section + index)),
	        (unsigned long long)pair,
	        (unsigned long long)(pair != 0 ? 200 * (section + index) / pair
	                                       : 0));
}
