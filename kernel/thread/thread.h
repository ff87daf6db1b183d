/*
 * kernel/thread/thread.h - kernel threads: create, exit, join.
 *
 * A thread is a stack, the registers saved on it, and this record.  Every
 * thread runs in the kernel; one that runs a process (kernel/proc/proc.h)
 * also enters ring 3 and runs in that process's address space.  The
 * scheduler (kernel/thread/sched.h) shares the CPU among them.  Two exist
 * from boot on:
 *
 *  - thread 0, "main": the boot flow itself (kmain, then the shell), on
 *    boot.S's boot_stack.  That stack is in .bss with data right below it
 *    and has no guard page, so an overflow there is not caught: keep
 *    thread 0 shallow (`ps` shows how deep it has been).
 *  - the idle thread, which halts the CPU when nothing else can run; each
 *    CPU has one (the other CPUs start on theirs: kernel/cpu/smp.c).
 *
 * Every other thread gets a stack slot with a guard page (kernel/thread/kstack.h):
 *
 *	struct thread *t = thread_create("worker", work, &job);
 *	if (t == NULL)
 *		... no stack slot or no memory left ...
 *	...
 *	thread_join(t);		// waits for work() to return, frees the stack
 *
 * A thread ends when its function returns or it calls thread_exit().  It
 * then stays a zombie, holding its stack, until another thread joins it;
 * exactly one thread joins each thread, or the creator detaches it
 * (thread_detach) and it is freed as soon as it ends.  After the join or
 * detach, the struct thread pointer is dead.
 */
#ifndef KIVA_KERNEL_THREAD_THREAD_H
#define KIVA_KERNEL_THREAD_THREAD_H

#include "kernel/cpu/percpu.h"
#include "kernel/lib/list.h"
#include "kernel/thread/kstack.h"
#include "kernel/lib/types.h"

#define THREAD_NAME_MAX 16	/* with the NUL; longer names are cut */

enum thread_state {
	THREAD_FREE,		/* an unused record */
	THREAD_READY,		/* on the run queue (idle: not needed now) */
	THREAD_RUNNING,		/* on a CPU: that CPU's curthread */
	THREAD_SLEEPING,	/* waiting for a wakeup or a deadline */
	THREAD_ZOMBIE,		/* ended; waiting for thread_join() */
};

struct spinlock;
struct catch_frame;
struct fpu_state;
struct proc;

struct thread {
	/*
	 * The saved stack pointer while the thread is off the CPU.  It must
	 * stay the first member: kernel/thread/switch.S uses it at offset 0.
	 */
	uint32_t esp;

	int tid;
	char name[THREAD_NAME_MAX];
	enum thread_state state;
	struct kstack kstack;
	void (*entry)(void *arg);
	void *arg;
	bool detached;		/* nobody joins it: freed when it ends */

	/* Scheduling (kernel/thread/sched.c). */
	struct list_node q_link; /* on the run queue or the sleep queue */
	int slice;		/* ticks left of its time slice */
	const void *wchan;	/* what it sleeps on */
	const char *wmesg;	/* and that in words, for `ps` */
	uint64_t deadline;	/* tick a timed sleep ends at; 0: none */
	int sleep_flags;	/* SLEEP_INTERRUPTIBLE, while it sleeps */
	int sleep_end;		/* how the last sleep ended (enum sleep_end) */
	bool interrupted;	/* sched_interrupt() was called for it */
	unsigned cpu;		/* the CPU it runs or last ran on */
	/*
	 * Its registers are live on a CPU, or not yet saved: set when a CPU
	 * switches to it, cleared once a switch away from it is done.  Its
	 * stack may be freed only when this is false.
	 */
	bool on_cpu;
	/* Ended detached: the thread after it on its CPU frees it. */
	bool reap_after_switch;
	bool stack_freeing;	/* FREE, but its stack is not back yet */

	/* Locks and preemption (kernel/thread/spinlock.c, kernel/thread/sched.c). */
	int spin_depth;		/* spinlock_enter() nesting */
	uint32_t spin_eflags;	/* EFLAGS at the outermost spinlock_enter() */
	struct spinlock *spin_held; /* innermost held spinlock, or NULL */
	int preempt_count;	/* preempt_disable() nesting */

	/* The address space it runs in: a process's (mm/uvm.h), 0: the kernel's. */
	uint32_t cr3;
	struct proc *proc;	/* the process it runs, or NULL */
	/*
	 * Its process's x87/SSE registers, saved and loaded at every switch
	 * (kernel/cpu/fpu.h); NULL for a thread that never runs user code.
	 */
	struct fpu_state *fpu;

	/* The catcher stack of kernel/debug/catch.c: each thread has its own. */
	struct catch_frame *catch_innermost;
};

/* curthread, the thread on this CPU, is in kernel/cpu/percpu.h. */

/* Thread 0, "main": the boot flow (for smp_boot_cpu_init). */
struct thread *thread_boot(void);

/*
 * Makes the boot flow thread 0 and creates the idle thread; the scheduler
 * starts switching at the first timer tick.  Call after mm_init().
 */
void thread_init(void);

/*
 * Creates a thread that runs entry(arg) and puts it on the run queue.
 * Thread context only.  Returns NULL when every stack slot is taken or no
 * frame is left for its stack; nothing is left allocated then.
 */
struct thread *thread_create(const char *name, void (*entry)(void *arg),
                             void *arg);

/*
 * An idle thread for another CPU, which starts on its stack already
 * running it (kernel/cpu/smp.c); on no queue.  NULL when no stack is left.
 */
struct thread *thread_create_idle(const char *name);

/* The idle loop, for a CPU that starts on its idle thread. */
__attribute__((noreturn)) void thread_idle_loop(void);

/*
 * thread_create() for a thread nobody joins (freed when it ends, as after
 * thread_detach), stored in *where before it can run: on another CPU it
 * may start, and even end, before thread_create() would have returned.
 * Returns it, or NULL (also in *where).
 */
struct thread *thread_create_detached(const char *name,
                                      void (*entry)(void *arg), void *arg,
                                      struct thread **where);

/* Renames t (for `ps`); names longer than THREAD_NAME_MAX - 1 are cut. */
void thread_set_name(struct thread *t, const char *name);

/* Ends the calling thread (as if its function returned). */
__attribute__((noreturn)) void thread_exit(void);

/* Waits for t to end, then frees its stack and record.  May sleep. */
void thread_join(struct thread *t);

/* Says nobody will join t: it is freed when it ends (or now, if it has). */
void thread_detach(struct thread *t);

/*
 * Waits until the thread whose record is t and whose id was tid has been
 * freed (a detached thread that ended: its CPU frees it once off its
 * stack).  May sleep.
 */
void thread_wait_freed(const struct thread *t, int tid);

/* Bytes of t's stack used so far (its high-water mark). */
size_t thread_stack_used(const struct thread *t);

/*
 * The thread whose stack guard page contains va, or NULL.  For the fault
 * paths: reads the thread table without a lock, since they never return.
 */
const struct thread *thread_guard_owner(vaddr_t va);

/* The `ps` listing: every thread's id, name, state, wait and stack use. */
void thread_print_all(void);

/* For kernel/thread/sched.c: frees an ended thread that was detached. */
void thread_reap(struct thread *t);

#endif
