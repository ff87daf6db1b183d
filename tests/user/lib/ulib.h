/*
 * tests/user/lib/ulib.h - the C library of Kiva's user programs.
 *
 * Just enough C library for test programs, in three parts:
 *
 *  - syscall.S: one function per system call of kernel/proc/syscall.h, and
 *    syscall() to make any call by number;
 *  - ulib.c: printf() and dprintf() (the kernel's formatting core,
 *    kernel/lib/fmt.c, compiled again for user space), errname(), atoi();
 *  - kernel/lib/kstring.c, also compiled again: memset(), memcpy(), strlen(),
 *    strcmp() and the rest of kernel/lib/kstring.h.
 *
 * Errors.  Every system-call function returns the kernel's result as it
 * is: >= 0 for success, -errno (kernel/lib/errno.h) for failure.  There is
 * no errno variable and no -1 convention: a program writes
 *
 *	if ((fd = open("/dev/null")) < 0)
 *		printf("open: %s\n", errname(fd));
 *
 * The one function that does not return an int is sbrk(), which returns
 * a pointer: the old break, or -errno cast to a pointer.  No break is ever
 * that close to the top of the address space (it is kernel space), so
 * sbrk_err() can tell the two apart, like Linux's IS_ERR_VALUE().
 */
#ifndef KIVA_TESTS_USER_ULIB_H
#define KIVA_TESTS_USER_ULIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/lib/errno.h"
#include "kernel/lib/fmt.h"		/* ksnprintf(), kvsnprintf() */
#include "kernel/lib/kstring.h"		/* memset(), strlen(), ... */
#include "kernel/proc/syscall.h"	/* SYS_*, struct rlimit, ... */
#include "kernel/lib/types.h"		/* PAGE_SIZE, ROUND_UP, ARRAY_SIZE */

/* Every program defines it; crt0.S calls it and passes its result to exit. */
int main(int argc, char *argv[]);

/* ------------------------------------------------------ system calls */

/* Ends the process with this status (what its parent's wait() gets). */
__attribute__((noreturn)) void exit(int status);

/*
 * Starts the program `name` in a new child process with the arguments
 * argv (NULL-terminated, at most SPAWN_MAX_ARGS of at most SPAWN_ARG_MAX
 * bytes each); returns the child's pid.
 */
int spawn(const char *name, char *const argv[]);

/*
 * Waits for the child `pid` (-1: any child) to exit, stores its exit
 * status in *status (unless status is NULL) and returns its pid; -ECHILD
 * if there is no such child.  The status is what the child passed to
 * exit() or returned from main(), or -1 if the kernel killed it.
 */
int wait(int pid, int *status);

int getpid(void);

/* Returns the number of bytes read (0 at end of file) or written. */
int read(int fd, void *buf, size_t n);
int write(int fd, const void *buf, size_t n);

/* Opens a device: "/dev/console", "/dev/null" or "/dev/zero". */
int open(const char *path);
int close(int fd);

/* A copy of fd on the lowest free descriptor, or on newfd (dup2). */
int dup(int fd);
int dup2(int fd, int newfd);

/*
 * Moves the end of the heap (the break) by increment bytes, either way;
 * returns the old break, or -errno as a pointer: test it with sbrk_err().
 */
void *sbrk(int increment);

#define MAX_ERRNO 4095	/* -errno results lie in [-MAX_ERRNO, -1] */

/* 0 if p is a break sbrk() returned, else the -errno it stands for. */
static inline int sbrk_err(const void *p)
{
	uintptr_t v = (uintptr_t)p;

	return v >= (uintptr_t)-MAX_ERRNO ? (int)v : 0;
}

/* Sleeps for at least ms milliseconds; returns 0. */
int sleep(unsigned int ms);

/* Milliseconds since boot. */
int uptime(void);

/* Reads or sets a resource limit (only RLIMIT_NOFILE exists). */
int getrlimit(int resource, struct rlimit *rl);
int setrlimit(int resource, const struct rlimit *rl);

/* Copies the kernel's memory statistics into *ks. */
int kmemstats(struct kmemstats_user *ks);

/*
 * Asks the kernel to misuse addr on purpose (PROVOKE_EXEC_USER,
 * PROVOKE_READ_USER): -EFAULT when the CPU's protection stopped it,
 * -EOPNOTSUPP when the CPU has no such protection (kernel/proc/syscall.c).
 */
int provoke(int what, const void *addr);

/* Any system call, by number, with five raw arguments. */
int syscall(int nr, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4,
            uint32_t a5);

/*
 * Makes system call nr with a known value in every register and returns
 * the mask of those that came back changed (0: all but EAX preserved).
 */
int syscall_regs_preserved(int nr);
#define REG_EBX 0x001
#define REG_ECX 0x002
#define REG_EDX 0x004
#define REG_ESI 0x008
#define REG_EDI 0x010
#define REG_EBP 0x020
#define REG_ESP 0x040
#define REG_DS 0x080
#define REG_ES 0x100
#define REG_FS 0x200
#define REG_GS 0x400

/* ---------------------------------------------------------- library */

/*
 * Formatted output (the conversions of kernel/lib/fmt.h) to fd 1 or to fd.
 * Each call formats into a buffer and writes it with as few write()s as
 * it can, one for a line of up to 256 bytes, so that lines of different
 * processes do not mix.  Returns the number of characters, or the
 * -errno of a failed write().
 */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vdprintf(int fd, const char *fmt, va_list ap);

/*
 * The name of an error number: errname(-EMFILE) and errname(EMFILE) are
 * both "EMFILE", so a raw result can be passed as it is.  An unknown
 * number N gives "errno N" (in a static buffer: print it before the next
 * call).
 */
const char *errname(int err);

/* The decimal number at the start of s (after an optional sign). */
int atoi(const char *s);

/* Bounds of the program image (tests/user/user.ld). */
extern char __text_start[];	/* the text segment: code, then rodata */
extern char __rodata_end[];
extern char __data_start[];	/* the data segment: data, then bss */
extern char _end[];		/* the end of bss; the heap is above */

#endif	/* KIVA_TESTS_USER_ULIB_H */
