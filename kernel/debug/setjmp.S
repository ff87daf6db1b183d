/*
 * kernel/debug/setjmp.S - ksetjmp/klongjmp: a non-local return, used only by
 * kernel/debug/catch.c to get back from a caught fault or panic.
 *
 * struct kjmp_buf { ebx, esi, edi, ebp, esp, eip }: the callee-saved
 * registers of the i386 System V ABI plus the stack and return address.
 */
	.text
	.globl ksetjmp
ksetjmp:
	movl 4(%esp), %eax
	movl %ebx, 0(%eax)
	movl %esi, 4(%eax)
	movl %edi, 8(%eax)
	movl %ebp, 12(%eax)
	leal 4(%esp), %ecx		/* the caller's esp after we return */
	movl %ecx, 16(%eax)
	movl (%esp), %ecx		/* our return address */
	movl %ecx, 20(%eax)
	xorl %eax, %eax
	ret

	.globl klongjmp
klongjmp:
	movl 4(%esp), %edx
	movl 8(%esp), %eax		/* ksetjmp's second return value */
	movl 0(%edx), %ebx
	movl 4(%edx), %esi
	movl 8(%edx), %edi
	movl 12(%edx), %ebp
	movl 16(%edx), %esp
	jmp *20(%edx)

	.section .note.GNU-stack, "", @progbits
