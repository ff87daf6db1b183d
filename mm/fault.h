/*
 * mm/fault.h - explaining a kernel page fault.
 */
#ifndef KIVA_MM_FAULT_H
#define KIVA_MM_FAULT_H

#include "kernel/lib/types.h"

struct trapframe;

/*
 * Prints the faulting address, the decoded error code (SDM Vol. 3A, 4.7)
 * and which region of the kernel VA layout the address lies in.  The
 * caller (trap.c) then panics with the registers and a backtrace.
 */
void page_fault_report(const struct trapframe *tf, uint32_t cr2);

#endif
