/*
 * kernel/thread/switch.S - switching the CPU from one kernel thread to another.
 *
 * struct thread *switch_context(struct thread *from, struct thread *to)
 *
 * Pushes the registers the i386 System V ABI says a function must keep
 * (ebx, esi, edi, ebp; psABI 2.2.1) and EFLAGS on from's stack, saves esp
 * in from->esp, loads to->esp and pops to's; the ret then returns wherever
 * `to` once called switch_context from.  eax, ecx and edx need no saving:
 * the C caller expects any call to change them.  EFLAGS travels with the
 * thread so that no flag one thread set (DF, AC) is ever seen by another;
 * IF is clear in both, since the caller has interrupts off, and each
 * thread restores its own interrupt flag after the switch
 * (kernel/thread/spinlock.c).
 *
 * The value returned on to's side is from of *this* call: the thread that
 * ran just before to, which sched_switch_finish() needs to know.  It is
 * simply eax, untouched since the arguments were loaded.
 *
 * A thread that has never run has, instead of a saved frame, the one
 * thread_alloc() built (struct first_frame): EFLAGS with only its fixed
 * bit set, four zeroed registers and thread_trampoline as the return
 * address.
 */
#define THREAD_ESP 0	/* offsetof(struct thread, esp), asserted in thread.c */

	.text
	.globl switch_context
switch_context:
	movl 4(%esp), %eax		/* from */
	movl 8(%esp), %edx		/* to */
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	pushfl
	movl %esp, THREAD_ESP(%eax)
	movl THREAD_ESP(%edx), %esp
	popfl
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret

/*
 * A new thread's first instructions: eax is the thread that switched to
 * it; thread_start(prev) never returns.  The psABI wants esp 16-byte
 * aligned at a call: the stack top is page-aligned, so 12 bytes of padding
 * and the argument make 16.
 *
 * This is the bottom of every thread's stack, and its CFI says so: an
 * undefined return address is how DWARF marks the outermost frame, where
 * GDB's `bt` stops (DWARF 5, 6.4.1; kernel/debug/panic.c stops at the ebp
 * of 0 that thread_alloc() put in the first frame).  The CFI goes to
 * .debug_frame, which is never loaded, like the compiler's for C
 * (kernel/cpu/trapentry.S).
 */
	.cfi_sections .debug_frame
	.globl thread_trampoline
thread_trampoline:
	.cfi_startproc simple
	.cfi_def_cfa %esp, 0
	.cfi_undefined %eip
	subl $12, %esp
	pushl %eax
	call thread_start
	.cfi_endproc

	.section .note.GNU-stack, "", @progbits
