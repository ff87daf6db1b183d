/*
 * kernel/thread/spinlock.h - spinlocks: short critical sections with
 * interrupts off, safe between CPUs.
 *
 * Taking one turns this CPU's interrupts off, then takes the lock word
 * with an atomic exchange, spinning while another CPU holds it.  Interrupts
 * off keeps this CPU's own handlers and threads away; the word keeps the
 * other CPUs away.  Beyond that the lock keeps bookkeeping that turns
 * misuse into a panic naming the lock:
 *
 *  - its owner (and where it was taken) and the owner's CPU, so taking it
 *    twice, releasing it from the wrong thread, or waiting for a holder
 *    on this same CPU (who cannot run to let go) is caught;
 *  - the owner's list of held spinlocks, so sleeping while holding one is
 *    caught with its name ("sleeping while holding spinlock NAME at ...",
 *    kernel/thread/sched.c);
 *  - the owner's spin depth, which keeps preemption off (kernel/thread/sched.c
 *    preempts only at depth 0), so the holder never leaves its CPU;
 *  - how often it was taken, and how often the taker had to wait.
 *
 * Use:
 *
 *	static struct spinlock input_lock = SPINLOCK_INIT("console input");
 *
 *	spin_lock(&input_lock);
 *	... a few dozen instructions, no sleeping ...
 *	spin_unlock(&input_lock);
 *
 * Interrupt handlers may take spinlocks (that is what they are for: data a
 * handler shares with threads); the owner recorded is then the thread the
 * handler interrupted.  Locks may be released in any order: the interrupt
 * flag comes back only when the last one is released.
 */
#ifndef KIVA_KERNEL_THREAD_SPINLOCK_H
#define KIVA_KERNEL_THREAD_SPINLOCK_H

#include "kernel/lib/types.h"

struct thread;

struct spinlock {
	unsigned locked;		/* the lock word: 1 while held */
	unsigned holder_cpu;		/* holder's cpu_index() + 1; 0: free */
	const char *name;		/* for panics and `ps` */
	struct thread *owner;		/* NULL when free */
	const char *file;		/* where the owner took it */
	int line;
	struct spinlock *held_next;	/* the owner's next (outer) held lock */
	/*
	 * Counted by the owner, under the lock: how often it was taken, and
	 * how often the taker found it held and had to wait (`kmem` shows
	 * them for the allocator's locks).
	 */
	uint64_t acquisitions;
	uint64_t contended;
};

#define SPINLOCK_INIT(lockname) { .name = (lockname) }

/*
 * Takes lk with interrupts off, spinning while another CPU holds it.
 * Panics if the calling thread already holds it ("recursive acquisition"),
 * or if another thread on this CPU holds it: that thread cannot be
 * running, so it broke a rule and would never let go.
 */
#define spin_lock(lk) spin_lock_at((lk), __FILE__, __LINE__)
/* Releases lk; panics if the calling thread is not its owner. */
#define spin_unlock(lk) spin_unlock_at((lk), __FILE__, __LINE__)

void spin_lock_at(struct spinlock *lk, const char *file, int line);
void spin_unlock_at(struct spinlock *lk, const char *file, int line);

/*
 * For the scheduler's switch: the calling thread, at spin depth 1 with lk
 * its only lock, gives lk to `to`, the thread it switches to, which lets
 * go of it once it runs.
 */
void spin_handoff(struct spinlock *lk, struct thread *to);

/* True when the calling thread holds lk (for KASSERTs). */
bool spin_held(const struct spinlock *lk);

/*
 * The interrupt-off section under every spinlock, without a lock: used by
 * per-CPU data, which only the CPU it belongs to touches.  They nest;
 * the interrupt flag of the outermost spinlock_enter() comes back at the
 * matching spinlock_exit() (FreeBSD's names for the same thing).
 */
void spinlock_enter(void);
void spinlock_exit(void);

#endif
