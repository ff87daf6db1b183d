/*
 * mm/memmap.c - usable RAM from the firmware memory map.
 *
 * Design note
 *
 * The map the bootloader hands over (Multiboot 0.6.96, 3.3, a copy of the
 * BIOS E820 map) cannot be trusted.  Entries come in any order, overlap,
 * have zero length and lie above anything PAE can address; a broken or
 * hostile map can even make base + len wrap past 2^64.  The rules:
 *
 *  - Only type 1 is RAM.  Where any other type overlaps type 1, the other
 *    type wins: using firmware-owned memory corrupts it silently, while
 *    leaving a little RAM unused costs almost nothing.
 *  - The caller's excluded ranges (kernel image, boot modules, ...) win too.
 *  - An entry whose end wraps past 2^64 runs to the top of memory.
 *  - Nothing at or above maxphys (2^MAXPHYADDR, from CPUID) is returned,
 *    nor anything whose frame number does not fit a pfn_t.
 *  - Only whole pages are returned.  Touching usable pieces are joined
 *    first and then shrunk inward to page boundaries, so a page is returned
 *    exactly when every byte of it is usable.
 *
 * The method is a sweep over elementary intervals.  Every entry and every
 * exclusion adds its two ends to a list of boundary points.  Sorted, the
 * points cut memory into intervals inside which no entry starts or stops,
 * so testing one address (the interval's start) decides the whole interval.
 * Runs of usable intervals are joined, trimmed to pages and written out in
 * address order.  When out[] fills up, the lowest ranges are kept: low
 * memory is what a 32-bit kernel maps permanently and what ISA DMA reaches.
 *
 * Everything is bounded, as this runs before any allocator exists and on a
 * 16 KiB stack: at most MEMMAP_MAX_ENTRIES entries (Linux's boot zero page
 * has room for 128 E820 entries too; later entries are ignored and
 * reported) and MEMMAP_MAX_EXCLUDED exclusions make at most 320 points,
 * 2.5 KiB of stack.
 * Sorting them is an insertion sort, and each interval is tested against
 * each entry: quadratic, about 50,000 steps at worst, once per boot, and
 * simple enough to check by eye.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/lib/kassert.h"
#include "kernel/lib/types.h"
#include "mm/memmap.h"

#define MAX_POINTS (2 * (MEMMAP_MAX_ENTRIES + MEMMAP_MAX_EXCLUDED))

/* The inputs, gathered so that helpers take one argument for them. */
struct sources {
	const struct memmap_entry *map;
	size_t nmap;
	const struct mem_range *excl;
	size_t nexcl;
};

/* The end of an entry; one that wraps past 2^64 ends at the top. */
static uint64_t entry_end(const struct memmap_entry *e)
{
	if (e->len > UINT64_MAX - e->base)
		return UINT64_MAX;
	return e->base + e->len;
}

static bool covers(uint64_t base, uint64_t end, paddr_t addr)
{
	return base <= addr && addr < end;
}

/*
 * Is the byte at addr usable RAM?  Only if a type 1 entry covers it and
 * no other entry nor any exclusion does.
 */
static bool usable_at(const struct sources *src, paddr_t addr)
{
	const struct memmap_entry *e;
	size_t i;
	bool ram = false;

	for (i = 0; i < src->nmap; i++) {
		e = &src->map[i];
		if (!covers(e->base, entry_end(e), addr))
			continue;
		if (e->type != MEMMAP_AVAILABLE)
			return false;
		ram = true;
	}
	for (i = 0; i < src->nexcl; i++) {
		if (covers(src->excl[i].base, src->excl[i].end, addr))
			return false;
	}
	return ram;
}

/*
 * Every start and end of an entry or exclusion, cut down to limit: the
 * places where usable_at() can change its answer.  An exclusion with
 * end < base adds two points but covers nothing, like a zero-length entry.
 */
static size_t collect_points(const struct sources *src, paddr_t limit,
                             paddr_t *pts)
{
	size_t i, n = 0;

	for (i = 0; i < src->nmap; i++) {
		pts[n++] = MIN(src->map[i].base, limit);
		pts[n++] = MIN(entry_end(&src->map[i]), limit);
	}
	for (i = 0; i < src->nexcl; i++) {
		pts[n++] = MIN(src->excl[i].base, limit);
		pts[n++] = MIN(src->excl[i].end, limit);
	}
	return n;
}

/* Sort pts[0..n) and drop duplicates; returns the new count. */
static size_t sort_unique(paddr_t *pts, size_t n)
{
	size_t i, j, out;
	paddr_t v;

	for (i = 1; i < n; i++) {
		v = pts[i];
		for (j = i; j > 0 && pts[j - 1] > v; j--)
			pts[j] = pts[j - 1];
		pts[j] = v;
	}
	for (i = 0, out = 0; i < n; i++) {
		if (out == 0 || pts[out - 1] != pts[i])
			pts[out++] = pts[i];
	}
	return out;
}

/*
 * Append the whole pages of [base, end) to out[].  A run with no whole
 * page in it is dropped.  Returns false if out[] is already full.
 */
static bool emit(struct mem_range *out, size_t cap, size_t *n, paddr_t base,
                 paddr_t end)
{
	base = ROUND_UP(base, PAGE_SIZE);
	end = ROUND_DOWN(end, PAGE_SIZE);
	if (base >= end)
		return true;
	if (*n == cap)
		return false;
	out[*n].base = base;
	out[*n].end = end;
	(*n)++;
	return true;
}

/*
 * Fill out[0..cap) with the usable RAM of map[0..nmap) minus excl[0..nexcl),
 * below maxphys (2^MAXPHYADDR: one past the highest physical address the
 * CPU can reach): page-aligned, sorted, disjoint and never touching.
 * Returns how many ranges were written; *flags says what was left out:
 *
 *  MEMMAP_ENTRIES_IGNORED	nmap > MEMMAP_MAX_ENTRIES: only the first
 *				MEMMAP_MAX_ENTRIES entries were used.  Worth
 *				a warning: a reserved entry may be among the
 *				ignored ones.
 *  MEMMAP_OUT_TRUNCATED	out[] was too small: the cap lowest ranges
 *				are returned, the ones above are lost.
 *  MEMMAP_TOO_MANY_EXCLUDED	nexcl > MEMMAP_MAX_EXCLUDED: returns 0 and
 *				nothing else, because ignoring an exclusion
 *				would hand out memory that is in use.
 *
 * An exclusion with end <= base excludes nothing.
 */
size_t memmap_usable(const struct memmap_entry *map, size_t nmap,
                     const struct mem_range *excl, size_t nexcl,
                     paddr_t maxphys, struct mem_range *out, size_t cap,
                     unsigned *flags)
{
	paddr_t pts[MAX_POINTS];
	struct sources src = { map, nmap, excl, nexcl };
	paddr_t limit;
	size_t npts, i, j, n = 0;

	*flags = 0;
	if (nexcl > MEMMAP_MAX_EXCLUDED) {
		*flags |= MEMMAP_TOO_MANY_EXCLUDED;
		return 0;
	}
	if (nmap > MEMMAP_MAX_ENTRIES) {
		*flags |= MEMMAP_ENTRIES_IGNORED;
		src.nmap = MEMMAP_MAX_ENTRIES;
	}

	limit = ROUND_DOWN(MIN(maxphys, MEMMAP_PADDR_LIMIT), PAGE_SIZE);
	npts = sort_unique(pts, collect_points(&src, limit, pts));

	/* Interval i is [pts[i], pts[i + 1]). */
	for (i = 0; i + 1 < npts; i = j) {
		j = i + 1;
		if (!usable_at(&src, pts[i]))
			continue;
		while (j + 1 < npts && usable_at(&src, pts[j]))
			j++;
		/* [pts[i], pts[j]) is a maximal run of usable bytes. */
		if (!emit(out, cap, &n, pts[i], pts[j])) {
			*flags |= MEMMAP_OUT_TRUNCATED;
			break;
		}
	}
	return n;
}

/* The number of bytes in r[0..n); each range must have end >= base. */
uint64_t memmap_total(const struct mem_range *r, size_t n)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		KASSERT(r[i].base <= r[i].end);
		sum += r[i].end - r[i].base;
	}
	return sum;
}
