/*
 * kernel/debug/panic.h - stopping the kernel when an invariant is broken.
 *
 * panic() prints its message, the registers it knows, a backtrace with
 * function names from the embedded symbol table, and the allocator
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

/* Prints the call chain starting at frame pointer ebp. */
void backtrace_from(uint32_t ebp);

/* Set by the `test` boot option: a panic then exits QEMU with failure. */
extern bool panic_exits_qemu;

#endif
