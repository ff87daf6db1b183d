/*
 * mm/fault.h - explaining a kernel page fault.
 */
#ifndef KIVA_MM_FAULT_H
#define KIVA_MM_FAULT_H

#include "kernel/lib/types.h"

struct trapframe;

/* Room for what page_fault_describe() writes. */
#define PAGE_FAULT_WORDS 80

/*
 * What a page fault at va with error code err was, in words: "write to a
 * read-only page", "instruction fetch from a user page, from kernel mode
 * (SMEP)" and so on, from the error code (SDM Vol. 3A, 4.7) and the page's
 * entry in the current address space.
 */
void page_fault_describe(uint32_t err, vaddr_t va, char *buf, size_t size);

/*
 * Prints the faulting address, the decoded error code (SDM Vol. 3A, 4.7)
 * and which region of the kernel VA layout the address lies in.  The
 * caller (trap.c) then panics with the registers and a backtrace.
 */
void page_fault_report(const struct trapframe *tf, uint32_t cr2);

#endif
