/*
 * kernel/thread/thread.c - the thread table, the life of a thread, and `ps`.
 *
 * Records live in a fixed table with one entry per stack slot plus one for
 * thread 0, so a record is free whenever a slot is.  thread_lock covers
 * the table as other threads see it: which records are in use, and the
 * ZOMBIE and detached marks that decide who frees a thread.
 *
 * The life of a thread:
 *
 *  1. thread_create() takes a stack slot and a record and builds, at the
 *     top of the stack, the frame switch_context() pops (struct
 *     first_frame): the first switch to the thread "returns" into
 *     thread_trampoline (switch.S), which calls thread_start().
 *  2. thread_start() finishes the switch, turns interrupts on and calls
 *     the thread's function; when that returns, thread_exit().
 *  3. thread_exit() marks the thread ZOMBIE, wakes a joiner and leaves the
 *     CPU for good.
 *  4. thread_reap() frees record and stack: from thread_join(), or, for a
 *     detached thread, from the next thread right after the switch
 *     (sched_switch_finish).  Never from the thread itself: nothing can
 *     free the stack it is running on.
 */
#include "kernel/thread/thread.h"

#include "kernel/cpu/cpu.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/kstring.h"
#include "kernel/debug/panic.h"
#include "kernel/thread/sched.h"
#include "kernel/thread/spinlock.h"
#include "mm/kmem.h"
#include "kernel/cpu/trap.h"

#define NTHREADS (KSTACK_SLOTS + 1)
#define IDLE_ALLOC_TRIES 8

/*
 * How far below thread_init()'s frame the boot stack is marked unused:
 * room for the frames of the functions it calls while marking.
 */
#define BOOT_FILL_MARGIN 1024

_Static_assert(offsetof(struct thread, esp) == 0, "switch.S uses esp at 0");

/* What switch_context() pops for a thread that has never run. */
struct first_frame {
	uint32_t eflags;		/* DF and the rest clear, IF too */
	uint32_t edi, esi, ebx, ebp;	/* callee-saved registers */
	uint32_t eip;			/* where its ret goes */
};

extern char boot_stack[], boot_stack_top[];	/* boot/boot.S */
void thread_trampoline(void);			/* kernel/thread/switch.S */
__attribute__((noreturn)) void thread_start(struct thread *prev);

static struct thread threads[NTHREADS] = {
	[0] = {
		.tid = 0,
		.name = "main",
		.state = THREAD_RUNNING,
		.kstack = { -1, (vaddr_t)boot_stack, (vaddr_t)boot_stack_top },
		.on_cpu = true,
	},
};

static struct spinlock thread_lock = SPINLOCK_INIT("threads");
static int next_tid = 1;

static const char *const state_names[] = {
	[THREAD_FREE] = "free",
	[THREAD_READY] = "ready",
	[THREAD_RUNNING] = "running",
	[THREAD_SLEEPING] = "sleeping",
	[THREAD_ZOMBIE] = "zombie",
};

/*
 * The idle thread.  It never looks at the run queue: whoever makes a
 * thread ready while this CPU idles sets its need_resched (sched.c), and
 * from another CPU also sends it a reschedule IPI, so an interrupt always
 * comes, and the end of that interrupt switches away.  sti;hlt is one
 * step: STI enables interrupts only after the next instruction (SDM Vol.
 * 2B, STI), so no interrupt can slip in before the hlt and leave the CPU
 * halted with a thread ready.
 */
void thread_idle_loop(void)
{
	for (;;)
		irq_enable_and_halt();
}

static void idle_entry(void *arg)
{
	(void)arg;
	thread_idle_loop();
}

struct thread *thread_boot(void)
{
	return &threads[0];
}

void thread_set_name(struct thread *t, const char *name)
{
	size_t n = MIN(strlen(name), (size_t)THREAD_NAME_MAX - 1);

	memcpy(t->name, name, n);
	t->name[n] = '\0';
}

/*
 * A record and a stack for a thread that will start at entry(arg), not yet
 * on the run queue.  Returns NULL when no slot, record or frame is left.
 */
static struct thread *thread_alloc(const char *name, void (*entry)(void *),
                                   void *arg)
{
	struct thread *t = NULL;
	struct first_frame *f;
	struct kstack ks;
	if (!kstack_alloc(&ks))
		return NULL;
	spin_lock(&thread_lock);
	for (int i = 0; i < NTHREADS && t == NULL; i++)
		if (threads[i].state == THREAD_FREE &&
		    !threads[i].stack_freeing)
			t = &threads[i];
	/*
	 * There is a record for every slot, but a record whose stack another
	 * CPU is just giving back (stack_freeing) may be the one for ours:
	 * then, for that moment, there is none.
	 */
	if (t == NULL) {
		spin_unlock(&thread_lock);
		kstack_free(&ks);
		return NULL;
	}
	*t = (struct thread){
		.tid = next_tid++,
		.state = THREAD_READY,
		.kstack = ks,
		.entry = entry,
		.arg = arg,
		/* What thread_start() undoes: it turns interrupts on. */
		.spin_depth = 1,
		.spin_eflags = EFLAGS_IF,
	};
	thread_set_name(t, name);
	/* ebp = 0 ends backtraces (kernel/debug/panic.c) in thread_trampoline. */
	f = (struct first_frame *)ks.top - 1;
	*f = (struct first_frame){
		.eflags = EFLAGS_RESERVED_1,
		.eip = (uint32_t)thread_trampoline,
	};
	t->esp = (uint32_t)f;
	spin_unlock(&thread_lock);
	return t;
}

void thread_start(struct thread *prev)
{
	struct thread *t = curthread;

	sched_start_thread(prev);	/* interrupts on from here */
	t->entry(t->arg);
	thread_exit();
}

void thread_init(void)
{
	struct thread *idle;

	/*
	 * Mark the part of the boot stack below us as unused, for the
	 * high-water mark.  What kmain's callers used deeper before this
	 * point is forgotten: thread 0's mark counts from here.
	 */
	kstack_fill(threads[0].kstack.base,
	            (vaddr_t)__builtin_frame_address(0) - BOOT_FILL_MARGIN);

	/*
	 * Memory is plentiful this early (kmain checked that the frames are
	 * there), but fault injection (the fail= option) may refuse an
	 * allocation on purpose: like an M_WAITOK caller, try again.  Only a
	 * spec that fails everything gets past the tries, and then there is
	 * no thread to run: say which allocation it was, and stop.  That is
	 * no bug of the kernel's, so no panic; failing with nothing injected
	 * is one (kmain checked that the memory is there).
	 */
	idle = thread_alloc("idle", idle_entry, NULL);
	for (int i = 1; i < IDLE_ALLOC_TRIES && idle == NULL; i++) {
		kprintf("thread_init: no stack for the idle thread (kmalloc "
		        "type thread, from kernel_map), try %d of %d; trying "
		        "again\n", i, IDLE_ALLOC_TRIES);
		idle = thread_alloc("idle", idle_entry, NULL);
	}
	if (idle == NULL && kmem_fail_injected() == 0)
		panic("thread_init: no stack for the idle thread");
	if (idle == NULL) {
		kprintf("thread_init: %d tries refused: Kiva cannot run without "
		        "an idle thread.  ", IDLE_ALLOC_TRIES);
		kmem_fail_print();
		kprintf("Halted.\n");
		for (;;)
			halt();
	}
	sched_init(idle);
}

struct thread *thread_create_idle(const char *name)
{
	struct thread *t = thread_alloc(name, idle_entry, NULL);

	if (t != NULL) {
		/* Its CPU starts on it, interrupts off, with no switch. */
		t->state = THREAD_RUNNING;
		t->on_cpu = true;
		t->spin_depth = 0;
	}
	return t;
}

struct thread *thread_create(const char *name, void (*entry)(void *arg),
                             void *arg)
{
	struct thread *t = thread_alloc(name, entry, arg);

	if (t != NULL)
		sched_make_ready(t);
	return t;
}

struct thread *thread_create_detached(const char *name,
                                      void (*entry)(void *arg), void *arg,
                                      struct thread **where)
{
	struct thread *t = thread_alloc(name, entry, arg);

	*where = t;
	if (t != NULL) {
		t->detached = true;	/* not running yet: no lock needed */
		sched_make_ready(t);
	}
	return t;
}

void thread_exit(void)
{
	struct thread *t = curthread;

	KASSERT(t->kstack.slot >= 0);	/* thread 0 has nowhere to end */
	KASSERT(!in_interrupt() && t->spin_held == NULL);
	spin_lock(&thread_lock);
	t->state = THREAD_ZOMBIE;
	/* Decided under the lock, so exactly one thread frees it. */
	t->reap_after_switch = t->detached;
	wakeup(t);
	/* Interrupts stay off past the unlock: nothing runs us again. */
	spinlock_enter();
	spin_unlock(&thread_lock);
	sched_exit();
}

void thread_join(struct thread *t)
{
	KASSERT(t != curthread && !t->detached);
	spin_lock(&thread_lock);
	KASSERT(t->state != THREAD_FREE);	/* joined twice? */
	while (t->state != THREAD_ZOMBIE)
		sleep(t, &thread_lock, "join");
	spin_unlock(&thread_lock);
	thread_reap(t);
}

void thread_detach(struct thread *t)
{
	bool ended;

	spin_lock(&thread_lock);
	KASSERT(t->state != THREAD_FREE && !t->detached);
	t->detached = true;
	ended = t->state == THREAD_ZOMBIE;
	spin_unlock(&thread_lock);
	if (ended)
		thread_reap(t);
}

void thread_reap(struct thread *t)
{
	struct kstack ks = t->kstack;

	KASSERT(t->state == THREAD_ZOMBIE);
	/* It may still be leaving its CPU: a few instructions more. */
	while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
		__builtin_ia32_pause();
	/* Free the record first, so that `ps` never reads a freed stack. */
	spin_lock(&thread_lock);
	t->state = THREAD_FREE;
	t->stack_freeing = true;	/* not reused until the stack is back */
	spin_unlock(&thread_lock);
	kstack_free(&ks);
	spin_lock(&thread_lock);
	t->stack_freeing = false;
	wakeup(&t->kstack);	/* thread_wait_freed(): all of it is back */
	spin_unlock(&thread_lock);
}

void thread_wait_freed(const struct thread *t, int tid)
{
	spin_lock(&thread_lock);
	while (t->tid == tid && (t->state != THREAD_FREE || t->stack_freeing))
		sleep(&t->kstack, &thread_lock, "reap");
	spin_unlock(&thread_lock);
}

size_t thread_stack_used(const struct thread *t)
{
	return kstack_used(t->kstack.base, t->kstack.top);
}

const struct thread *thread_guard_owner(vaddr_t va)
{
	for (int i = 0; i < NTHREADS; i++) {
		const struct thread *t = &threads[i];

		if (t->state != THREAD_FREE && t->kstack.slot >= 0 &&
		    va >= t->kstack.base - PAGE_SIZE && va < t->kstack.base)
			return t;
	}
	return NULL;
}

void thread_print_all(void)
{
	kprintf("threads (tid: thread id):\n");
	kprintf("  tid  name              state     cpu  wchan         "
	        "stack used (bytes)\n");
	for (int i = 0; i < NTHREADS; i++) {
		const struct thread *t = &threads[i];
		char name[THREAD_NAME_MAX];
		const char *state, *wmesg;
		size_t used, size;
		unsigned cpu;
		int tid;

		/* A record at a time: printing is slow for interrupts off. */
		spin_lock(&thread_lock);
		if (t->state == THREAD_FREE) {
			spin_unlock(&thread_lock);
			continue;
		}
		tid = t->tid;
		memcpy(name, t->name, sizeof(name));
		state = state_names[t->state];
		wmesg = t->wmesg != NULL ? t->wmesg : "-";
		cpu = t->cpu;
		used = thread_stack_used(t);
		size = t->kstack.top - t->kstack.base;
		spin_unlock(&thread_lock);
		kprintf("%5d  %-16s  %-8s  %3u  %-12s  %5zu of %zu\n", tid,
		        name, state, cpu, wmesg, used, size);
	}
	kprintf("kernel stack slots: %u of %d in use (thread 0 runs on the boot "
	        "stack, which is no slot)\n", kstack_slots_used(), KSTACK_SLOTS);
}
