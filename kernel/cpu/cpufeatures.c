/*
 * kernel/cpu/cpufeatures.c - CPUID (Intel SDM Vol. 2A, "CPUID") and the
 * protection bits in CR4.  boot.S has already checked that CPUID and PAE
 * exist.  Without leaf 80000008H, PAE processors address 36 bits (SDM
 * Vol. 3A, 4.1.4).
 */
#include "kernel/cpu/cpufeatures.h"

#include "kernel/cpu/cpu.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/kstring.h"

#define CPUID_EDX_PGE (1u << 13)
#define CPUID_EDX_FXSR (1u << 24)
#define CPUID_EDX_SSE (1u << 25)
#define CPUID_7_EBX_SMEP (1u << 7)
#define CPUID_7_EBX_SMAP (1u << 20)
#define CPUID_7_ECX_UMIP (1u << 2)
#define CPUID_EXT_EDX_NX (1u << 20)
#define DEFAULT_MAXPHYADDR 36

struct cpu_features cpu;

void cpu_features_detect(void)
{
	uint32_t a, b, c, d, max_basic, max_ext;

	cpuid(0, &max_basic, &b, &c, &d);
	memcpy(cpu.vendor, &b, 4);
	memcpy(cpu.vendor + 4, &d, 4);
	memcpy(cpu.vendor + 8, &c, 4);
	cpu.vendor[12] = '\0';

	cpuid(1, &a, &b, &c, &d);
	cpu.pge = (d & CPUID_EDX_PGE) != 0;
	cpu.fxsr = (d & CPUID_EDX_FXSR) != 0;
	cpu.sse = (d & CPUID_EDX_SSE) != 0;

	if (max_basic >= 7) {
		/* Subleaf 0: cpuid() sets ECX. */
		cpuid(7, &a, &b, &c, &d);
		cpu.smep = (b & CPUID_7_EBX_SMEP) != 0;
		cpu.smap = (b & CPUID_7_EBX_SMAP) != 0;
		cpu.umip = (c & CPUID_7_ECX_UMIP) != 0;
	}

	cpuid(0x80000000u, &max_ext, &b, &c, &d);
	if (max_ext >= 0x80000001u) {
		cpuid(0x80000001u, &a, &b, &c, &d);
		cpu.nx = (d & CPUID_EXT_EDX_NX) != 0;
	}
	cpu.maxphyaddr = DEFAULT_MAXPHYADDR;
	if (max_ext >= 0x80000008u) {
		cpuid(0x80000008u, &a, &b, &c, &d);
		cpu.maxphyaddr = a & 0xff;
	}
}

void cpu_protection_enable(void)
{
	uint32_t cr4 = read_cr4();

	if (cpu.smep)
		cr4 |= CR4_SMEP;
	if (cpu.smap)
		cr4 |= CR4_SMAP;	/* EFLAGS.AC is 0: see trapentry.S */
	if (cpu.umip)
		cr4 |= CR4_UMIP;
	write_cr4(cr4);
}

void cpu_protection_describe(char *buf, size_t size)
{
	ksnprintf(buf, size, "SMEP %s, SMAP %s, UMIP %s",
	          cpu.smep ? "on" : "absent", cpu.smap ? "on" : "absent",
	          cpu.umip ? "on" : "absent");
}
