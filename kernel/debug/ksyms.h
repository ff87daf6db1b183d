/*
 * kernel/debug/ksyms.h - the kernel's own symbol and line tables, for
 * backtraces.
 *
 * The tables are generated from the linked kernel (kernel/debug/ksyms-gen.sh,
 * kernel/debug/klines-gen.sh) and linked back into it, so a panic can name
 * functions and source lines without a debugger.
 */
#ifndef KIVA_KERNEL_DEBUG_KSYMS_H
#define KIVA_KERNEL_DEBUG_KSYMS_H

#include "kernel/debug/addrtab.h"
#include "kernel/lib/types.h"

/*
 * Finds the function containing addr.  Returns its name and sets *offset
 * to addr's distance from its start; returns NULL when addr lies before
 * the first function or outside the kernel's text.
 */
const char *ksym_lookup(vaddr_t addr, vaddr_t *offset);

/* Prints "name+0xoff" (or the bare address) for addr. */
void ksym_print(vaddr_t addr);

/*
 * Finds the source line of the instruction at addr.  Returns false when
 * the line table knows none (outside the kernel's code, or code without
 * line information).
 */
bool ksym_line(vaddr_t addr, struct source_line *out);

#endif
