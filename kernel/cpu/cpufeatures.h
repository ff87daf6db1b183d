/*
 * kernel/cpu/cpufeatures.h - what this CPU can do, read once from CPUID.
 */
#ifndef KIVA_KERNEL_CPU_CPUFEATURES_H
#define KIVA_KERNEL_CPU_CPUFEATURES_H

#include "kernel/lib/types.h"

struct cpu_features {
	char vendor[13];
	bool pge;		/* global pages (CPUID.01H:EDX bit 13) */
	bool nx;		/* execute-disable (CPUID.80000001H:EDX bit 20) */
	unsigned maxphyaddr;	/* physical address bits (CPUID.80000008H:EAX[7:0]) */
};

extern struct cpu_features cpu;

void cpu_features_detect(void);

#endif
