/*
 * kernel/thread/sched.h - the scheduler, sleeping and waking, and the rules about
 * where a thread may sleep.
 *
 * Round robin with preemption: the ready threads take turns of
 * SCHED_SLICE_TICKS timer ticks; a thread that sleeps gives up the rest of
 * its turn, and a thread woken up joins the back of the queue.
 *
 * Sleeping and waking go through wait channels (4.4BSD's tsleep/wakeup): a
 * channel is any address both sides agree on, usually the object waited
 * for.  The condition is always checked under a spinlock that sleep()
 * releases only once the thread is on the sleep queue, so a wakeup between
 * the check and the sleep cannot be lost:
 *
 *	spin_lock(&input_lock);
 *	while (input_empty())
 *		sleep(&input, &input_lock, "console");  // drops, retakes lock
 *	... take a byte ...
 *	spin_unlock(&input_lock);
 *
 *	// in the interrupt handler:
 *	spin_lock(&input_lock);
 *	... put a byte ...
 *	wakeup(&input);
 *	spin_unlock(&input_lock);
 *
 * wakeup() wakes every thread sleeping on the channel, so each must check
 * its condition again: another may have got there first.
 *
 * Where a thread may not sleep, sleeping panics, naming the rule and the
 * caller's file and line:
 *
 *	sleeping in interrupt context at FILE:LINE
 *	sleeping while holding spinlock NAME at FILE:LINE
 *	sleeping with preemption disabled at FILE:LINE
 *	sleeping with interrupts disabled at FILE:LINE
 *
 * An interrupt handler borrows the stack of the thread it interrupted and
 * must finish before that thread can go on, and a spinlock's holder keeps
 * interrupts off, so in both cases the CPU could switch away from
 * something that cannot wait.  Anything that may sleep (mutex_lock, say)
 * says so with ASSERT_MAY_SLEEP() even on the paths where it does not.
 */
#ifndef KIVA_KERNEL_THREAD_SCHED_H
#define KIVA_KERNEL_THREAD_SCHED_H

#include "kernel/lib/errno.h"
#include "kernel/lib/types.h"

struct spinlock;
struct thread;

/*
 * A turn is 3 ticks (30 ms at HZ = 100): long against the cost of a
 * switch, short enough that with a few busy threads the shell still
 * answers a key within a tenth of a second.
 */
#define SCHED_SLICE_TICKS 3

/* For thread_init(): the idle thread, and the clock starts the turns. */
void sched_init(struct thread *idle);

/* Puts a new thread on the run queue (thread_create). */
void sched_make_ready(struct thread *t);

/*
 * The preemption point, called by trap() at the end of every IRQ, after
 * the handler and the EOI: switches threads when the current turn is over
 * or a thread woke while the CPU idled, unless the interrupted code had
 * preemption off (a spinlock, preempt_disable) or was itself a handler.
 */
void sched_preempt(void);

/*
 * The second half of every switch, run by the thread switched to once it
 * has let go of the scheduler's lock; prev is the thread that ran before
 * (NULL: none).
 */
void sched_switch_finish(struct thread *prev);

/*
 * A new thread's first step (thread_start): lets go of the scheduler's
 * lock, which the switch to it handed over, and finishes that switch.
 */
void sched_start_thread(struct thread *prev);

/*
 * For thread_exit(), at spin depth 1 (spinlock_enter) with no lock held
 * and curthread->state ZOMBIE: leaves the CPU for good.
 */
__attribute__((noreturn)) void sched_exit(void);

/* The scheduler tick of this CPU, in interrupt context (its timer's). */
void sched_cpu_tick(void);

/* How a sleep ended. */
enum sleep_end {
	SLEEP_WOKEN,		/* wakeup(chan) */
	SLEEP_TIMED_OUT,	/* timo ticks passed first */
	SLEEP_INTERRUPTED,	/* sched_interrupt(): the thread must stop */
};

/* sleep_at() flags. */
#define SLEEP_INTERRUPTIBLE 0x1	/* sched_interrupt() may end the sleep */

/*
 * Sleeps on chan until wakeup(chan), or until timo ticks have passed
 * (timo 0: no deadline), or, with SLEEP_INTERRUPTIBLE, until someone
 * calls sched_interrupt() for this thread (an interruptible sleep of a
 * thread already interrupted ends at once).  If lk is not NULL the caller
 * holds it; it is released while asleep and held again on return.  Use
 * the macros below, which name the caller.
 */
enum sleep_end sleep_at(const void *chan, struct spinlock *lk,
                        const char *wmesg, uint64_t timo, int flags,
                        const char *file, int line);

#define sleep(chan, lk, wmesg) \
	((void)sleep_at((chan), (lk), (wmesg), 0, 0, __FILE__, __LINE__))
/* Returns true if timo ticks passed without a wakeup. */
#define sleep_timeout(chan, lk, wmesg, timo) \
	(sleep_at((chan), (lk), (wmesg), (timo), 0, __FILE__, __LINE__) == \
	 SLEEP_TIMED_OUT)
/* Sleeps until n (> 0) more timer ticks have happened. */
#define sleep_ticks(n) \
	((void)sleep_at(NULL, NULL, "sleep", (n), 0, __FILE__, __LINE__))

/*
 * The interruptible forms, for sleeps on behalf of a process (a system
 * call): each returns 0, or -EINTR when the sleep was interrupted, which
 * the caller passes up so that the process can be ended.
 */
#define sleep_intr(chan, lk, wmesg) \
	(sleep_at((chan), (lk), (wmesg), 0, SLEEP_INTERRUPTIBLE, __FILE__, \
	          __LINE__) == SLEEP_INTERRUPTED ? -EINTR : 0)
#define sleep_ticks_intr(n) \
	(sleep_at(NULL, NULL, "sleep", (n), SLEEP_INTERRUPTIBLE, __FILE__, \
	          __LINE__) == SLEEP_INTERRUPTED ? -EINTR : 0)

/*
 * Marks t as interrupted, for good, and ends its sleep if it is in an
 * interruptible one; every interruptible sleep it tries later ends at
 * once.  Interrupt handlers may call it.
 */
void sched_interrupt(struct thread *t);

/* Wakes every thread sleeping on chan.  Interrupt handlers may call it. */
void wakeup(const void *chan);

/*
 * Panics, with the caller's file and line, unless the calling thread may
 * sleep holding (at most) the spinlock `interlock`.
 */
void assert_may_sleep_at(const struct spinlock *interlock, const char *file,
                         int line);
#define ASSERT_MAY_SLEEP() assert_may_sleep_at(NULL, __FILE__, __LINE__)

/*
 * Keeps the current thread on the CPU (interrupts stay on).  They nest; a
 * preemption that falls due meanwhile happens at the next interrupt after
 * the outermost preempt_enable().
 */
void preempt_disable(void);
void preempt_enable(void);

#endif
