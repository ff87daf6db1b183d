/*
 * mm/mm.c - memory bring-up and the boot allocator.
 *
 *   1. Usable RAM = the firmware map minus the first MiB (BIOS data, the
 *      real-mode vectors, the video hole), the kernel image and the boot
 *      modules (mm/memmap.c does the set arithmetic).
 *   2. kva_tune() sizes the direct map, kmem_map and kernel_map from RAM.
 *      With kmem_design=2003 the sizes may not fit the kernel's 1 GiB;
 *      then the boot stops here, before any page table or frame changes.
 *   3. The boot allocator takes whole pages off the low end of the usable
 *      ranges, below the direct map's end, for the frame database, every
 *      page table paging_init() will build (one per 2 MiB of each region
 *      whose tables are built at boot, mm/kva.h), and the allocators'
 *      per-page metadata, and nothing else.  It knows how much it needs
 *      before it starts, so a machine that is too small is told so up
 *      front instead of failing half-way.
 *   4. paging_init() builds those tables and switches to them.
 *   5. pmm_init() gives every page the boot allocator did not take to the
 *      zones; from then on page_alloc() is the only source of frames.
 *   6. kmem_init() starts kmalloc() over kmem_map and kernel_map.
 */
#include "mm/mm.h"

#include "drivers/power.h"
#include "kernel/bootinfo.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/cpufeatures.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/kstring.h"
#include "kernel/debug/panic.h"
#include "mm/kmem.h"
#include "mm/kmem_allocator.h"
#include "mm/kva.h"
#include "mm/paging.h"
#include "mm/pmm.h"

#define RANGES_MAX (MEMMAP_MAX_ENTRIES + MEMMAP_MAX_EXCLUDED + 1)
/*
 * Low frames kmem_init() takes right after the boot allocator: the first
 * page of boundary tags of each of the two allocators (mm/kmem_allocator.c).
 */
#define ALLOCATOR_TAG_PAGES 2

extern const char __kernel_start[], __kernel_end[];

static struct mem_range usable[RANGES_MAX];
static size_t nusable;
static paddr_t boot_alloc_limit;	/* boot pages come from below this */
static uint64_t boot_alloc_pages;
static uint64_t usable_ram_bytes;	/* the firmware's usable RAM */

static void find_usable_ram(struct mem_range *ram, size_t *nram)
{
	/* The legacy area, the kernel image, the boot modules. */
	struct mem_range excl[2 + BOOT_MODULES_MAX];
	size_t nexcl = 0;
	unsigned flags;
	paddr_t maxphys = (paddr_t)1 << cpu.maxphyaddr;

	excl[nexcl++] = (struct mem_range){ 0, MEMMAP_LEGACY_END };
	excl[nexcl++] = (struct mem_range){ V2P(__kernel_start),
	                                    V2P(__kernel_end) };
	for (size_t i = 0; i < bootinfo.nmodules; i++)
		excl[nexcl++] = (struct mem_range){ bootinfo.modules[i].start,
		                                    bootinfo.modules[i].end };

	*nram = memmap_usable(bootinfo.mmap, bootinfo.nmmap, NULL, 0, maxphys,
	                      ram, RANGES_MAX, &flags);
	nusable = memmap_usable(bootinfo.mmap, bootinfo.nmmap, excl, nexcl,
	                        maxphys, usable, RANGES_MAX, &flags);
	if (flags != 0)
		kprintf("mm: warning: the memory map was too long (flags %x); "
		        "some RAM is not used\n", flags);
}

/*
 * One zeroed page from the low end of the usable ranges.  Returns false
 * when low memory is exhausted, which mm_init() rules out beforehand.
 */
static bool boot_alloc_page(paddr_t *pa)
{
	for (size_t i = 0; i < nusable; i++) {
		struct mem_range *r = &usable[i];
		if (r->base < r->end &&
		    r->base + PAGE_SIZE <= boot_alloc_limit) {
			*pa = r->base;
			r->base += PAGE_SIZE;
			memset(P2V(*pa), 0, PAGE_SIZE);
			boot_alloc_pages++;
			return true;
		}
	}
	return false;
}

/* Contiguous pages for the frame database: the first range with room. */
static void *boot_alloc_contiguous(uint64_t bytes)
{
	uint64_t size = ROUND_UP(bytes, (uint64_t)PAGE_SIZE);

	for (size_t i = 0; i < nusable; i++) {
		struct mem_range *r = &usable[i];
		if (r->end - r->base >= size &&
		    r->base + size <= boot_alloc_limit) {
			void *va = P2V(r->base);
			r->base += size;
			boot_alloc_pages += size >> PAGE_SHIFT;
			memset(va, 0, size);
			return va;
		}
	}
	return NULL;
}

static uint64_t low_bytes_available(void)
{
	uint64_t n = 0;

	for (size_t i = 0; i < nusable; i++)
		if (usable[i].base < boot_alloc_limit)
			n += MIN(usable[i].end, boot_alloc_limit) -
			     usable[i].base;
	return n;
}

static size_t region_size(enum kva_region_id id)
{
	return kva_end(id) - kva_start(id);
}

/* The per-page metadata of the allocator over region id, in whole pages. */
static uint64_t kmem_metadata_bytes(enum kva_region_id id)
{
	size_t size = region_size(id);

	return ROUND_UP(kmem_allocator_index_bytes(size), PAGE_SIZE) +
	       ROUND_UP(kmem_allocator_records_bytes(size), PAGE_SIZE);
}

static struct kmem_boot_memory boot_alloc_kmem_metadata(void)
{
	size_t kmem = region_size(KVA_KMEM_MAP);
	size_t kernel = region_size(KVA_KERNEL_MAP);
	struct kmem_boot_memory m = {
		boot_alloc_contiguous(kmem_allocator_index_bytes(kmem)),
		boot_alloc_contiguous(kmem_allocator_records_bytes(kmem)),
		boot_alloc_contiguous(kmem_allocator_index_bytes(kernel)),
		boot_alloc_contiguous(kmem_allocator_records_bytes(kernel)),
	};

	/* mm_init() counted the bytes; a badly fragmented map may still
	 * fail. */
	if (!m.kmem_index || !m.kmem_records || !m.kernel_index ||
	    !m.kernel_records)
		panic("mm: no contiguous low memory for the allocators' "
		      "metadata; the firmware map is too fragmented to boot");
	return m;
}

/* Page tables paging_init() builds: every 2 MiB span of every region
 * whose tables are built at boot. */
static size_t boot_tables_needed(void)
{
	size_t n = 0;

	for (int i = 0; i < KVA_NREGIONS; i++)
		if (kva_layout[i].tables == KVA_TABLES_AT_BOOT)
			n += region_size(i) / PD_SPAN;
	return n;
}

/* Pages for those tables: at most one per 2 MiB of the kernel's quarter. */
static size_t boot_alloc_tables(paddr_t tables[PT_ENTRIES])
{
	size_t n = boot_tables_needed();

	KASSERT(n <= PT_ENTRIES);
	for (size_t i = 0; i < n; i++) {
		bool ok = boot_alloc_page(&tables[i]);
		KASSERT(ok);	/* mm_init() checked low memory */
	}
	return n;
}

static void record_stats(const struct mem_range *ram, size_t nram,
                         uint64_t framedb_bytes, pfn_t nframes)
{
	paddr_t direct_end = kva_end(KVA_DIRECT) - KERNBASE;
	struct pmm_boot_stats *s = &pmm_boot_stats;

	s->usable_bytes = memmap_total(ram, nram);
	for (size_t i = 0; i < nram; i++)
		if (ram[i].base < direct_end)
			s->low_bytes += MIN(ram[i].end, direct_end) -
			                ram[i].base;
	s->high_bytes = s->usable_bytes - s->low_bytes;
	s->boot_alloc_bytes = boot_alloc_pages << PAGE_SHIFT;
	s->framedb_bytes = framedb_bytes;
	s->nframes = nframes;
}

/*
 * kmem_design=2003 on a machine where FreeBSD 5's sizes do not fit the
 * kernel's 1 GiB (mm/kva.c).  FreeBSD found out in kmeminit(), when
 * kmem_suballoc() could not place kmem_map inside kernel_map: vm_map_find()
 * returned KERN_NO_SPACE, 3 (sys/vm/vm_param.h), and it panicked with the
 * message below.  Kiva finds out before any page table or frame is
 * touched, says why, and stops; a test run (the `test` option) ends QEMU
 * with the failure status.  No panic(): kmalloc's statistics, which it
 * prints, do not exist yet.
 */
static __attribute__((noreturn)) void
kva_does_not_fit(const struct kva_params *p, const struct kva_sizes *s)
{
	uint64_t fixed = s->va_asked - s->kmem_map - s->kernel_map -
	                 DIRECT_MAP_MIN_2003;

	kprintf("panic: kmem_suballoc: bad status return of 3\n");
	kprintf("kmem_design=2003: from %llu MiB of RAM, FreeBSD 5's sizing "
	        "asks for %llu MiB of kernel VA:\n"
	        "  kmem_map %llu MiB, the other RAM-scaled submaps (as "
	        "kernel_map) %llu MiB,\n"
	        "  fixed regions and guards %llu MiB, the direct map's minimum "
	        "%llu MiB;\n"
	        "a 32-bit kernel has %llu MiB. Each was sized from RAM on its "
	        "own and nothing\n"
	        "checked the sum. Halted before touching a page table: boot "
	        "without\nkmem_design=2003, or with less RAM.\n",
	        (unsigned long long)(p->ram_bytes >> 20),
	        (unsigned long long)(s->va_asked >> 20),
	        (unsigned long long)(s->kmem_map >> 20),
	        (unsigned long long)(s->kernel_map >> 20),
	        (unsigned long long)(fixed >> 20),
	        (unsigned long long)(DIRECT_MAP_MIN_2003 >> 20),
	        (unsigned long long)(KVA_SPAN >> 20));
	if (panic_exits_qemu)
		qemu_exit(QEMU_EXIT_FAILURE);
	for (;;)
		halt();
}

uint64_t mm_init(const struct size_option *kmem_map_request)
{
	static struct mem_range ram[RANGES_MAX];
	static paddr_t boot_tables[PT_ENTRIES];
	size_t nram, ntables;
	struct kva_params params = { 0 };
	struct kva_sizes sizes;
	uint64_t framedb_bytes, needed;
	pfn_t nframes;
	struct page *framedb;
	struct kmem_boot_memory kmem_memory;

	find_usable_ram(ram, &nram);
	if (nram == 0)
		panic("mm: the memory map lists no usable RAM");

	params.ram_bytes = memmap_total(ram, nram);
	usable_ram_bytes = params.ram_bytes;
	params.phys_top = ram[nram - 1].end;
	params.kmem_map_requested = kmem_map_request->present;
	params.kmem_map_request = kmem_map_request->bytes;
	params.design_2003 = kmem_design_2003();
	sizes = kva_tune(&params);
	if (sizes.does_not_fit)
		kva_does_not_fit(&params, &sizes);
	kprintf("mm: %llu MiB of RAM, direct map %llu MiB, kmem_map %llu MiB, "
	        "kernel_map %llu MiB\n",
	        (unsigned long long)(params.ram_bytes >> 20),
	        (unsigned long long)(sizes.direct >> 20),
	        (unsigned long long)(sizes.kmem_map >> 20),
	        (unsigned long long)(sizes.kernel_map >> 20));
	kva_print();

	/* Boot.S maps 1 GiB; the direct map is at most that. */
	boot_alloc_limit = kva_end(KVA_DIRECT) - KERNBASE;
	nframes = (pfn_t)(params.phys_top >> PAGE_SHIFT);
	framedb_bytes = (uint64_t)nframes * sizeof(struct page);
	needed = ROUND_UP(framedb_bytes, (uint64_t)PAGE_SIZE) +
	         boot_tables_needed() * PAGE_SIZE +
	         kmem_metadata_bytes(KVA_KMEM_MAP) +
	         kmem_metadata_bytes(KVA_KERNEL_MAP) +
	         ALLOCATOR_TAG_PAGES * PAGE_SIZE;
	if (needed > low_bytes_available()) {
		kprintf("mm: booting needs %llu KiB of low memory for the "
		        "frame database and page tables, but only %llu KiB "
		        "is usable\n",
		        (unsigned long long)(needed >> 10),
		        (unsigned long long)(low_bytes_available() >> 10));
		return needed - low_bytes_available();
	}

	framedb = boot_alloc_contiguous(framedb_bytes);
	if (framedb == NULL)
		panic("mm: no contiguous %llu KiB of low memory for the frame "
		      "database", (unsigned long long)(framedb_bytes >> 10));
	ntables = boot_alloc_tables(boot_tables);
	paging_init(ram, nram, boot_tables, ntables);
	kmem_memory = boot_alloc_kmem_metadata();
	record_stats(ram, nram, framedb_bytes, nframes);
	pmm_init(framedb, nframes, boot_alloc_limit, usable, nusable);
	kmem_init(&kmem_memory);
	kprintf("mm: frame database %llu KiB for %u frames; %u page tables "
	        "built at boot; NX %s, global pages %s\n",
	        (unsigned long long)(framedb_bytes >> 10), (unsigned)nframes,
	        (unsigned)paging_stats.boot_tables, cpu.nx ? "on" : "absent",
	        cpu.pge ? "on" : "absent");
	return 0;
}

uint64_t mm_frames_short_of(uint64_t needed)
{
	uint64_t free = pmm_free_pages(ZONE_LOW) + pmm_free_pages(ZONE_HIGH);

	return needed > free ? needed - free : 0;
}

uint64_t mm_usable_bytes(void)
{
	return usable_ram_bytes;
}
