/*
 * kernel/cpu/trapentry.S - the entry stubs for every interrupt vector.
 *
 * For the vectors where the CPU pushes no error code, a stub pushes a zero
 * so that every frame has the same shape (SDM Vol. 3A, 6.13 lists which
 * exceptions push one).  The common path saves the segment and general
 * registers, puts the CPU into the state the kernel's C code assumes (the
 * entry state, below), and calls trap(tf); returning undoes it all and
 * irets, which gives the interrupted code its own flags back.
 *
 * The entry state.  Whatever ran before - a user program, or kernel code
 * interrupted anywhere - the C code after this must find:
 *
 *  - EFLAGS.DF clear.  The i386 psABI (3.4.1) makes DF=0 a precondition
 *    of every function, and the kernel's memcpy/memset are rep movsb/
 *    stosb.  A program can set DF with `std` before `int $0x80` (or be
 *    interrupted with it set), and the gate does not clear it: a copy
 *    would then run backwards over the kernel stack.
 *  - EFLAGS.AC clear.  With SMAP on, AC=1 lets ring 0 touch user pages
 *    (SDM Vol. 3A, 4.6.1); user code may set AC (it is only an alignment
 *    check at CPL 3), so the kernel may not inherit it.
 *  - the kernel's data segments in DS, ES, FS and GS: user code loads
 *    what it likes into them (any selector with DPL 3).  CS and SS come
 *    from the gate and the TSS (SDM Vol. 3A, 6.12.1).
 *  - a stack 16-byte aligned at the call, as the psABI (2.2.2) promises
 *    the compiler.  From ring 3 the stack is the thread's esp0, page
 *    aligned, but an interrupt of kernel code comes at any esp.
 *
 * Every EFLAGS bit, and who sees to it (SDM Vol. 1, 3.4.3; Vol. 3A, 2.3):
 *
 *   TF, NT, RF, VM   cleared by the CPU on every interrupt or trap gate
 *                    (SDM Vol. 3A, 6.12.1.2)
 *   IF               cleared by the CPU: every gate is an interrupt gate
 *   DF, AC           cleared here, by loading EFLAGS with a constant
 *   CF PF AF ZF SF OF  status flags: compiled code never reads one it
 *                    did not set; cleared here anyway
 *   IOPL             0, and user code cannot change it: POPF and IRET
 *                    leave it alone at CPL > 0 (SDM Vol. 2B, POPF)
 *   ID               only says whether CPUID exists; nothing reads it
 *   VIF, VIP         used only with CR4.VME/PVI, which Kiva leaves off
 *
 * So after `pushl $EFLAGS_RESERVED_1; popfl` every bit is known: the
 * constant is "all clear" (bit 1 always reads 1), which at CPL 0 also
 * sets IOPL to 0 and keeps IF 0.  The interrupted code's own EFLAGS are in
 * the trap frame, and the iret restores them.
 *
 * The registers the x87/SSE unit holds are the process's (kernel/cpu/fpu.h):
 * the kernel is compiled with -mgeneral-regs-only and never touches them.
 */
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/gdt.h"
#include "kernel/cpu/trap.h"

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
.rept NTRAP_STUBS
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
	pushl $EFLAGS_RESERVED_1	/* DF, AC and the rest clear: see above */
	popfl
	movw $KERNEL_DS, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movl %esp, %ebx			/* the trap frame; callee-saved in C */
	andl $-16, %esp			/* aligned at the call, after ... */
	subl $12, %esp			/* ... these 12 bytes and the argument */
	pushl %ebx			/* trap(struct trapframe *) */
	call trap
	movl %ebx, %esp
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
	pushl $(EFLAGS_IF | EFLAGS_RESERVED_1)	/* and all else clear */
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
.rept NTRAP_STUBS
	vector_address %i
	.set i, i + 1
.endr
	.globl trap_syscall_vector
trap_syscall_vector:
	.long vector128

	.section .note.GNU-stack, "", @progbits
