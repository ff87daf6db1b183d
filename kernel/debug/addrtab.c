/*
 * kernel/debug/addrtab.c - binary search over the generated address
 * tables (kernel/debug/addrtab.h).  Pure, so the host tests run it.
 */
#include "kernel/debug/addrtab.h"

long addrtab_find(const uint32_t *starts, uint32_t n, uint32_t addr)
{
	uint32_t lo = 0, hi = n;

	if (n == 0 || addr < starts[0])
		return -1;
	/* Invariant: starts[lo] <= addr, and hi is past the answer. */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (starts[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return (long)lo;
}

bool addrtab_line(const struct line_table *t, uint32_t addr,
                  struct source_line *out)
{
	long i = addrtab_find(t->starts, t->count, addr);

	if (i < 0 || t->files[i] == ADDRTAB_NO_FILE || t->files[i] >= t->nfiles)
		return false;
	out->file = t->names[t->files[i]];
	out->line = t->lines[i];
	return true;
}
