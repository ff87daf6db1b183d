/*
 * tests/kernel/test_smp.c - several CPUs: threads on all of them,
 * cross-calls, TLB shootdown, allocators exhausted and stressed from
 * every CPU at once, and lockdebug's report of a lock-order reversal.
 *
 * Kiva has no CPU affinity, so a test that needs code on two CPUs at once
 * gets it the way the scheduler gives it: two threads that both run at
 * the same moment are on two CPUs, and a thread that disables preemption
 * stays on its CPU (with interrupts on, so it still takes IPIs).  The
 * tests that need a second CPU say so and do nothing on one.
 *
 * tests/boot/smp_tests.sh runs them at -smp 2 and 4 with TCG's one thread
 * per virtual CPU (-accel tcg,thread=multi), the stress under kmem_debug.
 */
#include "drivers/pit.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/percpu.h"
#include "kernel/cpu/smp.h"
#include "kernel/cpu/trap.h"
#include "kernel/debug/catch.h"
#include "kernel/debug/ktest.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/kstring.h"
#include "kernel/thread/lockdebug.h"
#include "kernel/thread/sched.h"
#include "kernel/thread/spinlock.h"
#include "kernel/thread/thread.h"
#include "mm/kmem.h"
#include "mm/paging.h"

#define ALL_CPUS_MASK(n) ((1u << (n)) - 1)

/* This CPU's bit, read with interrupts off so that it is this CPU's. */
static uint32_t my_cpu_bit(void)
{
	uint32_t bit;

	spinlock_enter();
	bit = 1u << cpu_index();
	spinlock_exit();
	return bit;
}

static uint64_t test_inuse(void)
{
	struct kmem_type_stats st;

	kmem_type_stats(M_TEST, &st);
	return st.inuse;
}

/* ---------------------------------------------- every CPU runs threads */

#define RUNNERS_PER_CPU 2
#define RUN_TICKS 30

struct runner {
	volatile uint32_t cpus;	/* the CPUs it ran on, a bit each */
};

static void run_and_note_cpus(void *arg)
{
	struct runner *r = arg;
	uint64_t end = ticks() + RUN_TICKS;

	while (ticks() < end)
		r->cpus |= my_cpu_bit();
}

/*
 * Twice as many busy threads as CPUs for 30 ticks: between them they run
 * on every CPU, and each runs somewhere.
 */
KTEST(smp_every_cpu_runs_threads)
{
	static struct runner runners[RUNNERS_PER_CPU * SMP_MAX_CPUS];
	struct thread *th[RUNNERS_PER_CPU * SMP_MAX_CPUS];
	unsigned ncpus = smp_ncpus(), n = RUNNERS_PER_CPU * ncpus;
	uint32_t all = 0;

	for (unsigned i = 0; i < n; i++) {
		runners[i].cpus = 0;
		th[i] = thread_create("runner", run_and_note_cpus, &runners[i]);
		if (!KEXPECT(t, th[i] != NULL)) {
			n = i;
			break;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		thread_join(th[i]);
		KEXPECT(t, runners[i].cpus != 0);
		all |= runners[i].cpus;
	}
	kprintf("  %u threads on %u CPU(s): the CPUs they ran on, as a mask: "
	        "0x%x\n", n, ncpus, all);
	KEXPECT_EQ(t, all, ALL_CPUS_MASK(ncpus));
}

/* ------------------------------------------------------------ cross-calls */

#define CALL_ROUNDS 200

static volatile unsigned calls_taken[SMP_MAX_CPUS];
static volatile bool call_saw_interrupts_on;

static void count_call(void *arg)
{
	(void)arg;
	if (interrupts_enabled())
		call_saw_interrupts_on = true;
	calls_taken[cpu_index()]++;
}

/*
 * smp_call_others() runs the function once on every other CPU, with its
 * interrupts off, and never on the caller's.
 */
KTEST(smp_call_others_runs_on_every_other_cpu)
{
	unsigned ncpus = smp_ncpus(), me;

	memset((void *)calls_taken, 0, sizeof(calls_taken));
	call_saw_interrupts_on = false;
	spinlock_enter();	/* stay on this CPU: `me` stays true */
	me = cpu_index();
	for (int i = 0; i < CALL_ROUNDS; i++)
		smp_call_others(count_call, NULL);
	spinlock_exit();
	for (unsigned i = 0; i < ncpus; i++)
		KEXPECT_EQ(t, calls_taken[i], i == me ? 0 : CALL_ROUNDS);
	KEXPECT(t, !call_saw_interrupts_on);
}

static volatile bool callers_go;

static void call_repeatedly(void *arg)
{
	(void)arg;
	while (!callers_go)
		continue;
	for (int i = 0; i < CALL_ROUNDS; i++)
		smp_call_others(count_call, NULL);
}

/*
 * Every CPU calls every other at the same moment, a few hundred times:
 * each waits for the others while they wait for it, which finishes only
 * because a waiting CPU runs the calls sent to it.
 */
KTEST(smp_cross_calls_from_every_cpu_at_once)
{
	struct thread *th[SMP_MAX_CPUS];
	unsigned ncpus = smp_ncpus(), total = 0;

	memset((void *)calls_taken, 0, sizeof(calls_taken));
	callers_go = false;
	for (unsigned i = 0; i < ncpus; i++) {
		th[i] = thread_create("caller", call_repeatedly, NULL);
		if (!KEXPECT(t, th[i] != NULL))
			ncpus = i;
	}
	callers_go = true;
	for (unsigned i = 0; i < ncpus; i++)
		thread_join(th[i]);
	for (unsigned i = 0; i < smp_ncpus(); i++)
		total += calls_taken[i];
	/* Each of n callers reached the n - 1 CPUs other than its own. */
	KEXPECT_EQ(t, total, ncpus * (smp_ncpus() - 1) * CALL_ROUNDS);
}

/* ---------------------------------------------------------- TLB shootdown */

struct reader {
	volatile uint32_t *word;
	volatile bool ready;	/* it has read the word on its CPU */
	volatile bool unmapped;	/* the other CPU has unmapped it */
	unsigned cpu;
	bool faulted;
	struct caught caught;
};

/*
 * Reads the word until it is unmapped, so that this CPU's TLB holds the
 * translation all along, then once more.  The read that faults may be
 * one in the loop: the shootdown comes while the other CPU frees the
 * page, before it says so.
 */
static void read_word(void *arg)
{
	struct reader *r = arg;

	(void)*r->word;
	r->ready = true;
	while (!r->unmapped)
		(void)*r->word;
	(void)*r->word;
}

/* All on one CPU: preemption off (interrupts, and so IPIs, stay on). */
static void read_until_unmapped(void *arg)
{
	struct reader *r = arg;

	preempt_disable();
	r->cpu = curthread->cpu;
	r->faulted = catch_run(CATCH_FAULT, read_word, r, &r->caught);
	preempt_enable();
}

/*
 * A kernel_map page read on one CPU, then freed (unmapped) on another:
 * the next read on the first CPU faults.  Without the shootdown its TLB
 * would still hold the old translation, and the read would reach the
 * freed frame.
 */
KTEST(smp_unmapped_page_faults_on_the_other_cpu)
{
	static struct reader r;
	struct thread *th;
	uint32_t *block;
	unsigned me;
	uint64_t deadline;

	if (smp_ncpus() < 2) {
		kprintf("  one CPU: nothing to shoot down\n");
		return;
	}
	/* Larger than a page: its own pages, unmapped when freed. */
	block = kmalloc(2 * PAGE_SIZE, M_TEST, M_WAITOK | M_NOINTR);
	if (!KEXPECT(t, block != NULL))
		return;
	block[0] = 0x5a5a5a5a;
	r = (struct reader){ .word = block };
	th = thread_create("reader", read_until_unmapped, &r);
	if (!KEXPECT(t, th != NULL)) {
		kfree(block);
		return;
	}
	deadline = ticks() + 5 * HZ;
	while (!r.ready && ticks() < deadline)
		sleep_ticks(1);
	KEXPECT(t, r.ready);
	/* The reader holds its CPU; we run, so we are on another. */
	preempt_disable();
	me = curthread->cpu;
	kfree(block);
	KEXPECT(t, !paging_is_mapped((vaddr_t)block));
	r.unmapped = true;
	preempt_enable();
	thread_join(th);
	kprintf("  read on CPU %u, unmapped on CPU %u: %s at %08x\n", r.cpu,
	        me, r.faulted ? "page fault" : "no fault", r.caught.cr2);
	KEXPECT(t, r.cpu != me);
	KEXPECT(t, r.faulted);
	KEXPECT_EQ(t, r.caught.vector, T_PAGE_FAULT);
	KEXPECT_EQ(t, r.caught.cr2, (uint32_t)(vaddr_t)block);
}

/* -------------------------------------------- exhaustion from every CPU */

struct chain {
	struct chain *next;
};

struct exhauster {
	struct chain *held;
	size_t kmem_map_blocks, kernel_map_blocks;
	uint32_t cpus;
};

static struct spinlock exhaust_lock = SPINLOCK_INIT("test exhaust");
static bool exhaust_go;		/* every worker exists: start */
static unsigned exhausted;	/* workers holding all they could get */
static unsigned exhausters;

static size_t hold_until_null(struct exhauster *e, size_t size, int flags)
{
	size_t n = 0;
	struct chain *c;

	for (;;) {
		c = kmalloc(size, M_TEST, flags);
		e->cpus |= my_cpu_bit();	/* where it asked, NULL or no */
		if (c == NULL)
			return n;
		c->next = e->held;
		e->held = c;
		n++;
	}
}

/*
 * Takes what kmem_map and then kernel_map still give, holds it until
 * every worker has done the same, then gives it all back.
 */
static void exhaust_both(void *arg)
{
	struct exhauster *e = arg;

	/* Not before the last worker has its stack (from kernel_map). */
	spin_lock(&exhaust_lock);
	while (!exhaust_go)
		sleep(&exhaust_go, &exhaust_lock, "start");
	spin_unlock(&exhaust_lock);
	e->kmem_map_blocks = hold_until_null(e, PAGE_SIZE, M_NOWAIT);
	e->kernel_map_blocks = hold_until_null(e, 16 * PAGE_SIZE,
	                                       M_NOWAIT | M_NOINTR);
	spin_lock(&exhaust_lock);
	exhausted++;
	wakeup(&exhausted);
	while (exhausted < exhausters)
		sleep(&exhausted, &exhaust_lock, "exhaust");
	spin_unlock(&exhaust_lock);
	while (e->held != NULL) {
		struct chain *next = e->held->next;

		kfree(e->held);
		e->held = next;
	}
}

/*
 * A thread per CPU exhausts kmem_map and kernel_map at the same time: they
 * get NULLs, nothing panics, and every byte comes back.
 */
KTEST(smp_every_cpu_exhausts_both_maps_at_once)
{
	static struct exhauster ex[SMP_MAX_CPUS];
	struct thread *th[SMP_MAX_CPUS];
	unsigned ncpus = smp_ncpus(), n = ncpus;
	uint64_t base = test_inuse();
	size_t kmem_blocks = 0, kernel_blocks = 0;
	uint32_t cpus = 0;
	void *p;

	exhausted = 0;
	exhaust_go = false;
	for (unsigned i = 0; i < n; i++) {
		ex[i] = (struct exhauster){ 0 };
		th[i] = thread_create("exhaust", exhaust_both, &ex[i]);
		if (!KEXPECT(t, th[i] != NULL)) {
			n = i;
			break;
		}
	}
	spin_lock(&exhaust_lock);
	exhausters = n;
	exhaust_go = true;
	wakeup(&exhaust_go);
	spin_unlock(&exhaust_lock);
	for (unsigned i = 0; i < n; i++) {
		thread_join(th[i]);
		kmem_blocks += ex[i].kmem_map_blocks;
		kernel_blocks += ex[i].kernel_map_blocks;
		cpus |= ex[i].cpus;
	}
	kprintf("  %u threads took %u pages of kmem_map and %u blocks of 64 "
	        "KiB of kernel_map, on CPUs 0x%x\n", n, (unsigned)kmem_blocks,
	        (unsigned)kernel_blocks, cpus);
	KEXPECT(t, kmem_blocks > 0 && kernel_blocks > 0);
	KEXPECT_EQ(t, cpus, ALL_CPUS_MASK(ncpus));
	KEXPECT_EQ(t, test_inuse(), base);
	/* And everything works again. */
	p = kmalloc(PAGE_SIZE, M_TEST, M_NOWAIT);
	KEXPECT(t, p != NULL);
	kfree(p);
	p = kmalloc(16 * PAGE_SIZE, M_TEST, M_NOWAIT | M_NOINTR);
	KEXPECT(t, p != NULL);
	kfree(p);
	KEXPECT_EQ(t, test_inuse(), base);
}

/* ----------------------------------------------------------------- stress */

/*
 * For STRESS_SECONDS, every CPU allocates and frees at once, in threads
 * (two per CPU) and in interrupt handlers (the PIT's on the boot CPU, and
 * a cross-call to the others from a thread every tick), and objects go
 * through shared rings, so most are freed on another CPU than the one
 * that allocated them.  Each object carries its size, a serial number
 * and a fill derived from it, checked at the free: a double handout or a
 * write into another's object shows.  Interrupt handlers use only the
 * interrupt-safe ring (kmem_map); threads use both.
 */
#define STRESS_SECONDS 10
#define STRESS_THREADS_PER_CPU 2
#define RING_SLOTS 128
#define STRESS_MAGIC 0x5354524du	/* "STRM" */
#define STRESS_MIN 16
#define STRESS_SIZES 8			/* 16 .. 2048 bytes */

struct stress_obj {
	uint32_t magic;
	uint32_t size;
	uint32_t serial;
	uint32_t alloc_cpu;
};

struct ring {
	struct spinlock lock;
	struct stress_obj *slot[RING_SLOTS];
	unsigned head, count;
};

static struct ring intr_ring = { .lock = SPINLOCK_INIT("test intr ring") };
static struct ring nointr_ring = { .lock = SPINLOCK_INIT("test ring") };
static volatile bool stress_stop;
static unsigned stress_serial;		/* taken atomically */
static volatile unsigned stress_bad, stress_remote_frees;
static volatile unsigned stress_allocs, stress_nulls, stress_irq_allocs;

static uint8_t fill_of(const struct stress_obj *o)
{
	return (uint8_t)(o->serial * 31 + 7);
}

static struct stress_obj *stress_alloc(unsigned seed, int flags)
{
	size_t size = (size_t)STRESS_MIN << (seed % STRESS_SIZES);
	struct stress_obj *o = kmalloc(size, M_TEST, flags);

	if (o == NULL) {
		__atomic_fetch_add(&stress_nulls, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	__atomic_fetch_add(&stress_allocs, 1, __ATOMIC_RELAXED);
	o->magic = STRESS_MAGIC;
	o->size = (uint32_t)size;
	o->serial = __atomic_fetch_add(&stress_serial, 1, __ATOMIC_RELAXED);
	spinlock_enter();
	o->alloc_cpu = cpu_index();
	spinlock_exit();
	memset(o + 1, fill_of(o), size - sizeof(*o));
	return o;
}

static void stress_free(struct stress_obj *o)
{
	const uint8_t *b = (const uint8_t *)(o + 1);
	bool ok = o->magic == STRESS_MAGIC;

	for (size_t i = 0; ok && i < o->size - sizeof(*o); i++)
		ok = b[i] == fill_of(o);
	if (!ok)
		__atomic_fetch_add(&stress_bad, 1, __ATOMIC_RELAXED);
	spinlock_enter();
	if (o->alloc_cpu != cpu_index())
		__atomic_fetch_add(&stress_remote_frees, 1, __ATOMIC_RELAXED);
	spinlock_exit();
	o->magic = 0;
	kfree(o);
}

/* Puts o in the ring; returns the oldest object if the ring was full. */
static struct stress_obj *ring_put(struct ring *r, struct stress_obj *o)
{
	struct stress_obj *out = NULL;

	spin_lock(&r->lock);
	if (r->count == RING_SLOTS) {
		out = r->slot[r->head];
		r->head = (r->head + 1) % RING_SLOTS;
		r->count--;
	}
	r->slot[(r->head + r->count) % RING_SLOTS] = o;
	r->count++;
	spin_unlock(&r->lock);
	return out;
}

static struct stress_obj *ring_take(struct ring *r)
{
	struct stress_obj *o = NULL;

	spin_lock(&r->lock);
	if (r->count > 0) {
		o = r->slot[r->head];
		r->head = (r->head + 1) % RING_SLOTS;
		r->count--;
	}
	spin_unlock(&r->lock);
	return o;
}

/* One round in any context: allocate into the ring, free one from it. */
static void stress_round(struct ring *r, unsigned seed, int flags)
{
	struct stress_obj *o = stress_alloc(seed, flags), *old;

	if (o != NULL && (old = ring_put(r, o)) != NULL)
		stress_free(old);
	if (seed % 3 == 0 && (old = ring_take(r)) != NULL)
		stress_free(old);
}

static void stress_in_interrupt(void *arg)
{
	(void)arg;
	__atomic_fetch_add(&stress_irq_allocs, 1, __ATOMIC_RELAXED);
	stress_round(&intr_ring, stress_irq_allocs, M_NOWAIT);
}

static void stress_tick(void)
{
	stress_in_interrupt(NULL);
}

static void stress_thread(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;

	while (!stress_stop) {
		seed = seed * 1103515245u + 12345u;
		if (seed & 0x100)
			stress_round(&intr_ring, seed >> 16, M_NOWAIT);
		else
			stress_round(&nointr_ring, seed >> 16,
			             M_NOWAIT | M_NOINTR);
	}
}

/* Every tick, the other CPUs allocate and free in interrupt context. */
static void stress_caller(void *arg)
{
	(void)arg;
	while (!stress_stop) {
		smp_call_others(stress_in_interrupt, NULL);
		sleep_ticks(1);
	}
}

static void ring_drain(struct ring *r)
{
	struct stress_obj *o;

	while ((o = ring_take(r)) != NULL)
		stress_free(o);
}

KTEST_NEEDING(smp_stress_alloc_free_everywhere, KTEST_KMEM_DEBUG)
{
	struct thread *th[STRESS_THREADS_PER_CPU * SMP_MAX_CPUS + 1];
	unsigned n = STRESS_THREADS_PER_CPU * smp_ncpus(), started = 0;
	uint64_t base = test_inuse();

	stress_stop = false;
	stress_bad = stress_remote_frees = 0;
	stress_allocs = stress_nulls = stress_irq_allocs = 0;
	KEXPECT(t, pit_add_tick_hook(stress_tick));
	for (unsigned i = 0; i < n; i++) {
		th[started] = thread_create("stress", stress_thread,
		                            (void *)(uintptr_t)(i + 1));
		if (KEXPECT(t, th[started] != NULL))
			started++;
	}
	th[started] = thread_create("stress call", stress_caller, NULL);
	if (KEXPECT(t, th[started] != NULL))
		started++;
	sleep_ticks(STRESS_SECONDS * HZ);
	stress_stop = true;
	for (unsigned i = 0; i < started; i++)
		thread_join(th[i]);
	pit_remove_tick_hook(stress_tick);
	ring_drain(&intr_ring);
	ring_drain(&nointr_ring);
	kprintf("  %u s on %u CPU(s): %u allocations (%u in interrupt "
	        "handlers), %u NULL, %u freed on another CPU, %u bad\n",
	        STRESS_SECONDS, smp_ncpus(), stress_allocs, stress_irq_allocs,
	        stress_nulls, stress_remote_frees, stress_bad);
	KEXPECT_EQ(t, stress_bad, 0);
	KEXPECT(t, stress_irq_allocs > 0);
	if (smp_ncpus() > 1)
		KEXPECT(t, stress_remote_frees > 0);
	KEXPECT_EQ(t, test_inuse(), base);
	kmem_print();	/* smp_tests.sh reads kmem_debug's verdict */
}

/* ------------------------------------------------------------- lock order */

static struct spinlock order_a = SPINLOCK_INIT("test order A");
static struct spinlock order_b = SPINLOCK_INIT("test order B");

/*
 * A then B, then B then A: a planted reversal (one thread, so no
 * deadlock this time), reported once per reversed acquisition;
 * tests/boot/smp_tests.sh reads the report's two call chains.
 */
KTEST_NEEDING(lockdebug_reports_a_planted_reversal, KTEST_LOCKDEBUG)
{
	unsigned before = lockdebug_reversals();

	spin_lock(&order_a);
	spin_lock(&order_b);
	spin_unlock(&order_b);
	spin_unlock(&order_a);
	KEXPECT_EQ(t, lockdebug_reversals(), before);	/* one order: fine */
	spin_lock(&order_a);
	spin_lock(&order_b);
	spin_unlock(&order_b);
	spin_unlock(&order_a);
	KEXPECT_EQ(t, lockdebug_reversals(), before);	/* the same again */

	spin_lock(&order_b);
	spin_lock(&order_a);	/* the reversal */
	spin_unlock(&order_a);
	spin_unlock(&order_b);
	KEXPECT_EQ(t, lockdebug_reversals(), before + 1);
}
