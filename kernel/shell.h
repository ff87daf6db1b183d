/*
 * kernel/shell.h - the kernel's command shell on the console.
 */
#ifndef KIVA_KERNEL_SHELL_H
#define KIVA_KERNEL_SHELL_H

#define SHELL_PROMPT "kiva> "

/* Reads and runs commands forever. */
__attribute__((noreturn)) void shell_run(void);

/* Runs one command line (also used by tests); returns 0 if it was known. */
int shell_execute(char *line);

#endif
