/*
 * kernel/cpu/cpufeatures.c - CPUID (Intel SDM Vol. 2A, "CPUID").  boot.S has
 * already checked that CPUID and PAE exist.  Without leaf 80000008H, PAE
 * processors address 36 bits (SDM Vol. 3A, 4.1.4).
 */
#include "kernel/cpu/cpufeatures.h"

#include "kernel/cpu/cpu.h"
#include "kernel/lib/kstring.h"

#define CPUID_EDX_PGE (1u << 13)
#define CPUID_EXT_EDX_NX (1u << 20)
#define DEFAULT_MAXPHYADDR 36

struct cpu_features cpu;

void cpu_features_detect(void)
{
	uint32_t a, b, c, d, max_ext;

	cpuid(0, &a, &b, &c, &d);
	memcpy(cpu.vendor, &b, 4);
	memcpy(cpu.vendor + 4, &d, 4);
	memcpy(cpu.vendor + 8, &c, 4);
	cpu.vendor[12] = '\0';

	cpuid(1, &a, &b, &c, &d);
	cpu.pge = (d & CPUID_EDX_PGE) != 0;

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
