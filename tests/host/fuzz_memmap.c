/*
 * tests/host/fuzz_memmap.c - libFuzzer harness for mm/memmap.c.
 *
 * Build and run for 60 seconds (from the top of the tree):
 *
 *   mkdir -p build/host/fuzz_memmap.corpus
 *   clang-14 -std=gnu11 -g -O1 -I. -fsanitize=fuzzer,address,undefined \
 *       -fno-sanitize-recover=all -o build/host/fuzz_memmap \
 *       tests/host/fuzz_memmap.c mm/memmap.c
 *   build/host/fuzz_memmap -max_total_time=60 build/host/fuzz_memmap.corpus
 *
 * The input bytes are decoded into a memory map, exclusions, maxphys and
 * an output capacity.  Addresses are either raw 64-bit values (to reach
 * overflow and huge addresses) or small multiples of 1 KiB (so entries
 * actually meet), chosen per entry by a tag byte.  The result is checked
 * against the inputs alone: sorted, apart, page-aligned, below maxphys,
 * inside type 1 entries, clear of everything else, and the same as a run
 * with room for every range up to the truncation point.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/lib/kassert.h"
#include "kernel/lib/types.h"
#include "mm/memmap.h"

/* Above the maximum of both, so that the refusal paths are reached. */
#define FUZZ_MAX_ENTRIES (MEMMAP_MAX_ENTRIES + 8)
#define FUZZ_MAX_EXCLUDED (MEMMAP_MAX_EXCLUDED + 8)
/* More than the elementary intervals of the largest input. */
#define FULL_CAP (2 * (MEMMAP_MAX_ENTRIES + MEMMAP_MAX_EXCLUDED))

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "check failed: %s (line %d)\n", #cond, \
			        __LINE__);                                     \
			abort();                                               \
		}                                                              \
	} while (0)

/* memmap.c's KASSERT lands here: a crash libFuzzer reports. */
void kassert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "KASSERT(%s) failed at %s:%d\n", expr, file, line);
	abort();
}

struct input {
	const uint8_t *p;
	size_t n;
};

/* The next nbytes bytes, little-endian; zeros once the input runs out. */
static uint64_t take(struct input *in, size_t nbytes)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < nbytes && in->n > 0; i++, in->p++, in->n--)
		v |= (uint64_t)*in->p << (8 * i);
	return v;
}

/* A raw 64-bit address, or a small one, as the tag bit says. */
static uint64_t take_addr(struct input *in, bool small)
{
	return small ? take(in, 2) * KiB(1) : take(in, 8);
}

static uint64_t end_of(const struct memmap_entry *e)
{
	return e->len > UINT64_MAX - e->base ? UINT64_MAX : e->base + e->len;
}

static bool overlaps(uint64_t b1, uint64_t e1, uint64_t b2, uint64_t e2)
{
	return MAX(b1, b2) < MIN(e1, e2);
}

/* Is all of [base, end) inside the union of the type 1 entries? */
static bool all_ram(const struct memmap_entry *map, size_t nmap, paddr_t base,
                    paddr_t end)
{
	paddr_t at = base, reach;
	size_t i;

	while (at < end) {
		reach = at;
		for (i = 0; i < nmap; i++) {
			if (map[i].type == MEMMAP_AVAILABLE &&
			    map[i].base <= at && at < end_of(&map[i]))
				reach = MAX(reach, end_of(&map[i]));
		}
		if (reach == at)
			return false;
		at = reach;
	}
	return true;
}

static void check_ranges(const struct memmap_entry *map, size_t nmap,
                         const struct mem_range *excl, size_t nexcl,
                         paddr_t maxphys, const struct mem_range *r, size_t n)
{
	uint64_t sum = 0;
	size_t i, j;

	for (i = 0; i < n; i++) {
		CHECK(r[i].base < r[i].end);
		CHECK(r[i].base % PAGE_SIZE == 0 && r[i].end % PAGE_SIZE == 0);
		CHECK(r[i].end <= maxphys && r[i].end <= MEMMAP_PADDR_LIMIT);
		CHECK(i == 0 || r[i - 1].end < r[i].base);
		CHECK(all_ram(map, nmap, r[i].base, r[i].end));
		for (j = 0; j < nmap; j++) {
			CHECK(map[j].type == MEMMAP_AVAILABLE ||
			      !overlaps(r[i].base, r[i].end, map[j].base,
			                end_of(&map[j])));
		}
		for (j = 0; j < nexcl; j++) {
			CHECK(!overlaps(r[i].base, r[i].end, excl[j].base,
			                excl[j].end));
		}
		sum += r[i].end - r[i].base;
	}
	CHECK(memmap_total(r, n) == sum);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memmap_entry map[FUZZ_MAX_ENTRIES];
	struct mem_range excl[FUZZ_MAX_EXCLUDED];
	struct mem_range out[FULL_CAP], full[FULL_CAP];
	struct input in = { data, size };
	size_t nmap, nexcl, cap, n, nfull, i;
	unsigned tag, flags, fflags, shift;
	paddr_t maxphys;

	nmap = take(&in, 1) % (FUZZ_MAX_ENTRIES + 1);
	nexcl = take(&in, 1) % (FUZZ_MAX_EXCLUDED + 1);
	shift = take(&in, 1) % 65;
	maxphys = shift == 64 ? UINT64_MAX
	                      : ((paddr_t)1 << shift) - take(&in, 2) * 0x200;
	cap = take(&in, 2) % (FULL_CAP + 1);
	for (i = 0; i < nmap; i++) {
		tag = take(&in, 1);
		map[i].base = take_addr(&in, tag & 1);
		map[i].len = take_addr(&in, tag & 2);
		map[i].type = tag >> 4;
	}
	for (i = 0; i < nexcl; i++) {
		tag = take(&in, 1);
		excl[i].base = take_addr(&in, tag & 1);
		excl[i].end = take_addr(&in, tag & 2);
	}

	n = memmap_usable(map, nmap, excl, nexcl, maxphys, out, cap, &flags);
	nfull = memmap_usable(map, nmap, excl, nexcl, maxphys, full, FULL_CAP,
	                      &fflags);

	if (nexcl > MEMMAP_MAX_EXCLUDED) {
		CHECK(n == 0 && flags == MEMMAP_TOO_MANY_EXCLUDED);
		CHECK(nfull == 0 && fflags == MEMMAP_TOO_MANY_EXCLUDED);
		return 0;
	}
	CHECK((fflags & MEMMAP_OUT_TRUNCATED) == 0);
	CHECK(fflags ==
	      (nmap > MEMMAP_MAX_ENTRIES ? MEMMAP_ENTRIES_IGNORED : 0u));
	CHECK(flags == (fflags | (nfull > cap ? MEMMAP_OUT_TRUNCATED : 0u)));
	CHECK(n == MIN(nfull, cap));
	for (i = 0; i < n; i++)
		CHECK(out[i].base == full[i].base && out[i].end == full[i].end);
	check_ranges(map, MIN(nmap, MEMMAP_MAX_ENTRIES), excl, nexcl, maxphys,
	             full, nfull);
	return 0;
}
