/*
 * kernel/shell.c - read a line, split it into words, run the command.
 *
 * Lines come from the line editor (kernel/lineedit.h), which draws them
 * through console_echo() and is the console's line owner while it waits,
 * so that others' output never lands inside the line being typed.  The
 * commands are one table: name, the words they take, what they do.  A
 * command given the wrong number of words prints its usage and does not
 * run.  A trailing "&", alone or stuck to the last word, asks `run` and
 * `test` to work in the background.
 */
#include "kernel/shell.h"

#include "drivers/pit.h"
#include "drivers/power.h"
#include "kernel/bootinfo.h"
#include "kernel/cpu/cpu.h"
#include "kernel/console.h"
#include "kernel/cpu/cpufeatures.h"
#include "kernel/cpu/fpu.h"
#include "kernel/cpu/smp.h"
#include "kernel/cpu/trap.h"
#include "kernel/debug/census.h"
#include "kernel/debug/klog.h"
#include "kernel/debug/kmemtrace.h"
#include "kernel/debug/ktest.h"
#include "kernel/lib/cmdline.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/kstring.h"
#include "kernel/lineedit.h"
#include "kernel/options.h"
#include "kernel/proc/proc.h"
#include "kernel/thread/thread.h"
#include "mm/kmem.h"
#include "mm/kva.h"
#include "mm/pmm.h"

#define MAX_WORDS 8		/* the command and its arguments */
#define ECHO_BUFFER 1024	/* one key's drawing, sent at once */
#define DMESG_CHUNK 256		/* log bytes copied, interrupts off */

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	int min_args, max_args;	/* words after the command */
	bool background;	/* a trailing & is allowed */
	const char *usage;	/* how it is written */
	const char *help;	/* what it does */
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

static int cmd_cpus(int argc, char **argv)
{
	(void)argc, (void)argv;
	smp_print();
	return 0;
}

#define KMEM_USAGE "kmem [trace on [MS] | trace off | baseline | check]"

/* kmem trace on [MS] | kmem trace off (kernel/debug/kmemtrace.h). */
static int kmem_trace(int argc, char **argv)
{
	const char *why;
	unsigned ms;

	if (argc == 3 && strcmp(argv[2], "off") == 0) {
		if (!kmemtrace_running())
			kprintf("kmem: the trace is not on\n");
		kmemtrace_stop();
		return 0;
	}
	if (argc < 3 || argc > 4 || strcmp(argv[2], "on") != 0) {
		kprintf("kmem: usage: %s\n", KMEM_USAGE);
		return 1;
	}
	if (!kmemtrace_parse_period(argc == 4 ? argv[3] : "", &ms, &why)) {
		kprintf("kmem: trace: %s\n", why);
		return 1;
	}
	if (kmemtrace_start(ms) != 0) {
		kprintf("kmem: no stack slot or memory left for the trace's "
		        "thread\n");
		return 1;
	}
	return 0;
}

/*
 * kmem baseline counts what the kernel holds (kernel/debug/census.h);
 * kmem check counts again and names every figure that differs, a leak
 * of whatever ran in between.  The sweep (tests/boot/sweep.sh) brackets
 * each workload with them.
 */
#define CHECK_SETTLE_TICKS HZ	/* for what just ended to be freed */

static struct census baseline;
static bool have_baseline;

static int kmem_baseline(void)
{
	census_begin(&baseline);
	have_baseline = true;
	census_print(&baseline);
	return 0;
}

static int kmem_check(void)
{
	struct census now;
	int differ;

	if (!have_baseline) {
		kprintf("kmem: check: no baseline yet (kmem baseline)\n");
		return 1;
	}
	census_settle(&baseline, &now, CHECK_SETTLE_TICKS);
	census_print(&now);
	differ = census_compare(&baseline, &now, "check");
	if (differ == 0)
		kprintf("kmem: check: everything is back at the baseline\n");
	else
		kprintf("kmem: check: %d figures differ from the baseline\n",
		        differ);
	return differ != 0;
}

static int cmd_kmem(int argc, char **argv)
{
	if (argc > 1) {
		if (strcmp(argv[1], "trace") == 0)
			return kmem_trace(argc, argv);
		if (argc == 2 && strcmp(argv[1], "baseline") == 0)
			return kmem_baseline();
		if (argc == 2 && strcmp(argv[1], "check") == 0)
			return kmem_check();
		kprintf("kmem: usage: %s\n", KMEM_USAGE);
		return 1;
	}
	kmem_print();
	kprintf("console input bytes dropped: %llu\n",
	        (unsigned long long)console_input_dropped());
	return 0;
}

/*
 * dmesg: the kernel log, oldest first, as far as it went when the command
 * started; once the log has wrapped, from its first whole line.  Each
 * chunk is copied with interrupts off (kernel/debug/klog.h) and printed
 * with them on, through console_write(), so that dmesg's output does not
 * go into the log itself.
 */
static int cmd_dmesg(int argc, char **argv)
{
	char chunk[DMESG_CHUNK], c = '\0';
	/* kprintf writes the log holding the output. */
	uint32_t flags = console_output_begin();
	uint64_t pos = klog_oldest(), end = klog_written;
	size_t n;

	if (pos > 0)
		while (c != '\n' && klog_read(&pos, &c, 1) == 1)
			;
	console_output_end(flags);
	(void)argc, (void)argv;
	if (pos > 0) {
		n = (size_t)ksnprintf(chunk, sizeof(chunk), "dmesg: the log "
		                      "wrapped: the %llu bytes before these "
		                      "are lost\n", (unsigned long long)pos);
		console_write(chunk, MIN(n, sizeof(chunk) - 1));
	}
	while (pos < end) {
		flags = console_output_begin();
		n = klog_read(&pos, chunk,
		              (size_t)MIN((uint64_t)sizeof(chunk), end - pos));
		console_output_end(flags);
		console_write(chunk, n);
	}
	return 0;
}

static int cmd_fail(int argc, char **argv)
{
	const char *why;

	if (argc == 2 && !kmem_fail_set(argv[1], &why)) {
		kprintf("fail: %s\n", why);
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

static void list_programs(void)
{
	kprintf("programs:");
	for (size_t i = 0; i < bootinfo.nmodules; i++)
		kprintf(" %s", bootinfo.modules[i].program);
	kprintf("%s\n", bootinfo.nmodules == 0 ? " none (no boot modules)" : "");
}

/* The last word is "&": work in the background (it is taken off). */
static bool take_background(int *argc, char **argv)
{
	if (*argc < 2 || strcmp(argv[*argc - 1], "&") != 0)
		return false;
	argv[--*argc] = NULL;
	return true;
}

/*
 * run NAME [ARGS] [&]: starts a user program; waits for it unless the last
 * word is "&", in which case it runs detached and the prompt comes back.
 * With no name it lists the programs there are.
 */
static int cmd_run(int argc, char **argv)
{
	bool background = take_background(&argc, argv);
	int pid, status;

	if (argc < 2) {
		list_programs();
		return background;
	}
	pid = proc_spawn(argv[1], argc - 1, argv + 1, NULL, background);
	if (pid < 0) {
		kprintf("run: %s: %s\n", argv[1], errno_name(-pid));
		if (pid == -ENOENT)
			list_programs();
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
static char bg_test_names[LINEEDIT_MAX];
static volatile bool bg_test_running;

static void background_test(void *arg)
{
	(void)arg;
	ktest_run(bg_test_names, KTEST_FROM_SHELL);
	bg_test_running = false;
}

/* Joins argv[1..argc) with commas into names (LINEEDIT_MAX bytes). */
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
	char names[LINEEDIT_MAX];
	bool background = take_background(&argc, argv);
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
		return ktest_run(names, KTEST_FROM_SHELL) == 0 ? 0 : 1;
	}
	join_names(bg_test_names, argc, argv);
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
	const char *p = argv[1];
	uint64_t pid;

	(void)argc;
	if (!parse_u64(&p, &pid) || *p != '\0' || pid == 0 || pid > INT32_MAX) {
		kprintf("kill: '%s' is not a process id (`ps` lists them)\n",
		        argv[1]);
		return 1;
	}
	if (proc_kill((int)pid) != 0) {
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

#define ANY_NUMBER (MAX_WORDS - 1)

static const struct command commands[] = {
	{ "help", cmd_help, 0, 0, false, "help",
	  "the commands, the boot options, this CPU's protections" },
	{ "mem", cmd_mem, 0, 0, false, "mem",
	  "memory map, RAM totals, free frames per zone" },
	{ "kva", cmd_kva, 0, 0, false, "kva",
	  "the kernel virtual address layout" },
	{ "uptime", cmd_uptime, 0, 0, false, "uptime", "time since boot" },
	{ "intr", cmd_intr, 0, 0, false, "intr",
	  "interrupt counts per IRQ and CPU" },
	{ "cpus", cmd_cpus, 0, 0, false, "cpus",
	  "each CPU: APIC id, thread, ticks, interrupts, shootdowns" },
	{ "ps", cmd_ps, 0, 0, false, "ps",
	  "threads (state, wait, stack) and processes (pid, memory, fds)" },
	{ "kmem", cmd_kmem, 0, 3, false, KMEM_USAGE,
	  "kmalloc statistics per type and region, like vmstat -m; trace: "
	  "a line of them every MS ms (default 100); check: what differs "
	  "from the baseline" },
	{ "dmesg", cmd_dmesg, 0, 0, false, "dmesg",
	  "the kernel log: what the kernel printed, oldest first" },
	{ "run", cmd_run, 0, ANY_NUMBER, true, "run [NAME [ARGS]] [&]",
	  "start a user program (^C ends it); no NAME: list them" },
	{ "kill", cmd_kill, 1, 1, false, "kill PID", "end a process" },
	{ "fail", cmd_fail, 0, 1, false, "fail [SPEC|off]",
	  "kmalloc fault injection (see the fail= option)" },
	{ "test", cmd_test, 0, ANY_NUMBER, true, "test [NAME...|list] [&]",
	  "run in-kernel tests (&: in the background)" },
	{ "poweroff", cmd_poweroff, 0, 0, false, "poweroff",
	  "switch the machine off" },
	{ "reboot", cmd_reboot, 0, 0, false, "reboot", "restart the machine" },
};

static int cmd_help(int argc, char **argv)
{
	char protection[64];

	(void)argc, (void)argv;
	kprintf("commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		kprintf("  %-24s %s\n", commands[i].usage, commands[i].help);
	kprintf("keys: Left/Right Home/End edit, Up/Down history, Tab completes, "
	        "^W ^K ^U delete, ^C drops the line or ends a program\n");
	kprintf("boot options (on the kernel command line):\n");
	options_print();
	cpu_protection_describe(protection, sizeof(protection));
	kprintf("this CPU: %s; user x87/SSE state saved with %s\n",
	        protection, fpu_scheme());
	return 0;
}

/*
 * Splits line into words at blanks; a word ending in '&' (as in
 * "run hello&") becomes the word and an "&".  Returns the number of words,
 * or -1 when there are more than MAX_WORDS.
 */
static int split(char *line, char **argv)
{
	int argc = 0;

	for (char *p = line; *p != '\0';) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (argc == MAX_WORDS)
			return -1;
		argv[argc++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
	}
	if (argc > 0 && argc < MAX_WORDS) {
		char *last = argv[argc - 1];
		size_t n = strlen(last);

		if (n > 1 && last[n - 1] == '&') {
			last[n - 1] = '\0';
			argv[argc++] = "&";
		}
	}
	return argc;
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

int shell_execute(char *line)
{
	char *argv[MAX_WORDS + 1];
	int argc = split(line, argv), args;
	const struct command *c;

	if (argc < 0) {
		kprintf("shell: more than %d words; nothing run\n", MAX_WORDS);
		return -1;
	}
	argv[argc] = NULL;
	if (argc == 0)
		return 0;
	c = find_command(argv[0]);
	if (c == NULL) {
		kprintf("%s: unknown command (type `help` for the list)\n",
		        argv[0]);
		return -1;
	}
	args = argc - 1 - (c->background && strcmp(argv[argc - 1], "&") == 0);
	if (args < c->min_args || args > c->max_args) {
		kprintf("%s: %s (usage: %s)\n", c->name,
		        args < c->min_args ? "too few words" : "too many words",
		        c->usage);
		return -1;
	}
	c->fn(argc, argv);
	return 0;
}

/* ------------------------------------------------------ the prompt line */

/* Tab's candidates: commands, then programs after run, tests after test. */
static size_t complete(const char *line, unsigned index, const char *word,
                       size_t len, const char **out, size_t max, void *arg)
{
	size_t n = 0;

	(void)arg;
#define OFFER(s)                                                  \
	do {                                                      \
		if (strncmp((s), word, len) == 0 && n < max)      \
			out[n++] = (s);                           \
	} while (0)
	if (index == 0) {
		for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
			OFFER(commands[i].name);
	} else if (index == 1 && strncmp(line, "run ", 4) == 0) {
		for (size_t i = 0; i < bootinfo.nmodules; i++)
			OFFER(bootinfo.modules[i].program);
	} else if (strncmp(line, "test ", 5) == 0) {
		for (size_t i = 0; ktest_name(i) != NULL; i++)
			OFFER(ktest_name(i));
	}
#undef OFFER
	return n;
}

/*
 * The editor's drawing collects here and goes out in one console_echo()
 * per key, so that nobody's output lands in the middle of a key's.
 */
static struct {
	char bytes[ECHO_BUFFER];
	size_t len;
} echo;

static void echo_flush(void)
{
	console_echo(echo.bytes, echo.len);
	echo.len = 0;
}

static void echo_write(const char *s, size_t n, void *arg)
{
	(void)arg;
	for (size_t i = 0; i < n; i++) {
		if (echo.len == sizeof(echo.bytes))
			echo_flush();
		echo.bytes[echo.len++] = s[i];
	}
}

static struct line_editor editor;

static size_t editor_width(void *arg)
{
	(void)arg;
	return lineedit_width(&editor);
}

/*
 * Called by the console, with interrupts off, after others' output: draw
 * the line at once.  The buffer is empty then, since each key is handled
 * with interrupts off too (shell_run).
 */
static void editor_redraw(void *arg)
{
	(void)arg;
	lineedit_redraw(&editor);
	for (size_t i = 0; i < echo.len; i++)
		console_putc(echo.bytes[i]);
	echo.len = 0;
}

static const struct console_line_owner owner = {
	editor_width, editor_redraw, NULL,
};

/*
 * One key, edited and drawn holding the console's output: nobody else's
 * output, on this CPU or another, can come between a key's change to the
 * line and its drawing, nor redraw the line while it changes.
 */
static enum line_status edit_key(char c)
{
	uint32_t flags = console_output_begin();
	enum line_status st = lineedit_key(&editor, c);

	echo_flush();
	console_output_end(flags);
	return st;
}

void shell_run(void)
{
	static const struct line_output out = { echo_write, NULL };

	thread_set_name(curthread, "shell");
	console_set_intr_handler(interrupt_foreground);
	lineedit_init(&editor, SHELL_PROMPT, &out, complete, NULL);
	kprintf("Type `help` for the commands.\n");
	for (;;) {
		lineedit_start(&editor);
		echo_flush();
		console_set_line_owner(&owner);
		while (edit_key(console_getc()) == LINE_EDITING)
			;
		console_set_line_owner(NULL);
		shell_execute(editor.line);
	}
}
