/*
 * kernel/cpu/fpu.c - saving and loading the x87/SSE registers
 * (kernel/cpu/fpu.h says why eagerly).
 *
 * The image a new process starts from is written out field by field
 * rather than taken with FXSAVE at boot, so that nothing the boot loader
 * left in the registers can reach a process:
 *
 *   FXSAVE image (SDM Vol. 1, 10.5.1, "FXSAVE Area"): FCW at byte 0, FSW
 *     at 2, the abridged tag byte at 4 (0: every register empty), MXCSR at
 *     24; the registers themselves zero.
 *   FNSAVE image in 32-bit protected mode (SDM Vol. 1, 8.1.10): FCW at
 *     byte 0, FSW at 4, the full tag word at 8 (0xffff: every one empty).
 *
 * FCW 0x037f (every exception masked, 64-bit precision, round to nearest)
 * is what FNINIT loads (SDM Vol. 2A, "FINIT/FNINIT"); MXCSR 0x1f80 (every
 * SSE exception masked) is its value after reset (SDM Vol. 1, 10.2.3).
 */
#include "kernel/cpu/fpu.h"

#include "kernel/cpu/cpu.h"
#include "kernel/cpu/cpufeatures.h"
#include "kernel/lib/kstring.h"

#define FNINIT_FCW 0x037f
#define RESET_MXCSR 0x1f80
#define FXSAVE_FCW 0
#define FXSAVE_MXCSR 24
#define FNSAVE_FCW 0
#define FNSAVE_FTW 8
#define FTW_ALL_EMPTY 0xffff

static struct fpu_state initial;

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

void fpu_cpu_init(void)
{
	uint32_t cr0 = read_cr0();

	/*
	 * EM off: x87 instructions run.  TS off: no #NM, since the registers
	 * are always the running process's.  MP on, so WAIT obeys TS too, and
	 * NE on: errors raise #MF in the program that caused them instead of
	 * going through the PIC's IRQ 13 (SDM Vol. 3A, 2.5).
	 */
	write_cr0((cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	if (cpu.fxsr) {
		uint32_t cr4 = read_cr4() | CR4_OSFXSR;
		if (cpu.sse)
			cr4 |= CR4_OSXMMEXCPT;
		write_cr4(cr4);
	}
}

void fpu_init(void)
{
	fpu_cpu_init();
	if (cpu.fxsr) {
		put16(initial.image + FXSAVE_FCW, FNINIT_FCW);
		if (cpu.sse)
			put32(initial.image + FXSAVE_MXCSR, RESET_MXCSR);
	} else {
		put32(initial.image + FNSAVE_FCW, FNINIT_FCW);
		put32(initial.image + FNSAVE_FTW, FTW_ALL_EMPTY);
	}
}

void fpu_state_init(struct fpu_state *s)
{
	*s = initial;
}

void fpu_save(struct fpu_state *s)
{
	if (cpu.fxsr)
		__asm__ volatile("fxsave %0" : "=m"(*s));
	else
		__asm__ volatile("fnsave %0" : "=m"(*s));
}

void fpu_restore(const struct fpu_state *s)
{
	if (cpu.fxsr)
		__asm__ volatile("fxrstor %0" : : "m"(*s));
	else
		__asm__ volatile("frstor %0" : : "m"(*s));
}

const char *fpu_scheme(void)
{
	if (!cpu.fxsr)
		return "FNSAVE (x87)";
	return cpu.sse ? "FXSAVE (x87 and SSE)" : "FXSAVE (x87)";
}
