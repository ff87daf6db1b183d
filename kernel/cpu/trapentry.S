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
 *  - the kernel's data segments in DS, ES and GS, and in FS this CPU's
 *    own segment, PERCPU_SEL, through which C finds its struct cpu
 *    (kernel/cpu/percpu.h): user code loads what it likes into them (any
 *    selector with DPL 3).  CS and SS come from the gate and the TSS
 *    (SDM Vol. 3A, 6.12.1).
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
 *
 * Backtraces across a trap.  Two readers walk the stack through here:
 *
 *  - the kernel's own backtrace (kernel/debug/panic.c) follows frame
 *    pointers.  So before calling trap(), trap_common links a frame of
 *    the usual shape into the ebp chain - the interrupted ebp, then the
 *    interrupted eip where a return address would be - with the trap
 *    frame's address just above it.  trap()'s return address is then
 *    trap_return, which is how the walk knows that the next frame is this
 *    link frame and where the trap frame is.
 *  - GDB unwinds with DWARF call-frame information (CFI).  The kernel is
 *    built with -fno-asynchronous-unwind-tables, which makes the compiler
 *    put the CFI of C code in .debug_frame, a debugging section that is
 *    never loaded.  The .cfi_* directives here give the stubs the same,
 *    in terms of the trap frame: the interrupted esp (the "canonical frame
 *    address", CFA) is where the CPU's pushes began, and every register
 *    of the interrupted code is at its place in the frame.  From ebx on,
 *    which holds the trap frame, the CFA is ebx + TF_ESP.  That is right
 *    for a trap from kernel mode, the case with kernel callers to show:
 *    from ring 3 the CPU switched stacks (SDM Vol. 3A, 6.12.1), the CFA
 *    then lies on the kernel stack, and GDB's walk ends in nonsense past
 *    the user eip.  .cfi_signal_frame tells GDB that the eip it unwinds
 *    to is no return address, so it looks that eip up as it is, not
 *    eip - 1 (GNU as honours it; LLVM's assembler drops it from
 *    .debug_frame).
 */
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/gdt.h"
#include "kernel/cpu/trap.h"

/* Vectors whose exceptions push an error code: 8, 10-14, 17, 21, 29, 30. */
#define HAS_ERROR(n) ((n) == 8 || ((n) >= 10 && (n) <= 14) || (n) == 17 || \
		      (n) == 21 || (n) == 29 || (n) == 30)

/*
 * Offsets in struct trapframe (kernel/cpu/trap.h; trap.c asserts them).
 * TF_ESP is where the CPU's pushes began when the trap came from kernel
 * mode: the interrupted esp, and the CFA of every stub below.
 */
#define TF_EDI 16
#define TF_ESI 20
#define TF_EBP 24
#define TF_EBX 32
#define TF_EDX 36
#define TF_ECX 40
#define TF_EAX 44
#define TF_TRAPNO 48
#define TF_EIP 56
#define TF_EFLAGS 64
#define TF_ESP 68

/*
 * How far above esp the CFA is: at a vector's first instruction, with
 * or without an error code the CPU pushed, and at trap_common's.  (No
 * blanks: they are macro arguments.)
 */
#define CFA_ABOVE_EIP (TF_ESP-TF_EIP)
#define CFA_ABOVE_ERROR (TF_ESP-TF_EIP+4)
#define CFA_ABOVE_TRAPNO (TF_ESP-TF_TRAPNO)

/*
 * EFLAGS's DWARF register number (the i386 psABI's DWARF register number
 * mapping), for which the assemblers know no name.
 */
#define DWARF_EFLAGS 9

	.cfi_sections .debug_frame
	.text
	.altmacro

/*
 * The CFI of what the CPU pushed, eip, cs and eflags, with the CFA
 * `cfa_offset` bytes above esp: in every stub, these three stay where
 * they are.
 */
.macro cfi_trap_entry cfa_offset
	.cfi_startproc simple
	.cfi_signal_frame
	.cfi_def_cfa %esp, \cfa_offset
	.cfi_offset %eip, TF_EIP - TF_ESP
	.cfi_offset DWARF_EFLAGS, TF_EFLAGS - TF_ESP
.endm

.macro vector n
	.balign 16
vector\n:
	.if HAS_ERROR(\n)
	cfi_trap_entry CFA_ABOVE_ERROR
	.else
	cfi_trap_entry CFA_ABOVE_EIP
	pushl $0
	.cfi_adjust_cfa_offset 4
	.endif
	pushl $\n
	.cfi_adjust_cfa_offset 4
	jmp trap_common
	.cfi_endproc
.endm

.set i, 0
.rept NTRAP_STUBS
	vector %i
	.set i, i + 1
.endr
	vector 128
.set i, APIC_VECTOR_BASE
.rept NAPIC_VECTORS
	vector %i
	.set i, i + 1
.endr

trap_common:
	cfi_trap_entry CFA_ABOVE_TRAPNO
	pushal
	.cfi_adjust_cfa_offset 32
	.cfi_offset %eax, TF_EAX - TF_ESP
	.cfi_offset %ecx, TF_ECX - TF_ESP
	.cfi_offset %edx, TF_EDX - TF_ESP
	.cfi_offset %ebx, TF_EBX - TF_ESP
	.cfi_offset %ebp, TF_EBP - TF_ESP
	.cfi_offset %esi, TF_ESI - TF_ESP
	.cfi_offset %edi, TF_EDI - TF_ESP
	pushl %ds
	.cfi_adjust_cfa_offset 4
	pushl %es
	.cfi_adjust_cfa_offset 4
	pushl %fs
	.cfi_adjust_cfa_offset 4
	pushl %gs
	.cfi_adjust_cfa_offset 4
	pushl $EFLAGS_RESERVED_1	/* DF, AC and the rest clear: see above */
	.cfi_adjust_cfa_offset 4
	popfl
	.cfi_adjust_cfa_offset -4
	movw $KERNEL_DS, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %gs
	movw $PERCPU_SEL, %ax
	movw %ax, %fs
	movl %esp, %ebx			/* the trap frame; callee-saved in C */
	.cfi_def_cfa %ebx, TF_ESP
	andl $-16, %esp			/* aligned after 16 bytes: */
	pushl %ebx			/* the trap frame, for backtraces */
	pushl TF_EIP(%ebx)		/* the link frame's return address */
	pushl TF_EBP(%ebx)		/* and its saved ebp */
	movl %esp, %ebp
	pushl %ebx			/* trap(struct trapframe *) */
	call trap
	.globl trap_return
trap_return:
	movl %ebx, %esp
	.cfi_def_cfa %esp, TF_ESP
	popl %gs
	.cfi_adjust_cfa_offset -4
	popl %fs
	.cfi_adjust_cfa_offset -4
	popl %es
	.cfi_adjust_cfa_offset -4
	popl %ds
	.cfi_adjust_cfa_offset -4
	popal
	.cfi_adjust_cfa_offset -32
	.cfi_restore %eax
	.cfi_restore %ecx
	.cfi_restore %edx
	.cfi_restore %ebx
	.cfi_restore %ebp
	.cfi_restore %esi
	.cfi_restore %edi
	addl $8, %esp			/* trapno and error code */
	.cfi_adjust_cfa_offset -8
	iret
	.cfi_endproc

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
	.globl trap_apic_vectors
trap_apic_vectors:
.set i, APIC_VECTOR_BASE
.rept NAPIC_VECTORS
	vector_address %i
	.set i, i + 1
.endr

	.section .note.GNU-stack, "", @progbits
