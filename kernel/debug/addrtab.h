/*
 * kernel/debug/addrtab.h - looking code addresses up in the tables the
 * build generates from the kernel's own ELF: the symbol table
 * (kernel/debug/ksyms-gen.sh) and the line table
 * (kernel/debug/klines-gen.sh).  Both are sorted arrays of start
 * addresses, each the start of a range that runs to the next one, so one
 * binary search serves both.  The search is pure, and host-tested
 * (tests/host/test_addrtab.c); kernel/debug/ksyms.c applies it to the
 * tables linked into the image.  Addresses are 32-bit, the kernel's.
 *
 * The line table's layout, as klines-gen.sh writes it (section .klines):
 *
 *	uint32_t klines_count;		ranges
 *	uint32_t klines_nfiles;		file names
 *	uint32_t klines_starts[count];	ascending start addresses
 *	uint16_t klines_files[count];	index into klines_names, or
 *					ADDRTAB_NO_FILE: no line is known
 *	uint16_t klines_lines[count];	the line, when there is a file
 *	const char *klines_names[nfiles]; paths from the top of the tree
 *
 * Range i covers [starts[i], starts[i + 1]); the last range is always an
 * ADDRTAB_NO_FILE one (the end of the last sequence), so the table says
 * nothing about addresses past the code it describes.
 */
#ifndef KIVA_KERNEL_DEBUG_ADDRTAB_H
#define KIVA_KERNEL_DEBUG_ADDRTAB_H

#include "kernel/lib/types.h"

#define ADDRTAB_NO_FILE 0xffff	/* klines-gen.sh writes it for a gap */

/*
 * The index of the range containing addr: the last of the n ascending
 * starts[] that is <= addr.  Returns -1 when n is 0 or addr lies before
 * starts[0].
 */
long addrtab_find(const uint32_t *starts, uint32_t n, uint32_t addr);

struct line_table {
	uint32_t count;
	const uint32_t *starts;
	const uint16_t *files;
	const uint16_t *lines;
	uint32_t nfiles;
	const char *const *names;
};

/* A source position. */
struct source_line {
	const char *file;	/* "kernel/console.c" */
	unsigned line;
};

/*
 * Finds the source line of the code at addr.  Returns false, leaving *out
 * alone, when addr is in no range with a line (before the first, in a gap
 * between sequences, past the last) or the table names a file it lacks.
 */
bool addrtab_line(const struct line_table *t, uint32_t addr,
                  struct source_line *out);

#endif
