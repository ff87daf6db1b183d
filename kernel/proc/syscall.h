/*
 * kernel/proc/syscall.h - the system-call ABI, shared by the kernel and the
 * user library (tests/user/lib).
 *
 * A program traps with `int $0x80` (the IDT gate at vector 0x80 has
 * DPL 3, so ring 3 may use it; SDM Vol. 3A, 6.12.1.1) with the call number
 * in EAX and up to five arguments in EBX, ECX, EDX, ESI, EDI, like Linux
 * on i386.  The result comes back in EAX: >= 0 is success, a negative
 * value is -errno (kernel/lib/errno.h).  Pointers are user addresses; the
 * kernel checks and copies them and answers -EFAULT for a bad one.
 */
#ifndef KIVA_KERNEL_PROC_SYSCALL_H
#define KIVA_KERNEL_PROC_SYSCALL_H

#define SYSCALL_VECTOR 0x80

#define SYS_exit 1	/* exit(status): never returns */
#define SYS_spawn 2	/* spawn(name, argv): pid of a new process */
#define SYS_wait 3	/* wait(pid, &status): pid (pid -1: any child) */
#define SYS_getpid 4	/* getpid(): pid */
#define SYS_read 5	/* read(fd, buf, n): bytes read */
#define SYS_write 6	/* write(fd, buf, n): bytes written */
#define SYS_open 7	/* open(path): fd; /dev/console, /dev/null, /dev/zero */
#define SYS_close 8	/* close(fd) */
#define SYS_dup 9	/* dup(fd): the lowest free fd */
#define SYS_dup2 10	/* dup2(fd, newfd): newfd */
#define SYS_sbrk 11	/* sbrk(increment): the old break */
#define SYS_sleep 12	/* sleep(ms) */
#define SYS_uptime 13	/* uptime(): milliseconds since boot */
#define SYS_getrlimit 14 /* getrlimit(resource, &rlimit) */
#define SYS_setrlimit 15 /* setrlimit(resource, &rlimit) */
#define SYS_kmemstats 16 /* kmemstats(&struct kmemstats_user) */
#define SYS_provoke 17	/* provoke(PROVOKE_*, addr): a protection test */
#define NSYSCALLS 18

#define SPAWN_MAX_ARGS 16	/* argv entries, the NULL excluded */
#define SPAWN_ARG_MAX 128	/* bytes per argument, NUL included */

#define RLIMIT_NOFILE 7	/* descriptors a process may have open */

/* What SYS_provoke makes the kernel do with a user address. */
#define PROVOKE_EXEC_USER 1	/* call it from ring 0: SMEP must fault */
#define PROVOKE_READ_USER 2	/* read it outside copyin: SMAP must fault */

#ifndef __ASSEMBLY__
#include <stdint.h>


struct rlimit {
	uint32_t rlim_cur;	/* the limit in force */
	uint32_t rlim_max;	/* what rlim_cur may be raised to */
};

/* What SYS_kmemstats copies out: bytes in use per malloc type. */
#define KMEMSTATS_TYPES 8
struct kmemstats_user {
	uint32_t inuse[KMEMSTATS_TYPES];	/* indexed by enum kmem_type */
	uint32_t kmem_map_used, kmem_map_size;	/* bytes */
	uint32_t kernel_map_used, kernel_map_size;
	uint32_t fd_max;	/* the system-wide descriptor limit */
};
#endif

#endif
