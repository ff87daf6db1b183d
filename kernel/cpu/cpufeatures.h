/*
 * kernel/cpu/cpufeatures.h - what this CPU can do, read once from CPUID,
 * and the protections Kiva turns on where the CPU has them.
 *
 * SMEP, SMAP and UMIP are defence in depth for the user/kernel boundary
 * (SDM Vol. 3A, 2.5 and 4.6):
 *
 *   SMEP  ring 0 never executes code from a user page: a kernel bug that
 *         jumps to a user address faults instead of running it at CPL 0;
 *   SMAP  ring 0 reads and writes user pages only while EFLAGS.AC is set,
 *         which copyin/copyout alone do (user_access_begin/end below);
 *   UMIP  SGDT, SIDT, SLDT, SMSW and STR fault in ring 3, so a program
 *         cannot learn where the kernel keeps its tables.
 *
 * CPUs without them (-cpu qemu32, pentium3) run the same kernel without.
 */
#ifndef KIVA_KERNEL_CPU_CPUFEATURES_H
#define KIVA_KERNEL_CPU_CPUFEATURES_H

#include "kernel/lib/types.h"

struct cpu_features {
	char vendor[13];
	bool pge;		/* global pages (CPUID.01H:EDX bit 13) */
	/* Execute-disable (CPUID.80000001H:EDX bit 20). */
	bool nx;
	bool fxsr;		/* FXSAVE/FXRSTOR (CPUID.01H:EDX bit 24) */
	bool sse;		/* SSE (CPUID.01H:EDX bit 25) */
	/* From CPUID.(EAX=07H,ECX=0); each is on when true. */
	bool smep;		/* EBX bit 7 */
	bool smap;		/* EBX bit 20 */
	bool umip;		/* ECX bit 2 */
	/* Physical address bits (CPUID.80000008H:EAX[7:0]). */
	unsigned maxphyaddr;
};

extern struct cpu_features cpu;

/* Reads CPUID into `cpu`.  The first step of kmain() after the console. */
void cpu_features_detect(void);

/* Turns on SMEP, SMAP and UMIP where `cpu` says they exist. */
void cpu_protection_enable(void);

/* "SMEP on, SMAP on, UMIP absent": for the boot log and `help`. */
void cpu_protection_describe(char *buf, size_t size);

/*
 * Brackets the kernel's deliberate accesses to user memory (copyin,
 * copyout): STAC sets EFLAGS.AC, which lets ring 0 through SMAP, CLAC
 * clears it (SDM Vol. 2B, STAC and CLAC).  The instructions exist only on
 * CPUs with SMAP, and without SMAP there is nothing to open.
 */
static inline void user_access_begin(void)
{
	if (cpu.smap)
		__asm__ volatile("stac" ::: "memory");
}

static inline void user_access_end(void)
{
	if (cpu.smap)
		__asm__ volatile("clac" ::: "memory");
}

#endif
