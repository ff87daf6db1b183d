/*
 * kernel/thread/spinlock.c - spinlocks (see kernel/thread/spinlock.h).
 *
 * The lock word is taken with an atomic exchange (xchg, locked by
 * itself: SDM Vol. 3A, 8.1.2.1); the waiter spins on plain reads until
 * the word looks free, so that the cache line is not bounced between
 * CPUs by writes, with PAUSE in the loop (SDM Vol. 2B, PAUSE).  The
 * release is a plain store: on x86 a store is not reordered with the
 * loads and stores before it (SDM Vol. 3A, 8.2.2), and the compiler is
 * kept from moving the critical section past it by the release order.
 *
 * While it spins a CPU does the TLB flushes other CPUs ask of it
 * (smp_poll_tlb, kernel/cpu/smp.c): its interrupts are off, and the
 * holder may be waiting for this CPU to flush its TLB.
 *
 * The interrupt flag is saved per thread, not per lock: the first
 * spinlock_enter() of a thread keeps EFLAGS in the thread, the nested ones
 * only count, and the last spinlock_exit() restores it.  Saving it in each
 * lock would break on out-of-order release (take A with IF=1, take B with
 * IF=0, release A: A would turn interrupts back on while B is held).
 *
 * A thread switch happens only at depth 1 inside the scheduler, holding
 * the scheduler's lock, which spin_handoff() gives to the thread switched
 * to; each thread's depth and saved flags travel with it, so the thread
 * switched to restores its own interrupt state when it lets go.
 */
#include "kernel/thread/spinlock.h"

#include "kernel/cpu/cpu.h"
#include "kernel/cpu/percpu.h"
#include "kernel/cpu/smp.h"
#include "kernel/lib/kassert.h"
#include "kernel/debug/panic.h"
#include "kernel/thread/lockdebug.h"
#include "kernel/thread/thread.h"

void spinlock_enter(void)
{
	uint32_t flags = irq_save();
	struct thread *t = curthread;	/* stable now: interrupts are off */

	if (t->spin_depth++ == 0)
		t->spin_eflags = flags;
}

void spinlock_exit(void)
{
	struct thread *t = curthread;

	KASSERT(t->spin_depth > 0);
	if (--t->spin_depth == 0)
		irq_restore(t->spin_eflags);
}

/*
 * Spins until lk is free; interrupts are off.  A holder on this very CPU
 * can only be a thread that is not running (holding a spinlock keeps a
 * thread on its CPU, so it would have to have switched away holding it)
 * and will never let go: that is a bug to report, not to wait for.  Only
 * this CPU ever writes its own number into holder_cpu, and it clears it
 * before it lets go, so the check cannot mistake another CPU's hold for
 * ours.
 */
static void spin_wait(struct spinlock *lk, unsigned me, const char *file,
                      int line)
{
	for (;;) {
		while (__atomic_load_n(&lk->locked, __ATOMIC_RELAXED)) {
			if (__atomic_load_n(&lk->holder_cpu,
			                    __ATOMIC_RELAXED) == me)
				panic("spinlock %s: wanted by thread %s at "
				      "%s:%d but held on this CPU by thread "
				      "%s since %s:%d, which is not running "
				      "and so can never release it", lk->name,
				      curthread->name, file, line,
				      lk->owner != NULL ? lk->owner->name : "?",
				      lk->file, lk->line);
			smp_poll_tlb();
			__builtin_ia32_pause();
		}
		if (!__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE))
			return;
	}
}

void spin_lock_at(struct spinlock *lk, const char *file, int line)
{
	struct thread *owner = lk->owner;
	bool contended;

	/*
	 * Checked before anything changes, so that a test catching this panic
	 * (catch_run) finds the thread's lock state as it was.  Reading the
	 * owner unlocked is safe for this test: only a thread holding the
	 * lock writes itself there, so it reads as us only if we hold it.
	 */
	if (owner == curthread)
		panic("spinlock %s: recursive acquisition by thread %s at "
		      "%s:%d (it holds it since %s:%d)", lk->name, owner->name,
		      file, line, lk->file, lk->line);

	spinlock_enter();
	contended = __atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE);
	if (contended)
		spin_wait(lk, cpu_self()->index + 1, file, line);
	lk->owner = curthread;
	__atomic_store_n(&lk->holder_cpu, cpu_self()->index + 1,
	                 __ATOMIC_RELAXED);
	lk->file = file;
	lk->line = line;
	lk->held_next = curthread->spin_held;
	curthread->spin_held = lk;
	lk->acquisitions++;
	if (contended)
		lk->contended++;
	if (lockdebug_enabled)
		lockdebug_acquired(lk, file, line);
}

/* Takes lk off t's list of held locks. */
static void unlink_held(struct thread *t, struct spinlock *lk)
{
	struct spinlock **pp;

	/* Usually the innermost lock, so the walk ends at once. */
	for (pp = &t->spin_held; *pp != lk; pp = &(*pp)->held_next)
		KASSERT(*pp != NULL);
	*pp = lk->held_next;
	lk->held_next = NULL;
}

void spin_unlock_at(struct spinlock *lk, const char *file, int line)
{
	struct thread *t = curthread;

	if (lk->owner != t)
		panic("spinlock %s: released by thread %s at %s:%d, but its "
		      "owner is %s", lk->name, t->name, file, line,
		      lk->owner != NULL ? lk->owner->name : "nobody");

	unlink_held(t, lk);
	lk->owner = NULL;
	__atomic_store_n(&lk->holder_cpu, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
	spinlock_exit();
}

void spin_handoff(struct spinlock *lk, struct thread *to)
{
	struct thread *t = curthread;

	KASSERT(lk->owner == t && t->spin_held == lk && t->spin_depth == 1);
	KASSERT(to->spin_held == NULL && to->spin_depth == 1);
	unlink_held(t, lk);
	lk->owner = to;
	to->spin_held = lk;
}

bool spin_held(const struct spinlock *lk)
{
	return lk->owner == curthread;
}
