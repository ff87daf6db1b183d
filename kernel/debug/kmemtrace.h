/*
 * kernel/debug/kmemtrace.h - the allocators over time.
 *
 * `kmem` shows one moment; a trace shows how the figures move.  While it
 * is on (the shell's `kmem trace on [MS]`, the boot option kmemtrace=MS),
 * a kernel thread prints one line of kmalloc's figures every MS
 * milliseconds, for tools/plot_kmemtrace.py to read back from the serial
 * log (`make plot`; docs/plots.md describes the line and the plots):
 *
 *	kmemtrace t=1230 kmem_map.size=6291456 kmem_map.used=0 ... drops=0
 *
 * A thread rather than a timer tick hook: a line is some 300 bytes of
 * console output, too long to print with interrupts off in a handler at
 * every sample, and the figures are read through kmem.h's public
 * functions, which take kmem's lock.  The price is that a busy CPU delays
 * a sample by up to a time slice; each line says when it was taken.  The
 * thread's own stack shows in the trace, in type.thread and kernel_map.
 */
#ifndef KIVA_KERNEL_DEBUG_KMEMTRACE_H
#define KIVA_KERNEL_DEBUG_KMEMTRACE_H

#include "kernel/lib/types.h"

#define KMEMTRACE_DEFAULT_MS 100
/*
 * The thread sleeps in timer ticks, so a period is at least one tick (10
 * ms at HZ = 100, asserted in kmemtrace.c) and is rounded up to whole
 * ticks; at most an hour, which keeps MS times HZ in 32 bits.  Plain
 * numbers, because the messages quote them.
 */
#define KMEMTRACE_MIN_MS 10
#define KMEMTRACE_MAX_MS 3600000

/*
 * Reads a period: "" means KMEMTRACE_DEFAULT_MS, otherwise a decimal
 * number of milliseconds from KMEMTRACE_MIN_MS to KMEMTRACE_MAX_MS.
 * Returns false and sets *why for anything else.
 */
bool kmemtrace_parse_period(const char *s, unsigned *ms, const char **why);

/*
 * Starts the trace, one line every ms milliseconds, the first at once; if
 * it is on already, only the period changes (and a line comes at once).
 * Thread 0 only (kmain, then the shell), which may sleep.  Returns 0, or
 * -ENOMEM when no thread could be created for it.
 */
int kmemtrace_start(unsigned ms);

/* Stops the trace and waits for its thread to end.  Thread 0 only. */
void kmemtrace_stop(void);

/* Whether the trace is on. */
bool kmemtrace_running(void);

#endif
