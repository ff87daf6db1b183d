/*
 * kernel/debug/ksyms.c - address to "function+offset" by binary search over the
 * sorted table that build/ksyms.S provides.
 */
#include "kernel/debug/ksyms.h"

#include "kernel/lib/kprintf.h"

extern const uint32_t ksyms_count;
extern const uint32_t ksyms_addrs[];
extern const char *const ksyms_names[];
extern const char __text_end[];

const char *ksym_lookup(vaddr_t addr, vaddr_t *offset)
{
	uint32_t lo = 0, hi = ksyms_count;

	if (ksyms_count == 0 || addr < ksyms_addrs[0] ||
	    addr >= (vaddr_t)__text_end)
		return NULL;
	/* Invariant: ksyms_addrs[lo] <= addr, and hi is past the answer. */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (ksyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksyms_addrs[lo];
	return ksyms_names[lo];
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
