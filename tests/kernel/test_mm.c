/*
 * tests/kernel/test_mm.c - physical memory, the direct map, protections,
 * kmap: what needs the real page tables to test.
 */
#include "drivers/vga.h"
#include "kernel/debug/catch.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/cpufeatures.h"
#include "kernel/bootinfo.h"
#include "kernel/lib/kprintf.h"
#include "kernel/debug/ktest.h"
#include "kernel/cpu/trap.h"
#include "mm/kmap.h"
#include "mm/kmem.h"
#include "mm/kva.h"
#include "mm/paging.h"
#include "mm/pmm.h"
#include "tests/kernel/frames.h"

extern const char __kernel_start[], __kernel_end[], __text_end[],
	__rodata_end[];

static uint64_t free_frames(void)
{
	return pmm_free_pages(ZONE_LOW) + pmm_free_pages(ZONE_HIGH);
}

/* The accounting `mem` prints adds up; the boot matrix reads the output. */
KTEST(mem_report)
{
	const struct pmm_boot_stats *s = &pmm_boot_stats;
	uint64_t unmanaged = (uint64_t)(__kernel_end - __kernel_start);

	/* The boot modules (user programs) are RAM no zone manages, too. */
	for (size_t i = 0; i < bootinfo.nmodules; i++)
		unmanaged += ROUND_UP(bootinfo.modules[i].end,
		                      (paddr_t)PAGE_SIZE) -
		             ROUND_DOWN(bootinfo.modules[i].start,
		                        (paddr_t)PAGE_SIZE);

	bootinfo_print_mmap();
	pmm_print();
	KEXPECT_EQ(t, s->low_bytes + s->high_bytes, s->usable_bytes);
	KEXPECT(t, s->low_bytes <= kva_end(KVA_DIRECT) - KERNBASE);
	/* Free + boot allocations + kernel and modules + the first MiB, and
	 * a MiB for what is allocated now, cover all RAM. */
	KEXPECT(t, (free_frames() << PAGE_SHIFT) + s->boot_alloc_bytes +
	           unmanaged <= s->usable_bytes);
	KEXPECT(t, (free_frames() << PAGE_SHIFT) + s->boot_alloc_bytes +
	           unmanaged + MiB(1) + MiB(1) >= s->usable_bytes);
	KEXPECT_EQ(t, s->framedb_bytes,
	           (uint64_t)s->nframes * sizeof(struct page));
}

/*
 * Takes every free frame, one at a time, linking them through their own
 * first word (written through kmap_atomic, so high memory is touched too),
 * then checks the count against the zones and gives them all back.
 */
KTEST(frames_all)
{
	uint64_t before = free_frames(), count = 0, bad = 0;
	paddr_t head = 0;
	bool have_head = false;
	struct page *p;

	while ((p = page_alloc(0, PMM_ANY)) != NULL) {
		paddr_t *word = kmap_atomic(p);
		word[0] = have_head ? head : (paddr_t)-1;
		word[1] = page_to_phys(p);
		kunmap_atomic(word);
		head = page_to_phys(p);
		have_head = true;
		count++;
	}
	KEXPECT_EQ(t, free_frames(), 0);
	KEXPECT_EQ(t, count, before);
	while (have_head) {
		p = phys_to_page(head);
		paddr_t *word = kmap_atomic(p);
		paddr_t next = word[0];
		bad += word[1] != head;
		kunmap_atomic(word);
		page_free(p, 0);
		have_head = next != (paddr_t)-1;
		head = next;
	}
	KEXPECT_EQ(t, bad, 0);
	KEXPECT_EQ(t, free_frames(), before);
	kprintf("  %llu frames allocated, verified and freed\n",
	        (unsigned long long)count);
}

/* Sampled pages across the direct map translate to themselves and hold data. */
KTEST(direct_map_readback)
{
	struct page *pages[64];
	int n = 0, bad = 0;
	paddr_t direct_end = kva_end(KVA_DIRECT) - KERNBASE;

	for (paddr_t pa = MiB(1); pa < direct_end; pa += direct_end / 97) {
		paddr_t got;
		if (paging_translate((vaddr_t)P2V(pa), &got))
			bad += got != pa;
	}
	KEXPECT_EQ(t, bad, 0);
	for (n = 0; n < 64; n++) {
		pages[n] = page_alloc((unsigned)(n % 4), PMM_LOW);
		if (pages[n] == NULL)
			break;
		uint32_t *w = page_to_virt(pages[n]);
		for (size_t i = 0; i < (PAGE_SIZE << (n % 4)) / 4; i++)
			w[i] = (uint32_t)page_to_phys(pages[n]) ^ (uint32_t)i;
	}
	KEXPECT(t, n > 0);
	for (int i = 0; i < n; i++) {
		uint32_t *w = page_to_virt(pages[i]);
		for (size_t j = 0; j < (PAGE_SIZE << (i % 4)) / 4; j++)
			bad += w[j] != ((uint32_t)page_to_phys(pages[i]) ^
			                (uint32_t)j);
		page_free(pages[i], (unsigned)(i % 4));
	}
	KEXPECT_EQ(t, bad, 0);
}

static void write_byte(void *addr)
{
	*(volatile char *)addr = 0;
}

static void read_byte(void *addr)
{
	(void)*(volatile char *)addr;
}

static void expect_page_fault(struct ktest_ctx *t, void (*fn)(void *),
                              void *addr, uint32_t err_bits)
{
	struct caught c;

	KEXPECT(t, catch_run(CATCH_FAULT, fn, addr, &c));
	KEXPECT_EQ(t, c.vector, T_PAGE_FAULT);
	KEXPECT_EQ(t, c.cr2, (uint32_t)(vaddr_t)addr);
	KEXPECT_EQ(t, c.err & err_bits, err_bits);
}

KTEST(text_is_readonly)
{
	expect_page_fault(t, write_byte, (void *)(vaddr_t)ktest_run,
	                  PF_PRESENT | PF_WRITE);
	expect_page_fault(t, write_byte, (void *)(__text_end + 16),
	                  PF_PRESENT | PF_WRITE);	/* .rodata */
}

KTEST(guards_and_user_space_unmapped)
{
	expect_page_fault(t, read_byte, (void *)kva_start(KVA_GUARD_LOW), 0);
	expect_page_fault(t, read_byte, (void *)kva_start(KVA_GUARD_MID), 0);
	expect_page_fault(t, read_byte, (void *)(kva_end(KVA_GUARD_TOP) - 1),
	                  0);
	expect_page_fault(t, read_byte, (void *)0x1000, 0);
}

static void call_address(void *addr)
{
	((void (*)(void))addr)();
}

KTEST(nx_enforced)
{
	static uint8_t data_ret[16] = { 0xc3 };	/* a `ret` in .data */
	paddr_t pa;

	KEXPECT(t, paging_translate((vaddr_t)data_ret, &pa));
	if (!cpu.nx) {
		kprintf("  this CPU has no NX: "
		        "checked that EFER.NXE stays off\n");
		KEXPECT(t, !paging_stats.nx);
		return;
	}
	KEXPECT(t, rdmsr(MSR_EFER) & EFER_NXE);
	expect_page_fault(t, call_address, data_ret, PF_PRESENT | PF_FETCH);
}

KTEST(kmap_windows)
{
	struct page *p = page_alloc(0, PMM_ANY);
	struct page *held[KMAP_SLOTS];
	unsigned n = 0;
	uint32_t *va;

	if (!KEXPECT(t, p != NULL))
		return;
	va = kmap(p);
	KEXPECT(t, va != NULL);
	va[0] = 0x4b495641;	/* "KIVA" */
	kunmap(va);
	va = kmap_atomic(p);
	KEXPECT_EQ(t, va[0], 0x4b495641);
	kunmap_atomic(va);
	page_free(p, 0);

	if (pmm_free_pages(ZONE_HIGH) <= KMAP_SLOTS) {
		kprintf("  no high memory here: "
		        "slot exhaustion not exercised\n");
		return;
	}
	/* Every slot taken: the next kmap of a high frame reports NULL. */
	for (n = 0; n < KMAP_SLOTS; n++) {
		held[n] = page_alloc(0, PMM_ANY);
		KEXPECT(t, held[n] != NULL && !page_is_low(held[n]));
		KEXPECT(t, kmap(held[n]) != NULL);
	}
	p = page_alloc(0, PMM_ANY);
	KEXPECT(t, kmap(p) == NULL);
	for (n = 0; n < KMAP_SLOTS; n++) {
		kunmap((void *)(kva_start(KVA_KMAP) + n * PAGE_SIZE));
		page_free(held[n], 0);
	}
	page_free(p, 0);
	KEXPECT_EQ(t, kmap_slots_used(), 0);
}

/*
 * The interrupt reserve (mm/pmm.h): with the zones empty, only a request
 * that says PMM_INTR gets a frame, from the reserve and so low, whichever
 * zone it asked for.  Refilling takes from the zones, so it waits until
 * they have frames again.
 */
KTEST(pmm_reserve_serves_only_interrupt_requests)
{
	struct pmm_reserve_stats before, during, after;
	struct page *any, *low;
	paddr_t held;

	pmm_reserve_refill();
	pmm_reserve_stats(&before);
	if (!KEXPECT(t, before.frames == before.target && before.frames >= 2))
		return;
	held = frames_take_all(NULL);
	any = page_alloc(0, PMM_ANY);
	low = page_alloc(0, PMM_LOW);
	KEXPECT(t, any == NULL && low == NULL);
	if (any != NULL)	/* memory was not all taken: give it back */
		page_free(any, 0);
	if (low != NULL)
		page_free(low, 0);
	any = page_alloc(0, PMM_ANY | PMM_INTR);
	low = page_alloc(0, PMM_LOW | PMM_INTR);
	KEXPECT(t, any != NULL && page_is_low(any));
	KEXPECT(t, low != NULL && page_is_low(low) && low != any);
	pmm_reserve_refill();
	pmm_reserve_stats(&during);
	KEXPECT_EQ(t, during.frames, before.frames - 2);
	KEXPECT_EQ(t, during.used, before.used + 2);
	if (any != NULL)
		page_free(any, 0);
	if (low != NULL)
		page_free(low, 0);
	frames_give_all(held);
	pmm_reserve_refill();
	pmm_reserve_stats(&after);
	KEXPECT_EQ(t, after.frames, before.target);
}

/*
 * Frames given back merge with their buddies again: after every free
 * frame has been taken one at a time (so every block was split down to
 * single frames) and given back, a block of the largest order, 4 MiB of
 * contiguous frames, can be had again.
 */
KTEST(frames_merge_back_into_big_blocks)
{
	struct page *big = page_alloc(BUDDY_MAX_ORDER, PMM_ANY);
	uint64_t before;
	paddr_t held;

	if (!KEXPECT(t, big != NULL))
		return;		/* no 4 MiB block at all */
	page_free(big, BUDDY_MAX_ORDER);
	before = free_frames();
	held = frames_take_all(NULL);
	KEXPECT_EQ(t, free_frames(), 0);
	frames_give_all(held);
	KEXPECT_EQ(t, free_frames(), before);
	big = page_alloc(BUDDY_MAX_ORDER, PMM_ANY);
	KEXPECT(t, big != NULL);
	if (big != NULL)
		page_free(big, BUDDY_MAX_ORDER);
}

/*
 * PMM_ANY takes high memory first, keeping low memory for what needs it
 * (page tables, metadata); PMM_LOW never gives a high frame.  Needs high
 * memory: boot with more RAM than the direct map covers (1 GiB does).
 */
KTEST(pmm_any_prefers_high_memory)
{
	struct page *any, *low;

	if (pmm_free_pages(ZONE_HIGH) == 0) {
		kprintf("  no free high memory here: boot with -m 1G\n");
		return;
	}
	any = page_alloc(0, PMM_ANY);
	low = page_alloc(0, PMM_LOW);
	KEXPECT(t, any != NULL && !page_is_low(any));
	KEXPECT(t, low != NULL && page_is_low(low));
	if (any != NULL)
		page_free(any, 0);
	if (low != NULL)
		page_free(low, 0);
}

/* What back_one() asks paging_back_page() for, inside catch_run(). */
static struct {
	vaddr_t va;
	int frame_flags;
} back_request;

static void back_one(void *arg)
{
	(void)arg;
	paging_back_page(paging_kernel_pd(), back_request.va,
	                 paging_kernel_data_flags(), back_request.frame_flags);
}

/*
 * paging_back_page() makes a missing page table only where the layout
 * grows tables on demand (mm/kva.h), and never for an interrupt handler:
 * in a guard, or with PMM_INTR, it asserts before it takes anything.
 */
KTEST(paging_back_page_grows_tables_only_where_allowed)
{
	vaddr_t last = kva_end(KVA_KERNEL_MAP) - PAGE_SIZE;
	uint64_t frames = free_frames();
	struct caught c;

	back_request.va = kva_start(KVA_GUARD_MID);
	back_request.frame_flags = PMM_ANY;
	KEXPECT(t, catch_run(CATCH_PANIC, back_one, NULL, &c));
	KEXPECT_EQ(t, paging_count_tables(back_request.va,
	                                  back_request.va + PAGE_SIZE), 0);
	KEXPECT_EQ(t, free_frames(), frames);
	if (paging_count_tables(last, last + PAGE_SIZE) != 0) {
		kprintf("  kernel_map's last 2 MiB has a table: PMM_INTR case "
		        "not exercised\n");
		return;
	}
	back_request.va = last;
	back_request.frame_flags = PMM_ANY | PMM_INTR;
	KEXPECT(t, catch_run(CATCH_PANIC, back_one, NULL, &c));
	KEXPECT_EQ(t, paging_count_tables(last, last + PAGE_SIZE), 0);
	KEXPECT_EQ(t, free_frames(), frames);
}

/*
 * kmain's step 5: the VGA text buffer is device memory, mapped uncached;
 * the rest of the legacy area below 1 MiB stays mapped as boot.S had it.
 */
KTEST(vga_buffer_mapped_uncached)
{
	pte_t e = paging_lookup(paging_kernel_cr3(),
	                        (vaddr_t)P2V(VGA_TEXT_PHYS));

	KEXPECT(t, (e & PTE_P) != 0);
	KEXPECT_EQ(t, e & (PTE_PCD | PTE_PWT), PTE_PCD | PTE_PWT);
	KEXPECT(t, paging_is_mapped((vaddr_t)P2V(VGA_TEXT_PHYS - PAGE_SIZE)));
	KEXPECT(t, paging_is_mapped((vaddr_t)P2V(MiB(1) - PAGE_SIZE)));
}

/* page_free refuses a double free and a frame never handed out. */
KTEST(page_free_refuses_bad_frees)
{
	struct page *p = page_alloc(0, PMM_ANY);
	uint64_t before;

	if (!KEXPECT(t, p != NULL))
		return;
	page_free(p, 0);
	before = free_frames();
	page_free(p, 0);	/* double free: refused, diagnosed */
	/* The kernel's own frame: unmanaged. */
	page_free(phys_to_page(V2P(__kernel_start)), 0);
	KEXPECT_EQ(t, free_frames(), before);
}

/*
 * kernel_map's page tables are not built at boot: they are grown on demand,
 * in thread context, when the M_NOINTR allocator first maps a page in a
 * 2 MiB span.  A 4 MiB allocation crosses at least one span boundary.
 */
KTEST(kernel_map_grows_tables)
{
	uint32_t before = paging_stats.grown_tables;
	size_t size = MiB(4);
	char *p = kmalloc(size, M_TEST, M_WAITOK | M_NOINTR);
	unsigned unmapped = 0;

	if (!KEXPECT(t, p != NULL))
		return;
	KEXPECT(t, kva_in(KVA_KERNEL_MAP, (vaddr_t)p));
	for (size_t off = 0; off < size; off += PAGE_SIZE)
		unmapped += !paging_is_mapped((vaddr_t)p + off);
	KEXPECT_EQ(t, unmapped, 0);
	p[0] = 1;
	p[size - 1] = 2;
	/* Every kernel_map table there is was grown, none built at boot. */
	KEXPECT_EQ(t, paging_count_tables(kva_start(KVA_KERNEL_MAP),
	                                  kva_end(KVA_KERNEL_MAP)),
	           paging_stats.grown_tables);
	KEXPECT(t, paging_stats.grown_tables > 0);
	kprintf("  page tables grown for kernel_map: %u "
	        "(this allocation: %u)\n",
	        (unsigned)paging_stats.grown_tables,
	        (unsigned)(paging_stats.grown_tables - before));
	kfree(p);
}
