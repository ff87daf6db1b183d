/*
 * tests/kernel/test_magazine.c - the per-CPU magazines in front of
 * kmalloc's pools (mm/kmem.c): they hide no double free, no injected
 * failure and no memory from a request that would otherwise fail, their
 * fast path takes no allocator lock, and pairs on several CPUs scale.
 *
 * With magazines=off each test still passes (everything goes to the
 * pools), except that the lock counts are then what the comparison shows.
 */
#include "drivers/pit.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/smp.h"
#include "kernel/debug/ktest.h"
#include "kernel/lib/kprintf.h"
#include "kernel/thread/sched.h"
#include "kernel/thread/spinlock.h"
#include "kernel/thread/thread.h"
#include "mm/failinject.h"
#include "mm/kmem_debug.h"
#include "mm/kmem.h"

/* A hot pair's objects: one held, as in a pool in use, and the pair's. */
#define PAIR_SIZE 64
/* Operations (a kmalloc or a kfree) per contention figure: xv6's bar. */
#define OPS_PER_FIGURE 200000
#define PAIRS (OPS_PER_FIGURE / 2)
/* The bars: under 10 contended acquisitions per 200,000 ops. */
#define MAX_CONTENDED 10
/*
 * A hot pair on one CPU, magazines on, takes a lock only to start: its
 * first kmalloc finds no magazine (the depot's lock, then the pool's),
 * its first kfree none either (the depot's, the allocator's for a new
 * magazine, the depot's again).  The threads make WARM_PAIRS pairs before
 * the counters are read, so what is counted is reading them (each
 * allocator's and depot's lock once, 4) and whatever else the kernel
 * allocates meanwhile: under 10, whatever the count of operations.
 */
#define WARM_PAIRS 100
#define MAX_ACQUISITIONS 10

static uint64_t test_stats(uint64_t *failures)
{
	struct kmem_type_stats s;

	kmem_type_stats(M_TEST, &s);
	if (failures != NULL)
		*failures = s.failures;
	return s.inuse;
}

/* A double free is refused whether the first free went to a magazine. */
KTEST(magazine_hides_no_double_free)
{
	uint64_t base = test_stats(NULL), reports = kmem_debug_reports;
	char *p = kmalloc(PAIR_SIZE, M_TEST, M_NOWAIT);
	char *a, *b;

	if (!KEXPECT(t, p != NULL))
		return;
	kfree(p);		/* into this CPU's magazine */
	kfree(p);		/* refused: kmem_debug, or found in it */
	if (kmem_debug_enabled)
		KEXPECT_EQ(t, kmem_debug_reports, reports + 1);
	/* p was kept once: two allocations cannot both return it. */
	a = kmalloc(PAIR_SIZE, M_TEST, M_NOWAIT);
	b = kmalloc(PAIR_SIZE, M_TEST, M_NOWAIT);
	KEXPECT(t, a != NULL && b != NULL && a != b);
	kfree(a);
	kfree(b);
	KEXPECT_EQ(t, test_stats(NULL), base);
}

/* kmem_debug sees every call: its checks run on a magazine's rounds. */
KTEST_NEEDING(magazine_round_checked_by_kmem_debug, KTEST_KMEM_DEBUG)
{
	uint64_t reports = kmem_debug_reports;
	char *p = kmalloc(PAIR_SIZE, M_TEST, M_NOWAIT), *q;

	if (!KEXPECT(t, p != NULL))
		return;
	kfree(p);
	p[PAIR_SIZE / 2] = 0x11;	/* written after free, in a magazine */
	q = kmalloc(PAIR_SIZE, M_TEST, M_NOWAIT);
	KEXPECT(t, q == p);		/* the round, handed out again */
	KEXPECT_EQ(t, kmem_debug_reports, reports + 1);
	kfree(q);
}

/* Fault injection sees every call, even one a magazine could serve. */
KTEST(magazine_hides_no_injected_failure)
{
	uint64_t failures, before;
	const char *why;
	void *p = kmalloc(PAIR_SIZE, M_TEST, M_NOWAIT);

	kfree(p);		/* a round now waits in the magazine */
	test_stats(&before);
	if (!KEXPECT(t, p != NULL && kmem_fail_set("every:1,type=test", &why)))
		return;
	p = kmalloc(PAIR_SIZE, M_TEST, M_NOWAIT);
	KEXPECT(t, kmem_fail_set("off", &why));
	KEXPECT(t, p == NULL);
	test_stats(&failures);
	KEXPECT_EQ(t, failures, before + 1);
	kfree(p);
}

/* Blocks held by a test are chained through their first word. */
struct chain {
	struct chain *next;
};

static size_t hold(struct chain **head, size_t size, int type, size_t max)
{
	size_t n = 0;
	struct chain *c;

	while (n < max && (c = kmalloc(size, type, M_NOWAIT)) != NULL) {
		c->next = *head;
		*head = c;
		n++;
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
 * A NULL means nothing anywhere: pages whose objects wait in magazines
 * (of another type) are reclaimed before kmem_map is declared full, so
 * as many pages can be had as with the magazines emptied first.
 */
KTEST(exhaustion_reclaims_the_magazines)
{
	uint64_t base = test_stats(NULL);
	struct chain *held = NULL, *cached = NULL;
	struct kmem_allocator_stats before, after;
	size_t empty_first, with_cached, ncached;

	kmem_reclaim();
	kmem_allocator_usage(false, &before);
	empty_first = hold(&held, PAGE_SIZE, M_TEST, SIZE_MAX);
	release(&held);
	/* 2 KiB devbuf objects, freed: they fill magazines and the depot. */
	ncached = hold(&cached, PAGE_SIZE / 2, M_DEVBUF, 128);
	release(&cached);
	with_cached = hold(&held, PAGE_SIZE, M_TEST, SIZE_MAX);
	kprintf("  kmem_map: %u pages with the magazines emptied first, %u "
	        "with %u objects of 2 KiB in them\n", (unsigned)empty_first,
	        (unsigned)with_cached, (unsigned)ncached);
	KEXPECT_EQ(t, ncached, 128);
	KEXPECT_EQ(t, with_cached, empty_first);
	release(&held);
	KEXPECT_EQ(t, test_stats(NULL), base);
	kmem_reclaim();
	kmem_allocator_usage(false, &after);
	KEXPECT_EQ(t, after.used, before.used);	/* every page is back */
}

/*
 * Threads and interrupt handlers share the magazines: for SHARE_TICKS the
 * timer interrupt allocates objects a thread frees, and frees objects the
 * thread allocated, in two rings, while the thread also makes pairs of
 * its own.  Every object carries its own address, checked when it is
 * freed: an object handed out twice, or written by someone else, shows.
 * With kmem_debug (boot tests run every test with it) its checks run on
 * every call too.
 */
#define SHARE_TICKS 100		/* one second */
#define RING 64
#define SHARE_SIZE 48

/* Under ring_lock: the handler and the thread both move its ends. */
struct ring {
	void *slot[RING];
	unsigned head, tail;	/* head: next put; tail: next take */
};

static struct spinlock ring_lock = SPINLOCK_INIT("test rings");
static struct ring to_thread, to_irq;
static volatile unsigned irq_allocs, irq_frees, bad_objects;

static bool ring_put(struct ring *r, void *p)
{
	bool room;

	spin_lock(&ring_lock);
	room = r->head - r->tail < RING;
	if (room)
		r->slot[r->head++ % RING] = p;
	spin_unlock(&ring_lock);
	return room;
}

static void *ring_take(struct ring *r)
{
	void *p = NULL;

	spin_lock(&ring_lock);
	if (r->head != r->tail)
		p = r->slot[r->tail++ % RING];
	spin_unlock(&ring_lock);
	return p;
}

static void *stamped(void)
{
	void **p = kmalloc(SHARE_SIZE, M_TEST, M_NOWAIT);

	if (p != NULL)
		*p = p;
	return p;
}

static void check_and_free(void *p)
{
	if (*(void **)p != p)
		bad_objects++;
	kfree(p);
}

static void tick_share(void)
{
	void *p;

	for (int i = 0; i < 4; i++) {
		if ((p = stamped()) != NULL) {
			irq_allocs++;
			if (!ring_put(&to_thread, p))
				check_and_free(p);
		}
		if ((p = ring_take(&to_irq)) != NULL) {
			check_and_free(p);
			irq_frees++;
		}
	}
}

KTEST(magazines_shared_by_threads_and_interrupts)
{
	uint64_t base = test_stats(NULL), reports = kmem_debug_reports;
	uint64_t end, thread_frees = 0;
	void *p;

	to_thread.head = to_thread.tail = to_irq.head = to_irq.tail = 0;
	irq_allocs = irq_frees = bad_objects = 0;
	if (!KEXPECT(t, pit_add_tick_hook(tick_share)))
		return;
	for (end = ticks() + SHARE_TICKS; ticks() < end;) {
		if ((p = ring_take(&to_thread)) != NULL) {
			check_and_free(p);
			thread_frees++;
		}
		if ((p = stamped()) != NULL && !ring_put(&to_irq, p))
			check_and_free(p);
		if ((p = stamped()) != NULL)	/* a pair of its own */
			check_and_free(p);
	}
	pit_remove_tick_hook(tick_share);
	while ((p = ring_take(&to_thread)) != NULL)
		check_and_free(p);
	while ((p = ring_take(&to_irq)) != NULL)
		check_and_free(p);
	kprintf("  %u allocated in interrupts, %u freed there; %llu freed "
	        "by the thread\n", irq_allocs, irq_frees,
	        (unsigned long long)thread_frees);
	KEXPECT(t, irq_allocs > 0 && irq_frees > 0 && thread_frees > 0);
	KEXPECT_EQ(t, bad_objects, 0);
	KEXPECT_EQ(t, kmem_debug_reports, reports);
	KEXPECT_EQ(t, test_stats(NULL), base);
}

/* ---------------------------------------------------- pairs on CPUs */

struct node {
	struct node *next;
};

struct pair_run;
typedef void loop_fn(struct pair_run *r, int n);

/*
 * One thread's run: kmalloc/kfree pairs, or as many bare free-list pops
 * and pushes on a list of its own.  A cache line each, so that two runs
 * side by side share none.
 */
struct pair_run {
	loop_fn *loop;
	unsigned first_cpu, last_cpu;	/* where the thread ran */
	uint64_t cycles;
	bool failed;
	struct node nodes[2], *list;	/* bare_loop()'s */
} __attribute__((aligned(64)));

/*
 * The threads start their pairs together, once each holds its object,
 * and free it only after the lock counters are read: so the counters
 * cover the pairs alone, not thread creation, exit and join.
 */
static volatile unsigned ready, finished;
static volatile bool go, released;

static unsigned current_cpu(void)
{
	uint32_t flags = irq_save();
	unsigned cpu = cpu_index();

	irq_restore(flags);
	return cpu;
}

static void wait_for(volatile bool *flag)
{
	while (!*flag)
		sleep_ticks(1);
}

/*
 * The bare pop and push, out of line as kmalloc() and kfree() are: what
 * the emulator makes of two CPUs running code that shares nothing.
 */
static __attribute__((noinline)) struct node *bare_pop(struct node **list)
{
	struct node *n = *list;

	*list = n->next;
	return n;
}

static __attribute__((noinline)) void bare_push(struct node **list,
                                                struct node *n)
{
	n->next = *list;
	*list = n;
}

/*
 * A pop and a push cost about a tenth of a pair in QEMU, so there are ten
 * per pair asked for: the two runs then last about as long, and the host
 * interrupts both as often.
 */
#define BARE_PER_PAIR 10

static void bare_loop(struct pair_run *r, int n)
{
	for (int i = 0; i < n * BARE_PER_PAIR; i++)
		bare_push(&r->list, bare_pop(&r->list));
}

/* n kmalloc/kfree pairs, while pairs() holds one object. */
static void pair_loop(struct pair_run *r, int n)
{
	for (int i = 0; i < n; i++) {
		void *p = kmalloc(PAIR_SIZE, M_TEST, M_NOWAIT);
		if (p == NULL)
			r->failed = true;
		kfree(p);
	}
}

static void pairs(void *arg)
{
	struct pair_run *r = arg;
	void *keep = kmalloc(PAIR_SIZE, M_TEST, M_NOWAIT);
	uint64_t t0;

	r->loop(r, WARM_PAIRS);

	__atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
	wait_for(&go);
	r->first_cpu = current_cpu();
	t0 = rdtsc();
	r->loop(r, PAIRS);
	r->cycles = rdtsc() - t0;
	r->last_cpu = current_cpu();
	__atomic_add_fetch(&finished, 1, __ATOMIC_SEQ_CST);
	wait_for(&released);
	r->failed |= keep == NULL;
	kfree(keep);
}

/* Lock counters after less before, summed over kmalloc's locks. */
static void lock_delta(const struct kmem_lock_stats *before,
                       uint64_t *acquisitions, uint64_t *contended)
{
	struct kmem_lock_stats now[KMEM_NLOCKS];

	kmem_lock_stats(now);
	*acquisitions = *contended = 0;
	for (int i = 0; i < KMEM_NLOCKS; i++) {
		*acquisitions += now[i].acquisitions - before[i].acquisitions;
		*contended += now[i].contended - before[i].contended;
	}
}

/*
 * Runs pairs() in n threads at once, thread i running loops[i]; returns
 * the slowest's cycles, and the lock counters of the pairs.
 */
static uint64_t run_threads(struct ktest_ctx *t, unsigned n,
                            loop_fn *const loops[], struct pair_run *runs,
                            uint64_t *acquisitions, uint64_t *contended)
{
	struct kmem_lock_stats before[KMEM_NLOCKS];
	struct thread *th[2];
	uint64_t slowest = 0;
	unsigned started = 0;

	ready = finished = 0;
	go = released = false;
	for (unsigned i = 0; i < n; i++) {
		runs[i] = (struct pair_run){ .loop = loops[i] };
		runs[i].nodes[0].next = &runs[i].nodes[1];
		runs[i].list = &runs[i].nodes[0];
		th[i] = thread_create("pairs", pairs, &runs[i]);
		if (KEXPECT(t, th[i] != NULL))
			started++;
	}
	while (ready < started)
		sleep_ticks(1);
	kmem_lock_stats(before);
	go = true;
	while (finished < started)
		sleep_ticks(1);
	lock_delta(before, acquisitions, contended);
	released = true;
	for (unsigned i = 0; i < n; i++) {
		if (th[i] == NULL)
			continue;
		thread_join(th[i]);
		KEXPECT(t, !runs[i].failed);
		slowest = MAX(slowest, runs[i].cycles);
	}
	return slowest;
}

/*
 * One thread of hot pairs, then two at once.  On one CPU this checks the
 * fast path: fewer than MAX_ACQUISITIONS lock acquisitions per 200,000
 * operations with magazines on (every operation takes one with them
 * off).  On two CPUs it also reports the throughput of two threads
 * against one (the bar: 1.8x with magazines on) and checks the
 * contended acquisitions (under 10 per 200,000 operations).  Beside it,
 * the same figure for bare free-list pops and pushes on lists that share
 * nothing: how far two emulated CPUs scale at all on this host, which
 * bounds the pairs' figure.  The threads run where the scheduler puts
 * them: if both ran on one CPU the scaling figure means nothing, and the
 * test says so.
 */
KTEST(magazine_pairs_scale)
{
	static loop_fn *const pair_pair[] = { pair_loop, pair_loop };
	static loop_fn *const bare_bare[] = { bare_loop, bare_loop };
	static loop_fn *const pair_bare[] = { pair_loop, bare_loop };
	struct pair_run one, two[2];
	uint64_t c1, c2, b1, b2, acq1, acq2, cont1, cont2, unused;
	bool spread;

	c1 = run_threads(t, 1, pair_pair, &one, &acq1, &cont1);
	kprintf("  magazines %s; 1 thread: %u pairs in %llu cycles, %llu lock "
	        "acquisitions, %llu contended\n",
	        kmem_magazines_on() ? "on" : "off", PAIRS,
	        (unsigned long long)c1, (unsigned long long)acq1,
	        (unsigned long long)cont1);
	/*
	 * On several CPUs the thread may move between its warm-up and the
	 * count, to a CPU whose magazines are cold: each CPU it can land on
	 * may cost the start again, and the other CPUs' own allocations
	 * count too.
	 */
	if (kmem_magazines_on())
		KEXPECT(t, acq1 < MAX_ACQUISITIONS * smp_ncpus());
	else
		KEXPECT(t, acq1 >= OPS_PER_FIGURE);
	if (smp_ncpus() < 2) {
		kprintf("  one CPU (smp_ncpus() = 1): no scaling to measure; "
		        "boot -smp 2 for it\n");
		return;
	}
	b1 = run_threads(t, 1, bare_bare, &one, &unused, &unused);
	b2 = run_threads(t, 2, bare_bare, two, &unused, &unused);
	kprintf("  bare pops and pushes, the emulator's own scaling: 1 thread "
	        "%llu cycles, 2 threads %llu: %llu.%02llux the throughput of "
	        "one\n", (unsigned long long)b1, (unsigned long long)b2,
	        (unsigned long long)(2 * b1 / b2),
	        (unsigned long long)(200 * b1 / b2 % 100));
	/*
	 * Pairs beside bare code, which shares nothing with them: a slowdown
	 * here is the emulator's and the host's, not the allocator's.
	 */
	run_threads(t, 2, pair_bare, two, &unused, &unused);
	kprintf("  pairs beside bare pops and pushes on another CPU: %llu "
	        "cycles, %llu.%02llux their time alone\n",
	        (unsigned long long)two[0].cycles,
	        (unsigned long long)(two[0].cycles / c1),
	        (unsigned long long)(100 * two[0].cycles / c1 % 100));
	c2 = run_threads(t, 2, pair_pair, two, &acq2, &cont2);
	spread = two[0].first_cpu != two[1].first_cpu &&
	         two[0].first_cpu == two[0].last_cpu &&
	         two[1].first_cpu == two[1].last_cpu;
	kprintf("  2 threads (CPUs %u->%u and %u->%u): %u pairs each in %llu "
	        "cycles: %llu.%02llux the throughput of one; %llu lock "
	        "acquisitions, %llu contended per %u operations\n",
	        two[0].first_cpu, two[0].last_cpu, two[1].first_cpu,
	        two[1].last_cpu, PAIRS, (unsigned long long)c2,
	        (unsigned long long)(2 * c1 / c2),
	        (unsigned long long)(200 * c1 / c2 % 100),
	        (unsigned long long)acq2, (unsigned long long)cont2,
	        2 * OPS_PER_FIGURE);
	if (!spread)
		kprintf("  the threads did not run on two CPUs each of its "
		        "own: the ratio is not a scaling figure\n");
	if (kmem_magazines_on())
		KEXPECT(t, cont2 < 2 * MAX_CONTENDED);
}
