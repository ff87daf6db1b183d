/*
 * boot/boot.S - from the boot loader to kmain().
 *
 * A Multiboot loader (GRUB, or QEMU's -kernel) enters _start in 32-bit
 * protected mode with paging off, EAX = 0x2BADB002 and EBX = the physical
 * address of the Multiboot information (Multiboot spec 3.2).  The kernel is
 * linked at KERNBASE + 1 MiB but runs here at 1 MiB, so until paging is on
 * every symbol is used through PHYS(sym).
 *
 * 1. Check for CPUID and PAE before any C runs: a CPU without PAE cannot run
 *    this kernel at all, so say so on serial and VGA and halt (no reboot
 *    loop, no triple fault).
 * 2. Build a minimal PAE mapping: one page directory of 2 MiB pages covering
 *    the first 1 GiB of physical memory, installed twice in the page-
 *    directory-pointer table: at 0 (identity, so the next instruction after
 *    enabling paging still exists) and at 3 (KERNBASE, the higher half).
 *    In PAE mode a PDE with PS=1 maps 2 MiB without CR4.PSE (Intel SDM
 *    Vol. 3A, 4.4.2 and Table 4-9).
 * 3. Turn paging on (SDM Vol. 3A, 4.1.2: CR4.PAE, then CR3, then CR0.PG),
 *    jump to the higher half, switch to the boot stack, call kmain().
 *    mm/paging.c later replaces this mapping with the real kernel tables.
 */
#include "boot/multiboot.h"
#include "drivers/serial.h"
#include "drivers/vga.h"
#include "kernel/cpu/cpu.h"
#include "mm/kva.h"
#include "mm/pagetable.h"

#define PHYS(x) ((x) - KERNBASE)



	.section .multiboot, "a"
	.balign 4
multiboot_header:
	.long MULTIBOOT_HEADER_MAGIC
	.long MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO
	.long -(MULTIBOOT_HEADER_MAGIC + MULTIBOOT_PAGE_ALIGN + MULTIBOOT_MEMORY_INFO)

	.section .text.boot, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl %eax, %edi			/* keep the Multiboot magic ... */
	movl %ebx, %esi			/* ... and information pointer */
	movl $PHYS(boot_stack_top), %esp

	/* CPUID exists if EFLAGS.ID can be flipped (SDM Vol. 2A, CPUID). */
	pushfl
	popl %eax
	movl %eax, %ecx
	xorl $EFLAGS_ID, %eax
	pushl %eax
	popfl
	pushfl
	popl %eax
	cmpl %eax, %ecx
	je no_cpuid

	movl $1, %eax
	cpuid
	testl $CPUID_1_EDX_PAE, %edx
	jz no_pae

	/* Fill the early page directory: entry i maps physical i * 2 MiB. */
	movl $PHYS(early_pd), %ebx
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_W | PTE_PS), %eax
	movl %eax, (%ebx, %ecx, 8)
	movl $0, 4(%ebx, %ecx, 8)
	incl %ecx
	cmpl $512, %ecx
	jne 1b

	/* PDPTEs have only P and the address: bits 1-2, 5-8 are reserved (4.4.1). */
	movl $(PHYS(early_pd) + PTE_P), %eax
	movl %eax, PHYS(early_pdpt)
	movl %eax, PHYS(early_pdpt) + 3 * 8

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $PHYS(early_pdpt), %eax
	movl %eax, %cr3
	movl %cr0, %eax
	orl $(CR0_PG | CR0_WP), %eax
	movl %eax, %cr0

	movl $higher_half, %eax
	jmp *%eax

/*
 * Thread 0's outermost frame.  ebp = 0 ends the kernel's own backtraces
 * (kernel/debug/panic.c); for GDB, an undefined return address in the CFI
 * does the same (DWARF 5, 6.4.1; kernel/thread/switch.S does it for the
 * other threads).  The CFI goes to .debug_frame, which is never loaded.
 */
	.cfi_sections .debug_frame
	.text
higher_half:
	.cfi_startproc simple
	.cfi_def_cfa %esp, 0
	.cfi_undefined %eip
	movl $boot_stack_top, %esp
	xorl %ebp, %ebp
	pushl %esi			/* struct multiboot_info, physical */
	pushl %edi			/* magic */
	call kmain
2:	cli
	hlt
	jmp 2b
	.cfi_endproc

/*
 * Paging is off here, so the message goes straight to the hardware: COM1
 * polled at 115200 8N1 and the VGA text buffer in red.
 */
	.section .text.boot, "ax"
no_cpuid:
	movl $PHYS(msg_no_cpuid), %esi
	jmp halt_with_message
no_pae:
	movl $PHYS(msg_no_pae), %esi
halt_with_message:
	movw $COM1 + REG_IER, %dx	/* no serial interrupts */
	xorb %al, %al
	outb %al, %dx
	movw $COM1 + REG_LCR, %dx	/* DLAB on: set the divisor */
	movb $LCR_DLAB, %al
	outb %al, %dx
	movw $COM1 + REG_DATA, %dx	/* divisor low: 115200 baud */
	movb $SERIAL_DIVISOR_115200, %al
	outb %al, %dx
	movw $COM1 + REG_IER, %dx	/* divisor high */
	xorb %al, %al
	outb %al, %dx
	movw $COM1 + REG_LCR, %dx	/* 8 data bits, no parity, 1 stop */
	movb $LCR_8N1, %al
	outb %al, %dx

	movl $VGA_TEXT_PHYS, %edi
3:	movb (%esi), %al
	testb %al, %al
	jz 5f
	movb $VGA_ATTR_ALERT, %ah
	cmpb $'\n', %al
	je 4f
	cmpb $'\r', %al
	je 4f
	movw %ax, (%edi)
	addl $2, %edi
4:	movb %al, %bl
	movw $COM1 + REG_LSR, %dx	/* wait for the transmitter to empty */
6:	inb %dx, %al
	testb $LSR_THR_EMPTY, %al
	jz 6b
	movw $COM1 + REG_DATA, %dx
	movb %bl, %al
	outb %al, %dx
	incl %esi
	jmp 3b
5:	cli
	hlt
	jmp 5b

	.section .rodata
msg_no_cpuid:
	.asciz "Kiva: this CPU has no CPUID instruction, so it cannot have PAE. Kiva needs PAE (Physical Address Extension). Halted.\r\n"
msg_no_pae:
	.asciz "Kiva: this CPU lacks PAE (Physical Address Extension, CPUID.01H:EDX bit 6). Kiva needs PAE paging. Halted.\r\n"

	.bss
	.balign 4096
early_pd:
	.skip 4096
	.balign 32			/* a PAE PDPT is 32-byte aligned (4.4.1) */
	.globl early_pdpt		/* the APs start on it (ap_start.S) */
early_pdpt:
	.skip 32
	.balign 16
	.globl boot_stack, boot_stack_top
boot_stack:
	.skip KSTACK_SIZE
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
