/*
 * tests/kernel/test_kmem.c - kmalloc/kfree on the real machine: the two
 * allocators under exhaustion, interrupt handlers allocating while threads
 * exhaust memory, M_WAITOK sleeping and waking, the rules enforced, and
 * statistics returning to their baseline.
 */
#include "drivers/pit.h"
#include "kernel/debug/catch.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/kstring.h"
#include "kernel/debug/ktest.h"
#include "kernel/thread/sched.h"
#include "kernel/thread/thread.h"
#include "tests/kernel/frames.h"
#include "mm/kmem_debug.h"
#include "mm/kmem.h"
#include "mm/kva.h"
#include "mm/pmm.h"

/* Blocks held by a test are chained through their first word. */
struct chain {
	struct chain *next;
};

/*
 * Holds blocks until kmalloc says no for want of memory.  A NULL that
 * fault injection made is no shortage: try again, up to HOLD_TRIES such
 * NULLs in a row (a spec that fails everything would never let go).
 */
#define HOLD_TRIES 8

static size_t hold_until_null(struct chain **head, size_t size, int flags)
{
	size_t n = 0;
	struct chain *c;
	uint64_t injected;

	for (int tries = 0; tries < HOLD_TRIES; tries++) {
		injected = kmem_fail_injected();
		while ((c = kmalloc(size, M_TEST, flags)) != NULL) {
			c->next = *head;
			*head = c;
			n++;
			tries = 0;
		}
		if (kmem_fail_injected() == injected)
			break;		/* a real shortage */
	}
	return n;
}

static void release(struct chain **head)
{
	while (*head != NULL) {
		struct chain *next = (*head)->next;
		kfree(*head);
		*head = next;
	}
}

/*
 * What kmalloc takes for `size` bytes: a power of two up to the region's
 * largest object, whole pages above; kmem_debug adds its header and
 * redzone first.
 */
static size_t block_bytes(size_t size, bool nointr)
{
	size_t want = kmem_debug_enabled ? kmem_debug_size(size) : size;
	size_t max = nointr ? PAGE_SIZE : PAGE_SIZE / 2;
	size_t b = 16;

	if (want > max)
		return ROUND_UP(want, (size_t)PAGE_SIZE);
	while (b < want)
		b <<= 1;
	return b;
}

/* What kmalloc_size() reports: the usable size (the caller's, in debug). */
static size_t usable_bytes(size_t size, bool nointr)
{
	return kmem_debug_enabled ? size : block_bytes(size, nointr);
}

static uint64_t test_inuse(void)
{
	struct kmem_type_stats s;

	kmem_type_stats(M_TEST, &s);
	return s.inuse;
}

KTEST(kmalloc_basics)
{
	uint64_t base = test_inuse();
	char *small = kmalloc(20, M_TEST, M_NOWAIT | M_ZERO);
	char *page = kmalloc(3000, M_TEST, M_WAITOK);
	char *big = kmalloc(40000, M_TEST, M_NOWAIT | M_NOINTR);
	char *pool = kmalloc(4096, M_TEST, M_WAITOK | M_NOINTR);

	if (!KEXPECT(t, small != NULL && page != NULL && big != NULL &&
	                pool != NULL)) {	/* fault injection, perhaps */
		kfree(small);
		kfree(page);
		kfree(big);
		kfree(pool);
		return;
	}
	KEXPECT(t, kva_in(KVA_KMEM_MAP, (vaddr_t)small));
	KEXPECT(t, kva_in(KVA_KMEM_MAP, (vaddr_t)page));
	KEXPECT(t, kva_in(KVA_KERNEL_MAP, (vaddr_t)big));
	KEXPECT(t, kva_in(KVA_KERNEL_MAP, (vaddr_t)pool));
	KEXPECT_EQ(t, kmalloc_size(small), usable_bytes(20, false));
	KEXPECT_EQ(t, kmalloc_size(page), usable_bytes(3000, false));
	KEXPECT_EQ(t, kmalloc_size(big), usable_bytes(40000, true));
	KEXPECT_EQ(t, kmalloc_size(pool), usable_bytes(4096, true));
	if (!kmem_debug_enabled) {
		KEXPECT_EQ(t, kmalloc_size(small), 32);	/* a power of two */
		KEXPECT_EQ(t, kmalloc_size(page), 4096);	/* > half a page */
		KEXPECT_EQ(t, ((uintptr_t)small) % 32, 0);
	}
	for (int i = 0; i < 20; i++)
		KEXPECT_EQ(t, small[i], 0);
	memset(big, 0xa5, 40000);
	KEXPECT_EQ(t, test_inuse() - base,
	           block_bytes(20, false) + block_bytes(3000, false) +
	           block_bytes(40000, true) + block_bytes(4096, true));
	kfree(small);
	kfree(page);
	kfree(big);
	kfree(pool);
	kfree(NULL);
	KEXPECT_EQ(t, test_inuse(), base);
	KEXPECT(t, kmalloc(0, M_TEST, M_NOWAIT) == NULL);
	KEXPECT(t, kmalloc(GiB(2), M_TEST, M_WAITOK) == NULL);	/* never fits */
}

KTEST(kfree_refuses_bad_pointers)
{
	uint64_t base = test_inuse();
	char *p = kmalloc(64, M_TEST, M_NOWAIT);
	char *q = kmalloc(3 * PAGE_SIZE, M_TEST, M_NOWAIT | M_NOINTR);
	static int not_heap;

	if (!KEXPECT(t, p != NULL && q != NULL)) {
		kfree(p);
		kfree(q);
		return;
	}
	kfree(p + 8);			/* interior of a pool object */
	kfree(q + PAGE_SIZE);		/* interior of a page allocation */
	kfree(&not_heap);		/* the direct map: no allocator's */
	KEXPECT_EQ(t, test_inuse() - base,
	           block_bytes(64, false) + block_bytes(3 * PAGE_SIZE, true));
	kfree(p);
	kfree(q);
	kfree(p);			/* double free */
	kfree(q);
	KEXPECT_EQ(t, test_inuse(), base);
}

/*
 * (a) A thread exhausts kernel_map, then every free frame, while the
 * timer interrupt allocates and frees from kmem_map on every tick: every
 * one of those interrupt allocations must succeed.
 */
static volatile unsigned irq_allocs, irq_failures;

static void tick_alloc_free(void)
{
	void *small = kmalloc(128, M_TEST, M_NOWAIT);
	void *page = kmalloc(PAGE_SIZE, M_TEST, M_NOWAIT);

	irq_allocs++;
	if (small == NULL || page == NULL)
		irq_failures++;
	else
		memset(page, 0x5a, PAGE_SIZE);
	kfree(small);
	kfree(page);
}

KTEST(interrupts_allocate_while_kernel_map_exhausted)
{
	uint64_t base = test_inuse();
	struct chain *held = NULL;
	size_t blocks, frames;
	paddr_t frame_chain;

	irq_allocs = irq_failures = 0;
	KEXPECT(t, pit_add_tick_hook(tick_alloc_free));
	blocks = hold_until_null(&held, 64 * 1024, M_NOWAIT | M_NOINTR);
	frame_chain = frames_take_all(&frames);
	unsigned start = irq_allocs;
	sleep_ticks(20);	/* interrupts allocate with nothing left */
	KEXPECT(t, irq_allocs - start >= 15);
	pit_remove_tick_hook(tick_alloc_free);
	frames_give_all(frame_chain);
	release(&held);
	kprintf("  kernel_map held %u blocks of 64 KiB, then %u frames; %u "
	        "interrupt allocation pairs, %u failed\n", (unsigned)blocks,
	        (unsigned)frames, irq_allocs, irq_failures);
	KEXPECT(t, blocks > 0);
	KEXPECT_EQ(t, irq_failures, 0);
	KEXPECT_EQ(t, test_inuse(), base);
}

/*
 * (b) Interrupt handlers exhaust kmem_map: kmalloc returns NULL and the
 * failures are counted; nothing panics, and after the frees everything
 * works again.
 */
static struct chain *irq_held;
static volatile unsigned irq_nheld, irq_nulls;

static void tick_exhaust(void)
{
	for (int i = 0; i < 512; i++) {
		struct chain *c = kmalloc(PAGE_SIZE, M_TEST, M_NOWAIT);
		if (c == NULL) {
			irq_nulls++;
			return;
		}
		c->next = irq_held;
		irq_held = c;
		irq_nheld++;
	}
}

KTEST(interrupts_exhaust_kmem_map)
{
	struct kmem_type_stats before, after;
	uint64_t base = test_inuse();
	uint64_t deadline;
	void *p;

	kmem_type_stats(M_TEST, &before);
	irq_held = NULL;
	irq_nheld = irq_nulls = 0;
	KEXPECT(t, pit_add_tick_hook(tick_exhaust));
	deadline = ticks() + 20 * HZ;
	while (irq_nulls < 3 && ticks() < deadline)
		sleep_ticks(1);
	pit_remove_tick_hook(tick_exhaust);
	kmem_type_stats(M_TEST, &after);
	kprintf("  handlers took %u pages of kmem_map, then got NULL %u times\n",
	        irq_nheld, irq_nulls);
	KEXPECT(t, irq_nulls >= 3);
	KEXPECT(t, after.failures - before.failures >= irq_nulls);
	/* Thread-context M_NOWAIT cannot have the interrupt reserve either. */
	p = kmalloc(PAGE_SIZE, M_TEST, M_NOWAIT);
	KEXPECT(t, p == NULL);
	kfree(p);
	release(&irq_held);
	KEXPECT_EQ(t, test_inuse(), base);
	p = kmalloc(PAGE_SIZE, M_TEST, M_NOWAIT);
	KEXPECT(t, p != NULL);
	kfree(p);
}

/* A thread that asks for a page with M_WAITOK and stores it at *result. */
static void wait_for_page(void *result)
{
	*(void **)result = kmalloc(PAGE_SIZE, M_TEST, M_WAITOK);
}

/* (c) An M_WAITOK sleeper wakes when another thread frees. */
static struct chain *waitok_held;
static void *waitok_got;

KTEST(waitok_sleeps_until_memory_is_freed)
{
	uint64_t base = test_inuse();
	struct kmem_type_stats before, after;
	struct thread *th;

	kmem_type_stats(M_TEST, &before);
	waitok_held = NULL;
	waitok_got = NULL;
	/* Nothing held (fault injection): no shortage to wait through. */
	if (!KEXPECT(t, hold_until_null(&waitok_held, PAGE_SIZE, M_NOWAIT) > 0))
		return;
	th = thread_create("waitok", wait_for_page, &waitok_got);
	if (!KEXPECT(t, th != NULL)) {
		release(&waitok_held);
		return;
	}
	sleep_ticks(10);
	KEXPECT(t, waitok_got == NULL);		/* still asleep */
	KEXPECT_EQ(t, th->state, THREAD_SLEEPING);
	KEXPECT(t, th->wmesg != NULL && strcmp(th->wmesg, "kmem") == 0);
	struct chain *one = waitok_held;	/* give one page back */
	waitok_held = one->next;
	kfree(one);
	thread_join(th);
	KEXPECT(t, waitok_got != NULL);
	kmem_type_stats(M_TEST, &after);
	KEXPECT(t, after.sleeps > before.sleeps);
	kfree(waitok_got);
	release(&waitok_held);
	KEXPECT_EQ(t, test_inuse(), base);
}

/* (d) M_WAITOK (and M_NOINTR) in an interrupt handler is caught, by name. */
static struct caught irq_caught;
static volatile bool irq_was_caught;
static int irq_bad_flags;

static void bad_alloc(void *arg)
{
	(void)arg;
	kmalloc(64, M_TEST, irq_bad_flags);
}

static void tick_bad_alloc(void)
{
	irq_was_caught = catch_run(CATCH_PANIC, bad_alloc, NULL, &irq_caught);
	pit_remove_tick_hook(tick_bad_alloc);
}

static void expect_caught_in_irq(struct ktest_ctx *t, int flags,
                                 const char *message)
{
	irq_was_caught = false;
	irq_bad_flags = flags;
	KEXPECT(t, pit_add_tick_hook(tick_bad_alloc));
	sleep_ticks(3);
	KEXPECT(t, irq_was_caught);
	KEXPECT(t, strncmp(irq_caught.message, message, strlen(message)) == 0);
	kprintf("  caught: %s\n", irq_caught.message);
}

KTEST(waitok_in_interrupt_is_caught)
{
	expect_caught_in_irq(t, M_WAITOK,
	                     "kmalloc: M_WAITOK used in interrupt context");
	expect_caught_in_irq(t, M_NOWAIT | M_NOINTR,
	                     "kmalloc: M_NOINTR used in interrupt context");
}

/* Guarded allocations: the page below is never mapped. */
static void touch(void *addr)
{
	*(volatile char *)addr = 1;
}

KTEST(guarded_allocation_has_a_guard_page)
{
	vaddr_t va = kmem_alloc_guarded(4 * PAGE_SIZE, M_TEST);
	struct caught c;

	if (!KEXPECT(t, va != 0))
		return;
	touch((void *)va);
	touch((void *)(va + 4 * PAGE_SIZE - 1));
	KEXPECT(t, catch_run(CATCH_FAULT, touch, (void *)(va - 1), &c));
	KEXPECT_EQ(t, c.cr2, va - 1);
	kmem_free_guarded(va);
}

/*
 * kmem_debug finds an overrun, a write after free and a double free, and
 * keeps the kernel going.  Runs only with the kmem_debug boot option
 * (tests/boot/boot_tests.sh boots with it).
 */
KTEST_NEEDING(kmem_debug_reports, KTEST_KMEM_DEBUG)
{
	uint64_t before = kmem_debug_reports, base = test_inuse();
	char *p, *q;

	p = kmalloc(100, M_TEST, M_NOWAIT);
	if (!KEXPECT(t, p != NULL))
		return;
	KEXPECT_EQ(t, kmalloc_size(p), 100);
	p[100] = 'x';			/* one past the end */
	kfree(p);
	KEXPECT_EQ(t, kmem_debug_reports, before + 1);

	p = kmalloc(100, M_TEST, M_NOWAIT);
	kfree(p);
	p[10] = 'y';			/* after free */
	q = kmalloc(100, M_TEST, M_NOWAIT);	/* the same object again */
	KEXPECT(t, q == p);
	KEXPECT_EQ(t, kmem_debug_reports, before + 2);
	kfree(q);
	kfree(q);			/* double free */
	KEXPECT_EQ(t, kmem_debug_reports, before + 3);
	KEXPECT_EQ(t, test_inuse(), base);
}

/* Sizes near SIZE_MAX fail cleanly, with or without kmem_debug's overhead. */
KTEST(kmalloc_huge_sizes_fail)
{
	KEXPECT(t, kmalloc((size_t)-20, M_TEST, M_NOWAIT) == NULL);
	KEXPECT(t, kmalloc((size_t)-20, M_TEST, M_WAITOK) == NULL);
	KEXPECT(t, kmalloc((size_t)-1, M_TEST, M_NOWAIT | M_NOINTR) == NULL);
}

/*
 * More than all the machine's frames can never be had: M_WAITOK must say
 * NULL at once instead of sleeping for memory that does not exist.  At
 * -m 4M (tests/boot) the request fits kernel_map's VA, so the frame count
 * alone refuses it; with more RAM the region's size does.
 */
KTEST(waitok_refuses_more_than_all_frames)
{
	size_t size = (size_t)(pmm_managed_pages() + 1) * PAGE_SIZE;
	uint64_t start = ticks(), base = test_inuse();

	KEXPECT(t, kmalloc(size, M_TEST, M_WAITOK | M_NOINTR) == NULL);
	KEXPECT(t, kmalloc(size, M_TEST, M_WAITOK) == NULL);
	KEXPECT(t, ticks() - start < HZ);	/* it did not sleep */
	KEXPECT_EQ(t, test_inuse(), base);
}

/*
 * Empty pages the pools keep cached are memory too: with kmem_map full,
 * a page-sized M_WAITOK request must get them instead of sleeping forever.
 */
static void *cached_got;

KTEST(waitok_takes_pages_cached_by_pools)
{
	uint64_t base = test_inuse();
	struct chain *held = NULL;
	struct thread *th;
	void *x, *y;

	hold_until_null(&held, PAGE_SIZE, M_NOWAIT);
	/* Two pages freed, then kept as empty pages by two other pools. */
	for (int i = 0; i < 2 && held != NULL; i++) {
		struct chain *c = held;
		held = c->next;
		kfree(c);
	}
	x = kmalloc(64, M_DEVBUF, M_NOWAIT);
	y = kmalloc(64, M_PROC, M_NOWAIT);
	kfree(x);
	kfree(y);
	cached_got = NULL;
	th = thread_create("cached", wait_for_page, &cached_got);
	if (KEXPECT(t, th != NULL)) {
		for (int i = 0; i < 50 && cached_got == NULL; i++)
			sleep_ticks(1);
		KEXPECT(t, cached_got != NULL);
		release(&held);		/* lets the waiter finish either way */
		thread_join(th);
	}
	kfree(cached_got);
	release(&held);
	KEXPECT_EQ(t, test_inuse(), base);
}
