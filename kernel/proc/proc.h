/*
 * kernel/proc/proc.h - user processes.
 *
 * A process is an address space (mm/uvm.h), a descriptor table
 * (kernel/proc/fdtable.h), a program break, and one kernel thread that runs
 * it: the thread enters ring 3 at the program's entry point and comes
 * back into the kernel on every system call, interrupt and fault, on its
 * own kernel stack (the TSS's esp0, kernel/cpu/gdt.h).
 *
 * Programs are ELF32 executables that arrive as boot modules (GRUB's
 * `module`, QEMU's -initrd), found by name: "fdbomb" is the module whose
 * file is .../fdbomb.elf (kernel/bootinfo.h).
 */
#ifndef KIVA_KERNEL_PROC_PROC_H
#define KIVA_KERNEL_PROC_PROC_H

#include "kernel/cpu/fpu.h"
#include "kernel/proc/fdtable.h"
#include "kernel/proc/syscall.h"
#include "mm/uvm.h"

#define NPROC 32
#define PROC_NAME_MAX 16
#define NOFILE_DEFAULT 64	/* RLIMIT_NOFILE's starting soft limit */
#define PROC_KILLED_STATUS (-1)	/* the status of a process the kernel ended */
#define USER_STACK_ALIGN 16	/* at main's call: the i386 psABI, 2.2.2 */

struct trapframe;
struct thread;

enum proc_state { PROC_FREE, PROC_LIVE, PROC_ZOMBIE };

struct proc {
	int pid;
	char name[PROC_NAME_MAX];
	enum proc_state state;
	struct proc *parent;	/* NULL: started from the shell */
	bool detached;		/* nobody will wait: freed when it exits */
	int status;		/* exit status, once a zombie */
	struct thread *thread;
	/*
	 * Once a zombie: the thread it ran on and that thread's id, which
	 * proc_wait() waits to see freed (on another CPU it may still be
	 * leaving when the parent wakes).
	 */
	struct thread *exit_thread;
	int exit_tid;
	struct uvm vm;
	vaddr_t brk_start, brk;	/* the heap: [brk_start, brk) */
	struct fdtable fds;
	struct rlimit nofile;
	uint32_t thread_entry, thread_sp;	/* where ring 3 starts */
	bool killed;		/* proc_kill(): ends before it next runs ring 3 */
	struct fpu_state fpu;	/* its x87/SSE registers (kernel/cpu/fpu.h) */
};

/* Derives the system-wide descriptor limit from kernel_map's size. */
void proc_init(void);

/* Descriptors one process may have at most (RLIMIT_NOFILE's ceiling). */
extern unsigned proc_fd_max;

/* The process the calling thread runs, or NULL for a kernel thread. */
struct proc *curproc(void);

/*
 * Starts program `name` with argv[0..argc-1].  Returns its pid, or
 * -ENOENT (no such module), -ENOEXEC (not a valid ELF executable; the
 * reason is printed), -E2BIG (arguments too long), -EAGAIN (no process
 * slot), -ENOMEM (no memory for it).  A detached process is freed when it
 * exits; otherwise its parent (or the shell) must proc_wait() for it.
 */
int proc_spawn(const char *name, int argc, char *const argv[],
               struct proc *parent, bool detached);

/*
 * Waits for child pid of `parent` (-1: any child) to exit; stores its
 * status and frees it.  Returns its pid, or -ECHILD when there is no such
 * child.  parent NULL means the processes the shell started.
 */
int proc_wait(int pid, struct proc *parent, int *status);

/* Ends the calling process with status; does not return. */
__attribute__((noreturn)) void proc_exit(int status);

/* A user-mode fault: says what happened and ends the process. */
__attribute__((noreturn)) void proc_fault(const struct trapframe *tf,
                                          uint32_t cr2);

/*
 * Ends process pid (the shell's `kill`, and Ctrl-C for the foreground
 * program): it exits with PROC_KILLED_STATUS instead of returning to ring
 * 3, which a program running in ring 3 does at the next timer tick, and
 * one sleeping in a system call at once (the call fails with -EINTR).
 * Interrupt handlers may call it.  Returns 0, or -ESRCH when no live
 * process has that pid.
 */
int proc_kill(int pid);

/*
 * For trap(), on every way back to ring 3: a killed process ends here.
 */
void proc_user_return(void);

/*
 * The processes the kernel itself started (parent NULL) from pid
 * first_pid on, that nobody has waited for: after this they are detached,
 * so each is freed when it exits (a zombie at once).  For the in-kernel
 * test runner, whose tests may end before waiting for what they started.
 * Returns how many there were.
 */
int proc_disown_kernel_children(int first_pid);

/* The pid the next process will get. */
int proc_next_pid(void);

/* Process records in use (live or zombie), out of NPROC. */
int proc_slots_in_use(void);

/* Lists the processes (the shell's `ps` shows their threads too). */
void proc_print_all(void);

/* Runs the system call a user trap frame asks for (kernel/proc/syscall.c). */
void syscall_dispatch(struct trapframe *tf);

/* Enters ring 3 at eip with stack esp (kernel/cpu/trapentry.S). */
__attribute__((noreturn)) void user_enter(uint32_t eip, uint32_t esp);

#endif
