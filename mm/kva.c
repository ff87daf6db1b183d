/*
 * mm/kva.c - sizing the kernel's virtual address space (see mm/kva.h).
 *
 * The 1 GiB kernel quarter is shared by three things that all want to be
 * big: the direct map (every byte of low RAM), kmem_map (interrupt-safe
 * allocations, page tables all preallocated) and kernel_map (everything
 * else).  FreeBSD 5 sized kmem_map from RAM alone and, with PAE and more
 * than 3-4 GiB, asked for more kernel VA than exists.  Here the formula
 * works from min(RAM, kernel VA) and the fixed pieces come off first, so
 * the sum can never exceed the quarter:
 *
 *   fixed      = 3 guards + top guard + kmap + kmap_atomic     (12 MiB)
 *   kmem_map   = clamp(RAM / 16, 2 MiB, 64 MiB)    or the kmem_map= option,
 *                accepted in [2 MiB, min(RAM / 4, 256 MiB)] (an empty
 *                range below 8 MiB of RAM: then only the automatic size)
 *   kernel_map = clamp(min(RAM, 1 GiB) / 4, 64 MiB, 256 MiB)
 *   direct     = min(top of RAM, 1 GiB - fixed - kmem_map - kernel_map)
 *
 * all rounded to 2 MiB (one page table).  RAM above the direct map is high
 * memory: still used (mm/pmm.c), reached through kmap.  VA left over when
 * RAM is small stays unmapped as part of the guard above kernel_map.
 * From 8 MiB of RAM on, kmem_map never exceeds RAM / 4, so what backs it
 * exists; below that it is the 2 MiB minimum (one page table), as VA that
 * allocations fill only as far as frames last.
 *
 * kmem_design=2003 rebuilds FreeBSD 5's sizing, to show how it failed.
 * FreeBSD sized each consumer of kernel VA on its own, from RAM, and
 * nothing checked their sum against the 1 GiB there is:
 *
 *   kmem_map   = VM_KMEM_SIZE (12 MiB), or RAM / VM_KMEM_SIZE_SCALE (3)
 *                if that is larger; then at most VM_KMEM_SIZE_MAX
 *                (320 MiB); then at most twice the RAM (FreeBSD 5.x
 *                sys/kern/kern_malloc.c, kmeminit(); the constants from
 *                sys/i386/include/vmparam.h), rounded down to 2 MiB
 *   kernel_map = RAM / 4, at least 64 MiB, with no upper cap.  It stands
 *                for everything else FreeBSD scaled from RAM through
 *                maxusers (the buffer cache, mbuf clusters, pv entries,
 *                ...), each sized without looking at the others.
 *   direct     = what is left, at most the top of RAM, as above.
 *
 * Nothing shrinks to make room.  When kmem_map + kernel_map + the fixed
 * pieces + the direct map's minimum for this design (32 MiB, room for
 * the boot's own tables) exceed 1 GiB, that is above 2640 MiB of RAM
 * (320 MiB + RAM / 4 + 44 MiB > 1 GiB), kva_tune() places nothing and
 * says so, and the boot stops the way FreeBSD's did when kmem_suballoc()
 * could not place kmem_map (mm/mm.c).
 *
 * This file is pure arithmetic; tests/host/test_kva.c runs it on the host.
 */
#include "mm/kva.h"

#include "kernel/lib/kprintf.h"

/* Before kva_tune(): boot.S's mapping (mm/kva.h). */
#define KVA_EARLY_DIRECT_END (KERNBASE + (KVA_SPAN - KVA_GUARD_SIZE))

struct kva_region kva_layout[KVA_NREGIONS] = {
	[KVA_DIRECT] = { "direct map", KERNBASE, KVA_EARLY_DIRECT_END,
	                 "all low RAM, va = pa + KERNBASE",
	                 KVA_TABLES_AT_BOOT },
	[KVA_GUARD_LOW] = { "guard", 0, 0, "unmapped", KVA_TABLES_NONE },
	[KVA_KMEM_MAP] = { "kmem_map", 0, 0, "interrupt-safe kmalloc",
	                   KVA_TABLES_AT_BOOT },
	[KVA_GUARD_MID] = { "guard", 0, 0, "unmapped", KVA_TABLES_NONE },
	[KVA_KERNEL_MAP] = { "kernel_map", 0, 0, "M_NOINTR kmalloc, stacks",
	                     KVA_TABLES_ON_DEMAND },
	[KVA_GUARD_HIGH] = { "guard", 0, 0, "unmapped (and unused VA)",
	                     KVA_TABLES_NONE },
	[KVA_KMAP] = { "kmap", 0, 0, "windows onto high memory",
	               KVA_TABLES_AT_BOOT },
	[KVA_KMAP_ATOMIC] = { "kmap_atomic", 0, 0,
	                      "interrupt-safe windows, APIC registers",
	                      KVA_TABLES_AT_BOOT },
	[KVA_GUARD_TOP] = { "guard", 0, 0, "unmapped top", KVA_TABLES_NONE },
};

const char *kva_tables_name(enum kva_tables t)
{
	static const char *const names[] = {
		[KVA_TABLES_NONE] = "none",
		[KVA_TABLES_AT_BOOT] = "at boot",
		[KVA_TABLES_ON_DEMAND] = "on demand",
	};

	return names[t];
}

static uint64_t clamp(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static uint64_t round_pt(uint64_t v)
{
	return ROUND_UP(v, (uint64_t)KVA_ALIGN);
}

static uint64_t kmem_map_auto(uint64_t ram)
{
	return clamp(ROUND_DOWN(ram / 16, (uint64_t)KVA_ALIGN), KMEM_MAP_MIN,
	             KMEM_MAP_AUTO_MAX);
}

/*
 * The largest kmem_map the command line may ask for on this machine; below
 * KMEM_MAP_MIN (under 8 MiB of RAM) when there is none.
 */
static uint64_t kmem_map_limit(uint64_t ram)
{
	return MIN(ROUND_DOWN(ram / 4, (uint64_t)KVA_ALIGN),
	           KMEM_MAP_OVERRIDE_MAX);
}

/* kmem_design=2003: FreeBSD 5's kmeminit() on i386 (formula above). */
static uint64_t kmem_map_2003(uint64_t ram)
{
	uint64_t size = VM_KMEM_SIZE;

	if (ram / VM_KMEM_SIZE_SCALE > size)
		size = ram / VM_KMEM_SIZE_SCALE;
	size = MIN(size, (uint64_t)VM_KMEM_SIZE_MAX);
	size = MIN(size, 2 * ram);
	size = ROUND_DOWN(size, (uint64_t)KVA_ALIGN);
	return MAX(size, (uint64_t)KMEM_MAP_MIN);
}

/* The automatic kmem_map of the design in force. */
static uint64_t kmem_map_default(const struct kva_params *p)
{
	return p->design_2003 ? kmem_map_2003(p->ram_bytes)
	                      : kmem_map_auto(p->ram_bytes);
}

static uint64_t choose_kmem_map(const struct kva_params *p, bool *rejected)
{
	uint64_t want = round_pt(p->kmem_map_request);
	uint64_t limit = kmem_map_limit(p->ram_bytes);

	*rejected = false;
	if (!p->kmem_map_requested)
		return kmem_map_default(p);
	if (limit < KMEM_MAP_MIN) {
		kprintf("kva: kmem_map=%lluK is refused: with %llu MiB of RAM a "
		        "quarter is below the %lluK minimum; using the "
		        "automatic %lluK\n",
		        (unsigned long long)(p->kmem_map_request >> 10),
		        (unsigned long long)(p->ram_bytes >> 20),
		        (unsigned long long)(KMEM_MAP_MIN >> 10),
		        (unsigned long long)(kmem_map_default(p) >> 10));
		*rejected = true;
		return kmem_map_default(p);
	}
	/* Range-check what was asked for, not its round-up: 1M is refused. */
	if (p->kmem_map_request < KMEM_MAP_MIN ||
	    p->kmem_map_request > limit) {
		kprintf("kva: kmem_map=%lluK is outside [%lluK, %lluK] for %llu MiB "
		        "of RAM; using the automatic %lluK\n",
		        (unsigned long long)(p->kmem_map_request >> 10),
		        (unsigned long long)(KMEM_MAP_MIN >> 10),
		        (unsigned long long)(limit >> 10),
		        (unsigned long long)(p->ram_bytes >> 20),
		        (unsigned long long)(kmem_map_default(p) >> 10));
		*rejected = true;
		return kmem_map_default(p);
	}
	return want;
}

static vaddr_t place(enum kva_region_id id, vaddr_t start, uint64_t size)
{
	kva_layout[id].start = start;
	kva_layout[id].end = start + (vaddr_t)size;
	return kva_layout[id].end;
}

struct kva_sizes kva_tune(const struct kva_params *p)
{
	const uint64_t fixed = 4 * (uint64_t)KVA_GUARD_SIZE + KVA_KMAP_SIZE +
	                       KVA_KMAP_ATOMIC_SIZE;
	struct kva_sizes s = { 0 };
	uint64_t direct_max;
	vaddr_t va;

	s.kmem_map = choose_kmem_map(p, &s.override_rejected);
	if (p->design_2003)	/* FreeBSD's RAM-scaled submaps, uncapped */
		s.kernel_map = MAX(round_pt(p->ram_bytes / 4), KERNEL_MAP_MIN);
	else
		s.kernel_map = clamp(round_pt(MIN(p->ram_bytes,
		                                  (uint64_t)KVA_SPAN) / 4),
		                     KERNEL_MAP_MIN, KERNEL_MAP_MAX);
	/* Kiva's sizes always fit; FreeBSD 5's may ask for more than exists. */
	s.va_asked = fixed + s.kmem_map + s.kernel_map +
	             (p->design_2003 ? DIRECT_MAP_MIN_2003 : DIRECT_MAP_MIN);
	if (s.va_asked > KVA_SPAN) {
		s.does_not_fit = true;
		return s;
	}
	direct_max = KVA_SPAN - fixed - s.kmem_map - s.kernel_map;
	s.direct = MAX(DIRECT_MAP_MIN, MIN(round_pt(p->phys_top), direct_max));

	va = place(KVA_DIRECT, KERNBASE, s.direct);
	va = place(KVA_GUARD_LOW, va, KVA_GUARD_SIZE);
	va = place(KVA_KMEM_MAP, va, s.kmem_map);
	va = place(KVA_GUARD_MID, va, KVA_GUARD_SIZE);
	va = place(KVA_KERNEL_MAP, va, s.kernel_map);
	/* The high guard takes whatever the direct map did not need. */
	place(KVA_GUARD_HIGH, va, (vaddr_t)(0u - KVA_GUARD_SIZE -
	                                    KVA_KMAP_ATOMIC_SIZE -
	                                    KVA_KMAP_SIZE) - va);
	va = place(KVA_KMAP, kva_layout[KVA_GUARD_HIGH].end, KVA_KMAP_SIZE);
	va = place(KVA_KMAP_ATOMIC, va, KVA_KMAP_ATOMIC_SIZE);
	place(KVA_GUARD_TOP, va, KVA_GUARD_SIZE - 1);	/* ends at 0xffffffff */
	return s;
}

const struct kva_region *kva_region_of(vaddr_t va)
{
	if (va < KERNBASE)
		return NULL;
	for (int i = 0; i < KVA_NREGIONS; i++)
		if (va >= kva_layout[i].start && va < kva_layout[i].end)
			return &kva_layout[i];
	return &kva_layout[KVA_GUARD_TOP];	/* only 0xffffffff itself */
}

void kva_print(void)
{
	kprintf("region        start      end        size(KiB)  page tables  "
	        "use\n");
	for (int i = KVA_NREGIONS - 1; i >= 0; i--) {
		const struct kva_region *r = &kva_layout[i];
		uint64_t size = (uint64_t)r->end - r->start;
		if (i == KVA_GUARD_TOP)
			size++;	/* the top guard's end is inclusive */
		kprintf("%-12s  %08x - %08x  %9llu  %-11s  %s\n", r->name,
		        (unsigned)r->start, (unsigned)(r->end - (i != KVA_GUARD_TOP)),
		        (unsigned long long)(size >> 10),
		        kva_tables_name(r->tables), r->use);
	}
}
