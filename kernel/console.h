/*
 * kernel/console.h - the console: output to serial and VGA, input from the
 * serial line and the keyboard, merged into one queue the shell reads.
 */
#ifndef KIVA_KERNEL_CONSOLE_H
#define KIVA_KERNEL_CONSOLE_H

#include "kernel/lib/types.h"

void console_init(void);	/* serial and VGA output; call first */
/*
 * At a panic: from now on only this CPU prints, whoever was printing
 * (the other CPUs are being stopped); console_panic_owner() says whether
 * the caller is that CPU.
 */
void console_panic_take(void);
bool console_panic_owner(void);

/*
 * Holds the console's output for this CPU (interrupts off, the other CPUs'
 * output and its redraws of the prompt line waiting), around more than
 * one call: the shell's editing of a key and its drawing.  Nests with the
 * console's own calls; returns the flags for console_output_end().
 */
uint32_t console_output_begin(void);
void console_output_end(uint32_t flags);
void console_putc(char c);
/* Output that is not the kernel's own message: it is not logged (klog.h). */
void console_write(const char *s, size_t n);

/*
 * The line editor at the prompt (kernel/lineedit.h), while it waits for a
 * key: others' output erases its line first (width: the columns it takes)
 * and has it drawn again (redraw) once that output ended a line.  NULL:
 * nobody is editing.
 */
struct console_line_owner {
	size_t (*width)(void *arg);
	void (*redraw)(void *arg);
	void *arg;
};
void console_set_line_owner(const struct console_line_owner *owner);

/* The line owner's own output: drawn where its line is, never erased. */
void console_echo(const char *s, size_t n);

/*
 * Queues one input byte; called from interrupt handlers.  Returns false
 * when the byte was dropped: the queue is at its limit, or kmalloc
 * (M_NOWAIT) had no memory for another chunk of it.  Drops are counted.
 */
bool console_input(char c);

/* Input bytes dropped since boot (the shell's `kmem` shows them). */
uint64_t console_input_dropped(void);

/*
 * Gives back the input queue's last chunk when every byte of it has been
 * read: it is kept for the next bytes otherwise, as kmalloc's pools keep an
 * empty page, and a count of what the kernel holds leaves both out
 * (kernel/debug/census.h).  Thread context.
 */
void console_input_trim(void);

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
