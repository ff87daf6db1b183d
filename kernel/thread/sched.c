/*
 * kernel/thread/sched.c - round-robin scheduling, preemption, sleep and
 * wakeup, on every CPU.
 *
 * Data: one FIFO run queue of READY threads, one sleep queue of SLEEPING
 * threads (a thread is on at most one, linked through q_link), and per
 * CPU an idle thread, which is on neither and runs when the run queue is
 * empty, and need_resched (kernel/cpu/percpu.h).  sched_lock guards both
 * queues and every thread's scheduling state.  4.4BSD hashed its sleep
 * queues by channel; with at most 65 threads one list will do.
 *
 * One queue under one lock, not a queue per CPU: Kiva has at most 8 CPUs
 * and 65 threads, a switch holds the lock for a few hundred instructions,
 * and a single queue balances the load by itself (a CPU that runs out of
 * work takes the next ready thread, wherever it last ran), with nothing
 * to migrate or steal.  Its cost is that every switch on every CPU takes
 * the same lock, which at this scale is cheap (`kmem` and `cpus` show the
 * counts); per-CPU queues with stealing are the step after this one.  A
 * thread woken while some CPU idles is given to that CPU at once: its
 * need_resched is set and it is sent a reschedule IPI.
 *
 * Preemption.  The timer tick (in interrupt context: the local APIC's
 * timer on each CPU, or the PIT where there is no APIC) only counts down
 * the running thread's turn and sets need_resched; the switch itself
 * happens in sched_preempt(), which trap() calls once the handler has
 * returned, the EOI is sent and the interrupt depth is back to 0.
 * Switching inside the handler would leave the interrupt unacknowledged
 * (and its line masked) for as long as the other thread runs.  The
 * preempted thread keeps its trap frame on its own stack and resumes
 * inside trap(), which returns to it with iret as if nothing happened.
 * Code that holds a spinlock or called preempt_disable() is not preempted:
 * need_resched stays set and the next interrupt after it is done switches.
 * The clock (the PIT, on the boot CPU) ends timed sleeps.
 *
 * Every switch goes through sched_switch() at spin depth 1 holding
 * sched_lock, which passes to the thread switched to (spin_handoff): so
 * no other CPU can take the outgoing thread off the run queue, or wake it,
 * before switch_context() has saved its registers.  The incoming thread
 * lets go of the lock and restores its own interrupt flag on the way out.
 * A thread that ended is still on its stack until the switch is done:
 * on_cpu says when it is off it, for whoever frees that stack.
 */
#include "kernel/thread/sched.h"

#include "drivers/pit.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/fpu.h"
#include "kernel/cpu/gdt.h"
#include "kernel/cpu/percpu.h"
#include "kernel/cpu/smp.h"
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

static struct spinlock sched_lock = SPINLOCK_INIT("sched");
static struct list run_queue = LIST_INIT(run_queue);
static struct list sleep_queue = LIST_INIT(sleep_queue);

static void rq_append(struct thread *t)
{
	list_push_back(&run_queue, &t->q_link);
}

/* The next thread for CPU c: the head of the run queue, or c's idle. */
static struct thread *rq_take(struct cpu *c)
{
	struct list_node *n = list_pop_front(&run_queue);

	return n != NULL ? list_entry(n, struct thread, q_link) : c->idle;
}

/*
 * A thread was queued: if a CPU idles, it should take it now.  This CPU
 * first (it switches at the end of this interrupt or lock), else the
 * first idle one, with an IPI.  Idle has nothing to finish.
 */
static void kick_idle_cpu(void)
{
	struct cpu *self = cpu_self();
	unsigned n = smp_ncpus();

	if (self->thread == self->idle) {
		self->need_resched = true;
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		struct cpu *c = &cpus[i];

		if (c != self && c->thread == c->idle && !c->need_resched) {
			c->need_resched = true;
			smp_reschedule(i);
			return;
		}
	}
}

/* Moves a thread off the sleep queue (or a new one) onto the run queue. */
static void make_ready(struct thread *t, enum sleep_end why)
{
	KASSERT(spin_held(&sched_lock));
	t->sleep_end = why;
	t->wchan = NULL;
	t->wmesg = NULL;
	t->deadline = 0;
	t->state = THREAD_READY;
	rq_append(t);
	kick_idle_cpu();
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
 * Run by the thread switched to, still holding sched_lock: prev's
 * registers are saved, so another CPU may run it (once the lock is let
 * go) or free its stack from now on.
 */
static void switched_from(struct thread *prev)
{
	__atomic_store_n(&prev->on_cpu, false, __ATOMIC_RELEASE);
}

/*
 * Gives the CPU to the next ready thread.  The caller holds sched_lock at
 * spin depth 1 and has set curthread->state: RUNNING to take its turn
 * again later (preemption), SLEEPING or ZOMBIE to leave the run queue.
 * Returns when the caller is switched back to, if ever, again holding
 * sched_lock, with the thread that ran before it, for the caller to pass
 * to sched_switch_finish() once it has let go of the lock (NULL if there
 * was no switch).  Along with the stack go the kernel stack for traps
 * from ring 3 (the TSS's esp0), the address space, and a process's
 * x87/SSE registers (kernel/cpu/fpu.h).
 */
static struct thread *sched_switch(void)
{
	struct thread *prev = curthread, *next;
	struct cpu *c = cpu_self();

	KASSERT(prev->spin_depth == 1 && spin_held(&sched_lock));
	if (prev->state == THREAD_RUNNING) {
		prev->state = THREAD_READY;
		if (prev != c->idle)
			rq_append(prev);
	}
	next = rq_take(c);
	KASSERT(next != NULL);	/* sched_init() has run */
	c->need_resched = false;
	next->state = THREAD_RUNNING;
	next->slice = SCHED_SLICE_TICKS;
	next->cpu = c->index;
	if (next == prev)
		return NULL;
	KASSERT(!next->on_cpu);	/* its last switch away is finished */
	next->on_cpu = true;
	spin_handoff(&sched_lock, next);	/* while curthread is prev */
	c->thread = next;
	c->switches++;
	tss_set_kernel_stack(next->kstack.top);
	switch_address_space(next);
	if (prev->fpu != NULL)
		fpu_save(prev->fpu);
	if (next->fpu != NULL)
		fpu_restore(next->fpu);
	prev = switch_context(prev, next);
	switched_from(prev);
	return prev;
}

void sched_switch_finish(struct thread *prev)
{
	/* A detached thread that ended can go now that we are off its stack. */
	if (prev != NULL && prev->reap_after_switch)
		thread_reap(prev);
}

void sched_start_thread(struct thread *prev)
{
	switched_from(prev);
	spin_unlock(&sched_lock);
	sched_switch_finish(prev);
}

void sched_make_ready(struct thread *t)
{
	spin_lock(&sched_lock);
	make_ready(t, SLEEP_WOKEN);
	spin_unlock(&sched_lock);
}

void sched_preempt(void)
{
	struct thread *t = curthread, *prev;

	if (!cpu_self()->need_resched || in_interrupt() ||
	    t->spin_depth > 0 || t->preempt_count > 0)
		return;
	spin_lock(&sched_lock);
	prev = sched_switch();
	spin_unlock(&sched_lock);
	sched_switch_finish(prev);
}

void sched_exit(void)
{
	KASSERT(curthread->state == THREAD_ZOMBIE);
	spin_lock(&sched_lock);
	spinlock_exit();	/* thread_exit()'s; sched_lock's remains */
	sched_switch();
	panic("thread %s ran again after it ended", curthread->name);
}

/* Counts down the running thread's turn on this CPU (interrupts off). */
void sched_cpu_tick(void)
{
	struct cpu *c = cpu_self();
	struct thread *t = c->thread;

	spin_lock(&sched_lock);
	if (t != c->idle && --t->slice <= 0 && !list_empty(&run_queue))
		c->need_resched = true;
	spin_unlock(&sched_lock);
}

/*
 * The PIT's tick, on the boot CPU: ends timed sleeps that are due, and
 * counts the boot CPU's turn where no APIC timer does.
 */
static void sched_clock_tick(void)
{
	uint64_t now = ticks();
	struct list_node *n, *next;
	struct thread *t;

	spin_lock(&sched_lock);
	list_for_each_safe(n, next, &sleep_queue) {
		t = list_entry(n, struct thread, q_link);
		if (t->deadline != 0 && now >= t->deadline) {
			list_remove(n);
			make_ready(t, SLEEP_TIMED_OUT);
		}
	}
	spin_unlock(&sched_lock);
	if (!smp_lapic_ticks())
		sched_cpu_tick();
}

void sched_init(struct thread *idle)
{
	cpu_self()->idle = idle;
	if (!pit_add_tick_hook(sched_clock_tick))
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
	if (t == cpu_self()->idle)
		panic("sleeping in the idle thread at %s:%d", file, line);
}

enum sleep_end sleep_at(const void *chan, struct spinlock *lk,
                        const char *wmesg, uint64_t timo, int flags,
                        const char *file, int line)
{
	struct thread *t = curthread, *prev;
	enum sleep_end end;

	KASSERT(chan != NULL || timo != 0);	/* else nothing could wake it */
	assert_may_sleep_at(lk, file, line);

	/*
	 * Queue first, then let go of lk: a waker needs lk to change the
	 * condition, and by then we are on the sleep queue.  A waker on
	 * another CPU then waits for sched_lock, which we hold until we are
	 * switched away: it cannot make us ready while we still run.  The
	 * order is always lk, then sched_lock (wakeup() is called under lk).
	 */
	spin_lock(&sched_lock);
	if ((flags & SLEEP_INTERRUPTIBLE) && t->interrupted) {
		spin_unlock(&sched_lock);
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
	prev = sched_switch();
	end = t->sleep_end;
	spin_unlock(&sched_lock);
	sched_switch_finish(prev);

	if (lk != NULL)
		spin_lock_at(lk, file, line);
	return end;
}

void wakeup(const void *chan)
{
	struct list_node *n, *next;

	KASSERT(chan != NULL);
	spin_lock(&sched_lock);
	list_for_each_safe(n, next, &sleep_queue) {
		struct thread *t = list_entry(n, struct thread, q_link);

		if (t->wchan == chan) {
			list_remove(n);
			make_ready(t, SLEEP_WOKEN);
		}
	}
	spin_unlock(&sched_lock);
}

void sched_interrupt(struct thread *t)
{
	spin_lock(&sched_lock);
	t->interrupted = true;
	if (t->state == THREAD_SLEEPING &&
	    (t->sleep_flags & SLEEP_INTERRUPTIBLE)) {
		list_remove(&t->q_link);	/* a sleeper is on the queue */
		make_ready(t, SLEEP_INTERRUPTED);
	}
	spin_unlock(&sched_lock);
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
