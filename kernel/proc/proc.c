/*
 * kernel/proc/proc.c - creating, running, ending and reaping processes.
 *
 * proc_spawn() builds a process while still in the parent's context:
 *
 *   1. find the module and check the ELF image (kernel/proc/elf.c)
 *   2. take a record and make an address space (mm/uvm.c)
 *   3. map each PT_LOAD segment with fresh zeroed pages and copy in its
 *      file bytes through the frames (so text can be read-only from the
 *      start); map the user stack and write argc/argv onto it
 *   4. give it descriptors 0, 1 and 2 on the console
 *   5. create its thread, which switches to the new address space and
 *      enters ring 3 (proc_start)
 *
 * Any failure undoes what was done and returns an error: no panic, no
 * half-made process.  Exiting closes the descriptors and frees the
 * address space; a zombie's record waits for its parent's proc_wait(),
 * unless it was detached, in which case the exiting thread frees it.
 */
#include "kernel/proc/proc.h"

#include "kernel/bootinfo.h"
#include "kernel/cpu/cpu.h"
#include "kernel/proc/elf.h"
#include "kernel/lib/errno.h"
#include "kernel/proc/file.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/kstring.h"
#include "kernel/thread/sched.h"
#include "kernel/thread/spinlock.h"
#include "kernel/thread/thread.h"
#include "kernel/cpu/trap.h"
#include "mm/fault.h"
#include "mm/kmem.h"
#include "mm/kva.h"
#include "mm/paging.h"

static struct proc procs[NPROC];
static struct spinlock proc_lock = SPINLOCK_INIT("procs");
static int next_pid = 1;
unsigned proc_fd_max;

/*
 * At most a quarter of kernel_map may hold descriptor tables of one
 * process, and a table of n slots costs fdtable_bytes_for(n): the largest
 * n that fits is the ceiling RLIMIT_NOFILE can be raised to.  So no limit
 * can promise more than the kernel can allocate: the fix Chuck Silvers
 * proposed ("Re: fdexpand() memory shortage check", NetBSD tech-kern,
 * 14 December 2001).  kmem_design=2003 has no such ceiling, as in 2003:
 * setrlimit may go up to the table's absolute maximum.
 */
void proc_init(void)
{
	size_t budget = (kva_end(KVA_KERNEL_MAP) - kva_start(KVA_KERNEL_MAP)) / 4;
	unsigned n = FD_INLINE;
	size_t next;

	if (kmem_design_2003()) {
		proc_fd_max = FD_MAXFILES_MAX;
		fdtable_set_maxfiles(proc_fd_max);
		return;
	}
	/* fdtable_bytes_for() says 0 when the size would not fit a size_t. */
	while (n < FD_MAXFILES_MAX / 2 &&
	       (next = fdtable_bytes_for(n * 2)) != 0 && next <= budget)
		n *= 2;
	proc_fd_max = n;
	fdtable_set_maxfiles(n);
}

struct proc *curproc(void)
{
	return curthread->proc;
}

static struct proc *proc_alloc(const char *name, struct proc *parent,
                               bool detached)
{
	struct proc *p = NULL;

	spin_lock(&proc_lock);
	for (int i = 0; i < NPROC && p == NULL; i++)
		if (procs[i].state == PROC_FREE)
			p = &procs[i];
	if (p != NULL) {
		memset(p, 0, sizeof(*p));
		p->pid = next_pid++;
		p->state = PROC_LIVE;
		p->parent = parent;
		p->detached = detached;
	}
	spin_unlock(&proc_lock);
	if (p != NULL) {
		size_t n = MIN(strlen(name), sizeof(p->name) - 1);
		memcpy(p->name, name, n);
	}
	return p;
}

static void proc_free(struct proc *p)
{
	spin_lock(&proc_lock);
	p->state = PROC_FREE;
	spin_unlock(&proc_lock);
}

static bool load_segments(struct proc *p, const uint8_t *image,
                          const struct elf_info *info)
{
	for (size_t i = 0; i < info->nseg; i++) {
		const struct elf_segment *s = &info->seg[i];
		if (!uvm_map_zero(&p->vm, s->vaddr, s->memsz, s->writable,
		                  s->executable))
			return false;
		if (!uvm_copy_to(&p->vm, s->vaddr, image + s->offset, s->filesz))
			return false;
	}
	p->brk_start = p->brk = info->brk;
	return true;
}

/*
 * The initial stack (tests/user/lib/crt0.S reads it): at esp argc, then
 * argv[0..argc-1], a NULL, and the strings above them.  Returns the
 * initial esp, or 0 when the arguments do not fit or no memory is left.
 */
static vaddr_t build_stack(struct proc *p, int argc, char *const argv[])
{
	uint32_t words[2 + SPAWN_MAX_ARGS];
	vaddr_t sp = USER_STACK_TOP;

	if (!uvm_map_zero(&p->vm, USER_STACK_TOP - USER_STACK_SIZE,
	                  USER_STACK_SIZE, true, false))
		return 0;
	words[0] = (uint32_t)argc;
	for (int i = argc - 1; i >= 0; i--) {
		size_t len = strlen(argv[i]) + 1;
		sp -= len;
		if (!uvm_copy_to(&p->vm, sp, argv[i], len))
			return 0;
		words[1 + i] = (uint32_t)sp;
	}
	words[1 + argc] = 0;
	sp = ROUND_DOWN(sp, USER_STACK_ALIGN) -
	     (2 + (vaddr_t)argc) * sizeof(words[0]);
	if (!uvm_copy_to(&p->vm, sp, words,
	                 (2 + (size_t)argc) * sizeof(words[0])))
		return 0;
	return sp;
}

static bool open_console(struct proc *p)
{
	struct file *f = file_open("/dev/console");
	bool ok = f != NULL;

	for (int fd = 0; fd < 3 && ok; fd++)
		ok = fdtable_alloc(&p->fds, 0, f) == fd;
	if (f != NULL)
		file_release(f);	/* the table holds its own references */
	return ok;
}

/* The new process's thread: into its address space, then ring 3. */
static void proc_start(void *arg)
{
	struct proc *p = arg;

	curthread->proc = p;
	curthread->cr3 = uvm_cr3(&p->vm);
	write_cr3(curthread->cr3);
	/*
	 * Load the process's x87/SSE registers and make the thread their
	 * owner with no switch in between: a switch after the load would save
	 * nothing and the registers would come back holding another
	 * process's values.  user_enter's iret turns interrupts back on.
	 */
	irq_disable();
	fpu_restore(&p->fpu);
	curthread->fpu = &p->fpu;
	user_enter(p->thread_entry, p->thread_sp);
}

static int check_args(const char *name, int argc, char *const argv[],
                      const void **image, size_t *size,
                      struct elf_info *info)
{
	static const struct elf_limits limits = {
		USER_BASE, USER_STACK_TOP - USER_STACK_SIZE
	};
	enum elf_error err;

	if (argc < 0 || argc > SPAWN_MAX_ARGS)
		return -E2BIG;
	for (int i = 0; i < argc; i++)
		if (strlen(argv[i]) >= SPAWN_ARG_MAX)
			return -E2BIG;
	if (!bootinfo_find_module(name, image, size))
		return -ENOENT;
	err = elf_check(*image, *size, &limits, info);
	if (err != ELF_OK) {
		kprintf("spawn: %s is not a program Kiva can run: %s\n", name,
		        elf_strerror(err));
		return -ENOEXEC;
	}
	return 0;
}

int proc_spawn(const char *name, int argc, char *const argv[],
               struct proc *parent, bool detached)
{
	struct elf_info info;
	const void *image;
	size_t size;
	struct thread *th = NULL;
	struct proc *p;
	vaddr_t sp;
	int err;

	err = check_args(name, argc, argv, &image, &size, &info);
	if (err != 0)
		return err;
	p = proc_alloc(name, parent, detached);
	if (p == NULL)
		return -EAGAIN;
	if (!uvm_init(&p->vm)) {
		proc_free(p);
		return -ENOMEM;
	}
	fpu_state_init(&p->fpu);
	fdtable_init(&p->fds, MIN(NOFILE_DEFAULT, proc_fd_max));
	p->nofile = (struct rlimit){ MIN(NOFILE_DEFAULT, proc_fd_max),
	                             proc_fd_max };
	sp = 0;
	if (load_segments(p, image, &info) && open_console(p))
		sp = build_stack(p, argc, argv);
	p->thread_entry = info.entry;
	p->thread_sp = (uint32_t)sp;
	/*
	 * p->thread is set before the thread can run; on another CPU it may
	 * end, and clear it, before this call returns: check what it returns.
	 */
	if (sp != 0)
		th = thread_create_detached(p->name, proc_start, p, &p->thread);
	/* LAB 5: BEGIN SOLUTION */
	if (th == NULL) {
	/* LAB 5: END SOLUTION */
	/* LAB 5: BEGIN HANDOUT
	(void)th;
	if (sp == 0) {
	   END HANDOUT */
		fdtable_close_all(&p->fds);
		uvm_destroy(&p->vm);
		proc_free(p);
		return -ENOMEM;
	}
	return p->pid;
}

static const void *wait_channel(const struct proc *parent)
{
	return parent != NULL ? (const void *)parent : (const void *)procs;
}

/* The exiting process's children: zombies go, the living are orphaned. */
static void orphan_children(struct proc *p)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *q = &procs[i];
		if (q->state == PROC_FREE || q->parent != p)
			continue;
		if (q->state == PROC_ZOMBIE) {
			q->state = PROC_FREE;
		} else {
			q->parent = NULL;
			q->detached = true;
		}
	}
}

void proc_exit(int status)
{
	struct proc *p = curproc();

	KASSERT(p != NULL);
	fdtable_close_all(&p->fds);
	curthread->fpu = NULL;	/* nothing of it is saved from here on */
	/* Leave the address space before freeing it. */
	curthread->cr3 = 0;
	write_cr3(paging_kernel_cr3());
	uvm_destroy(&p->vm);
	curthread->proc = NULL;

	spin_lock(&proc_lock);
	orphan_children(p);
	p->status = status;
	p->exit_thread = curthread;
	p->exit_tid = curthread->tid;
	p->thread = NULL;
	if (p->detached) {
		p->state = PROC_FREE;
	} else {
		p->state = PROC_ZOMBIE;
		wakeup(wait_channel(p->parent));
	}
	spin_unlock(&proc_lock);
	thread_exit();
}

int proc_wait(int pid, struct proc *parent, int *status)
{
	spin_lock(&proc_lock);
	for (;;) {
		bool have_child = false;
		for (int i = 0; i < NPROC; i++) {
			struct proc *q = &procs[i];
			if (q->state == PROC_FREE || q->parent != parent ||
			    q->detached || (pid != -1 && q->pid != pid))
				continue;
			have_child = true;
			if (q->state == PROC_ZOMBIE) {
				int id = q->pid, tid = q->exit_tid;
				struct thread *th = q->exit_thread;

				*status = q->status;
				q->state = PROC_FREE;
				spin_unlock(&proc_lock);
				/* All of it is back when this returns. */
				thread_wait_freed(th, tid);
				return id;
			}
		}
		if (!have_child) {
			spin_unlock(&proc_lock);
			return -ECHILD;
		}
		if (sleep_intr(wait_channel(parent), &proc_lock, "wait") != 0) {
			spin_unlock(&proc_lock);
			return -EINTR;
		}
	}
}

void proc_fault(const struct trapframe *tf, uint32_t cr2)
{
	struct proc *p = curproc();
	char what[PAGE_FAULT_WORDS];

	KASSERT(p != NULL);	/* ring 3 runs only processes */
	irq_enable();		/* a trap gate left them off; we may sleep */
	kprintf("pid %d (%s): %s at eip %08x", p->pid, p->name,
	        trap_exception_name(tf->trapno), tf->eip);
	if (tf->trapno == T_PAGE_FAULT) {
		page_fault_describe(tf->err, cr2, what, sizeof(what));
		kprintf(", address %08x (%s)", cr2, what);
	}
	kprintf("; killed\n");
	proc_exit(PROC_KILLED_STATUS);
}

int proc_kill(int pid)
{
	struct thread *victim = NULL;

	spin_lock(&proc_lock);
	for (int i = 0; i < NPROC && victim == NULL; i++) {
		struct proc *p = &procs[i];
		if (p->state == PROC_LIVE && p->pid == pid &&
		    p->thread != NULL) {
			p->killed = true;
			victim = p->thread;
		}
	}
	/* Under proc_lock, so the thread cannot exit and be freed meanwhile. */
	if (victim != NULL)
		sched_interrupt(victim);
	spin_unlock(&proc_lock);
	return victim != NULL ? 0 : -ESRCH;
}

void proc_user_return(void)
{
	struct proc *p = curproc();

	if (p->killed) {
		irq_enable();
		kprintf("pid %d (%s): killed\n", p->pid, p->name);
		proc_exit(PROC_KILLED_STATUS);
	}
}

int proc_disown_kernel_children(int first_pid)
{
	int n = 0;

	spin_lock(&proc_lock);
	for (int i = 0; i < NPROC; i++) {
		struct proc *q = &procs[i];
		if (q->state == PROC_FREE || q->parent != NULL ||
		    q->detached || q->pid < first_pid)
			continue;
		n++;
		if (q->state == PROC_ZOMBIE)
			q->state = PROC_FREE;
		else
			q->detached = true;
	}
	spin_unlock(&proc_lock);
	return n;
}

int proc_next_pid(void)
{
	return next_pid;
}

int proc_slots_in_use(void)
{
	int n = 0;

	spin_lock(&proc_lock);
	for (int i = 0; i < NPROC; i++)
		n += procs[i].state != PROC_FREE;
	spin_unlock(&proc_lock);
	return n;
}

void proc_print_all(void)
{
	static const char *const states[] = { "free", "live", "zombie" };

	kprintf("processes (pid: process id, a count of its own; each runs on "
	        "a thread of its name):\n");
	kprintf("  pid  name              state    parent  memory(KiB)  fds\n");
	spin_lock(&proc_lock);
	for (int i = 0; i < NPROC; i++) {
		const struct proc *p = &procs[i];
		if (p->state == PROC_FREE)
			continue;
		kprintf("%5d  %-16s  %-7s  %6d  %11u  %u\n", p->pid, p->name,
		        states[p->state], p->parent != NULL ? p->parent->pid : 0,
		        (unsigned)(p->vm.pages * (PAGE_SIZE / 1024)),
		        fdtable_nopen(&p->fds));
	}
	spin_unlock(&proc_lock);
}
