/*
 * kernel/shell.c - read a line, split it into words, run the command.
 *
 * The line editor accepts printable characters up to SHELL_LINE_MAX - 1,
 * erases with backspace or DEL, drops the line with ^U or ^C, and ignores
 * every other control byte and terminal escape sequence (arrow keys send
 * ESC [ A ...), so nothing a terminal sends can corrupt the buffer.
 */
#include "kernel/shell.h"

#include "drivers/pit.h"
#include "drivers/power.h"
#include "kernel/bootinfo.h"
#include "kernel/console.h"
#include "kernel/cpu/cpufeatures.h"
#include "kernel/cpu/fpu.h"
#include "kernel/lib/cmdline.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/kstring.h"
#include "kernel/debug/ktest.h"
#include "kernel/lib/errno.h"
#include "kernel/options.h"
#include "kernel/proc/proc.h"
#include "kernel/thread/thread.h"
#include "kernel/cpu/trap.h"
#include "mm/kmem.h"
#include "mm/kva.h"
#include "mm/pmm.h"

#define MAX_ARGS 8
#define CTRL(c) ((c) & 0x1f)
#define DEL 0x7f
#define ESC 0x1b

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
};

static const struct command commands[];

static int cmd_help(int argc, char **argv);

static int cmd_mem(int argc, char **argv)
{
	(void)argc, (void)argv;
	bootinfo_print_mmap();
	pmm_print();
	return 0;
}

static int cmd_kva(int argc, char **argv)
{
	(void)argc, (void)argv;
	kva_print();
	return 0;
}

static int cmd_uptime(int argc, char **argv)
{
	uint64_t t = ticks();

	(void)argc, (void)argv;
	kprintf("up %llu.%02llu s (%llu ticks at %d Hz)\n",
	        (unsigned long long)(t / HZ),
	        (unsigned long long)(t % HZ * 100 / HZ), (unsigned long long)t,
	        HZ);
	return 0;
}

static int cmd_intr(int argc, char **argv)
{
	(void)argc, (void)argv;
	trap_print_stats();
	return 0;
}

static int cmd_kmem(int argc, char **argv)
{
	(void)argc, (void)argv;
	kmem_print();
	console_print_drops();
	return 0;
}

static int cmd_fail(int argc, char **argv)
{
	const char *why;

	if (argc == 2 && !kmem_fail_set(argv[1], &why)) {
		kprintf("fail: %s\n", why);
		return 1;
	}
	if (argc > 2) {
		kprintf("usage: fail [off|nth:N|every:N|random:P:SEED"
		        "[,type=T][,alloc=intr|nointr]]\n");
		return 1;
	}
	kmem_fail_print();
	return 0;
}

static int cmd_ps(int argc, char **argv)
{
	(void)argc, (void)argv;
	thread_print_all();
	proc_print_all();
	return 0;
}

/*
 * The program `run` waits for, which ^C ends: its pid, or 0.  Written by
 * the shell thread, read by the console's interrupt handler.
 */
static volatile int foreground_pid;

/* ^C from the console (in interrupt context): kill the foreground program. */
static bool interrupt_foreground(void)
{
	int pid = foreground_pid;

	if (pid == 0 || proc_kill(pid) != 0)
		return false;	/* nothing runs: ^C is the line editor's */
	kprintf("^C\n");
	return true;
}

/*
 * run NAME [ARGS] [&]: starts a user program; waits for it unless the last
 * word is "&", in which case it runs detached and the prompt comes back.
 */
static int cmd_run(int argc, char **argv)
{
	bool background = argc > 2 && strcmp(argv[argc - 1], "&") == 0;
	int pid, status;

	if (background)
		argc--;
	if (argc < 2) {
		kprintf("usage: run NAME [ARGS...] [&]\n");
		return 1;
	}
	pid = proc_spawn(argv[1], argc - 1, argv + 1, NULL, background);
	if (pid < 0) {
		kprintf("run: %s: %s\n", argv[1], errno_name(-pid));
		return 1;
	}
	if (background) {
		kprintf("[%d] %s\n", pid, argv[1]);
		return 0;
	}
	foreground_pid = pid;
	proc_wait(pid, NULL, &status);
	foreground_pid = 0;
	if (status != 0)
		kprintf("[%d] %s exited with status %d\n", pid, argv[1], status);
	return status != 0;
}

/*
 * `test ... &` runs the tests in a thread of their own while the shell goes
 * on reading commands (try `ps` meanwhile).  One run at a time, in the
 * background or not, since tests share state.  The thread is detached; its
 * last act is to clear bg_test_running, which only it writes while it
 * runs, so volatile (read it again each time) is all the sharing needs.
 */
static char bg_test_names[SHELL_LINE_MAX];
static volatile bool bg_test_running;

static void background_test(void *arg)
{
	(void)arg;
	ktest_run(bg_test_names);
	bg_test_running = false;
}

/* Joins argv[1..argc) with commas into names (SHELL_LINE_MAX bytes). */
static void join_names(char *names, int argc, char **argv)
{
	size_t len = 0;

	names[0] = '\0';
	for (int i = 1; i < argc; i++) {
		size_t n = strlen(argv[i]);
		memcpy(names + len, argv[i], n);
		names[len + n] = ',';
		len += n + 1;
		names[len] = '\0';
	}
}

static int cmd_test(int argc, char **argv)
{
	char names[SHELL_LINE_MAX];
	bool background = strcmp(argv[argc - 1], "&") == 0;
	struct thread *t;

	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		ktest_list();
		return 0;
	}
	if (bg_test_running) {
		kprintf("test: a background run is still going (see `ps`)\n");
		return 1;
	}
	if (!background) {
		join_names(names, argc, argv);
		return ktest_run(names) == 0 ? 0 : 1;
	}
	join_names(bg_test_names, argc - 1, argv);
	bg_test_running = true;
	t = thread_create("ktest", background_test, NULL);
	if (t == NULL) {
		bg_test_running = false;
		kprintf("test: no stack slot or memory left for a thread\n");
		return 1;
	}
	kprintf("test: running in the background as thread %d\n", t->tid);
	thread_detach(t);
	return 0;
}

/* kill PID: ends a process (see `ps`), in the background or not. */
static int cmd_kill(int argc, char **argv)
{
	const char *p;
	uint64_t pid;
	int err;

	if (argc != 2 || (p = argv[1], !parse_u64(&p, &pid)) || *p != '\0' ||
	    pid == 0 || pid > INT32_MAX) {
		kprintf("usage: kill PID (a process id, as `ps` shows)\n");
		return 1;
	}
	err = proc_kill((int)pid);
	if (err != 0) {
		kprintf("kill: %llu: no such process\n", (unsigned long long)pid);
		return 1;
	}
	return 0;
}

static int cmd_poweroff(int argc, char **argv)
{
	(void)argc, (void)argv;
	power_off();
}

static int cmd_reboot(int argc, char **argv)
{
	(void)argc, (void)argv;
	reboot();
}

static const struct command commands[] = {
	{ "help", cmd_help, "help: list the commands and boot options" },
	{ "mem", cmd_mem, "mem: memory map, RAM totals, free frames per zone" },
	{ "kva", cmd_kva, "kva: the kernel virtual address layout" },
	{ "uptime", cmd_uptime, "uptime: time since boot" },
	{ "intr", cmd_intr, "intr: interrupt counts per IRQ" },
	{ "ps", cmd_ps, "ps: threads, their states, waits and stack use" },
	{ "kmem", cmd_kmem, "kmem: kmalloc statistics per type and region" },
	{ "run", cmd_run,
	  "run NAME [ARGS] [&]: start a user program (^C ends it)" },
	{ "kill", cmd_kill, "kill PID: end a process" },
	{ "fail", cmd_fail,
	  "fail [SPEC|off]: kmalloc fault injection (see the fail= option)" },
	{ "test", cmd_test,
	  "test [NAME...|list] [&]: run in-kernel tests (&: in background)" },
	{ "poweroff", cmd_poweroff, "poweroff: switch the machine off" },
	{ "reboot", cmd_reboot, "reboot: restart the machine" },
};

static int cmd_help(int argc, char **argv)
{
	char protection[64];

	(void)argc, (void)argv;
	kprintf("commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		kprintf("  %s\n", commands[i].usage);
	kprintf("boot options (on the kernel command line):\n");
	options_print();
	cpu_protection_describe(protection, sizeof(protection));
	kprintf("this CPU: %s; user x87/SSE state saved with %s\n",
	        protection, fpu_scheme());
	return 0;
}

static int split(char *line, char **argv)
{
	int argc = 0;

	for (char *p = line; *p != '\0';) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (argc == MAX_ARGS) {
			kprintf("shell: more than %d words; the rest are ignored\n",
			        MAX_ARGS);
			break;
		}
		argv[argc++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
	}
	return argc;
}

int shell_execute(char *line)
{
	char *argv[MAX_ARGS + 1];
	int argc = split(line, argv);

	argv[argc] = NULL;
	if (argc == 0)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(argv[0], commands[i].name) == 0) {
			commands[i].fn(argc, argv);
			return 0;
		}
	kprintf("%s: unknown command (type `help` for the list)\n", argv[0]);
	return -1;
}

/*
 * After an ESC: skips the rest of an escape sequence (ESC [ params
 * final-byte, or ESC O final-byte) and returns 0, or returns the byte
 * after a lone ESC, which is input of its own (ESC then Enter is Enter).
 */
static char skip_escape(void)
{
	char c = console_getc();

	if (c != '[' && c != 'O')
		return c;
	do
		c = console_getc();
	while (c < 0x40 || c > 0x7e);
	return 0;
}

/* Reads one line into buf; returns its length. */
static size_t read_line(char *buf)
{
	static bool after_cr;
	size_t len = 0;
	bool overflow_reported = false;
	char pending = 0;	/* a byte read ahead, to handle next */

	for (;;) {
		char c = pending != 0 ? pending : console_getc();
		bool lf_of_crlf = after_cr && c == '\n';

		pending = 0;
		after_cr = c == '\r';
		if (lf_of_crlf) {
			continue;	/* a terminal's CR LF is one line end */
		} else if (c == '\r' || c == '\n') {
			kprintf("\n");
			buf[len] = '\0';
			return len;
		} else if (c == '\b' || c == DEL) {
			if (len > 0) {
				len--;
				kprintf("\b \b");
			}
		} else if (c == CTRL('U') || c == CTRL('C')) {
			kprintf("^%c\n%s", c + '@', SHELL_PROMPT);
			len = 0;
		} else if (c == ESC) {
			pending = skip_escape();
		} else if ((unsigned char)c < ' ' || (unsigned char)c > '~') {
			continue;	/* other control bytes and non-ASCII */
		} else if (len + 1 >= SHELL_LINE_MAX) {
			if (!overflow_reported)
				kprintf("\nshell: line longer than %d characters; "
				        "the rest is ignored\n%s%s", SHELL_LINE_MAX - 1,
				        SHELL_PROMPT, buf);
			overflow_reported = true;
			buf[len] = '\0';
		} else {
			buf[len++] = c;
			buf[len] = '\0';
			console_putc(c);
		}
	}
}

void shell_run(void)
{
	char line[SHELL_LINE_MAX];

	thread_set_name(curthread, "shell");
	console_set_intr_handler(interrupt_foreground);
	kprintf("Type `help` for the commands.\n");
	for (;;) {
		kprintf("%s", SHELL_PROMPT);
		read_line(line);
		shell_execute(line);
	}
}
