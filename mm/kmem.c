/*
 * mm/kmem.c - kmalloc() and kfree(): flags, types, waiting, statistics,
 * fault injection, diagnostics.  The memory itself comes from the two
 * allocators, over kmem_map and kernel_map (mm/kmem_allocator.c).
 *
 * The path of an allocation:
 *
 *   kmalloc(size, type, flags)
 *     check the rules: M_NOWAIT xor M_WAITOK; in an interrupt handler
 *       neither M_WAITOK nor M_NOINTR (a caller's bug: panic naming it)
 *     allocator = M_NOINTR ? kernel_map's : kmem_map's
 *       (kmem_design=2003: always kmem_map's)
 *     size it can never hold -> NULL, even for M_WAITOK
 *     loop:
 *       fault injection picks this call -> NULL (M_NOWAIT) or a one-tick
 *         sleep and another try (M_WAITOK)
 *       a pool object: a round of this CPU's magazines, or of a full
 *         magazine from the depot -> got it: done (no allocator lock)
 *       kmem_allocator_alloc(..., interrupt) -> got it: done
 *       reclaim: every CPU's magazines and the depot back to the pools,
 *         the pools' cached pages back to the arena; try again
 *       M_NOWAIT -> NULL, counted as a failure of its type
 *       M_WAITOK, kmem_design=2003, no VA left in kmem_map -> panic
 *       M_WAITOK -> sleep on `memory_freed` until kfree() or page_free()
 *         gives memory back, counted as a sleep; `ps` shows "kmem"
 *     thread context, allocator lock taken: top the frame allocator's
 *       interrupt reserve back up
 *
 * Whether the caller is an interrupt handler is found once, here, and
 * passed down as an argument to everything below that treats handlers
 * differently.  kfree(p) picks the allocator from p's address (kva.h),
 * and the allocator finds the type and size from its pools or its arena.
 * Nothing here panics when memory runs out, except in the 2003 design
 * (kmem_design=2003, mm/kmem.h), which exists to show that panic.
 *
 * Magazines (mm/magazine.h; Bonwick and Adams 2001).  Every CPU has a
 * struct mag_cache per pool (allocator, type, size class): a pool object
 * that a CPU frees goes into its loaded magazine, and a kmalloc() on that
 * CPU takes it back from there, with the CPU's interrupts off for a few
 * dozen instructions and no shared lock.  Only when both of its magazines
 * are empty (or full) does the CPU visit the allocator's depot, under the
 * depot's lock, and only when the depot has none either the pool, under
 * the allocator's lock.  A kfree() on another CPU than the kmalloc() goes
 * into the freeing CPU's magazine: an object belongs to no CPU.  The
 * `magazines=off` boot option sends everything to the pools, to compare.
 *
 * What magazines must not hide:
 *  - a shortage: before a request fails or sleeps, reclaim() empties every
 *    CPU's magazines (the others by a cross-call) and the depot into the
 *    pools, and while an M_WAITOK caller sleeps for an allocator, frees to
 *    it skip the magazines, so that they reach the pool and wake it;
 *  - a double free: a round carries the pool's free mark (mm/pool.h), so
 *    a kfree() of an object with the mark is looked for in this CPU's
 *    magazines and the depot before the pool judges it.  A round in
 *    another CPU's magazine is not found; kmem_debug, which checks every
 *    kfree() before any magazine, finds that one too;
 *  - fault injection: while it is on, every kmalloc() asks it first;
 *  - kmem_debug: its header and poison are written and checked around
 *    the call, whether the object comes from a magazine or a pool.
 *
 * The interrupt reserve (pages of kmem_map that threads may not take,
 * and the frames behind them) is one shared reserve under the allocator's
 * lock, not one per CPU.  It is only ever touched when a page is added to
 * a pool or a large block is allocated, which takes that lock anyway, so
 * sharing it costs the fast path nothing; split per CPU, a reserve of
 * reserve_pages would leave each CPU's handlers 1/ncpus of it while the
 * rest sat idle on quiet CPUs, and a burst of interrupts on one CPU would
 * fail with memory kept for handlers still free.  A magazine holds only
 * objects of pages already in pools, which a thread could take from the
 * pool just as well: it changes nothing about which pages threads get.
 */
#include "mm/kmem.h"

#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"
#include "kernel/debug/ksyms.h"
#include "kernel/lib/kstring.h"
#include "kernel/debug/panic.h"
#include "kernel/thread/sched.h"
#include "kernel/cpu/trap.h"
#include "mm/failinject.h"
#include "mm/kmem_debug.h"
#include "mm/kmem_allocator.h"
#include "mm/kva.h"
#include "mm/magazine.h"
#include "mm/pmm.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/smp.h"
#include "kernel/thread/thread.h"

/* The two allocators, named after their regions. */
enum { KMEM_MAP, KERNEL_MAP, NALLOCATORS };

/*
 * Each allocator has its own lock, around its arena, pools and frames,
 * and its depot has another.  No code holds two of them at once.  A
 * kmalloc() or kfree() that its CPU's magazines serve takes none.
 */
static struct spinlock allocator_locks[NALLOCATORS] = {
	SPINLOCK_INIT("kmem_map"), SPINLOCK_INIT("kernel_map"),
};
static struct spinlock depot_locks[NALLOCATORS] = {
	SPINLOCK_INIT("kmem_map depot"), SPINLOCK_INIT("kernel_map depot"),
};
static struct kmem_allocator allocators[NALLOCATORS];
/* depots[a][type][class]: allocator a's, under depot_locks[a]. */
static struct mag_depot depots[NALLOCATORS][M_NTYPES][KMEM_NCLASSES];
/*
 * Magazines of allocator a taken from CPUs by reclaim(), on their way
 * back to the pools; under depot_locks[a].
 */
static struct magazine *flushed[NALLOCATORS];
/* Magazines allocated from allocator a (its pools), under its lock. */
static unsigned magazines_allocated[NALLOCATORS];
_Static_assert(KMEM_NLOCKS == 2 * NALLOCATORS + 1,
               "kmem.h counts each allocator's lock, its depot's, and "
               "fault injection's");

/* Fault injection's state, under its own lock, taken only when it is on. */
static struct spinlock fail_lock = SPINLOCK_INIT("kmem fail");
static struct fail_state failing;

/*
 * M_WAITOK callers that found no memory sleep on this channel, and
 * anything that gives memory back wakes them, if there are any: kfree()
 * and, through the frame allocator's free hook, page_free().  The count
 * of sleepers for allocator a is under a's lock.
 */
static const char memory_freed;
static unsigned memory_waiters[NALLOCATORS];

/* Set by kmem_set_design() at boot, before mm_init(); then only read. */
static bool design_2003;
/* Set by kmem_set_magazines() at boot, before any allocation. */
static bool magazines_on = true;

/*
 * One CPU's data: its magazines, and its share of the statistics.  Only
 * that CPU writes them, with its interrupts off; readers sum every CPU's
 * (a figure read while others change it may be off by what is in
 * flight).  inuse is this CPU's bytes allocated less its bytes freed, so
 * it wraps below 0 on a CPU that frees what others allocated; only the
 * sum, taken modulo 2^64, means something.  Aligned to a cache line so
 * that CPUs do not write into each other's lines.
 */
struct type_counts {
	uint64_t inuse, requests, failures, sleeps;
};
struct kmem_cpu {
	struct mag_cache caches[NALLOCATORS][M_NTYPES][KMEM_NCLASSES];
	struct type_counts types[M_NTYPES];
	uint64_t depot_trades[NALLOCATORS];	/* magazines traded there */
	uint64_t bad_frees;
} __attribute__((aligned(64)));
static struct kmem_cpu kmem_cpus[SMP_MAX_CPUS];

/*
 * The most bytes of each type allocated at once: the per-CPU figures give
 * no exact moment, so it is raised from their sum whenever an allocation
 * takes an allocator's lock and whenever statistics are read; a peak
 * between two such moments may be missed.
 */
static uint32_t highwater[M_NTYPES];	/* 32 bits hold all kernel VA */

static const char *const type_names[M_NTYPES] = {
	[M_TEMP] = "temp",     [M_DEVBUF] = "devbuf", [M_FDESC] = "fdesc",
	[M_PROC] = "proc",     [M_THREAD] = "thread", [M_TTY] = "tty",
	[M_VMEM] = "vmem",     [M_TEST] = "test",
};

const char *kmem_type_name(int type)
{
	return type >= 0 && type < M_NTYPES ? type_names[type] : "?";
}

/*
 * Fault injection counts frames too: page_alloc() calls from outside
 * kmalloc (page tables, user pages) are allocations as much as kmalloc
 * calls are, and a spec's ,type=frame picks them alone.  They are
 * counted as this type, past the malloc types.
 */
#define FAIL_TYPE_FRAME M_NTYPES
#define FAIL_FRAME_NAME "frame"

static int fail_type_lookup(const char *name)
{
	return strcmp(name, FAIL_FRAME_NAME) == 0 ? FAIL_TYPE_FRAME
	                                          : kmem_type_lookup(name);
}

static const char *fail_type_name(int type)
{
	return type == FAIL_TYPE_FRAME ? FAIL_FRAME_NAME : kmem_type_name(type);
}

int kmem_type_lookup(const char *name)
{
	for (int t = 0; t < M_NTYPES; t++)
		if (strcmp(type_names[t], name) == 0)
			return t;
	return -1;
}

bool kmem_set_design(const char *name)
{
	if (strcmp(name, "kiva") != 0 && strcmp(name, "2003") != 0)
		return false;
	design_2003 = strcmp(name, "2003") == 0;
	return true;
}

bool kmem_design_2003(void)
{
	return design_2003;
}

/* a's index in allocators[], without dividing by its size. */
static inline unsigned allocator_index(const struct kmem_allocator *a)
{
	return a == &allocators[KERNEL_MAP] ? KERNEL_MAP : KMEM_MAP;
}

/* Wakes allocator a's M_WAITOK sleepers, if any; a's lock held. */
static void wake_memory_waiters(struct kmem_allocator *a)
{
	if (memory_waiters[allocator_index(a)] > 0)
		wakeup(&memory_freed);
}

/* The frame allocator's free hook: frames help either allocator. */
static void frames_freed(void)
{
	if (memory_waiters[KMEM_MAP] + memory_waiters[KERNEL_MAP] > 0)
		wakeup(&memory_freed);
}

/*
 * This CPU's data; interrupts off, as cpu_index() requires.  Every caller
 * has just turned them off itself, so this reads the index straight from
 * the CPU's record (one load through %fs) without cpu_index()'s check of
 * the flag: on kmalloc()'s fast path that check would be a pushf, which
 * QEMU's TCG emulates slowly.
 */
static inline struct kmem_cpu *this_cpu(void)
{
	return &kmem_cpus[cpu_self()->index];
}

bool kmem_set_magazines(const char *value)
{
	if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0)
		return false;
	magazines_on = strcmp(value, "on") == 0;
	return true;
}

bool kmem_magazines_on(void)
{
	return magazines_on;
}

static bool initialized;
static bool inject_frame(void);

bool kmem_ready(void)
{
	return initialized;
}

void kmem_init(const struct kmem_boot_memory *m)
{
	kmem_allocator_init(&allocators[KMEM_MAP], "kmem_map", false,
	                    &allocator_locks[KMEM_MAP], kva_start(KVA_KMEM_MAP),
	                    kva_end(KVA_KMEM_MAP) - kva_start(KVA_KMEM_MAP),
	                    m->kmem_index, m->kmem_records);
	kmem_allocator_init(&allocators[KERNEL_MAP], "kernel_map", true,
	                    &allocator_locks[KERNEL_MAP],
	                    kva_start(KVA_KERNEL_MAP),
	                    kva_end(KVA_KERNEL_MAP) - kva_start(KVA_KERNEL_MAP),
	                    m->kernel_index, m->kernel_records);
	/* A frame for every page of kmem_map kept for interrupt handlers. */
	pmm_reserve_set_target(allocators[KMEM_MAP].reserve_pages);
	pmm_reserve_refill();
	pmm_set_free_hook(frames_freed);
	pmm_set_fail_hook(inject_frame);
	initialized = true;
	if (design_2003)
		kprintf("kmem: kmem_design=2003: every kmalloc comes from "
		        "kmem_map, M_NOINTR is ignored, and M_WAITOK panics "
		        "when kmem_map is full (for teaching; see the "
		        "README)\n");
	if (!magazines_on)
		kprintf("kmem: magazines=off: every kmalloc and kfree goes to "
		        "the pools, under the allocator's lock\n");
}

/* A broken rule is the caller's bug, not a shortage: name it and stop. */
static __attribute__((noreturn, noinline, cold)) void
misuse(const char *rule, int type, vaddr_t caller)
{
	vaddr_t off;
	const char *fn = ksym_lookup(caller, &off);

	panic("kmalloc: %s (type %s), called from %s+0x%x", rule,
	      kmem_type_name(type), fn != NULL ? fn : "?", (unsigned)off);
}

/*
 * The rule a call breaks, or NULL; in_interrupt() is asked only for the
 * flags it matters to.
 */
static const char *broken_rule(int type, int flags)
{
	if (type < 0 || type >= M_NTYPES)
		return "no such malloc type";
	if (((flags & M_NOWAIT) != 0) == ((flags & M_WAITOK) != 0))
		return "exactly one of M_NOWAIT and M_WAITOK is needed";
	if ((flags & (M_WAITOK | M_NOINTR)) == 0 || !in_interrupt())
		return NULL;
	if (flags & M_WAITOK)
		return "M_WAITOK used in interrupt context";
	return "M_NOINTR used in interrupt context";
}

/* The sum of every CPU's bytes of `type` in use (see struct kmem_cpu). */
static uint64_t inuse_sum(int type)
{
	uint64_t sum = 0;

	for (unsigned cpu = 0; cpu < smp_ncpus(); cpu++)
		sum += kmem_cpus[cpu].types[type].inuse;
	return sum;
}

static void raise_highwater(int type)
{
	uint32_t now = (uint32_t)inuse_sum(type);
	uint32_t high = __atomic_load_n(&highwater[type], __ATOMIC_RELAXED);

	while (now > high &&
	       !__atomic_compare_exchange_n(&highwater[type], &high, now, false,
	                                    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		continue;
}

/* Statistics of one kmalloc() outcome on this CPU; interrupts off. */
static void account(struct kmem_cpu *kc, int type, size_t bytes, bool ok)
{
	struct type_counts *s = &kc->types[type];

	if (ok) {
		s->requests++;
		s->inuse += bytes;
	} else {
		s->failures++;
	}
}

/* The same, from a context whose interrupts may be on. */
static void account_here(int type, size_t bytes, bool ok)
{
	uint32_t flags = irq_save();

	account(this_cpu(), type, bytes, ok);
	irq_restore(flags);
}

static void unaccount(struct kmem_cpu *kc, int type, size_t bytes)
{
	kc->types[type].inuse -= bytes;
}

static void count_sleep(int type)
{
	uint32_t flags = irq_save();

	this_cpu()->types[type].sleeps++;
	irq_restore(flags);
}

/* Whether fault injection picks this call; every call asks it. */
static bool inject(int type, bool nointr)
{
	bool fail;

	if (failing.spec.mode == FAIL_OFF)
		return false;
	spin_lock(&fail_lock);
	fail = failing.spec.mode != FAIL_OFF &&
	       fail_should_fail(&failing, type, nointr);
	spin_unlock(&fail_lock);
	return fail;
}

/* ---------------------------------------------------------- magazines */

/* This CPU's cache for pool (a, type, class); interrupts off. */
static struct mag_cache *cache_of(struct kmem_cpu *kc, unsigned ai, int type,
                                  unsigned sclass)
{
	return &kc->caches[ai][type][sclass];
}

/*
 * A round of this CPU's magazines for the pool, trading an empty pair for
 * a full magazine of the depot if it has one; NULL otherwise.  Accounts
 * the allocation when it succeeds (in the same interrupt-off section).
 * Never inlined, so that GDB can stop in it (lab 6).
 */
static __attribute__((noinline)) void *
magazine_get(unsigned ai, int type, unsigned sclass, size_t bytes)
{
	uint32_t flags = irq_save();
	struct kmem_cpu *kc = this_cpu();
	struct mag_cache *c = cache_of(kc, ai, type, sclass);
	void *p = mag_get(c);

	if (p == NULL) {
		struct spinlock *lk = &depot_locks[ai];
		spin_lock(lk);
		if (mag_depot_load_full(&depots[ai][type][sclass], c)) {
			p = mag_get(c);
			kc->depot_trades[ai]++;
		}
		spin_unlock(lk);
	}
	if (p != NULL) {
		pool_clear_mark(p);
		account(kc, type, bytes, true);
	}
	irq_restore(flags);
	return p;
}

/*
 * The same for the common case only, a round in the loaded magazine, or
 * NULL: inline in kmalloc(), which has magazine_get() try the rest.
 */
static inline void *magazine_get_loaded(unsigned ai, int type,
                                        unsigned sclass, size_t bytes)
{
	uint32_t flags = irq_save();
	struct kmem_cpu *kc = this_cpu();
	void *p = mag_get_loaded(cache_of(kc, ai, type, sclass));

	if (p != NULL) {
		pool_clear_mark(p);
		account(kc, type, bytes, true);
	}
	irq_restore(flags);
	return p;
}

/*
 * A new empty magazine for the depot, from the allocator's own pools
 * (never through kmalloc(), so no magazine is needed to get one), or NULL
 * when memory is short: then the object goes to its pool instead.  Not in
 * an interrupt handler for kernel_map, whose page tables may grow.  a's
 * lock is taken here: the caller holds no lock.
 */
static struct magazine *magazine_new(unsigned ai)
{
	struct kmem_allocator *a = &allocators[ai];
	bool interrupt = in_interrupt();
	struct magazine *m;

	if (a->nointr && interrupt)
		return NULL;
	spin_lock(a->lock);
	m = kmem_allocator_alloc(a, sizeof(*m), M_VMEM, interrupt);
	if (m != NULL)
		magazines_allocated[ai]++;
	spin_unlock(a->lock);
	if (m != NULL)
		memset(m, 0, sizeof(*m));	/* no stale kmem_debug state */
	return m;
}

/*
 * Keeps p, a pool object of (a, type, class) being freed, in this CPU's
 * magazines: trading a full pair for an empty magazine of the depot, or a
 * new one, when needed.  False when there is no room (or an M_WAITOK
 * sleeper waits for this allocator: its memory must reach the pool).
 */
static __attribute__((noinline)) bool
magazine_put(unsigned ai, int type, unsigned sclass, void *p, size_t bytes)
{
	uint32_t flags = irq_save();
	struct kmem_cpu *kc = this_cpu();
	struct mag_cache *c = cache_of(kc, ai, type, sclass);
	struct mag_depot *d = &depots[ai][type][sclass];
	struct spinlock *lk = &depot_locks[ai];
	bool kept = false;

	if (memory_waiters[ai] == 0 && !(kept = mag_put(c, p))) {
		spin_lock(lk);
		if (d->empty == NULL) {	/* none to trade: a new one */
			struct magazine *m;
			spin_unlock(lk);
			m = magazine_new(ai);
			spin_lock(lk);
			if (m != NULL)
				mag_depot_add_empty(d, m);
		}
		if (mag_depot_load_empty(d, c)) {
			kc->depot_trades[ai]++;
			kept = mag_put(c, p);
		}
		spin_unlock(lk);
	}
	if (kept) {
		pool_mark_free(p);
		unaccount(kc, type, bytes);
	}
	irq_restore(flags);
	return kept;
}

/*
 * The same for the common case only, room in the loaded magazine: inline
 * in kfree(), which has magazine_put() try the rest.  memory_waiters is
 * read with interrupts off: reclaim() raises it, then flushes every CPU
 * by a cross-call, which runs between two of these sections.
 */
static inline bool magazine_put_loaded(unsigned ai, int type,
                                       unsigned sclass, void *p,
                                       size_t bytes)
{
	uint32_t flags = irq_save();
	struct kmem_cpu *kc = this_cpu();
	bool kept = memory_waiters[ai] == 0 &&
	            mag_put_loaded(cache_of(kc, ai, type, sclass), p);

	if (kept) {
		pool_mark_free(p);
		unaccount(kc, type, bytes);
	}
	irq_restore(flags);
	return kept;
}

/*
 * Gives the rounds of a detached list of magazines back to their pools,
 * and the magazines themselves to theirs; takes a's lock.
 */
static void give_back(unsigned ai, struct magazine *list)
{
	struct kmem_allocator *a = &allocators[ai];
	size_t size;
	int type;

	if (list == NULL)
		return;
	spin_lock(a->lock);
	while (list != NULL) {
		struct magazine *next = list->m_next;
		while (list->m_rounds > 0) {
			void *p = list->m_round[--list->m_rounds];
			pool_clear_mark(p);	/* pool_put() need not look */
			if (kmem_allocator_free(a, p, &type, &size) !=
			    KMEM_FREE_OK)
				panic("kmem: magazine round %p of %s was not "
				      "allocated", p, a->name);
		}
		if (kmem_allocator_free(a, list, &type, &size) != KMEM_FREE_OK)
			panic("kmem: magazine %p of %s was not allocated", list,
			      a->name);
		magazines_allocated[ai]--;
		list = next;
	}
	wake_memory_waiters(a);
	spin_unlock(a->lock);
}

/* Appends list b to list a (through m_next); returns the result. */
static struct magazine *concat(struct magazine *a, struct magazine *b)
{
	struct magazine **tail = &a;

	while (*tail != NULL)
		tail = &(*tail)->m_next;
	*tail = b;
	return a;
}

/* Detaches every magazine of this CPU for allocator ai; interrupts off. */
static struct magazine *take_cpu_magazines(unsigned ai)
{
	struct kmem_cpu *kc = this_cpu();
	struct magazine *list = NULL;

	for (int t = 0; t < M_NTYPES; t++)
		for (unsigned c = 0; c < KMEM_NCLASSES; c++)
			list = concat(mag_cache_take(&kc->caches[ai][t][c]),
			              list);
	return list;
}

/*
 * Moves this CPU's magazines of allocator *arg to flushed[], for
 * reclaim() to give back; interrupts off (a cross-call, or reclaim()'s own
 * section).  A cross-call does as little as it can: it takes only the
 * depot's lock, never the allocator's, and never unmaps a page (giving
 * back a round can empty a pool page, whose unmapping on a multiprocessor
 * would wait for a TLB shootdown by the CPUs, the caller among them, that
 * wait for this call).
 */
static void flush_cpu(void *arg)
{
	unsigned ai = *(const unsigned *)arg;
	struct magazine *list = take_cpu_magazines(ai);

	if (list == NULL)
		return;
	spin_lock(&depot_locks[ai]);
	flushed[ai] = concat(list, flushed[ai]);
	spin_unlock(&depot_locks[ai]);
}

/*
 * Everything allocator a caches goes back: every CPU's magazines (the
 * others' by a cross-call, which the caller may only make holding no
 * spinlock; an interrupt handler holds none of its own, and the thread it
 * interrupted had interrupts on, so none either), the depot, and the
 * pools' kept empty pages.
 */
static void reclaim(struct kmem_allocator *a)
{
	unsigned ai = allocator_index(a);
	struct magazine *list;
	uint32_t flags;

	if (curthread->spin_held == NULL)
		smp_call_others(flush_cpu, &ai);
	flags = irq_save();
	flush_cpu(&ai);
	irq_restore(flags);
	spin_lock(&depot_locks[ai]);
	list = flushed[ai];
	flushed[ai] = NULL;
	for (int t = 0; t < M_NTYPES; t++)
		for (unsigned c = 0; c < KMEM_NCLASSES; c++)
			list = concat(mag_depot_take(&depots[ai][t][c]), list);
	spin_unlock(&depot_locks[ai]);
	give_back(ai, list);
	spin_lock(a->lock);
	kmem_allocator_drain(a);
	spin_unlock(a->lock);
}

/*
 * One try at the pools or the arena, under a's lock, which also keeps
 * interrupts off for accounting a success.
 */
static void *from_allocator(struct kmem_allocator *a, size_t want, int type,
                            bool interrupt)
{
	void *p;

	spin_lock(a->lock);
	p = kmem_allocator_alloc(a, want, type, interrupt);
	if (p != NULL)
		account(this_cpu(), type, kmem_allocator_round(a, want), true);
	if (!interrupt)
		pmm_reserve_refill();
	spin_unlock(a->lock);
	return p;
}

/*
 * The frame allocator's fail hook (pmm_set_fail_hook()).  The frames
 * kmalloc takes for itself are taken with an allocator's lock held: the
 * kmalloc call that needed them was the allocation counted, so they are
 * not.  Frames for user memory count as the nointr side: no handler asks.
 */
static bool inject_frame(void)
{
	for (int i = 0; i < NALLOCATORS; i++)
		if (spin_held(allocators[i].lock))
			return false;
	return inject(FAIL_TYPE_FRAME, !in_interrupt());
}

/*
 * One try, fault injection first, then the magazines, then the allocator.
 * Before giving up, everything cached anywhere goes back (reclaim()) and
 * the request is tried once more.  A success is accounted where it is
 * found.
 */
static void *attempt(struct kmem_allocator *a, size_t want, int type,
                     bool interrupt, bool *injected)
{
	unsigned ai = allocator_index(a);
	void *p;

	*injected = inject(type, a->nointr);
	if (*injected)
		return NULL;
	if (magazines_on && want <= a->max_object) {
		unsigned sclass = kmem_allocator_class(want);
		p = magazine_get(ai, type, sclass,
		                 kmem_allocator_class_size(sclass));
		if (p != NULL)
			return p;
	}
	p = from_allocator(a, want, type, interrupt);
	if (p == NULL) {
		reclaim(a);
		p = from_allocator(a, want, type, interrupt);
	}
	if (p != NULL)
		raise_highwater(type);
	return p;
}

/*
 * kmem_design=2003: an M_WAITOK request that failed for want of kmem_map's
 * VA, not of frames, panics with FreeBSD 5's message (kmem_malloc() in
 * sys/vm/vm_kern.c): SIZE is what was asked of the map, a page for a
 * bucket or the rounded size of a large block, and N is what the map has
 * allocated (FreeBSD's map->size).  Lack of frames still sleeps, as
 * FreeBSD's VM_WAIT did.  a's lock held; dropped before the panic, which
 * prints every statistic.
 */
static void panic_if_kmem_map_full(struct kmem_allocator *a, size_t want)
{
	size_t asked, allocated;

	if (!kmem_allocator_lacks_va(a, want, false, &asked))
		return;
	allocated = a->arena.vm_inuse;
	spin_unlock(a->lock);
	panic("kmem_malloc(%u): kmem_map too small: %u total allocated",
	      (unsigned)asked, (unsigned)allocated);
}

/*
 * Sleeps until memory is given back to a, unless the reclaim that comes
 * first finds some: returns what it got then, or NULL after a wakeup.
 * The waiter is counted before the reclaim, so that every free after the
 * reclaim's cross-call skips the magazines and wakes it (no lost wakeup),
 * and the last try and the sleep are under a's lock, which every free to
 * a's pools holds.
 */
static void *sleep_for_memory(struct kmem_allocator *a, size_t want, int type)
{
	unsigned ai = allocator_index(a);
	void *p;

	spin_lock(a->lock);
	memory_waiters[ai]++;
	spin_unlock(a->lock);
	reclaim(a);
	spin_lock(a->lock);
	p = kmem_allocator_alloc(a, want, type, false);
	if (p != NULL)
		account(this_cpu(), type, kmem_allocator_round(a, want), true);
	if (p == NULL) {
		if (design_2003)
			panic_if_kmem_map_full(a, want);
		count_sleep(type);
		sleep(&memory_freed, a->lock, "kmem");
	}
	memory_waiters[ai]--;
	spin_unlock(a->lock);
	return p;
}

/*
 * An M_WAITOK request that fault injection keeps refusing sleeps a tick
 * per try; after this many tries in a row it says so, once, so that a
 * spec that refuses everything (every:1) shows where the kernel waits.
 */
#define INJECTED_TRIES_BEFORE_NOTE 100

static void note_injected_retries(size_t want, int type, vaddr_t caller)
{
	kprintf("kmalloc: fault injection refused %u tries of an M_WAITOK "
	        "request for %u bytes of type %s from ",
	        INJECTED_TRIES_BEFORE_NOTE, (unsigned)want,
	        kmem_type_name(type));
	ksym_print(caller);
	kprintf("; it goes on retrying, a tick apart, until the spec lets "
	        "one through (`fail off` ends it)\n");
}

/*
 * M_WAITOK: sleep until memory is freed, then try again.  An injected
 * failure is not a shortage, so nothing would wake us: sleep one tick.
 */
static void *wait_and_retry(struct kmem_allocator *a, size_t want, int type,
                            bool injected, vaddr_t caller)
{
	void *p = NULL;
	unsigned injected_tries = 0;

	while (p == NULL) {
		if (injected) {
			if (++injected_tries == INJECTED_TRIES_BEFORE_NOTE)
				note_injected_retries(want, type, caller);
			count_sleep(type);
			sleep_ticks(1);
		} else {
			injected_tries = 0;
			p = sleep_for_memory(a, want, type);
			if (p != NULL) {
				raise_highwater(type);
				break;
			}
		}
		p = attempt(a, want, type, false, &injected);
	}
	return p;
}

/* Which allocator a request's flags send it to. */
static struct kmem_allocator *allocator_for(int flags)
{
	if (design_2003)	/* one malloc for everything, as in 4.4BSD */
		return &allocators[KMEM_MAP];
	/* LAB 4: BEGIN SOLUTION */
	return &allocators[(flags & M_NOINTR) ? KERNEL_MAP : KMEM_MAP];
	/* LAB 4: END SOLUTION */
	/* LAB 4: BEGIN HANDOUT
	/+ YOUR CODE HERE: memory no interrupt handler touches (M_NOINTR)
	   belongs in kernel_map (lab 4).  Until then, everything shares
	   kmem_map, as in 2003. +/
	(void)flags;
	return &allocators[KMEM_MAP];
	   END HANDOUT */
}

/*
 * Everything but the fast path: kmem_debug, fault injection, sizes for
 * the arena, the magazines past the loaded one, waiting, M_ZERO.  Out of
 * line, so that kmalloc() itself calls nothing.
 */
static __attribute__((noinline)) void *
kmalloc_slow(struct kmem_allocator *a, size_t size, int type, int flags,
             vaddr_t caller)
{
	bool interrupt = in_interrupt();
	bool injected = false;
	size_t want = kmem_debug_enabled ? kmem_debug_size(size) : size;
	void *p = NULL;

	if (size != 0 && want >= size &&
	    kmem_allocator_can_ever_hold(a, want, interrupt)) {
		p = attempt(a, want, type, interrupt, &injected);
		if (p == NULL && (flags & M_WAITOK))
			p = wait_and_retry(a, want, type, injected, caller);
	}
	if (p == NULL)
		account_here(type, 0, false);

	if (p != NULL && kmem_debug_enabled)
		p = kmem_debug_alloc(p, kmem_allocator_round(a, want), size,
		                     type, want > a->max_object, caller);
	if (p != NULL && (flags & M_ZERO))
		memset(p, 0, size);
	return p;
}

/*
 * The fast path, which calls no function: a pool object (size 0 wraps
 * around and is not one) from this CPU's loaded magazine, for a call with
 * no memory to clear (M_ZERO), when neither kmem_debug nor fault injection
 * has to see it first; NULL otherwise, for kmalloc_slow() to try the rest.
 */
static inline __attribute__((always_inline)) void *
from_loaded_magazine(struct kmem_allocator *a, size_t size, int type,
                     int flags)
{
	unsigned sclass;

	if (!magazines_on || kmem_debug_enabled ||
	    failing.spec.mode != FAIL_OFF || size - 1 >= a->max_object ||
	    (flags & M_ZERO))
		return NULL;
	sclass = kmem_allocator_class(size);
	return magazine_get_loaded(allocator_index(a), type, sclass,
	                           kmem_allocator_class_size(sclass));
}

/*
 * kmalloc() for M_WAITOK: its rules hold even when it need not sleep, so
 * they are checked first, and then it takes the same paths.  Out of line
 * (kmalloc() tail-calls it), so that kmalloc() itself calls nothing.
 */
static __attribute__((noinline)) void *
kmalloc_may_sleep(struct kmem_allocator *a, size_t size, int type,
                  int flags, vaddr_t caller)
{
	void *p;

	assert_may_sleep_at(NULL, __FILE__, __LINE__);
	p = from_loaded_magazine(a, size, type, flags);
	return p != NULL ? p : kmalloc_slow(a, size, type, flags, caller);
}

void *kmalloc(size_t size, int type, int flags)
{
	const char *rule = broken_rule(type, flags);
	struct kmem_allocator *a;
	void *p;

	/* The caller is only looked up off the fast path. */
	if (rule != NULL)
		misuse(rule, type, (vaddr_t)__builtin_return_address(0));
	a = allocator_for(flags);
	if (flags & M_WAITOK)
		return kmalloc_may_sleep(a, size, type, flags,
		                         (vaddr_t)__builtin_return_address(0));
	p = from_loaded_magazine(a, size, type, flags);
	return p != NULL ? p : kmalloc_slow(a, size, type, flags,
	                    (vaddr_t)__builtin_return_address(0));
}

uint64_t kmem_calls(void)
{
	uint64_t sum = 0;

	/* Each call counts once, as a request or as a failure. */
	for (unsigned cpu = 0; cpu < smp_ncpus(); cpu++)
		for (int t = 0; t < M_NTYPES; t++)
			sum += kmem_cpus[cpu].types[t].requests +
			       kmem_cpus[cpu].types[t].failures;
	return sum;
}

/* The allocator that gave out va, found from the address alone. */
static struct kmem_allocator *allocator_of(vaddr_t va)
{
	/* LAB 4: BEGIN SOLUTION */
	if (kva_in(KVA_KMEM_MAP, va))
		return &allocators[KMEM_MAP];
	if (kva_in(KVA_KERNEL_MAP, va))
		return &allocators[KERNEL_MAP];
	return NULL;
	/* LAB 4: END SOLUTION */
	/* LAB 4: BEGIN HANDOUT
	/+ YOUR CODE HERE: kernel_map's blocks come back here too (lab 4). +/
	if (kva_in(KVA_KMEM_MAP, va))
		return &allocators[KMEM_MAP];
	return NULL;
	   END HANDOUT */
}

static void report_bad_free(const void *p, const char *where,
                            const char *what, vaddr_t caller)
{
	uint32_t flags;

	kprintf("kfree: refused %p (in %s): %s; called from ", p, where, what);
	ksym_print(caller);
	kprintf("\n");
	flags = irq_save();
	this_cpu()->bad_frees++;
	irq_restore(flags);
}

/* kmem_debug's checks; returns what to free, or NULL (reported). */
static void *debug_unwrap(struct kmem_allocator *a, void *p, vaddr_t caller)
{
	void *obj = (char *)p - KMEM_DEBUG_HEADER;
	struct pool *pp;
	unsigned sclass;
	size_t objsize;
	int type;

	/* A pool object's size needs no lock (kmem_allocator_pool_of()). */
	pp = kmem_allocator_pool_of(a, obj, &type, &sclass);
	if (pp != NULL) {
		objsize = pp->pr_size;
	} else {
		spin_lock(a->lock);
		objsize = kmem_allocator_size_of(a, obj);
		spin_unlock(a->lock);
	}
	if (objsize == 0) {
		report_bad_free(p, a->name, "no kmalloc block starts there",
		                caller);
		return NULL;
	}
	return kmem_debug_free(p, objsize, caller);
}

/*
 * Whether p, which carries the pool's free mark, is a round of this CPU's
 * magazines or of the depot's for its pool: then freeing it is a double
 * free.  (A live object whose user wrote the mark is in neither.)
 */
static bool in_magazines(unsigned ai, int type, unsigned sclass, void *p)
{
	uint32_t flags = irq_save();
	struct mag_cache *c = cache_of(this_cpu(), ai, type, sclass);
	bool found = false;

	for (unsigned r = 0; r < c->rounds; r++)
		found |= c->loaded->m_round[r] == p;
	for (unsigned r = 0; r < c->prounds; r++)
		found |= c->previous->m_round[r] == p;
	spin_lock(&depot_locks[ai]);
	for (struct magazine *m = depots[ai][type][sclass].full;
	     m != NULL && !found; m = m->m_next)
		for (unsigned r = 0; r < m->m_rounds; r++)
			found |= m->m_round[r] == p;
	spin_unlock(&depot_locks[ai]);
	irq_restore(flags);
	return found;
}

/*
 * The pool of p when p is the start of one of a's pool objects, setting
 * *type and *sclass; NULL otherwise (a whole-page block, or a bad pointer
 * for the allocator to judge).
 */
static inline struct pool *pool_object_of(struct kmem_allocator *a,
                                          const void *p, int *type,
                                          unsigned *sclass)
{
	struct pool *pp = kmem_allocator_pool_of(a, p, type, sclass);

	return pp != NULL && ((vaddr_t)p & (pp->pr_size - 1)) == 0 ? pp : NULL;
}

/*
 * kfree()'s magazine path: a pool object without the free mark goes into
 * this CPU's magazines.  False sends it to the allocator, which judges it
 * and reports a bad pointer; *dup says it is a round of a magazine
 * already.
 */
static bool free_to_magazine(struct kmem_allocator *a, void *p, bool *dup)
{
	unsigned ai = allocator_index(a), sclass;
	int type;
	struct pool *pp = pool_object_of(a, p, &type, &sclass);

	*dup = false;
	if (pp == NULL)
		return false;
	if (pool_marked_free(p)) {
		*dup = in_magazines(ai, type, sclass, p);
		return false;
	}
	return magazine_put(ai, type, sclass, p, pp->pr_size);
}

/*
 * Everything but the fast path: a bad pointer, kmem_debug, a double free
 * found in a magazine, the magazines past the loaded one, whole pages.
 */
static __attribute__((noinline)) void
kfree_slow(struct kmem_allocator *a, void *p, vaddr_t caller)
{
	static const char *const why[] = {
		[KMEM_FREE_DOUBLE] = "double free",
		[KMEM_FREE_INTERIOR] = "not the start of an allocation "
		                       "(interior pointer)",
		[KMEM_FREE_UNKNOWN] = "not allocated (never, or freed already)",
	};
	enum kmem_free_error err;
	bool dup = false;
	size_t size;
	int type;

	if (a == NULL) {
		const struct kva_region *kr = kva_region_of((vaddr_t)p);
		report_bad_free(p, kr != NULL ? kr->name : "user space",
		                "no allocator owns this address", caller);
		return;
	}
	if (kmem_debug_enabled && (p = debug_unwrap(a, p, caller)) == NULL)
		return;
	if (magazines_on && free_to_magazine(a, p, &dup))
		return;
	if (dup) {
		report_bad_free(p, a->name, "double free (in a magazine)",
		                caller);
		return;
	}
	spin_lock(a->lock);
	err = kmem_allocator_free(a, p, &type, &size);
	if (err == KMEM_FREE_OK) {
		unaccount(this_cpu(), type, size);
		wake_memory_waiters(a);
	}
	if (!in_interrupt())
		pmm_reserve_refill();
	spin_unlock(a->lock);
	if (err != KMEM_FREE_OK)
		report_bad_free(p, a->name, why[err], caller);
}

void kfree(void *p)
{
	struct kmem_allocator *a;
	struct pool *pp;
	unsigned sclass;
	int type;

	if (p == NULL)
		return;
	a = allocator_of((vaddr_t)p);
	/*
	 * The fast path, which calls no function: a pool object without the
	 * free mark, into this CPU's loaded magazine, when kmem_debug need
	 * not see the call first.  kfree_slow() tries the rest, and judges
	 * everything else.
	 */
	if (a != NULL && magazines_on && !kmem_debug_enabled &&
	    (pp = pool_object_of(a, p, &type, &sclass)) != NULL &&
	    !pool_marked_free(p) &&
	    magazine_put_loaded(allocator_index(a), type, sclass, p,
	                        pp->pr_size))
		return;
	kfree_slow(a, p, (vaddr_t)__builtin_return_address(0));
}

size_t kmalloc_size(const void *p)
{
	struct kmem_allocator *a = allocator_of((vaddr_t)p);
	size_t size;

	if (a == NULL)
		return 0;
	if (kmem_debug_enabled)
		return kmem_debug_user_size(p);
	spin_lock(a->lock);
	size = kmem_allocator_size_of(a, p);
	spin_unlock(a->lock);
	return size;
}

void kmem_set_debug(bool on)
{
	kmem_debug_enabled = on;
	for (int i = 0; i < NALLOCATORS; i++)
		allocators[i].zero_new_pages = on;
}

vaddr_t kmem_alloc_guarded(size_t size, int type)
{
	struct kmem_allocator *a = &allocators[KERNEL_MAP];
	vaddr_t va = 0;

	KASSERT(!in_interrupt());	/* kernel_map's page tables may grow */
	if (!inject(type, true)) {
		spin_lock(a->lock);
		va = kmem_allocator_alloc_guarded(a, size, type);
		spin_unlock(a->lock);
	}
	account_here(type, size, va != VMEM_FAIL);
	if (va != VMEM_FAIL)
		raise_highwater(type);
	return va;
}

void kmem_free_guarded(vaddr_t va)
{
	struct kmem_allocator *a = &allocators[KERNEL_MAP];
	uint32_t flags;
	size_t size;
	int type;

	spin_lock(a->lock);
	kmem_allocator_free_guarded(a, va, &type, &size);
	wake_memory_waiters(a);
	spin_unlock(a->lock);
	flags = irq_save();
	unaccount(this_cpu(), type, size);
	irq_restore(flags);
}

uint64_t kmem_tag_frames(void)
{
	struct vmem_stats vs;
	uint64_t frames = 0;

	for (int i = 0; i < NALLOCATORS; i++) {
		spin_lock(allocators[i].lock);
		vmem_stats(&allocators[i].arena, &vs);
		spin_unlock(allocators[i].lock);
		frames += vs.vs_ntags / VMEM_TAGS_PER_PAGE;
	}
	return frames;
}

void kmem_type_stats(int type, struct kmem_type_stats *out)
{
	raise_highwater(type);
	out->inuse = out->requests = out->failures = out->sleeps = 0;
	for (unsigned cpu = 0; cpu < smp_ncpus(); cpu++) {
		const struct type_counts *c = &kmem_cpus[cpu].types[type];
		out->inuse += c->inuse;
		out->requests += c->requests;
		out->failures += c->failures;
		out->sleeps += c->sleeps;
	}
	out->highwater = highwater[type];
}

bool kmem_fail_set(const char *spec, const char **why)
{
	struct fail_spec s;

	if (!fail_parse(spec, &s, fail_type_lookup, why))
		return false;
	spin_lock(&fail_lock);
	if (s.mode == FAIL_OFF)
		failing.spec = s;	/* keep the counts for `fail` to show */
	else
		fail_start(&failing, &s);
	spin_unlock(&fail_lock);
	return true;
}

void kmem_reclaim(void)
{
	for (int i = 0; i < NALLOCATORS; i++)
		reclaim(&allocators[i]);
}

/* One allocator's magazines, summed over the CPUs and depots. */
struct magazine_stats {
	unsigned magazines;		/* allocated */
	uint64_t cached;		/* rounds in them */
	unsigned depot_full, depot_empty;
	uint64_t depot_trades;
};

/* Everything `kmem` prints, copied at one moment. */
struct kmem_snapshot {
	struct kmem_type_stats types[M_NTYPES];
	struct kmem_allocator_stats allocators[NALLOCATORS];
	struct magazine_stats magazines[NALLOCATORS];
	struct kmem_lock_stats locks[KMEM_NLOCKS];
	struct pmm_reserve_stats reserve;
	struct fail_state failing;
	uint64_t bad_frees;
};

/*
 * Takes lk, unless this thread holds it or the kernel is panicking: a
 * panic inside kmalloc() finds a lock held, and a panic may stop another
 * CPU that held one, and the report must still print; then the figures
 * are read without it (a torn figure beats none).  Otherwise a lock that
 * another CPU holds is waited for, as usual.
 */
static bool lock_unless_held(struct spinlock *lk)
{
	if (spin_held(lk) || panic_in_progress())
		return false;
	spin_lock(lk);
	return true;
}

/*
 * Reads other CPUs' counts of rounds without dereferencing their
 * magazines, which they may be giving back meanwhile.
 */
static void magazine_snapshot(unsigned ai, struct magazine_stats *ms)
{
	bool locked;

	memset(ms, 0, sizeof(*ms));
	locked = lock_unless_held(&depot_locks[ai]);
	for (int t = 0; t < M_NTYPES; t++) {
		for (unsigned c = 0; c < KMEM_NCLASSES; c++) {
			ms->depot_full += depots[ai][t][c].nfull;
			ms->depot_empty += depots[ai][t][c].nempty;
		}
	}
	if (locked)
		spin_unlock(&depot_locks[ai]);
	ms->cached = (uint64_t)ms->depot_full * MAG_ROUNDS;
	for (unsigned cpu = 0; cpu < smp_ncpus(); cpu++) {
		const struct kmem_cpu *kc = &kmem_cpus[cpu];
		for (int t = 0; t < M_NTYPES; t++)
			for (unsigned c = 0; c < KMEM_NCLASSES; c++)
				ms->cached +=
					mag_cache_rounds(&kc->caches[ai][t][c]);
		ms->depot_trades += kc->depot_trades[ai];
	}
	ms->magazines = magazines_allocated[ai];
}

static void lock_snapshot(struct kmem_lock_stats *ls, const struct spinlock *lk)
{
	ls->name = lk->name;
	ls->acquisitions = lk->acquisitions;
	ls->contended = lk->contended;
}

static void take_snapshot(struct kmem_snapshot *s)
{
	bool locked;

	for (int t = 0; t < M_NTYPES; t++)
		kmem_type_stats(t, &s->types[t]);
	for (int i = 0; i < NALLOCATORS; i++) {
		bool locked = lock_unless_held(&allocator_locks[i]);
		kmem_allocator_stats(&allocators[i], &s->allocators[i]);
		if (locked)
			spin_unlock(&allocator_locks[i]);
		magazine_snapshot((unsigned)i, &s->magazines[i]);
		lock_snapshot(&s->locks[2 * i], &allocator_locks[i]);
		lock_snapshot(&s->locks[2 * i + 1], &depot_locks[i]);
	}
	lock_snapshot(&s->locks[KMEM_NLOCKS - 1], &fail_lock);
	pmm_reserve_stats(&s->reserve);
	locked = lock_unless_held(&fail_lock);
	s->failing = failing;
	if (locked)
		spin_unlock(&fail_lock);
	s->bad_frees = 0;
	for (unsigned cpu = 0; cpu < smp_ncpus(); cpu++)
		s->bad_frees += kmem_cpus[cpu].bad_frees;
}

void kmem_lock_stats(struct kmem_lock_stats out[KMEM_NLOCKS])
{
	struct kmem_snapshot snap;

	take_snapshot(&snap);
	memcpy(out, snap.locks, sizeof(snap.locks));
}

static void print_fail_state(const struct fail_state *f)
{
	static const char *const modes[] = { "off", "nth", "every", "random" };
	static const char *const scopes[] = { "both", "intr", "nointr" };
	const struct fail_spec *s = &f->spec;

	kprintf("fault injection: %s", modes[s->mode]);
	if (s->mode == FAIL_OFF) {
		kprintf(" (%llu injected before)\n",
		        (unsigned long long)f->injected);
		return;
	}
	if (s->mode == FAIL_NTH || s->mode == FAIL_EVERY)
		kprintf(":%llu", (unsigned long long)s->n);
	if (s->mode == FAIL_RANDOM)
		kprintf(":%u:%u", s->percent, (unsigned)s->seed);
	kprintf(" type=%s alloc=%s; matched %llu, injected %llu\n",
	        s->type == FAIL_ANY_TYPE ? "any" : fail_type_name(s->type),
	        scopes[s->scope], (unsigned long long)f->matched,
	        (unsigned long long)f->injected);
}

void kmem_allocator_usage(bool nointr, struct kmem_allocator_stats *out)
{
	struct kmem_snapshot snap;

	take_snapshot(&snap);
	*out = snap.allocators[nointr ? KERNEL_MAP : KMEM_MAP];
}

uint64_t kmem_fail_injected(void)
{
	uint64_t n;

	spin_lock(&fail_lock);
	n = failing.injected;
	spin_unlock(&fail_lock);
	return n;
}

void kmem_fail_print(void)
{
	struct kmem_snapshot snap;

	take_snapshot(&snap);
	print_fail_state(&snap.failing);
}

void kmem_print(void)
{
	struct kmem_snapshot snap;

	take_snapshot(&snap);
	kprintf("type    inuse(bytes)  highwater(bytes)  requests  failures  "
	        "sleeps\n");
	for (int t = 0; t < M_NTYPES; t++) {
		const struct kmem_type_stats *s = &snap.types[t];
		kprintf("%-7s %12llu  %16llu  %8llu  %8llu  %6llu\n", type_names[t],
		        (unsigned long long)s->inuse,
		        (unsigned long long)s->highwater,
		        (unsigned long long)s->requests,
		        (unsigned long long)s->failures,
		        (unsigned long long)s->sleeps);
	}
	kprintf("region      size(KiB)  used(KiB)  free(KiB)  largest(KiB)  "
	        "reserve for handlers\n");
	for (int i = 0; i < NALLOCATORS; i++) {
		const struct kmem_allocator_stats *s = &snap.allocators[i];
		kprintf("%-10s  %9u  %9u  %9u  %12u  ", allocators[i].name,
		        (unsigned)(s->size >> 10), (unsigned)(s->used >> 10),
		        (unsigned)(s->free >> 10), (unsigned)(s->largest_free >> 10));
		if (allocators[i].nointr)
			kprintf("-\n");
		else
			kprintf("%u/%u frames (%llu used by handlers)\n",
			        snap.reserve.frames, snap.reserve.target,
			        (unsigned long long)snap.reserve.used);
	}
	kprintf("magazines (%u rounds each) %s\n", MAG_ROUNDS,
	        magazines_on ? "on" : "off (magazines=off)");
	kprintf("region      magazines  rounds  depot full  depot empty  "
	        "depot trades\n");
	for (int i = 0; i < NALLOCATORS; i++) {
		const struct magazine_stats *m = &snap.magazines[i];
		kprintf("%-10s  %9u  %6llu  %10u  %11u  %12llu\n",
		        allocators[i].name, m->magazines,
		        (unsigned long long)m->cached, m->depot_full,
		        m->depot_empty, (unsigned long long)m->depot_trades);
	}
	kprintf("lock              acquisitions  contended\n");
	for (int i = 0; i < KMEM_NLOCKS; i++)
		kprintf("%-16s  %12llu  %9llu\n", snap.locks[i].name,
		        (unsigned long long)snap.locks[i].acquisitions,
		        (unsigned long long)snap.locks[i].contended);
	print_fail_state(&snap.failing);
	if (design_2003)
		kprintf("design: kmem_design=2003 (M_NOINTR ignored; M_WAITOK "
		        "panics when kmem_map is full)\n");
	kprintf("refused frees: %llu; kmem_debug %s, %llu problems found\n",
	        (unsigned long long)snap.bad_frees,
	        kmem_debug_enabled ? "on" : "off",
	        (unsigned long long)kmem_debug_reports);
}
