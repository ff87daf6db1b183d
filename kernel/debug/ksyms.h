/*
 * kernel/debug/ksyms.h - the kernel's own symbol table, for backtraces.
 *
 * The table is generated from the linked kernel (kernel/debug/ksyms-gen.sh) and
 * linked back into it, so a panic can name functions without a debugger.
 */
#ifndef KIVA_KERNEL_DEBUG_KSYMS_H
#define KIVA_KERNEL_DEBUG_KSYMS_H

#include "kernel/lib/types.h"

/*
 * Finds the function containing addr.  Returns its name and sets *offset
 * to addr's distance from its start; returns NULL when addr lies before
 * the first function or outside the kernel's text.
 */
const char *ksym_lookup(vaddr_t addr, vaddr_t *offset);

/* Prints "name+0xoff" (or the bare address) for addr. */
void ksym_print(vaddr_t addr);

#endif
