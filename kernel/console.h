/*
 * kernel/console.h - the console: output to serial and VGA, input from the
 * serial line and the keyboard, merged into one queue the shell reads.
 */
#ifndef KIVA_KERNEL_CONSOLE_H
#define KIVA_KERNEL_CONSOLE_H

#include "kernel/lib/types.h"

void console_init(void);	/* serial and VGA output; call first */
void console_putc(char c);
void console_write(const char *s, size_t n);

/*
 * Queues one input byte; called from interrupt handlers.  Returns false
 * when the byte was dropped: the queue is at its limit, or kmalloc
 * (M_NOWAIT) had no memory for another chunk of it.  Drops are counted,
 * whichever device the byte came from.
 */
bool console_input(char c);

/* Prints "console input bytes dropped: N" (the shell's `kmem` shows it). */
void console_print_drops(void);

/* Waits (sleeping: thread context only) for the next input byte. */
char console_getc(void);

/*
 * The same for a process's read(): the wait ends early, returning -EINTR,
 * when the process is killed (an interruptible sleep, kernel/thread/sched.h).
 */
int console_getc_intr(void);

/*
 * The interrupt character, ^C: when it arrives, `handler` is called (in
 * interrupt context); if it returns true, the byte was used up (it ended
 * a program) and is not queued.  The shell sets it (kernel/shell.c).
 */
#define CONSOLE_INTR_CHAR 0x03
void console_set_intr_handler(bool (*handler)(void));

#endif
