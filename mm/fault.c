/*
 * mm/fault.c - what a kernel page fault means, in words.
 *
 * Kiva never pages kernel memory, so every kernel page fault is a bug: a
 * wild pointer, a stack overflow into a guard page, a write to read-only
 * text, a jump into data (NX).  Saying which region the address is in
 * usually names the bug.
 */
#include "mm/fault.h"

#include "kernel/lib/kprintf.h"
#include "kernel/thread/thread.h"
#include "kernel/cpu/trap.h"
#include "mm/kva.h"
#include "mm/paging.h"

static const char *region_name(vaddr_t va)
{
	const struct kva_region *r = kva_region_of(va);

	if (r == NULL)
		return "user space";
	if (r->start == r->end)
		return "unmapped (layout not set up yet)";
	if (!r->mapped)
		return "a guard gap (never mapped: overflow or wild pointer?)";
	return r->name;
}

void page_fault_report(const struct trapframe *tf, uint32_t cr2)
{
	const struct thread *t = thread_guard_owner(cr2);
	uint32_t e = tf->err;

	kprintf("\npage fault at %08x: %s %s in %s mode%s%s\n", cr2,
	        (e & PF_FETCH) ? "instruction fetch from" :
	        (e & PF_WRITE) ? "write to" : "read from",
	        (e & PF_PRESENT) ? "a protected page" : "an unmapped page",
	        (e & PF_USER) ? "user" : "kernel",
	        (e & PF_RSVD) ? ", reserved bit set in a page-table entry" : "",
	        (e & PF_FETCH) && (e & PF_PRESENT) ? " (no-execute)" : "");
	kprintf("  the address is in: %s", region_name(cr2));
	if (paging_is_mapped(cr2))
		kprintf(" (mapped)\n");
	else
		kprintf(" (not mapped)\n");
	/*
	 * The thread that overflows the stack it runs on ends in a double
	 * fault instead (kernel/cpu/trap.c); reaching a guard page here means a
	 * pointer ran off a stack: off the bottom of this thread's, or off
	 * the top of the stack slot just below (kernel/thread/kstack.h).
	 */
	if (t != NULL)
		kprintf("  stack overflow in thread %s: the address is in the "
		        "guard page below its stack\n", t->name);
}
