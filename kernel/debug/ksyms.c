/*
 * kernel/debug/ksyms.c - the tables the build links into the image
 * (build/ksyms.S: function names; build/klines.S: source lines) and
 * their lookups, with the search of kernel/debug/addrtab.c.
 */
#include "kernel/debug/ksyms.h"

#include "kernel/debug/addrtab.h"
#include "kernel/lib/kprintf.h"

extern const uint32_t ksyms_count;
extern const uint32_t ksyms_addrs[];
extern const char *const ksyms_names[];
extern const char __text_end[];

extern const uint32_t klines_count, klines_nfiles;
extern const uint32_t klines_starts[];
extern const uint16_t klines_files[], klines_lines[];
extern const char *const klines_names[];

const char *ksym_lookup(vaddr_t addr, vaddr_t *offset)
{
	long i;

	if (addr >= (vaddr_t)__text_end)
		return NULL;
	i = addrtab_find(ksyms_addrs, ksyms_count, addr);
	if (i < 0)
		return NULL;
	*offset = addr - ksyms_addrs[i];
	return ksyms_names[i];
}

void ksym_print(vaddr_t addr)
{
	vaddr_t off;
	const char *name = ksym_lookup(addr, &off);

	if (name != NULL)
		kprintf("%s+0x%x", name, (unsigned)off);
	else
		kprintf("%p", (void *)addr);
}

bool ksym_line(vaddr_t addr, struct source_line *out)
{
	const struct line_table table = {
		klines_count, klines_starts, klines_files, klines_lines,
		klines_nfiles, klines_names,
	};

	return addrtab_line(&table, addr, out);
}
