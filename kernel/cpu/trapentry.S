/*
 * kernel/cpu/trapentry.S - the entry stubs for every interrupt vector.
 *
 * For the vectors where the CPU pushes no error code, a stub pushes a zero
 * so that every frame has the same shape (SDM Vol. 3A, 6.13 lists which
 * exceptions push one).  The common path saves the segment and general
 * registers, loads the kernel data segments, and calls trap(tf); returning
 * undoes it all and irets.
 */
#include "kernel/cpu/gdt.h"

/* Vectors whose exceptions push an error code: 8, 10-14, 17, 21, 29, 30. */
#define HAS_ERROR(n) ((n) == 8 || ((n) >= 10 && (n) <= 14) || (n) == 17 || \
		      (n) == 21 || (n) == 29 || (n) == 30)

	.text
	.altmacro
.macro vector n
	.balign 16
vector\n:
	.if !HAS_ERROR(\n)
	pushl $0
	.endif
	pushl $\n
	jmp trap_common
.endm

.set i, 0
.rept 48
	vector %i
	.set i, i + 1
.endr
	vector 128

trap_common:
	pushal
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	movw $KERNEL_DS, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	pushl %esp			/* trap(struct trapframe *) */
	call trap
	addl $4, %esp
	.globl trap_return
trap_return:
	popl %gs
	popl %fs
	popl %es
	popl %ds
	popal
	addl $8, %esp			/* trapno and error code */
	iret

/*
 * user_enter(eip, esp): the first entry of a process into ring 3.  An iret
 * to a less privileged level pops EIP, CS, EFLAGS, ESP and SS (SDM Vol. 3A,
 * 6.12.1 and "IRET" in Vol. 2A), so that frame is built here: user code
 * and stack segments, interrupts on.  The data segments are loaded first;
 * the general registers are cleared so nothing of the kernel leaks out.
 */
	.globl user_enter
user_enter:
	movl 4(%esp), %ecx		/* eip */
	movl 8(%esp), %edx		/* esp */
	cli
	movw $USER_DS, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	pushl $USER_DS			/* ss */
	pushl %edx			/* esp */
	pushl $0x202			/* eflags: IF, and bit 1, always set */
	pushl $USER_CS			/* cs */
	pushl %ecx			/* eip */
	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %esi, %esi
	xorl %edi, %edi
	xorl %ebp, %ebp
	iret

.macro vector_address n
	.long vector\n
.endm
	.section .rodata
	.balign 4
	.globl trap_vectors
trap_vectors:
.set i, 0
.rept 48
	vector_address %i
	.set i, i + 1
.endr
	.globl trap_syscall_vector
trap_syscall_vector:
	.long vector128

	.section .note.GNU-stack, "", @progbits
