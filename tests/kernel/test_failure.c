/*
 * tests/kernel/test_failure.c - the kernel's callers of kmalloc when it
 * says NULL: process spawn without a stack, and one workload that goes
 * through every path a program or a keystroke can make allocate (console
 * input from an interrupt, descriptor-table growth, process and thread
 * creation), for fault-injection sweeps (lab 5: labs/lab5-graceful-failure).
 * Booted with fail=SPEC, the workload must finish without a panic and
 * leave every stack slot, process slot and malloc type where it found them
 * (make grade wraps it in kmem_baseline ... kmem_back_at_baseline).
 */
#include "drivers/pit.h"
#include "kernel/console.h"
#include "kernel/debug/ktest.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/kprintf.h"
#include "kernel/proc/proc.h"
#include "kernel/thread/kstack.h"
#include "kernel/thread/sched.h"
#include "kernel/thread/thread.h"
#include "mm/kmem.h"

#define FED_BYTES 200	/* about four of the console's input chunks */

/*
 * A process whose thread cannot have a stack is not made: -ENOMEM, and
 * its slot, address space and descriptors are given back.
 */
KTEST(spawn_fails_cleanly_without_a_stack)
{
	char *argv[] = { "hello" };
	unsigned slots = kstack_slots_used();
	int procs = proc_slots_in_use(), pid, status;
	const char *why;

	KEXPECT(t, kmem_fail_set("nth:1,type=thread", &why));
	pid = proc_spawn("hello", 1, argv, NULL, false);
	KEXPECT(t, kmem_fail_set("off", &why));
	KEXPECT_EQ(t, pid, -ENOMEM);
	if (pid > 0)
		proc_wait(pid, NULL, &status);
	KEXPECT_EQ(t, proc_slots_in_use(), procs);
	KEXPECT_EQ(t, kstack_slots_used(), slots);
	/* And the next one, with memory, runs. */
	pid = proc_spawn("hello", 1, argv, NULL, false);
	if (KEXPECT(t, pid > 0)) {
		KEXPECT_EQ(t, proc_wait(pid, NULL, &status), pid);
		KEXPECT_EQ(t, status, 0);
	}
}

static volatile unsigned accepted;
static volatile bool feeding_done;

/* From the timer interrupt, as the serial handler would. */
static void tick_feed(void)
{
	for (int i = 0; i < FED_BYTES; i++)
		accepted += console_input('x');
	feeding_done = true;
	pit_remove_tick_hook(tick_feed);
}

static uint64_t tty_inuse(void)
{
	struct kmem_type_stats s;

	kmem_type_stats(M_TTY, &s);
	return s.inuse;
}

static void console_part(struct ktest_ctx *t)
{
	uint64_t before = tty_inuse();

	accepted = 0;
	feeding_done = false;
	if (!KEXPECT(t, pit_add_tick_hook(tick_feed)))
		return;
	while (!feeding_done)
		sleep_ticks(1);
	/* What got in comes out, and is all there is. */
	for (unsigned i = 0; i < accepted; i++)
		KEXPECT_EQ(t, console_getc(), 'x');
	/*
	 * The queue keeps its last chunk while the chunk has room.  Fill it
	 * a byte at a time, reading each back, until it is full and read, and
	 * goes: then the console holds what it held before.
	 */
	for (int i = 0; i < FED_BYTES && tty_inuse() != before; i++)
		if (console_input('y'))
			KEXPECT_EQ(t, console_getc(), 'y');
	KEXPECT_EQ(t, tty_inuse(), before);
	kprintf("  console: %u of %d bytes queued, the rest dropped\n",
	        accepted, FED_BYTES);
}

/* Runs `name` with one argument, if it can be started; 0 or -errno. */
static int run(struct ktest_ctx *t, const char *name, char *arg)
{
	char *argv[] = { (char *)name, arg };
	int pid, status;

	pid = proc_spawn(name, arg != NULL ? 2 : 1, argv, NULL, false);
	if (pid < 0) {
		KEXPECT(t, pid == -ENOMEM);	/* its only shortage */
		return pid;
	}
	KEXPECT_EQ(t, proc_wait(pid, NULL, &status), pid);
	KEXPECT_EQ(t, status, 0);
	return 0;
}

static void nothing(void *arg)
{
	(void)arg;
}

KTEST_NEEDING(failure_workload, KTEST_OWN_CONSOLE)
{
	unsigned slots = kstack_slots_used();
	int procs = proc_slots_in_use(), started = 0;
	struct thread *th[3];

	console_part(t);
	for (int i = 0; i < 3; i++)
		started += run(t, "hello", NULL) == 0;
	started += run(t, "fdbomb", "700") == 0;	/* grows to 700 slots */
	for (int i = 0; i < 3; i++)
		th[i] = thread_create("worker", nothing, NULL);
	for (int i = 0; i < 3; i++)
		if (th[i] != NULL)
			thread_join(th[i]);
	KEXPECT_EQ(t, kstack_slots_used(), slots);
	KEXPECT_EQ(t, proc_slots_in_use(), procs);
	kprintf("  %d of 4 programs ran\n", started);
	kmem_fail_print();
}
