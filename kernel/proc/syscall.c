/*
 * kernel/proc/syscall.c - the system calls (ABI in kernel/proc/syscall.h).
 *
 * Every call takes its arguments as the 32-bit values the program left in
 * EBX, ECX, EDX, ESI and EDI, trusts none of them, and answers a negative
 * errno for a bad one: an unknown call number (-ENOSYS), a descriptor that
 * is not open (-EBADF), a pointer outside the program's mapped memory
 * (-EFAULT, through kernel/proc/usercopy.c), a value out of range (-EINVAL).
 * System calls run with interrupts on: they may sleep, and the clock and
 * the serial line must keep going meanwhile.
 */
#include "drivers/pit.h"
#include "kernel/cpu/cpu.h"
#include "kernel/debug/catch.h"
#include "kernel/lib/kprintf.h"
#include "mm/fault.h"
#include "kernel/lib/errno.h"
#include "kernel/proc/file.h"
#include "kernel/lib/kassert.h"
#include "kernel/proc/proc.h"
#include "kernel/thread/sched.h"
#include "kernel/proc/syscall.h"
#include "kernel/cpu/trap.h"
#include "kernel/proc/usercopy.h"
#include "mm/kmem.h"

#define PATH_MAX 64
#define SLEEP_MAX_MS (10 * 60 * 1000)	/* a sleep is capped at 10 minutes */
#define HEAP_TOP 0x80000000u	/* the break stays a non-negative int */

typedef int (*syscall_fn)(uint32_t a, uint32_t b, uint32_t c);

static int sys_exit(uint32_t status, uint32_t b, uint32_t c)
{
	(void)b, (void)c;
	proc_exit((int)status);
}

static int sys_getpid(uint32_t a, uint32_t b, uint32_t c)
{
	(void)a, (void)b, (void)c;
	return curproc()->pid;
}

/* Copies argv (a NULL-terminated array of strings) in; returns argc. */
static int copy_argv(uint32_t uargv, char strings[][SPAWN_ARG_MAX],
                     char *argv[])
{
	int argc;

	if (uargv == 0)
		return 0;
	for (argc = 0;; argc++) {
		uint32_t uarg;
		int n;

		if (copyin(&uarg, uargv + sizeof(uarg) * (uint32_t)argc,
		           sizeof(uarg)) != 0)
			return -EFAULT;
		if (uarg == 0)
			return argc;
		if (argc == SPAWN_MAX_ARGS)
			return -E2BIG;
		n = copyinstr(strings[argc], uarg, SPAWN_ARG_MAX);
		if (n < 0)
			return n == -ENAMETOOLONG ? -E2BIG : n;
		argv[argc] = strings[argc];
	}
}

static int sys_spawn(uint32_t uname, uint32_t uargv, uint32_t c)
{
	char name[PATH_MAX];
	char strings[SPAWN_MAX_ARGS][SPAWN_ARG_MAX];	/* 2 KiB of stack */
	char *argv[SPAWN_MAX_ARGS];
	int argc, n;

	(void)c;
	n = copyinstr(name, uname, sizeof(name));
	if (n < 0)
		return n;
	argc = copy_argv(uargv, strings, argv);
	if (argc < 0)
		return argc;
	return proc_spawn(name, argc, argv, curproc(), false);
}

static int sys_wait(uint32_t pid, uint32_t ustatus, uint32_t c)
{
	int status, r;

	(void)c;
	r = proc_wait((int)pid, curproc(), &status);
	if (r > 0 && ustatus != 0 &&
	    copyout(ustatus, &status, sizeof(status)) != 0)
		return -EFAULT;
	return r;
}

static struct file *open_file(uint32_t fd)
{
	return fdtable_get(&curproc()->fds, fd);
}

static int sys_read(uint32_t fd, uint32_t ubuf, uint32_t n)
{
	struct file *f = open_file(fd);

	return f != NULL ? f->read(f, ubuf, n) : -EBADF;
}

static int sys_write(uint32_t fd, uint32_t ubuf, uint32_t n)
{
	struct file *f = open_file(fd);

	return f != NULL ? f->write(f, ubuf, n) : -EBADF;
}

static int sys_open(uint32_t upath, uint32_t b, uint32_t c)
{
	char path[PATH_MAX];
	struct file *f;
	int n, fd;

	(void)b, (void)c;
	n = copyinstr(path, upath, sizeof(path));
	if (n < 0)
		return n;
	f = file_open(path);
	if (f == NULL)
		return -ENOENT;
	fd = fdtable_alloc(&curproc()->fds, 0, f);
	file_release(f);	/* the table took its own reference */
	return fd;
}

static int sys_close(uint32_t fd, uint32_t b, uint32_t c)
{
	(void)b, (void)c;
	return fdtable_close(&curproc()->fds, fd);
}

static int sys_dup(uint32_t fd, uint32_t b, uint32_t c)
{
	struct file *f = open_file(fd);

	(void)b, (void)c;
	return f != NULL ? fdtable_alloc(&curproc()->fds, 0, f) : -EBADF;
}

static int sys_dup2(uint32_t fd, uint32_t newfd, uint32_t c)
{
	struct file *f = open_file(fd);

	(void)c;
	if (f == NULL)
		return -EBADF;
	if (fd == newfd)
		return (int)newfd;
	return fdtable_install(&curproc()->fds, newfd, f);
}

/*
 * Moves the break by a signed increment and returns the old one.  Growing
 * maps zeroed pages (high memory first) and fails with -ENOMEM, changing
 * nothing, when frames run out or the heap would reach HEAP_TOP.
 */
static int sys_sbrk(uint32_t increment, uint32_t b, uint32_t c)
{
	struct proc *p = curproc();
	int32_t inc = (int32_t)increment;
	vaddr_t old = p->brk, new = old + (vaddr_t)inc;
	vaddr_t old_end = ROUND_UP(old, (vaddr_t)PAGE_SIZE);
	vaddr_t new_end = ROUND_UP(new, (vaddr_t)PAGE_SIZE);

	(void)b, (void)c;
	if (inc >= 0 ? (new < old || new > HEAP_TOP) : (new > old ||
	                                                new < p->brk_start))
		return inc >= 0 ? -ENOMEM : -EINVAL;
	if (new_end > old_end &&
	    !uvm_map_zero(&p->vm, old_end, new_end - old_end, true, false))
		return -ENOMEM;
	if (new_end < old_end)
		uvm_unmap(&p->vm, new_end, old_end - new_end);
	p->brk = new;
	return (int)old;
}

static int sys_sleep(uint32_t ms, uint32_t b, uint32_t c)
{
	uint64_t t = (uint64_t)MIN(ms, (uint32_t)SLEEP_MAX_MS) * HZ / 1000;

	(void)b, (void)c;
	return t > 0 ? sleep_ticks_intr(t) : 0;
}

static int sys_uptime(uint32_t a, uint32_t b, uint32_t c)
{
	(void)a, (void)b, (void)c;
	return (int)(ticks() * 1000 / HZ);
}

static int sys_getrlimit(uint32_t resource, uint32_t urlim, uint32_t c)
{
	(void)c;
	if (resource != RLIMIT_NOFILE)
		return -EINVAL;
	return copyout(urlim, &curproc()->nofile, sizeof(struct rlimit));
}

/*
 * Only RLIMIT_NOFILE.  The ceiling is proc_fd_max, what kernel_map can
 * really hold: asking for more is refused now rather than failing later.
 */
static int sys_setrlimit(uint32_t resource, uint32_t urlim, uint32_t c)
{
	struct proc *p = curproc();
	struct rlimit rl;
	int err;

	(void)c;
	if (resource != RLIMIT_NOFILE)
		return -EINVAL;
	err = copyin(&rl, urlim, sizeof(rl));
	if (err != 0)
		return err;
	if (rl.rlim_cur > rl.rlim_max || rl.rlim_max > proc_fd_max)
		return -EINVAL;
	err = fdtable_set_limit(&p->fds, rl.rlim_cur);
	if (err != 0)
		return err;
	p->nofile = rl;
	return 0;
}

static int sys_kmemstats(uint32_t ubuf, uint32_t b, uint32_t c)
{
	struct kmemstats_user k = { .fd_max = proc_fd_max };
	struct kmem_allocator_stats intr, nointr;

	(void)b, (void)c;
	for (int t = 0; t < M_NTYPES && t < KMEMSTATS_TYPES; t++) {
		struct kmem_type_stats s;
		kmem_type_stats(t, &s);
		k.inuse[t] = (uint32_t)s.inuse;
	}
	kmem_allocator_usage(false, &intr);
	kmem_allocator_usage(true, &nointr);
	k.kmem_map_used = (uint32_t)intr.used;
	k.kmem_map_size = (uint32_t)intr.size;
	k.kernel_map_used = (uint32_t)nointr.used;
	k.kernel_map_size = (uint32_t)nointr.size;
	return copyout(ubuf, &k, sizeof(k));
}

/*
 * provoke(what, addr): the kernel does on purpose, with a user address,
 * what a kernel bug would do, so that a program can watch the CPU stop it
 * (Linux's lkdtm tests EXEC_USERSPACE and ACCESS_USERSPACE do the same):
 *
 *   PROVOKE_EXEC_USER  calls addr from ring 0, as a corrupted return
 *                      address would: SMEP must fault on the fetch;
 *   PROVOKE_READ_USER  reads a word at addr without copyin: SMAP must
 *                      fault on the read.
 *
 * The fault is caught (kernel/debug/catch.h), described on the console and
 * answered with -EFAULT.  On a CPU without the protection nothing is tried
 * and the answer is -EOPNOTSUPP: without SMEP the call would run the
 * program's code in ring 0, which is the very hole SMEP closes.  An answer
 * of 0 means the access went through with the protection on: a bug.
 */
struct provocation {
	uint32_t what, addr;
};

static void provoke_access(void *arg)
{
	const struct provocation *pv = arg;

	if (pv->what == PROVOKE_EXEC_USER)
		((void (*)(void))pv->addr)();
	else
		(void)*(volatile const uint32_t *)pv->addr;
}

static int sys_provoke(uint32_t what, uint32_t addr, uint32_t c)
{
	struct provocation pv = { what, addr };
	char words[PAGE_FAULT_WORDS];
	struct caught fault;
	uint32_t needed;

	(void)c;
	if (what == PROVOKE_EXEC_USER)
		needed = CR4_SMEP;
	else if (what == PROVOKE_READ_USER)
		needed = CR4_SMAP;
	else
		return -EINVAL;
	if (!uvm_range_ok(addr, sizeof(uint32_t)))
		return -EFAULT;
	if (!(read_cr4() & needed))
		return -EOPNOTSUPP;
	if (!catch_run(CATCH_FAULT, provoke_access, &pv, &fault))
		return 0;
	page_fault_describe(fault.err, fault.cr2, words, sizeof(words));
	kprintf("provoke: pid %d: the CPU stopped the kernel: %s (error %x)\n",
	        curproc()->pid, words, fault.err);
	return -EFAULT;
}

static const syscall_fn syscalls[NSYSCALLS] = {
	[SYS_exit] = sys_exit,		[SYS_spawn] = sys_spawn,
	[SYS_wait] = sys_wait,		[SYS_getpid] = sys_getpid,
	[SYS_read] = sys_read,		[SYS_write] = sys_write,
	[SYS_open] = sys_open,		[SYS_close] = sys_close,
	[SYS_dup] = sys_dup,		[SYS_dup2] = sys_dup2,
	[SYS_sbrk] = sys_sbrk,		[SYS_sleep] = sys_sleep,
	[SYS_uptime] = sys_uptime,	[SYS_getrlimit] = sys_getrlimit,
	[SYS_setrlimit] = sys_setrlimit, [SYS_kmemstats] = sys_kmemstats,
	[SYS_provoke] = sys_provoke,
};

void syscall_dispatch(struct trapframe *tf)
{
	uint32_t n = tf->eax;

	KASSERT(trapframe_from_user(tf) && curproc() != NULL);
	irq_enable();
	if (n >= NSYSCALLS || syscalls[n] == NULL)
		tf->eax = (uint32_t)-ENOSYS;
	else
		tf->eax = (uint32_t)syscalls[n](tf->ebx, tf->ecx, tf->edx);
}
