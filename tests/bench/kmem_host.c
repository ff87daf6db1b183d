/*
 * tests/bench/kmem_host.c - the kernel below mm/kmem.c, on the host, so
 * that make bench measures the real kmalloc() and kfree() (tests/bench/
 * bench.mk builds mm/kmem.c, the allocators, pools, arenas, magazines,
 * kmem_debug and fault injection unchanged, with these underneath).
 *
 * Each primitive is replaced by one of the same kind:
 *  - the interrupt flag: one per host thread (tests/bench/host/kernel/
 *    cpu/cpu.h);
 *  - spinlocks: a compare-and-swap of the owner with interrupts "off",
 *    counting acquisitions and contended ones, as the SMP lock does;
 *  - the CPU: one, CPU 0; the thread: one, never sleeping (a sleep or a
 *    panic ends the benchmark);
 *  - regions: kmem_map and kernel_map are two stretches of host memory,
 *    and the frames behind their pages a pool of host pages whose
 *    "mapping" is a table entry (the memory is mapped already).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/cpu/cpu.h"
#include "kernel/cpu/smp.h"
#include "kernel/cpu/trap.h"
#include "kernel/debug/ksyms.h"
#include "kernel/debug/panic.h"
#include "kernel/lib/kassert.h"
#include "kernel/thread/sched.h"
#include "kernel/thread/spinlock.h"
#include "kernel/thread/thread.h"
#include "mm/kmem.h"
#include "mm/kmem_allocator.h"
#include "mm/kva.h"
#include "mm/paging.h"
#include "mm/pmm.h"
#include "tests/bench/kmem_host.h"

__thread uint32_t host_eflags = EFLAGS_IF;

static struct thread host_thread = { .name = "bench" };
__thread struct cpu host_cpu = { .index = 0, .thread = &host_thread };

/* ------------------------------------------------------------ locks */

void spinlock_enter(void)
{
	uint32_t flags = irq_save();

	if (curthread->spin_depth++ == 0)
		curthread->spin_eflags = flags;
}

void spinlock_exit(void)
{
	KASSERT(curthread->spin_depth > 0);
	if (--curthread->spin_depth == 0)
		irq_restore(curthread->spin_eflags);
}

void spin_lock_at(struct spinlock *lk, const char *file, int line)
{
	struct thread *none = NULL;
	bool waited = false;

	if (lk->owner == curthread)
		panic("spinlock %s: recursive acquisition at %s:%d", lk->name,
		      file, line);
	spinlock_enter();
	while (!__atomic_compare_exchange_n(&lk->owner, &none, curthread,
	                                    false, __ATOMIC_ACQUIRE,
	                                    __ATOMIC_RELAXED)) {
		none = NULL;
		waited = true;
		__builtin_ia32_pause();
	}
	lk->acquisitions++;
	lk->contended += waited;
	lk->file = file;
	lk->line = line;
	lk->held_next = curthread->spin_held;
	curthread->spin_held = lk;
}

void spin_unlock_at(struct spinlock *lk, const char *file, int line)
{
	struct spinlock **pp;

	if (lk->owner != curthread)
		panic("spinlock %s: released at %s:%d by a non-owner", lk->name,
		      file, line);
	for (pp = &curthread->spin_held; *pp != lk; pp = &(*pp)->held_next)
		KASSERT(*pp != NULL);
	*pp = lk->held_next;
	lk->held_next = NULL;
	__atomic_store_n(&lk->owner, NULL, __ATOMIC_RELEASE);
	spinlock_exit();
}

bool spin_held(const struct spinlock *lk)
{
	return lk->owner == curthread;
}

/* ------------------------------------------------- CPU, thread, traps */

unsigned cpu_index(void)
{
	KASSERT(!(read_eflags() & EFLAGS_IF));
	return cpu_self()->index;
}

unsigned smp_ncpus(void)
{
	return 1;
}

void smp_call_others(void (*fn)(void *arg), void *arg)
{
	(void)fn;	/* one CPU: there is no other */
	(void)arg;
}

enum sleep_end sleep_at(const void *chan, struct spinlock *lk,
                        const char *wmesg, uint64_t timo, int flags,
                        const char *file, int line)
{
	(void)chan, (void)lk, (void)timo, (void)flags;
	panic("bench: kmalloc slept (%s) at %s:%d", wmesg, file, line);
}

void wakeup(const void *chan)
{
	(void)chan;	/* nobody sleeps */
}

void assert_may_sleep_at(const struct spinlock *interlock, const char *file,
                         int line)
{
	(void)interlock, (void)file, (void)line;
}

const char *ksym_lookup(vaddr_t addr, vaddr_t *offset)
{
	*offset = addr;
	return NULL;
}

void ksym_print(vaddr_t addr)
{
	printf("%#lx", (unsigned long)addr);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "panic: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

/* panic() above ends the process: never under way when asked. */
bool panic_in_progress(void)
{
	return false;
}

/* ----------------------------------------------------- regions, frames */

#define KMEM_MAP_BYTES ((size_t)8 << 20)
#define KERNEL_MAP_BYTES ((size_t)64 << 20)
#define NFRAMES ((KMEM_MAP_BYTES + KERNEL_MAP_BYTES) / PAGE_SIZE + 256)

struct kva_region kva_layout[KVA_NREGIONS];

/*
 * Frames: host pages, each with a struct page; a frame's "physical
 * address" is its index times PAGE_SIZE.  The free ones are a stack.
 */
static char *frame_memory;
static struct page frames[NFRAMES];
static struct page *free_frames[NFRAMES];
static size_t nfree;
static struct pmm_reserve_stats reserve;
static void (*free_hook)(void);

struct page *page_alloc(unsigned order, int flags)
{
	KASSERT(order == 0);
	(void)flags;
	return nfree > 0 ? free_frames[--nfree] : NULL;
}

void page_free(struct page *p, unsigned order)
{
	KASSERT(order == 0);
	free_frames[nfree++] = p;
	if (free_hook != NULL)
		free_hook();
}

paddr_t page_to_phys(const struct page *p)
{
	return (paddr_t)(p - frames) * PAGE_SIZE;
}

struct page *phys_to_page(paddr_t pa)
{
	return &frames[pa / PAGE_SIZE];
}

void *page_to_virt(const struct page *p)
{
	return frame_memory + page_to_phys(p);
}

uint64_t pmm_managed_pages(void)
{
	return NFRAMES;
}

void pmm_set_free_hook(void (*hook)(void))
{
	free_hook = hook;
}

/* The benchmark injects no failures: the frames' hook is never asked. */
void pmm_set_fail_hook(bool (*hook)(void))
{
	(void)hook;
}

void pmm_reserve_set_target(unsigned n)
{
	reserve.target = n;
}

void pmm_reserve_refill(void)
{
	/* The host's frames never run short: the reserve is always full. */
	reserve.frames = reserve.target;
}

void pmm_reserve_stats(struct pmm_reserve_stats *st)
{
	*st = reserve;
}

/*
 * Page tables: the regions' memory is mapped already, so backing a page
 * only records which frame is "behind" it, in a table of entries.
 */
static pte_t *ptes;
static char *region_memory;

static pte_t *pte_of(vaddr_t va)
{
	return &ptes[(va - (vaddr_t)region_memory) / PAGE_SIZE];
}

pte_t *paging_kernel_pd(void)
{
	return NULL;
}

pte_t paging_kernel_data_flags(void)
{
	return PTE_P | PTE_W;
}

struct page *paging_back_page(pte_t *pd, vaddr_t va, pte_t pte_flags,
                              int frame_flags)
{
	struct page *p = page_alloc(0, frame_flags);

	(void)pd;
	if (p != NULL)
		*pte_of(va) = page_to_phys(p) | pte_flags;
	return p;
}

pte_t paging_unmap_kernel(vaddr_t va)
{
	pte_t old = *pte_of(va);

	*pte_of(va) = 0;
	return old;
}

const struct kva_region *kva_region_of(vaddr_t va)
{
	for (int i = 0; i < KVA_NREGIONS; i++)
		if (kva_in((enum kva_region_id)i, va))
			return &kva_layout[i];
	return NULL;
}

static void *zeroed(size_t bytes)
{
	void *p = aligned_alloc(PAGE_SIZE, ROUND_UP(bytes, (size_t)PAGE_SIZE));

	if (p == NULL) {
		fprintf(stderr, "kmem_host: no host memory\n");
		exit(1);
	}
	return memset(p, 0, ROUND_UP(bytes, (size_t)PAGE_SIZE));
}

void kmem_host_init(bool magazines)
{
	struct kmem_boot_memory m;
	size_t i;

	frame_memory = zeroed(NFRAMES * PAGE_SIZE);
	for (i = 0; i < NFRAMES; i++)
		free_frames[nfree++] = &frames[NFRAMES - 1 - i];
	region_memory = zeroed(KMEM_MAP_BYTES + KERNEL_MAP_BYTES);
	ptes = zeroed((KMEM_MAP_BYTES + KERNEL_MAP_BYTES) / PAGE_SIZE *
	              sizeof(*ptes));
	kva_layout[KVA_KMEM_MAP] = (struct kva_region){
		.name = "kmem_map", .start = (vaddr_t)region_memory,
		.end = (vaddr_t)region_memory + KMEM_MAP_BYTES };
	kva_layout[KVA_KERNEL_MAP] = (struct kva_region){
		.name = "kernel_map", .start = kva_layout[KVA_KMEM_MAP].end,
		.end = kva_layout[KVA_KMEM_MAP].end + KERNEL_MAP_BYTES };
	m.kmem_index = zeroed(kmem_allocator_index_bytes(KMEM_MAP_BYTES));
	m.kmem_records = zeroed(kmem_allocator_records_bytes(KMEM_MAP_BYTES));
	m.kernel_index = zeroed(kmem_allocator_index_bytes(KERNEL_MAP_BYTES));
	m.kernel_records =
		zeroed(kmem_allocator_records_bytes(KERNEL_MAP_BYTES));
	if (!kmem_set_magazines(magazines ? "on" : "off"))
		panic("kmem_set_magazines refused");
	kmem_init(&m);
}
