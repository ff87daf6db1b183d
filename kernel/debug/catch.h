/*
 * kernel/debug/catch.h - catching a fault or a panic instead of dying of it.
 *
 * Tests need to see the kernel refuse something (write to its own text,
 * sleep in an interrupt handler) without stopping the kernel, and the
 * user-copy routines need to survive a bad user pointer.  catch_run() runs
 * a function with a catcher armed, like BSD's pcb_onfault:
 *
 *	struct caught what;
 *	if (catch_run(CATCH_FAULT, poke_text, NULL, &what))
 *		... what.vector == T_PAGE_FAULT, what.cr2 == the address ...
 *
 * Catchers nest, per thread; the innermost armed one that wants the kind
 * gets it, unless it happened in an interrupt handler that came in after
 * the catcher was armed (see kernel/debug/catch.c).
 * Catching unwinds the stack without running anything on it, so the
 * function must hold no lock when it faults or panics on purpose.
 */
#ifndef KIVA_KERNEL_DEBUG_CATCH_H
#define KIVA_KERNEL_DEBUG_CATCH_H

#include "kernel/lib/types.h"

#define CATCH_FAULT 0x1	/* a CPU exception in kernel mode */
#define CATCH_PANIC 0x2	/* panic() or a failed KASSERT */

struct caught {
	int kind;		/* CATCH_FAULT or CATCH_PANIC */
	uint32_t vector;	/* exception number (faults) */
	uint32_t err;		/* error code (faults) */
	uint32_t cr2;		/* faulting address (page faults) */
	uint32_t eip;		/* where it happened (faults) */
	char message[160];	/* the panic message (panics) */
};

/*
 * Runs fn(arg).  Returns false if it returned normally, true if a fault or
 * panic of a kind in `kinds` happened inside it; *what then says which.
 */
bool catch_run(int kinds, void (*fn)(void *), void *arg, struct caught *what);

/*
 * For trap() and panic(): if a catcher wants `c->kind`, hands it *c and
 * does not return.  Returns if none is armed for it.
 */
void catch_deliver(const struct caught *c);

#endif
