/*
 * boot/ap_start.S - where the other CPUs (application processors, APs)
 * start: from the startup IPI in real mode to ap_main() in C.
 *
 * kernel/cpu/smp.c copies ap_start..ap_start_end to AP_START_PHYS
 * (kernel/cpu/apstart.h), fills ap_start_params in the copy, and sends
 * INIT-SIPI-SIPI.  The CPU then runs the copy in real mode with CS =
 * AP_START_VECTOR << 8, IP = 0 (SDM Vol. 3A, 8.4.4.1), and:
 *
 * 1. loads the trampoline's own GDT (flat code and data at the kernel's
 *    selectors) and sets CR0.PE: protected mode (SDM Vol. 3A, 9.9.1);
 * 2. turns on PAE paging with boot.S's early tables, which map low memory
 *    both at 0 (where this copy runs) and at KERNBASE, so the far jump to
 *    the higher half lands (the same steps as boot.S, SDM Vol. 3A, 4.1.2);
 * 3. in the higher half, turns EFER.NXE on if the kernel's tables use the
 *    NX bit (otherwise bit 63 is reserved: SDM Vol. 3A, 4.4.2), loads the
 *    kernel's own CR3, takes its idle thread's stack, and calls
 *    ap_main(cpu), which does the rest in C (kernel/cpu/smp.c).
 *
 * The copy is not at its link address, so the real-mode and 32-bit parts
 * address their data as AP_START_PHYS + (label - ap_start).  Nothing here
 * may depend on where the kernel put it; only ap_high is in the kernel's
 * own text and runs at its link address.
 */
#include "kernel/cpu/apstart.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/gdt.h"
#include "mm/kva.h"

#define CR0_PE 0x00000001		/* protection enable */
#define MSR_EFER_NUM 0xC0000080		/* MSR_EFER in kernel/cpu/cpu.h */
#define EFER_NXE_BIT 0x00000800
#define HERE(label) (AP_START_PHYS + ((label) - ap_start))

	.section .rodata
	.balign 16
	.globl ap_start, ap_start_end, ap_start_params
	.code16
ap_start:
	cli
	cld
	xorw %ax, %ax
	movw %ax, %ds			/* HERE() is an offset from 0 */
	lgdtl HERE(ap_gdtr)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $KERNEL_CS, $HERE(ap_protected)

	.code32
ap_protected:
	movw $KERNEL_DS, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl HERE(ap_start_params), %eax	/* early_cr3 */
	movl %eax, %cr3
	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP), %eax
	movl %eax, %cr0
	movl $ap_high, %eax
	jmp *%eax

	.balign 8
ap_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* KERNEL_CS: flat, ring 0, code */
	.quad 0x00cf92000000ffff	/* KERNEL_DS: flat, ring 0, data */
ap_gdtr:
	.word ap_gdtr - ap_gdt - 1
	.long HERE(ap_gdt)

	.balign 4
ap_start_params:			/* struct ap_start_params */
	.long 0				/* early_cr3 */
	.long 0				/* kernel_cr3 */
	.long 0				/* efer_nxe */
	.long 0				/* stack_top */
	.long 0				/* cpu */
ap_start_end:

/*
 * In the kernel's text, at its link address; still on boot.S's tables,
 * whose higher half maps the kernel image.  The parameters are read
 * through that higher half (KERNBASE + their physical address).
 */
#define PARAM(n) (KERNBASE + HERE(ap_start_params) + 4 * (n))
	.cfi_sections .debug_frame
	.text
ap_high:
	.cfi_startproc simple
	.cfi_def_cfa %esp, 0
	.cfi_undefined %eip
	cmpl $0, PARAM(2)		/* efer_nxe */
	je 1f
	movl $MSR_EFER_NUM, %ecx
	rdmsr
	orl $EFER_NXE_BIT, %eax
	wrmsr
1:	movl PARAM(3), %esp		/* stack_top: in kernel_map, so ... */
	movl PARAM(4), %ebx		/* cpu */
	movl PARAM(1), %eax		/* ... only after the kernel's CR3 */
	movl %eax, %cr3
	xorl %ebp, %ebp			/* the end of backtraces */
	subl $12, %esp			/* 16-byte aligned at the call */
	pushl %ebx
	call ap_main
2:	cli
	hlt
	jmp 2b
	.cfi_endproc

	.section .note.GNU-stack, "", @progbits
