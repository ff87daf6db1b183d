/*
 * kernel/cpu/apstart.h - the real-mode trampoline the other CPUs start in
 * (boot/ap_start.S), and what the boot CPU leaves in it for each one.
 *
 * A startup IPI starts a CPU in real mode at CS:IP = vector << 8 : 0,
 * that is at physical vector * 4 KiB (SDM Vol. 3A, 8.4.4.1 and 10.6.1,
 * "Start-Up"), so the trampoline must be copied to a page below 1 MiB.
 * AP_START_PHYS is in the legacy area below 1 MiB, which the frame
 * allocator never hands out (mm/mm.c excludes it) and boot.S's identity
 * map covers; 0x7000 is conventional RAM on every PC (below the EBDA,
 * above the BIOS data area and the boot sector at 0x7C00 is past it).
 */
#ifndef KIVA_KERNEL_CPU_APSTART_H
#define KIVA_KERNEL_CPU_APSTART_H

#define AP_START_PHYS 0x7000
#define AP_START_VECTOR (AP_START_PHYS >> 12)	/* the SIPI's vector */

#ifndef __ASSEMBLY__
#include "kernel/lib/types.h"

/* The trampoline as linked; copied whole to AP_START_PHYS. */
extern const char ap_start[], ap_start_end[];

/*
 * Its parameters, inside the copy: the boot CPU fills them before each
 * startup IPI.  Offsets from ap_start, as the trampoline reads them.
 */
struct ap_start_params {
	uint32_t early_cr3;	/* boot.S's tables: identity + higher half */
	uint32_t kernel_cr3;	/* the kernel's own (paging_kernel_cr3) */
	uint32_t efer_nxe;	/* 1: turn EFER.NXE on before kernel_cr3 */
	uint32_t stack_top;	/* the CPU's idle thread's stack */
	uint32_t cpu;		/* its struct cpu, ap_main()'s argument */
};
extern const char ap_start_params[];
#endif

#endif
