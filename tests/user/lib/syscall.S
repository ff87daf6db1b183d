/*
 * tests/user/lib/syscall.S - the system-call stubs: one C function per
 * SYS_* of kernel/proc/syscall.h.
 *
 * A C caller pushes the arguments on the stack (cdecl); the kernel wants
 * them in registers (kernel/proc/syscall.h): the number in EAX, the arguments
 * in EBX, ECX, EDX, ESI, EDI, and the result back in EAX.  Each stub puts
 * its call number in EAX and jumps to syscall_common, which loads five
 * argument registers whatever the call's arity: the unused ones hold
 * whatever the caller's frame has there (the stack above a call is always
 * mapped) and the kernel ignores them.  EBX, ESI and EDI belong to the
 * caller in the i386 calling convention, so they are saved around the
 * trap; EAX, ECX and EDX are the caller's to lose.
 *
 * The stubs return the kernel's result unchanged: >= 0 for success,
 * -errno for failure.  There is no errno variable (see ulib.h).
 *
 * The stubs count on the kernel to give back every register but EAX as
 * it found them, EBP and ESP in particular.  syscall_regs_preserved()
 * checks that, for usertests.
 */
#include "kernel/proc/syscall.h"

	.text

	.type	syscall_common, @function
syscall_common:
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	/* The arguments: above 3 saved registers and the return address. */
	movl	16(%esp), %ebx
	movl	20(%esp), %ecx
	movl	24(%esp), %edx
	movl	28(%esp), %esi
	movl	32(%esp), %edi
	int	$SYSCALL_VECTOR
	popl	%edi
	popl	%esi
	popl	%ebx
	ret
	.size	syscall_common, . - syscall_common

/* SYSCALL(name): the C function name(...) making system call SYS_name. */
#define SYSCALL(name)					\
	.globl	name;					\
	.type	name, @function;			\
name:							\
	movl	$(SYS_##name), %eax;			\
	jmp	syscall_common;				\
	.size	name, . - name

SYSCALL(spawn)
SYSCALL(wait)
SYSCALL(getpid)
SYSCALL(read)
SYSCALL(write)
SYSCALL(open)
SYSCALL(close)
SYSCALL(dup)
SYSCALL(dup2)
SYSCALL(sbrk)
SYSCALL(sleep)
SYSCALL(uptime)
SYSCALL(getrlimit)
SYSCALL(setrlimit)
SYSCALL(kmemstats)
SYSCALL(provoke)

/*
 * void exit(int status): SYS_exit does not return.  If the kernel ever
 * did return, ud2 raises #UD, which ends the program visibly instead of
 * letting it run on into whatever follows.
 */
	.globl	exit
	.type	exit, @function
exit:
	movl	$(SYS_exit), %eax
	movl	4(%esp), %ebx
	int	$SYSCALL_VECTOR
	ud2
	.size	exit, . - exit

/*
 * int syscall(int nr, a1, a2, a3, a4, a5): any system call by number,
 * for tests that make calls no stub would (bad numbers, odd arguments).
 */
	.globl	syscall
	.type	syscall, @function
syscall:
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	16(%esp), %eax		/* nr */
	movl	20(%esp), %ebx
	movl	24(%esp), %ecx
	movl	28(%esp), %edx
	movl	32(%esp), %esi
	movl	36(%esp), %edi
	int	$SYSCALL_VECTOR
	popl	%edi
	popl	%esi
	popl	%ebx
	ret
	.size	syscall, . - syscall

/*
 * int syscall_regs_preserved(int nr): makes system call nr (with no
 * meaningful arguments: use SYS_getpid) with a known value in every
 * register, and returns which ones the kernel changed, as a mask of
 * REG_* (ulib.h); 0 means everything but EAX came back intact.  ESP is
 * put back from memory before returning, so even a kernel that loses it
 * does not crash this function.
 */
#define V_EBX	0x0b0b0b0b
#define V_ECX	0x0c0c0c0c
#define V_EDX	0x0d0d0d0d
#define V_ESI	0x05050505
#define V_EDI	0x0d1d1d1d
#define V_EBP	0x0b9b9b9b

	.globl	syscall_regs_preserved
	.type	syscall_regs_preserved, @function
syscall_regs_preserved:
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	20(%esp), %eax		/* nr, above 4 saved + ret */
	movl	%esp, saved_esp
	movw	%ds, saved_ds
	movw	%es, saved_es
	movw	%fs, saved_fs
	movw	%gs, saved_gs
	movl	$V_EBX, %ebx
	movl	$V_ECX, %ecx
	movl	$V_EDX, %edx
	movl	$V_ESI, %esi
	movl	$V_EDI, %edi
	movl	$V_EBP, %ebp
	int	$SYSCALL_VECTOR

	xorl	%eax, %eax		/* the mask of changed ones */
	cmpl	$V_EBX, %ebx
	je	1f
	orl	$0x001, %eax		/* REG_EBX */
1:	cmpl	$V_ECX, %ecx
	je	1f
	orl	$0x002, %eax		/* REG_ECX */
1:	cmpl	$V_EDX, %edx
	je	1f
	orl	$0x004, %eax		/* REG_EDX */
1:	cmpl	$V_ESI, %esi
	je	1f
	orl	$0x008, %eax		/* REG_ESI */
1:	cmpl	$V_EDI, %edi
	je	1f
	orl	$0x010, %eax		/* REG_EDI */
1:	cmpl	$V_EBP, %ebp
	je	1f
	orl	$0x020, %eax		/* REG_EBP */
1:	cmpl	saved_esp, %esp
	je	1f
	orl	$0x040, %eax		/* REG_ESP */
	movl	saved_esp, %esp
1:	movw	%ds, %cx
	cmpw	saved_ds, %cx
	je	1f
	orl	$0x080, %eax		/* REG_DS */
1:	movw	%es, %cx
	cmpw	saved_es, %cx
	je	1f
	orl	$0x100, %eax		/* REG_ES */
1:	movw	%fs, %cx
	cmpw	saved_fs, %cx
	je	1f
	orl	$0x200, %eax		/* REG_FS */
1:	movw	%gs, %cx
	cmpw	saved_gs, %cx
	je	1f
	orl	$0x400, %eax		/* REG_GS */
1:	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret
	.size	syscall_regs_preserved, . - syscall_regs_preserved

	.bss
	.balign	4
saved_esp:	.skip	4
saved_ds:	.skip	2
saved_es:	.skip	2
saved_fs:	.skip	2
saved_gs:	.skip	2

	.section .note.GNU-stack, "", @progbits
