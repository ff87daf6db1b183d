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
 *       kmem_allocator_alloc(..., interrupt) -> got it: done
 *       M_NOWAIT -> NULL, counted as a failure of its type
 *       M_WAITOK, kmem_design=2003, no VA left in kmem_map -> panic
 *       M_WAITOK -> sleep on `memory_freed` until kfree() or page_free()
 *         gives memory back, counted as a sleep; `ps` shows "kmem"
 *     thread context: top the frame allocator's interrupt reserve back up
 *
 * Whether the caller is an interrupt handler is found once, here, and
 * passed down as an argument to everything below that treats handlers
 * differently.  kfree(p) picks the allocator from p's address (kva.h),
 * and the allocator finds the type and size from its pools or its arena.
 * Nothing here panics when memory runs out, except in the 2003 design
 * (kmem_design=2003, mm/kmem.h), which exists to show that panic.
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
#include "mm/pmm.h"

/* The two allocators, named after their regions. */
enum { KMEM_MAP, KERNEL_MAP, NALLOCATORS };

/*
 * One lock covers both allocators, the statistics and fault injection.
 * On one CPU a spinlock already keeps everyone else out, so finer locks
 * would only add lock round trips to the fast path: kmalloc() takes this
 * one once (again after each sleep, for M_WAITOK), and so does kfree(),
 * except under kmem_debug, where it takes it once more to size the block
 * it checks.
 */
static struct spinlock kmem_lock = SPINLOCK_INIT("kmem");
static struct kmem_allocator allocators[NALLOCATORS];

/*
 * M_WAITOK callers that found no memory sleep on this channel, and
 * anything that gives memory back wakes them, if there are any: kfree()
 * and, through the frame allocator's free hook, page_free().
 */
static const char memory_freed;
static unsigned memory_waiters;

/* Set by kmem_set_design() at boot, before mm_init(); then only read. */
static bool design_2003;

static struct kmem_type_stats type_stats[M_NTYPES];
static struct fail_state failing;
static uint64_t bad_frees;
static uint64_t calls;

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

/* Wakes the M_WAITOK sleepers, if any; any context. */
static void wake_memory_waiters(void)
{
	if (memory_waiters > 0)
		wakeup(&memory_freed);
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
	                    &kmem_lock, kva_start(KVA_KMEM_MAP),
	                    kva_end(KVA_KMEM_MAP) - kva_start(KVA_KMEM_MAP),
	                    m->kmem_index, m->kmem_records);
	kmem_allocator_init(&allocators[KERNEL_MAP], "kernel_map", true,
	                    &kmem_lock, kva_start(KVA_KERNEL_MAP),
	                    kva_end(KVA_KERNEL_MAP) - kva_start(KVA_KERNEL_MAP),
	                    m->kernel_index, m->kernel_records);
	/* A frame for every page of kmem_map kept for interrupt handlers. */
	pmm_reserve_set_target(allocators[KMEM_MAP].reserve_pages);
	pmm_reserve_refill();
	pmm_set_free_hook(wake_memory_waiters);
	pmm_set_fail_hook(inject_frame);
	initialized = true;
	if (design_2003)
		kprintf("kmem: kmem_design=2003: every kmalloc comes from "
		        "kmem_map, M_NOINTR is ignored, and M_WAITOK panics "
		        "when kmem_map is full (for teaching; see the "
		        "README)\n");
}

/* A broken rule is the caller's bug, not a shortage: name it and stop. */
static __attribute__((noreturn)) void misuse(const char *rule, int type,
                                             vaddr_t caller)
{
	vaddr_t off;
	const char *fn = ksym_lookup(caller, &off);

	panic("kmalloc: %s (type %s), called from %s+0x%x", rule,
	      kmem_type_name(type), fn != NULL ? fn : "?", (unsigned)off);
}

static void check_rules(int type, int flags, bool interrupt, vaddr_t caller)
{
	if (type < 0 || type >= M_NTYPES)
		misuse("no such malloc type", type, caller);
	if (((flags & M_NOWAIT) != 0) == ((flags & M_WAITOK) != 0))
		misuse("exactly one of M_NOWAIT and M_WAITOK is needed", type,
		       caller);
	if (interrupt && (flags & M_WAITOK))
		misuse("M_WAITOK used in interrupt context", type, caller);
	if (interrupt && (flags & M_NOINTR))
		misuse("M_NOINTR used in interrupt context", type, caller);
}

/* Statistics of one kmalloc() outcome; kmem_lock held. */
static void account(int type, size_t bytes, bool ok)
{
	struct kmem_type_stats *s = &type_stats[type];

	if (ok) {
		s->requests++;
		s->inuse += bytes;
		s->highwater = MAX(s->highwater, s->inuse);
	} else {
		s->failures++;
	}
}

static void unaccount(int type, size_t bytes)
{
	KASSERT(type_stats[type].inuse >= bytes);
	type_stats[type].inuse -= bytes;
}

/* Whether fault injection picks this call; kmem_lock held. */
static bool inject(int type, bool nointr)
{
	return failing.spec.mode != FAIL_OFF &&
	       fail_should_fail(&failing, type, nointr);
}

/*
 * The frame allocator's fail hook (pmm_set_fail_hook()).  The frames
 * kmalloc takes for itself are taken with kmem_lock held: the kmalloc
 * call that needed them was the allocation counted, so they are not.
 * Frames for user memory count as the nointr side: no handler asks.
 */
static bool inject_frame(void)
{
	bool fail;

	if (spin_held(&kmem_lock))
		return false;
	spin_lock(&kmem_lock);
	fail = inject(FAIL_TYPE_FRAME, !in_interrupt());
	spin_unlock(&kmem_lock);
	return fail;
}

/*
 * One try, fault injection first; kmem_lock held.  Before giving up, the
 * empty pages the pools keep cached go back to the allocator and the
 * request is tried once more.
 */
static void *attempt(struct kmem_allocator *a, size_t want, int type,
                     bool interrupt, bool *injected)
{
	void *p;

	*injected = inject(type, a->nointr);
	if (*injected)
		return NULL;
	p = kmem_allocator_alloc(a, want, type, interrupt);
	if (p == NULL) {
		kmem_allocator_drain(a);
		p = kmem_allocator_alloc(a, want, type, interrupt);
	}
	return p;
}

/*
 * kmem_design=2003: an M_WAITOK request that failed for want of kmem_map's
 * VA, not of frames, panics with FreeBSD 5's message (kmem_malloc() in
 * sys/vm/vm_kern.c): SIZE is what was asked of the map, a page for a
 * bucket or the rounded size of a large block, and N is what the map has
 * allocated (FreeBSD's map->size).  Lack of frames still sleeps, as
 * FreeBSD's VM_WAIT did.  kmem_lock held; dropped before the panic, which
 * prints every statistic.
 */
static void panic_if_kmem_map_full(struct kmem_allocator *a, size_t want)
{
	size_t asked, allocated;

	if (!kmem_allocator_lacks_va(a, want, false, &asked))
		return;
	allocated = a->arena.vm_inuse;
	spin_unlock(&kmem_lock);
	panic("kmem_malloc(%u): kmem_map too small: %u total allocated",
	      (unsigned)asked, (unsigned)allocated);
}

/*
 * An M_WAITOK request that fault injection keeps refusing sleeps a tick
 * per try; after this many tries in a row it says so, once, so that a
 * spec that refuses everything (every:1) shows where the kernel waits.
 */
#define INJECTED_TRIES_BEFORE_NOTE 100

static void note_injected_retries(size_t want, int type, vaddr_t caller)
{
	spin_unlock(&kmem_lock);
	kprintf("kmalloc: fault injection refused %u tries of an M_WAITOK "
	        "request for %u bytes of type %s from ",
	        INJECTED_TRIES_BEFORE_NOTE, (unsigned)want,
	        kmem_type_name(type));
	ksym_print(caller);
	kprintf("; it goes on retrying, a tick apart, until the spec lets "
	        "one through (`fail off` ends it)\n");
	spin_lock(&kmem_lock);
}

/*
 * M_WAITOK: sleep until memory is freed, then try again.  An injected
 * failure is not a shortage, so nothing would wake us: sleep one tick.
 * Called and returns with kmem_lock held.
 */
static void *wait_and_retry(struct kmem_allocator *a, size_t want, int type,
                            bool injected, vaddr_t caller)
{
	void *p = NULL;
	unsigned injected_tries = 0;

	while (p == NULL) {
		if (design_2003 && !injected)
			panic_if_kmem_map_full(a, want);
		type_stats[type].sleeps++;
		if (injected) {
			if (++injected_tries == INJECTED_TRIES_BEFORE_NOTE)
				note_injected_retries(want, type, caller);
			spin_unlock(&kmem_lock);
			sleep_ticks(1);
			spin_lock(&kmem_lock);
		} else {
			injected_tries = 0;
			memory_waiters++;
			sleep(&memory_freed, &kmem_lock, "kmem");
			memory_waiters--;
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

void *kmalloc(size_t size, int type, int flags)
{
	vaddr_t caller = (vaddr_t)__builtin_return_address(0);
	bool interrupt = in_interrupt();
	bool injected = false;
	struct kmem_allocator *a;
	size_t want;
	void *p = NULL;

	check_rules(type, flags, interrupt, caller);
	if (flags & M_WAITOK)	/* the rules hold even when it need not sleep */
		assert_may_sleep_at(NULL, __FILE__, __LINE__);
	a = allocator_for(flags);
	want = kmem_debug_enabled ? kmem_debug_size(size) : size;

	spin_lock(&kmem_lock);
	calls++;
	if (size != 0 && want >= size &&
	    kmem_allocator_can_ever_hold(a, want, interrupt)) {
		p = attempt(a, want, type, interrupt, &injected);
		if (p == NULL && (flags & M_WAITOK))
			p = wait_and_retry(a, want, type, injected, caller);
	}
	if (!interrupt)
		pmm_reserve_refill();
	account(type, kmem_allocator_round(a, want), p != NULL);
	spin_unlock(&kmem_lock);

	if (p != NULL && kmem_debug_enabled)
		p = kmem_debug_alloc(p, kmem_allocator_round(a, want), size,
		                     type, want > a->max_object, caller);
	if (p != NULL && (flags & M_ZERO))
		memset(p, 0, size);
	return p;
}

uint64_t kmem_calls(void)
{
	return calls;
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
	kprintf("kfree: refused %p (in %s): %s; called from ", p, where, what);
	ksym_print(caller);
	kprintf("\n");
	bad_frees++;
}

/* kmem_debug's checks; returns what to free, or NULL (reported). */
static void *debug_unwrap(struct kmem_allocator *a, void *p, vaddr_t caller)
{
	void *obj = (char *)p - KMEM_DEBUG_HEADER;
	size_t objsize;

	spin_lock(&kmem_lock);
	objsize = kmem_allocator_size_of(a, obj);
	spin_unlock(&kmem_lock);
	if (objsize == 0) {
		report_bad_free(p, a->name, "no kmalloc block starts there",
		                caller);
		return NULL;
	}
	return kmem_debug_free(p, objsize, caller);
}

void kfree(void *p)
{
	static const char *const why[] = {
		[KMEM_FREE_DOUBLE] = "double free",
		[KMEM_FREE_INTERIOR] = "not the start of an allocation "
		                       "(interior pointer)",
		[KMEM_FREE_UNKNOWN] = "not allocated (never, or freed already)",
	};
	vaddr_t caller = (vaddr_t)__builtin_return_address(0);
	struct kmem_allocator *a;
	enum kmem_free_error err;
	size_t size;
	int type;

	if (p == NULL)
		return;
	a = allocator_of((vaddr_t)p);
	if (a == NULL) {
		const struct kva_region *kr = kva_region_of((vaddr_t)p);
		report_bad_free(p, kr != NULL ? kr->name : "user space",
		                "no allocator owns this address", caller);
		return;
	}
	if (kmem_debug_enabled && (p = debug_unwrap(a, p, caller)) == NULL)
		return;
	spin_lock(&kmem_lock);
	err = kmem_allocator_free(a, p, &type, &size);
	if (err == KMEM_FREE_OK) {
		unaccount(type, size);
		wake_memory_waiters();
	}
	if (!in_interrupt())
		pmm_reserve_refill();
	spin_unlock(&kmem_lock);
	if (err != KMEM_FREE_OK)
		report_bad_free(p, a->name, why[err], caller);
}

size_t kmalloc_size(const void *p)
{
	struct kmem_allocator *a = allocator_of((vaddr_t)p);
	size_t size;

	if (a == NULL)
		return 0;
	if (kmem_debug_enabled)
		return kmem_debug_user_size(p);
	spin_lock(&kmem_lock);
	size = kmem_allocator_size_of(a, p);
	spin_unlock(&kmem_lock);
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
	spin_lock(&kmem_lock);
	calls++;
	if (!inject(type, true))
		va = kmem_allocator_alloc_guarded(a, size, type);
	account(type, size, va != VMEM_FAIL);
	spin_unlock(&kmem_lock);
	return va;
}

void kmem_free_guarded(vaddr_t va)
{
	size_t size;
	int type;

	spin_lock(&kmem_lock);
	kmem_allocator_free_guarded(&allocators[KERNEL_MAP], va, &type, &size);
	unaccount(type, size);
	wake_memory_waiters();
	spin_unlock(&kmem_lock);
}

void kmem_drain(void)
{
	KASSERT(!in_interrupt());	/* refilling the reserve is for threads */
	spin_lock(&kmem_lock);
	for (int i = 0; i < NALLOCATORS; i++)
		kmem_allocator_drain(&allocators[i]);
	pmm_reserve_refill();
	spin_unlock(&kmem_lock);
}

uint64_t kmem_tag_frames(void)
{
	struct vmem_stats vs;
	uint64_t frames = 0;

	spin_lock(&kmem_lock);
	for (int i = 0; i < NALLOCATORS; i++) {
		vmem_stats(&allocators[i].arena, &vs);
		frames += vs.vs_ntags / VMEM_TAGS_PER_PAGE;
	}
	spin_unlock(&kmem_lock);
	return frames;
}

void kmem_type_stats(int type, struct kmem_type_stats *out)
{
	spin_lock(&kmem_lock);
	*out = type_stats[type];
	spin_unlock(&kmem_lock);
}

bool kmem_fail_set(const char *spec, const char **why)
{
	struct fail_spec s;

	if (!fail_parse(spec, &s, fail_type_lookup, why))
		return false;
	spin_lock(&kmem_lock);
	if (s.mode == FAIL_OFF)
		failing.spec = s;	/* keep the counts for `fail` to show */
	else
		fail_start(&failing, &s);
	spin_unlock(&kmem_lock);
	return true;
}

/* Everything `kmem` prints, copied at one moment. */
struct kmem_snapshot {
	struct kmem_type_stats types[M_NTYPES];
	struct kmem_allocator_stats allocators[NALLOCATORS];
	struct pmm_reserve_stats reserve;
	struct fail_state failing;
	uint64_t bad_frees;
};

static void take_snapshot(struct kmem_snapshot *s)
{
	/*
	 * A panic inside kmalloc() finds the lock held and must still print:
	 * then read without it (a torn figure beats none).
	 */
	bool lock = kmem_lock.owner == NULL;

	if (lock)
		spin_lock(&kmem_lock);
	for (int t = 0; t < M_NTYPES; t++)
		s->types[t] = type_stats[t];
	for (int i = 0; i < NALLOCATORS; i++)
		kmem_allocator_stats(&allocators[i], &s->allocators[i]);
	pmm_reserve_stats(&s->reserve);
	s->failing = failing;
	s->bad_frees = bad_frees;
	if (lock)
		spin_unlock(&kmem_lock);
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

	spin_lock(&kmem_lock);
	n = failing.injected;
	spin_unlock(&kmem_lock);
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
	print_fail_state(&snap.failing);
	if (design_2003)
		kprintf("design: kmem_design=2003 (M_NOINTR ignored; M_WAITOK "
		        "panics when kmem_map is full)\n");
	kprintf("refused frees: %llu; kmem_debug %s, %llu problems found\n",
	        (unsigned long long)snap.bad_frees,
	        kmem_debug_enabled ? "on" : "off",
	        (unsigned long long)kmem_debug_reports);
}
