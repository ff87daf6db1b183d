/*
 * kernel/cpu/smp.c - the processors (see kernel/cpu/smp.h), while Kiva runs
 * on the boot CPU alone: it is CPU 0, and there is no other CPU to call.
 */
#include "kernel/cpu/smp.h"

#include "kernel/cpu/cpu.h"
#include "kernel/lib/kassert.h"

unsigned cpu_index(void)
{
	KASSERT(!(read_eflags() & EFLAGS_IF));
	return 0;
}

unsigned smp_ncpus(void)
{
	return 1;
}

void smp_call_others(void (*fn)(void *arg), void *arg)
{
	(void)fn;
	(void)arg;
}
