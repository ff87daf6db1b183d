/*
 * kernel/thread/lockdebug.h - lock-order checking for spinlocks (the
 * `lockdebug` boot option), after FreeBSD's witness(4).
 *
 * Two locks taken in both orders can deadlock: one CPU holds A and spins
 * for B while another holds B and spins for A.  With lockdebug on, each
 * acquisition of B while A is held records the order "A before B" once,
 * with the call chain where it was first seen.  Taking them the other way
 * round later is reported at once, whether or not it deadlocks this time:
 *
 *	lock order reversal: NAME_B then NAME_A at FILE:LINE
 *	  this order, now: ...frames...
 *	  NAME_A then NAME_B, first seen at FILE:LINE: ...frames...
 *
 * A report is a message, not a panic, as witness's are: the kernel goes on
 * (the deadlock may never happen), and lockdebug_reversals() counts them.
 * Each lock is its own class (Kiva's locks are mostly one of a kind).
 * Only direct reversals of a pair are found, not longer cycles.
 */
#ifndef KIVA_KERNEL_THREAD_LOCKDEBUG_H
#define KIVA_KERNEL_THREAD_LOCKDEBUG_H

#include "kernel/lib/types.h"

struct spinlock;

extern bool lockdebug_enabled;	/* the `lockdebug` boot option */

/* For spin_lock_at(): lk was just taken, at file:line. */
void lockdebug_acquired(const struct spinlock *lk, const char *file,
                        int line);

/* Reversals reported since boot. */
unsigned lockdebug_reversals(void);

#endif
