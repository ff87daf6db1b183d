/*
 * kernel/thread/mutex.h - sleeping mutexes: long critical sections in threads.
 *
 * A thread that finds the mutex taken sleeps until the owner releases it,
 * so the owner may itself sleep, take its time, or be preempted while it
 * holds it; what a mutex cannot do is protect data an interrupt handler
 * touches (a handler cannot sleep): that takes a spinlock.
 *
 *	static struct mutex table_lock = MUTEX_INIT("table");
 *
 *	mutex_lock(&table_lock);
 *	... may sleep ...
 *	mutex_unlock(&table_lock);
 *
 * mutex_lock() may sleep, so it obeys the rules of kernel/thread/sched.h (no
 * interrupt context, no spinlock held) and panics naming the caller when
 * they are broken, whether or not it would have had to wait.  Taking a
 * mutex twice, or releasing one the calling thread does not own, panics
 * with the mutex's name and its owner.
 *
 * Releasing wakes every waiter and they race for it again (4.4BSD style):
 * simple and correct, though not fair - the releasing thread may take it
 * back before any of them runs.
 */
#ifndef KIVA_KERNEL_THREAD_MUTEX_H
#define KIVA_KERNEL_THREAD_MUTEX_H

#include "kernel/thread/spinlock.h"
#include "kernel/lib/types.h"

struct mutex {
	const char *name;
	struct thread *owner;		/* NULL when free */
	const char *file;		/* where the owner took it */
	int line;
	struct spinlock interlock;	/* covers owner; sleep()'s interlock */
};

#define MUTEX_INIT(mname) { .name = (mname), .interlock = SPINLOCK_INIT(mname) }

#define mutex_lock(m) mutex_lock_at((m), __FILE__, __LINE__)
#define mutex_unlock(m) mutex_unlock_at((m), __FILE__, __LINE__)

void mutex_lock_at(struct mutex *m, const char *file, int line);
void mutex_unlock_at(struct mutex *m, const char *file, int line);

/* True when the calling thread owns m (for KASSERTs). */
bool mutex_owned(const struct mutex *m);

#endif
