/*
 * kernel/thread/mutex.c - sleeping mutexes (see kernel/thread/mutex.h).
 *
 * The owner field is the lock; the interlock spinlock makes "see it taken,
 * go to sleep" one step against a concurrent mutex_unlock(), whose wakeup
 * would otherwise fall between the two and be lost.  The wait channel is
 * the mutex itself and `ps` shows its name as what the waiter waits on.
 */
#include "kernel/thread/mutex.h"

#include "kernel/debug/panic.h"
#include "kernel/thread/sched.h"
#include "kernel/thread/thread.h"

void mutex_lock_at(struct mutex *m, const char *file, int line)
{
	assert_may_sleep_at(NULL, file, line);
	if (m->owner == curthread)
		panic("mutex %s: recursive acquisition by thread %s at %s:%d "
		      "(it holds it since %s:%d)", m->name, curthread->name,
		      file, line, m->file, m->line);

	spin_lock_at(&m->interlock, file, line);
	while (m->owner != NULL)
		sleep_at(m, &m->interlock, m->name, 0, 0, file, line);
	m->owner = curthread;
	m->file = file;
	m->line = line;
	spin_unlock_at(&m->interlock, file, line);
}

void mutex_unlock_at(struct mutex *m, const char *file, int line)
{
	if (m->owner != curthread)
		panic("mutex %s: released by thread %s at %s:%d, but its owner "
		      "is %s", m->name, curthread->name, file, line,
		      m->owner != NULL ? m->owner->name : "nobody");

	spin_lock_at(&m->interlock, file, line);
	m->owner = NULL;
	wakeup(m);
	spin_unlock_at(&m->interlock, file, line);
}

bool mutex_owned(const struct mutex *m)
{
	return m->owner == curthread;
}
