/*
 * tests/kernel/test_bench.c - kmalloc/kfree cost inside QEMU, in TSC
 * cycles per pair: an indicative figure for `make bench` (TCG's TSC is
 * emulated), as a ratio against a bare free-list pop/push measured in the
 * same run.  Manual: it measures, and fails only if an allocation does.
 *
 * Then what the pair is made of: with magazines on, a kmalloc and a kfree
 * that their CPU's magazine serves each run one interrupt-off section
 * (irq_save() .. irq_restore(): pushf and cli, then sti, since the
 * interrupts were on) and read their CPU's index in it, from the CPU's
 * record through %fs (kernel/cpu/percpu.h); the figures for an empty
 * section and for that read show how much of the pair those cost.  Under
 * TCG the interrupt-flag instructions are not translated to host
 * instructions but call into the emulator (and sti, which enables
 * interrupts, ends the translated block).
 */
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/percpu.h"
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

/*
 * The CPU's index from its record, as the magazines' fast path reads it,
 * in one section for all the reads.
 */
static uint64_t cpu_record_cycles(void)
{
	uint32_t flags = irq_save();
	uint64_t t0 = rdtsc();
	unsigned sum = 0;

	for (int i = 0; i < ROUNDS; i++)
		sum += cpu_self()->index;
	t0 = rdtsc() - t0;
	irq_restore(flags);
	__asm__ volatile("" : : "r"(sum));
	return t0 / ROUNDS;
}

/*
 * The breakdown's figures are each the best of BEST_OF measurements: TCG's
 * TSC follows the host's clock, so a run that another host process
 * interrupted reads high.
 */
#define BEST_OF 5

static uint64_t best_of(uint64_t (*measure)(void))
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < BEST_OF; i++)
		best = MIN(best, measure());
	return best;
}

/* A 64-byte pair in kmem_map, for best_of(). */
static struct ktest_ctx *pair_ctx;

static uint64_t pair64_cycles(void)
{
	return pair_cycles(pair_ctx, 64, M_NOWAIT);
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
	uint64_t bare = best_of(bare_cycles);
	uint64_t section = best_of(section_cycles);
	uint64_t index = best_of(cpu_record_cycles);
	uint64_t pair;

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
	}
	pair_ctx = t;
	pair = best_of(pair64_cycles);
	kprintf("what a 64-byte kmem_map pair is made of (magazines %s; best "
	        "of %d):\n", kmem_magazines_on() ? "on" : "off", BEST_OF);
	kprintf("  the pair:                                          ");
	print_ratio(pair, bare);
	kprintf("\n");
	kprintf("  an empty interrupt-off section (pushf; cli; sti):  ");
	print_ratio(section, bare);
	kprintf("\n  cpu_self()->index, interrupts off:                 ");
	print_ratio(index, bare);
	kprintf("\n  the pair's 2 sections and 2 index reads: %llu of its "
	        "%llu cycles (%llu%%); the rest is the code around them\n",
	        (unsigned long long)(2 * (section + index)),
	        (unsigned long long)pair,
	        (unsigned long long)(pair != 0 ? 200 * (section + index) / pair
	                                       : 0));
}
