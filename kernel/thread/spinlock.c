/*
 * kernel/thread/spinlock.c - spinlocks on a uniprocessor (see kernel/thread/spinlock.h).
 *
 * The interrupt flag is saved per thread, not per lock: the first
 * spinlock_enter() of a thread keeps EFLAGS in the thread, the nested ones
 * only count, and the last spinlock_exit() restores it.  Saving it in each
 * lock would break on out-of-order release (take A with IF=1, take B with
 * IF=0, release A: A would turn interrupts back on while B is held).
 *
 * A thread switch happens only at depth 1 inside the scheduler, and each
 * thread's depth and saved flags travel with it, so the thread switched to
 * restores its own interrupt state when it leaves the scheduler.
 */
#include "kernel/thread/spinlock.h"

#include "kernel/cpu/cpu.h"
#include "kernel/lib/kassert.h"
#include "kernel/debug/panic.h"
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

void spin_lock_at(struct spinlock *lk, const char *file, int line)
{
	struct thread *owner = lk->owner;

	/*
	 * Checked before anything changes, so that a test catching this panic
	 * (catch_run) finds the thread's lock state as it was.  Reading the
	 * owner with interrupts still on is safe: only the owner changes it,
	 * and a holder other than us has interrupts off, so if we are running
	 * it is either us or a thread that broke the rules.
	 */
	if (owner == curthread)
		panic("spinlock %s: recursive acquisition by thread %s at "
		      "%s:%d (it holds it since %s:%d)", lk->name, owner->name,
		      file, line, lk->file, lk->line);
	if (owner != NULL)
		panic("spinlock %s: wanted by thread %s at %s:%d but held by "
		      "thread %s since %s:%d, which is not running and so can "
		      "never release it", lk->name, curthread->name, file, line,
		      owner->name, lk->file, lk->line);

	spinlock_enter();
	lk->owner = curthread;
	lk->file = file;
	lk->line = line;
	lk->held_next = curthread->spin_held;
	curthread->spin_held = lk;
	lk->acquisitions++;	/* never contended on one CPU: see above */
}

void spin_unlock_at(struct spinlock *lk, const char *file, int line)
{
	struct thread *t = curthread;
	struct spinlock **pp;

	if (lk->owner != t)
		panic("spinlock %s: released by thread %s at %s:%d, but its "
		      "owner is %s", lk->name, t->name, file, line,
		      lk->owner != NULL ? lk->owner->name : "nobody");

	/* Usually the innermost lock, so the walk ends at once. */
	for (pp = &t->spin_held; *pp != lk; pp = &(*pp)->held_next)
		KASSERT(*pp != NULL);
	*pp = lk->held_next;
	lk->held_next = NULL;
	lk->owner = NULL;
	spinlock_exit();
}

bool spin_held(const struct spinlock *lk)
{
	return lk->owner == curthread;
}
