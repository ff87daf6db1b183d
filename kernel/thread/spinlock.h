/*
 * kernel/thread/spinlock.h - spinlocks: short critical sections with interrupts off.
 *
 * Kiva runs on one CPU, so a spinlock never spins: while a thread holds
 * one, interrupts are off, so no interrupt handler and no other thread can
 * run until it lets go.  What the lock adds to a bare irq_save() is
 * bookkeeping that turns misuse into a panic naming the lock:
 *
 *  - its owner (and where it was taken), so taking it twice or releasing
 *    it from the wrong thread is caught;
 *  - the owner's list of held spinlocks, so sleeping while holding one is
 *    caught with its name ("sleeping while holding spinlock NAME at ...",
 *    kernel/thread/sched.c);
 *  - the owner's spin depth, which keeps preemption off (kernel/thread/sched.c
 *    preempts only at depth 0).
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
 * flag comes back only when the last one is released.  On a multiprocessor
 * the same API would also spin on an atomic flag; nothing else changes.
 */
#ifndef KIVA_KERNEL_THREAD_SPINLOCK_H
#define KIVA_KERNEL_THREAD_SPINLOCK_H

#include "kernel/lib/types.h"

struct thread;

struct spinlock {
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
 * Takes lk with interrupts off.  Panics if the calling thread already holds
 * it ("recursive acquisition"), or if another thread holds it: on one CPU
 * that thread cannot be running, so it broke a rule and would never let go.
 */
#define spin_lock(lk) spin_lock_at((lk), __FILE__, __LINE__)
/* Releases lk; panics if the calling thread is not its owner. */
#define spin_unlock(lk) spin_unlock_at((lk), __FILE__, __LINE__)

void spin_lock_at(struct spinlock *lk, const char *file, int line);
void spin_unlock_at(struct spinlock *lk, const char *file, int line);

/* True when the calling thread holds lk (for KASSERTs). */
bool spin_held(const struct spinlock *lk);

/*
 * The interrupt-off section under every spinlock, without a lock: used by
 * the scheduler, whose data only the CPU it runs on touches.  They nest;
 * the interrupt flag of the outermost spinlock_enter() comes back at the
 * matching spinlock_exit() (FreeBSD's names for the same thing).
 */
void spinlock_enter(void);
void spinlock_exit(void);

#endif
