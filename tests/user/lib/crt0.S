/*
 * tests/user/lib/crt0.S - where every Kiva user program starts.
 *
 * The process stack at entry.  The kernel builds it when it loads the
 * program (SYS_spawn) and starts the program at _start with ESP pointing
 * at argc.  It is the System V i386 process stack (psABI, "Process
 * Initialization") without the environment and the auxiliary vector:
 *
 *	higher addresses
 *		the argument strings, each NUL-terminated
 *		(padding)
 *		NULL			argv[argc]
 *		argv[argc - 1]		pointers to the strings above
 *		...
 *		argv[0]			4(%esp): argv is ESP + 4
 *		argc			(%esp)
 *	lower addresses
 *
 * argc is at most SPAWN_MAX_ARGS (kernel/proc/syscall.h) and may be 0.  The
 * kernel (kernel/proc/proc.c builds the stack, user_enter in
 * kernel/cpu/trapentry.S enters ring 3) leaves EFLAGS.DF clear, as the C
 * calling convention assumes, and the user data selector in DS, ES and
 * SS.  ESP need not be 16-byte aligned: _start aligns the stack itself.
 *
 * _start calls main(argc, argv) and passes what main returns to exit(),
 * so returning from main and calling exit() are the same thing.
 */

	.text
	.globl	_start
	.type	_start, @function
_start:
	xorl	%ebp, %ebp		/* the outermost frame */
	movl	(%esp), %eax		/* argc */
	leal	4(%esp), %edx		/* argv */
	andl	$-16, %esp		/* ESP % 16 == 0 at calls */
	subl	$8, %esp
	pushl	%edx			/* main(argc, argv) */
	pushl	%eax
	call	main
	movl	%eax, (%esp)		/* exit(main's result) */
	call	exit
	ud2				/* exit() does not return */
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
