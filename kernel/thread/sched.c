/*
 * kernel/thread/sched.c - round-robin scheduling, preemption, sleep and wakeup.
 *
 * Data: a FIFO run queue of READY threads, one sleep queue of SLEEPING
 * threads (a thread is on at most one, linked through q_link), the idle
 * thread, which is on neither and runs when the run queue is empty, and
 * need_resched.  One CPU: turning interrupts off (spinlock_enter) is what
 * keeps every other thread and handler away from them.  4.4BSD hashed its
 * sleep queues by channel; with at most 65 threads one list will do.
 *
 * Preemption.  The timer tick (sched_tick, in interrupt context) only
 * counts down the running thread's turn and sets need_resched; the switch
 * itself happens in sched_preempt(), which trap() calls once the handler
 * has returned, the EOI is sent and the interrupt depth is back to 0.
 * Switching inside the handler would leave the interrupt unacknowledged
 * (and its line masked) for as long as the other thread runs.  The
 * preempted thread keeps its trap frame on its own stack and resumes
 * inside trap(), which returns to it with iret as if nothing happened.
 * Code that holds a spinlock or called preempt_disable() is not preempted:
 * need_resched stays set and the next interrupt after it is done switches.
 *
 * Every switch goes through sched_switch() at spin depth 1: the outgoing
 * thread's interrupt flag stays saved in it (kernel/thread/spinlock.c) and the
 * incoming one restores its own on the way out.
 */
#include "kernel/thread/sched.h"

#include "drivers/pit.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/fpu.h"
#include "kernel/cpu/gdt.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/list.h"
#include "kernel/debug/panic.h"
#include "kernel/thread/spinlock.h"
#include "kernel/thread/thread.h"
#include "kernel/cpu/trap.h"
#include "mm/paging.h"

/*
 * kernel/thread/switch.S: saves the callee-saved registers on from's stack and
 * its esp in from->esp, loads to's, and returns on to's stack; the value
 * returned there is the thread that switched to it.
 */
struct thread *switch_context(struct thread *from, struct thread *to);

static struct list run_queue = LIST_INIT(run_queue);
static struct list sleep_queue = LIST_INIT(sleep_queue);
static struct thread *idle_thread;
static bool need_resched;

static void rq_append(struct thread *t)
{
	list_push_back(&run_queue, &t->q_link);
}

/* The next thread to run: the head of the run queue, or idle. */
static struct thread *rq_take(void)
{
	struct list_node *n = list_pop_front(&run_queue);

	return n != NULL ? list_entry(n, struct thread, q_link) : idle_thread;
}

/* Moves a thread off the sleep queue (or a new one) onto the run queue. */
static void make_ready(struct thread *t, enum sleep_end why)
{
	t->sleep_end = why;
	t->wchan = NULL;
	t->wmesg = NULL;
	t->deadline = 0;
	t->state = THREAD_READY;
	rq_append(t);
	/* Idle has nothing to finish: switch at the end of this interrupt. */
	if (curthread == idle_thread)
		need_resched = true;
}

/*
 * Loads next's page tables unless they are loaded already.  Every address
 * space maps the kernel alike, so only the user part changes; loading CR3
 * also flushes the old user translations from the TLB (global kernel
 * pages stay, SDM Vol. 3A, 4.10.4.1).
 */
static void switch_address_space(const struct thread *next)
{
	uint32_t cr3 = next->cr3 != 0 ? next->cr3 : paging_kernel_cr3();

	if (read_cr3() != cr3)
		write_cr3(cr3);
}

/*
 * Gives the CPU to the next ready thread.  The caller is at spin depth 1
 * and has set curthread->state: RUNNING to take its turn again later
 * (preemption), SLEEPING or ZOMBIE to leave the run queue.  Returns when
 * the caller is switched back to, if ever.  Along with the stack go the
 * kernel stack for traps from ring 3 (the TSS's esp0), the address space,
 * and a process's x87/SSE registers (kernel/cpu/fpu.h).
 */
static void sched_switch(void)
{
	struct thread *prev = curthread, *next;

	KASSERT(prev->spin_depth == 1);
	if (prev->state == THREAD_RUNNING) {
		prev->state = THREAD_READY;
		if (prev != idle_thread)
			rq_append(prev);
	}
	next = rq_take();
	KASSERT(next != NULL);	/* sched_init() has run */
	need_resched = false;
	next->state = THREAD_RUNNING;
	next->slice = SCHED_SLICE_TICKS;
	if (next == prev)
		return;
	curthread = next;
	tss_set_kernel_stack(next->kstack.top);
	switch_address_space(next);
	if (prev->fpu != NULL)
		fpu_save(prev->fpu);
	if (next->fpu != NULL)
		fpu_restore(next->fpu);
	prev = switch_context(prev, next);
	sched_switch_finish(prev);
}

void sched_switch_finish(struct thread *prev)
{
	/* A detached thread that ended can go now that we are off its stack. */
	if (prev->state == THREAD_ZOMBIE && prev->detached)
		thread_reap(prev);
}

void sched_make_ready(struct thread *t)
{
	spinlock_enter();
	make_ready(t, SLEEP_WOKEN);
	spinlock_exit();
}

void sched_preempt(void)
{
	struct thread *t = curthread;

	if (!need_resched || in_interrupt() || t->spin_depth > 0 ||
	    t->preempt_count > 0)
		return;
	spinlock_enter();
	sched_switch();
	spinlock_exit();
}

void sched_exit(void)
{
	KASSERT(curthread->state == THREAD_ZOMBIE);
	sched_switch();
	panic("thread %s ran again after it ended", curthread->name);
}

/* Ends timed sleeps that are due and counts down the running turn. */
static void sched_tick(void)
{
	uint64_t now = ticks();
	struct list_node *n, *next;
	struct thread *t;

	spinlock_enter();
	list_for_each_safe(n, next, &sleep_queue) {
		t = list_entry(n, struct thread, q_link);
		if (t->deadline != 0 && now >= t->deadline) {
			list_remove(n);
			make_ready(t, SLEEP_TIMED_OUT);
		}
	}
	t = curthread;
	if (t != idle_thread && --t->slice <= 0 && !list_empty(&run_queue))
		need_resched = true;
	spinlock_exit();
}

void sched_init(struct thread *idle)
{
	idle_thread = idle;
	if (!pit_add_tick_hook(sched_tick))
		panic("sched_init: no free PIT tick hook");
}

void assert_may_sleep_at(const struct spinlock *interlock, const char *file,
                         int line)
{
	struct thread *t = curthread;
	uint32_t flags;

	if (in_interrupt())
		panic("sleeping in interrupt context at %s:%d", file, line);
	for (const struct spinlock *lk = t->spin_held; lk != NULL;
	     lk = lk->held_next)
		if (lk != interlock)
			panic("sleeping while holding spinlock %s at %s:%d",
			      lk->name, file, line);
	if (interlock != NULL && !spin_held(interlock))
		panic("sleeping on spinlock %s, which thread %s does not hold, "
		      "at %s:%d", interlock->name, t->name, file, line);
	if (t->preempt_count > 0)
		panic("sleeping with preemption disabled at %s:%d", file, line);
	/* The flags from before the interlock, or now if there is none. */
	flags = t->spin_depth > 0 ? t->spin_eflags : read_eflags();
	if (t->spin_depth != (interlock != NULL) || !(flags & EFLAGS_IF))
		panic("sleeping with interrupts disabled at %s:%d", file, line);
	if (t == idle_thread)
		panic("sleeping in the idle thread at %s:%d", file, line);
}

enum sleep_end sleep_at(const void *chan, struct spinlock *lk,
                        const char *wmesg, uint64_t timo, int flags,
                        const char *file, int line)
{
	struct thread *t = curthread;
	enum sleep_end end;

	KASSERT(chan != NULL || timo != 0);	/* else nothing could wake it */
	assert_may_sleep_at(lk, file, line);

	/*
	 * Queue first, then let go of lk: a waker needs lk to change the
	 * condition, and by then we are on the sleep queue.  Interrupts stay
	 * off from here until we are switched away.
	 */
	spinlock_enter();
	if ((flags & SLEEP_INTERRUPTIBLE) && t->interrupted) {
		spinlock_exit();
		return SLEEP_INTERRUPTED;
	}
	t->wchan = chan;
	t->wmesg = wmesg;
	t->deadline = timo != 0 ? ticks() + timo : 0;
	t->sleep_flags = flags;
	t->state = THREAD_SLEEPING;
	list_push_back(&sleep_queue, &t->q_link);
	if (lk != NULL)
		spin_unlock_at(lk, file, line);
	sched_switch();
	end = t->sleep_end;
	spinlock_exit();

	if (lk != NULL)
		spin_lock_at(lk, file, line);
	return end;
}

void wakeup(const void *chan)
{
	struct list_node *n, *next;

	KASSERT(chan != NULL);
	spinlock_enter();
	list_for_each_safe(n, next, &sleep_queue) {
		struct thread *t = list_entry(n, struct thread, q_link);

		if (t->wchan == chan) {
			list_remove(n);
			make_ready(t, SLEEP_WOKEN);
		}
	}
	spinlock_exit();
}

void sched_interrupt(struct thread *t)
{
	spinlock_enter();
	t->interrupted = true;
	if (t->state == THREAD_SLEEPING &&
	    (t->sleep_flags & SLEEP_INTERRUPTIBLE)) {
		list_remove(&t->q_link);	/* a sleeper is on the queue */
		make_ready(t, SLEEP_INTERRUPTED);
	}
	spinlock_exit();
}

void preempt_disable(void)
{
	curthread->preempt_count++;
}

void preempt_enable(void)
{
	KASSERT(curthread->preempt_count > 0);
	curthread->preempt_count--;
}
