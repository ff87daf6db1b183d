/*
 * kernel/debug/panic.h - stopping the kernel when an invariant is broken.
 *
 * panic() prints its message, the registers it knows, a backtrace with
 * function names and source lines from the embedded tables
 * (kernel/debug/ksyms.h) that follows the calls through interrupts and
 * exceptions (kernel/debug/panic.c says how), and the allocator
 * statistics; then it halts, or, in test mode, exits QEMU with the failure
 * status so that a test run never hangs.  KASSERT (kernel/lib/kassert.h) ends
 * here too.  A test can expect a panic with catch_run(CATCH_PANIC, ...).
 */
#ifndef KIVA_KERNEL_DEBUG_PANIC_H
#define KIVA_KERNEL_DEBUG_PANIC_H

#include "kernel/lib/types.h"

struct trapframe;

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt,
                                                           ...);
/* panic() for a trap: prints the trap frame's registers. */
__attribute__((noreturn, format(printf, 2, 3))) void
panic_trap(const struct trapframe *tf, const char *fmt, ...);

/*
 * A call chain to print: the frame pointer it starts at and the stack it
 * lies on, [lo, hi).  The walk reads nothing outside that stack.
 */
struct backtrace_start {
	uint32_t ebp;
	vaddr_t lo, hi;
};

/*
 * panic() for a context other than the caller's: the backtrace walks
 * `from` instead of the current stack.  The double-fault task uses it for
 * the stack that overflowed (kernel/cpu/trap.c).
 */
__attribute__((noreturn, format(printf, 2, 3))) void
panic_from(const struct backtrace_start *from, const char *fmt, ...);

/* True once some CPU has begun to panic. */
bool panic_in_progress(void);

/* Set by the `test` boot option: a panic then exits QEMU with failure. */
extern bool panic_exits_qemu;

#endif
