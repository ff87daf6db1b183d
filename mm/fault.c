/*
 * mm/fault.c - what a kernel page fault means, in words.
 *
 * Kiva never pages kernel memory, so every kernel page fault is a bug: a
 * wild pointer, a stack overflow into a guard page, a write to read-only
 * text, a jump into data (NX).  Saying which region the address is in
 * usually names the bug.
 */
#include "mm/fault.h"

#include "kernel/cpu/cpu.h"
#include "kernel/lib/fmt.h"
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
	if (r->tables == KVA_TABLES_NONE)
		return "a guard gap (never mapped: overflow or wild pointer?)";
	return r->name;
}

static const char *access_words(uint32_t err)
{
	if (err & PF_FETCH)
		return "instruction fetch from";
	return (err & PF_WRITE) ? "write to" : "read from";
}

/*
 * Why a present page refused the access.  The error code says which kind
 * of access at which privilege; the entry says what the page allows.
 */
static const char *refusal_words(uint32_t err, pte_t e)
{
	bool user_mode = (err & PF_USER) != 0;

	if (err & PF_RSVD)
		return "a page whose table entry has a reserved bit set";
	if (user_mode && !(e & PTE_U))
		return "a kernel page";
	if (!user_mode && (e & PTE_U))
		return (err & PF_FETCH)
		               ? "a user page, from kernel mode (SMEP)"
		               : "a user page, from kernel mode (SMAP)";
	if ((err & PF_FETCH) && (e & PTE_NX))
		return "a no-execute page";
	if ((err & PF_WRITE) && !(e & PTE_W))
		return "a read-only page";
	return "a protected page";
}

void page_fault_describe(uint32_t err, vaddr_t va, char *buf, size_t size)
{
	const char *page = "an unmapped page";

	if (err & PF_PRESENT)
		page = refusal_words(err, paging_lookup(read_cr3(), va));
	ksnprintf(buf, size, "%s %s", access_words(err), page);
}

void page_fault_report(const struct trapframe *tf, uint32_t cr2)
{
	const struct thread *t = thread_guard_owner(cr2);
	char what[PAGE_FAULT_WORDS];

	page_fault_describe(tf->err, cr2, what, sizeof(what));
	kprintf("\npage fault at %08x: %s in %s mode\n", cr2, what,
	        (tf->err & PF_USER) ? "user" : "kernel");
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
