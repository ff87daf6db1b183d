/*
 * tests/kernel/test_bench.c - kmalloc/kfree cost inside QEMU, in TSC
 * cycles per pair: an indicative figure for `make bench` (TCG's TSC is
 * emulated), as a ratio against a bare free-list pop/push measured in the
 * same run.  Manual: it measures, and fails only if an allocation does.
 */
#include "kernel/cpu/cpu.h"
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

KTEST_NEEDING(kmalloc_cycles, KTEST_BENCHMARK)
{
	uint64_t bare = bare_cycles();

	kprintf("kmalloc/kfree pair in QEMU (TCG), TSC cycles per pair\n");
	kprintf("  bare free list pop/push: %llu cycles (1.00x)\n",
	        (unsigned long long)bare);
	kprintf("  size   kmem_map (M_NOWAIT)   kernel_map (M_NOINTR)\n");
	for (size_t size = 16; size <= 2048; size *= 2) {
		uint64_t a = pair_cycles(t, size, M_NOWAIT);
		uint64_t b = pair_cycles(t, size, M_NOWAIT | M_NOINTR);
		kprintf("  %4u   %6llu (%3llu.%02llux)      %6llu (%3llu.%02llux)\n",
		        (unsigned)size, (unsigned long long)a,
		        (unsigned long long)(a / bare),
		        (unsigned long long)(a * 100 / bare % 100),
		        (unsigned long long)b, (unsigned long long)(b / bare),
		        (unsigned long long)(b * 100 / bare % 100));
	}
}
