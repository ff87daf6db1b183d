/*
 * tests/host/test_memmap.c - unit tests for mm/memmap.c.
 *
 * First one case per rule of memmap_usable().  Then a randomized test
 * compares it with a reference model on 200,000 random maps: the model
 * lives in a window of 32 pages cut into 512-byte units, marks each unit
 * usable or not straight from the rules, and calls a page usable when all
 * of its units are.  Entries and exclusions start and end on unit
 * boundaries, so the model is exact.  The window is moved to 0, across
 * 4 GiB, just under 2^36 and just under MEMMAP_PADDR_LIMIT, so the same
 * model also covers high addresses, clamping and wrap-around.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel/lib/types.h"
#include "mm/memmap.h"
#include "tests/host/test_rng.h"

#define PAGE ((paddr_t)PAGE_SIZE)
#define MAXPHYS36 ((paddr_t)1 << 36)
#define OUT_CAP (MEMMAP_MAX_ENTRIES + MEMMAP_MAX_EXCLUDED + 8)

static struct mem_range out[OUT_CAP];
static unsigned flags;

/* Run memmap_usable() into out[] with room for every possible range. */
static size_t run(const struct memmap_entry *map, size_t nmap,
                  const struct mem_range *excl, size_t nexcl, paddr_t maxphys)
{
	return memmap_usable(map, nmap, excl, nexcl, maxphys, out, OUT_CAP,
	                     &flags);
}

/* out[0..n) must be exactly want[0..nwant), with no flag raised. */
static void assert_ranges(size_t n, const struct mem_range *want, size_t nwant)
{
	size_t i;

	assert_int_equal(flags, 0);
	assert_int_equal(n, nwant);
	for (i = 0; i < n; i++) {
		assert_int_equal(out[i].base, want[i].base);
		assert_int_equal(out[i].end, want[i].end);
	}
}

#define RUN(map, excl, maxphys) \
	run(map, ARRAY_SIZE(map), excl, ARRAY_SIZE(excl), maxphys)
#define RUN_NOEXCL(map, maxphys) run(map, ARRAY_SIZE(map), NULL, 0, maxphys)
#define ASSERT_RANGES(n, want) assert_ranges(n, want, ARRAY_SIZE(want))

static void test_empty_map(void **state)
{
	(void)state;
	assert_int_equal(run(NULL, 0, NULL, 0, MAXPHYS36), 0);
	assert_int_equal(flags, 0);
}

static void test_single_entry(void **state)
{
	static const struct memmap_entry map[] = {
		{ MiB(1), MiB(127), MEMMAP_AVAILABLE },
	};
	static const struct mem_range want[] = { { MiB(1), MiB(128) } };

	(void)state;
	ASSERT_RANGES(RUN_NOEXCL(map, MAXPHYS36), want);
}

static void test_unsorted(void **state)
{
	static const struct memmap_entry map[] = {
		{ MiB(8), MiB(8), MEMMAP_AVAILABLE },
		{ 0x1000, 0x9e000, MEMMAP_AVAILABLE },
		{ MiB(2), MiB(2), MEMMAP_AVAILABLE },
	};
	static const struct mem_range want[] = {
		{ 0x1000, 0x9f000 },
		{ MiB(2), MiB(4) },
		{ MiB(8), MiB(16) },
	};

	(void)state;
	ASSERT_RANGES(RUN_NOEXCL(map, MAXPHYS36), want);
}

static void test_overlapping_usable(void **state)
{
	static const struct memmap_entry map[] = {
		{ MiB(2), MiB(3), MEMMAP_AVAILABLE },
		{ MiB(1), MiB(2), MEMMAP_AVAILABLE },
		{ MiB(4), PAGE, MEMMAP_AVAILABLE },	/* inside */
		{ MiB(1), MiB(2), MEMMAP_AVAILABLE },	/* duplicate */
	};
	static const struct mem_range want[] = { { MiB(1), MiB(5) } };

	(void)state;
	ASSERT_RANGES(RUN_NOEXCL(map, MAXPHYS36), want);
}

/*
 * Two touching pieces are joined before being trimmed to pages: alone,
 * [0x1000, 0x1800) holds no whole page, but together with the piece after
 * it the page at 0x1000 is usable.
 */
static void test_touching_joined_before_trim(void **state)
{
	static const struct memmap_entry map[] = {
		{ 0x1800, 0x1800, MEMMAP_AVAILABLE },
		{ 0x1000, 0x800, MEMMAP_AVAILABLE },
	};
	static const struct mem_range want[] = { { 0x1000, 0x3000 } };

	(void)state;
	ASSERT_RANGES(RUN_NOEXCL(map, MAXPHYS36), want);
}

/* Every type but 1 wins over type 1, whichever comes first. */
static void test_reserved_wins(void **state)
{
	static const uint32_t types[] = {
		MEMMAP_RESERVED,
		MEMMAP_ACPI_RECLAIM,
		MEMMAP_ACPI_NVS,
		MEMMAP_BADRAM,
		0,
		6,
		0xffffffff,
	};
	static const struct mem_range want[] = {
		{ 0, KiB(16) },
		{ KiB(24), KiB(64) },
	};
	struct memmap_entry map[2];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		map[0] = (struct memmap_entry){ 0, KiB(64), MEMMAP_AVAILABLE };
		map[1] = (struct memmap_entry){ KiB(16), KiB(8), types[i] };
		ASSERT_RANGES(RUN_NOEXCL(map, MAXPHYS36), want);
		map[1] = map[0];
		map[0] = (struct memmap_entry){ KiB(16), KiB(8), types[i] };
		ASSERT_RANGES(RUN_NOEXCL(map, MAXPHYS36), want);
	}
}

static void test_reserved_covers_all(void **state)
{
	static const struct memmap_entry map[] = {
		{ 0x1000, 0x1000, MEMMAP_AVAILABLE },
		{ 0, MiB(1), MEMMAP_RESERVED },
	};

	(void)state;
	assert_int_equal(RUN_NOEXCL(map, MAXPHYS36), 0);
	assert_int_equal(flags, 0);
}

/* A reserved byte loses the whole page that holds it. */
static void test_reserved_partial_page(void **state)
{
	static const struct memmap_entry map[] = {
		{ 0, KiB(64), MEMMAP_AVAILABLE },
		{ 0x3100, 0x100, MEMMAP_ACPI_NVS },
		{ 0x8fff, 0x2, MEMMAP_RESERVED },	/* straddles 2 pages */
	};
	static const struct mem_range want[] = {
		{ 0, 0x3000 },
		{ 0x4000, 0x8000 },
		{ 0xa000, KiB(64) },
	};

	(void)state;
	ASSERT_RANGES(RUN_NOEXCL(map, MAXPHYS36), want);
}

static void test_zero_length(void **state)
{
	static const struct memmap_entry alone[] = {
		{ MiB(1), 0, MEMMAP_AVAILABLE },
	};
	static const struct memmap_entry map[] = {
		{ 0, KiB(64), MEMMAP_AVAILABLE },
		{ KiB(32), 0, MEMMAP_RESERVED },
		{ KiB(128), 0, MEMMAP_AVAILABLE },
	};
	static const struct mem_range excl[] = { { KiB(16), KiB(16) } };
	static const struct mem_range want[] = { { 0, KiB(64) } };

	(void)state;
	assert_int_equal(RUN_NOEXCL(alone, MAXPHYS36), 0);
	assert_int_equal(flags, 0);
	ASSERT_RANGES(RUN(map, excl, MAXPHYS36), want);
}

static void test_above_4g(void **state)
{
	static const struct memmap_entry map[] = {
		{ GiB(4), GiB(4), MEMMAP_AVAILABLE },
		{ GiB(3), GiB(1) + PAGE, MEMMAP_AVAILABLE },
	};
	static const struct mem_range want36[] = { { GiB(3), GiB(8) } };
	static const struct mem_range want32[] = { { GiB(3), GiB(4) } };

	(void)state;
	ASSERT_RANGES(RUN_NOEXCL(map, MAXPHYS36), want36);
	/* A CPU with MAXPHYADDR 32 cannot reach the rest. */
	ASSERT_RANGES(RUN_NOEXCL(map, GiB(4)), want32);
}

static void test_maxphys_clamp(void **state)
{
	static const struct memmap_entry map[] = {
		{ GiB(60), GiB(10), MEMMAP_AVAILABLE },
		{ GiB(64), GiB(1), MEMMAP_AVAILABLE },	/* all above */
	};
	static const struct mem_range want[] = { { GiB(60), GiB(64) } };

	(void)state;
	ASSERT_RANGES(RUN_NOEXCL(map, MAXPHYS36), want);
	/* maxphys is rounded down to a page. */
	ASSERT_RANGES(RUN_NOEXCL(map, MAXPHYS36 + 0x800), want);
	assert_int_equal(RUN_NOEXCL(map, 0), 0);
	assert_int_equal(RUN_NOEXCL(map, GiB(60) + 0xfff), 0);
}

/* Whatever maxphys says, every frame number must fit a pfn_t. */
static void test_pfn_limit(void **state)
{
	static const struct memmap_entry map[] = {
		{ MEMMAP_PADDR_LIMIT - 2 * PAGE, 4 * PAGE, MEMMAP_AVAILABLE },
	};
	static const struct mem_range want[] = {
		{ MEMMAP_PADDR_LIMIT - 2 * PAGE, MEMMAP_PADDR_LIMIT },
	};

	(void)state;
	ASSERT_RANGES(RUN_NOEXCL(map, (paddr_t)1 << 52), want);
	assert_int_equal(out[0].end >> PAGE_SHIFT, UINT32_MAX);
}

static void test_overflow(void **state)
{
	static const struct memmap_entry to_top[] = {
		{ MiB(1), UINT64_MAX, MEMMAP_AVAILABLE },
	};
	static const struct memmap_entry wraps_high[] = {
		{ UINT64_MAX - 0xfff, 0x2000, MEMMAP_AVAILABLE },
		{ UINT64_MAX, UINT64_MAX, MEMMAP_AVAILABLE },
	};
	static const struct memmap_entry reserved_wraps[] = {
		{ 0, MiB(16), MEMMAP_AVAILABLE },
		{ MiB(8), UINT64_MAX, MEMMAP_RESERVED },
	};
	static const struct mem_range want_top[] = { { MiB(1), MAXPHYS36 } };
	static const struct mem_range want_low[] = { { 0, MiB(8) } };

	(void)state;
	ASSERT_RANGES(RUN_NOEXCL(to_top, MAXPHYS36), want_top);
	assert_int_equal(RUN_NOEXCL(wraps_high, MAXPHYS36), 0);
	assert_int_equal(RUN_NOEXCL(wraps_high, UINT64_MAX), 0);
	ASSERT_RANGES(RUN_NOEXCL(reserved_wraps, MAXPHYS36), want_low);
}

static void test_exclusions_split(void **state)
{
	static const struct memmap_entry map[] = {
		{ 0, MiB(16), MEMMAP_AVAILABLE },
	};
	static const struct mem_range excl[] = {
		{ MiB(4) + 0x10, MiB(4) + 0x2000 },	/* a module */
		{ 0, MiB(1) },				/* BIOS area */
		{ MiB(1), MiB(1) + 0x5123 },		/* kernel image */
		{ MiB(8), MiB(2) },			/* inverted: nothing */
	};
	static const struct mem_range want[] = {
		{ MiB(1) + 0x6000, MiB(4) },
		{ MiB(4) + 0x2000, MiB(16) },
	};

	(void)state;
	ASSERT_RANGES(RUN(map, excl, MAXPHYS36), want);
}

static void test_page_alignment(void **state)
{
	static const struct memmap_entry map[] = {
		{ 0x1001, 0x4ffe, MEMMAP_AVAILABLE },	/* to 0x5fff */
		{ 0x10001, 0xffe, MEMMAP_AVAILABLE },	/* no whole page */
		{ 0x20000, 0x1000, MEMMAP_AVAILABLE },	/* one page */
	};
	static const struct mem_range want[] = {
		{ 0x2000, 0x5000 },
		{ 0x20000, 0x21000 },
	};

	(void)state;
	ASSERT_RANGES(RUN_NOEXCL(map, MAXPHYS36), want);
}

/* A full out[] keeps the lowest ranges and says so. */
static void test_truncation(void **state)
{
	static const struct memmap_entry map[] = {
		{ 8 * PAGE, PAGE, MEMMAP_AVAILABLE },
		{ 0, PAGE, MEMMAP_AVAILABLE },
		{ 6 * PAGE, PAGE, MEMMAP_AVAILABLE },
		{ 2 * PAGE, PAGE, MEMMAP_AVAILABLE },
		{ 4 * PAGE, PAGE, MEMMAP_AVAILABLE },
		/* This one has no whole page. */
		{ 10 * PAGE + 1, PAGE, MEMMAP_AVAILABLE },
	};
	struct mem_range small[5];
	unsigned f;

	(void)state;
	assert_int_equal(memmap_usable(map, ARRAY_SIZE(map), NULL, 0, MAXPHYS36,
	                               small, 3, &f),
	                 3);
	assert_int_equal(f, MEMMAP_OUT_TRUNCATED);
	assert_int_equal(small[0].base, 0);
	assert_int_equal(small[1].base, 2 * PAGE);
	assert_int_equal(small[2].base, 4 * PAGE);
	assert_int_equal(small[2].end, 5 * PAGE);

	/* Exactly enough room, the fragment left over is no range. */
	assert_int_equal(memmap_usable(map, ARRAY_SIZE(map), NULL, 0, MAXPHYS36,
	                               small, 5, &f),
	                 5);
	assert_int_equal(f, 0);
	assert_int_equal(small[4].base, 8 * PAGE);

	assert_int_equal(memmap_usable(map, ARRAY_SIZE(map), NULL, 0, MAXPHYS36,
	                               NULL, 0, &f),
	                 0);
	assert_int_equal(f, MEMMAP_OUT_TRUNCATED);
}

/* Entries past MEMMAP_MAX_ENTRIES are ignored, reserved ones too. */
static void test_too_many_entries(void **state)
{
	struct memmap_entry map[MEMMAP_MAX_ENTRIES + 2];
	size_t i, n;

	(void)state;
	for (i = 0; i < MEMMAP_MAX_ENTRIES; i++)
		map[i] = (struct memmap_entry){ 2 * i * PAGE, PAGE,
			                        MEMMAP_AVAILABLE };
	map[i++] = (struct memmap_entry){ MiB(16), PAGE, MEMMAP_AVAILABLE };
	map[i++] = (struct memmap_entry){ 0, PAGE, MEMMAP_RESERVED };

	n = run(map, ARRAY_SIZE(map), NULL, 0, MAXPHYS36);
	assert_int_equal(flags, MEMMAP_ENTRIES_IGNORED);
	assert_int_equal(n, MEMMAP_MAX_ENTRIES);
	assert_int_equal(out[0].base, 0);
	assert_int_equal(out[n - 1].base, 2 * (MEMMAP_MAX_ENTRIES - 1) * PAGE);
}

/* Too many exclusions: nothing, since one ignored could be in use. */
static void test_too_many_excluded(void **state)
{
	static const struct memmap_entry map[] = {
		{ 0, MiB(64), MEMMAP_AVAILABLE },
	};
	struct mem_range excl[MEMMAP_MAX_EXCLUDED + 1];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(excl); i++)
		excl[i] = (struct mem_range){ MiB(i), MiB(i) + PAGE };
	assert_int_equal(RUN(map, excl, MAXPHYS36), 0);
	assert_int_equal(flags, MEMMAP_TOO_MANY_EXCLUDED);

	assert_int_equal(run(map, 1, excl, MEMMAP_MAX_EXCLUDED, MAXPHYS36),
	                 MEMMAP_MAX_EXCLUDED);
	assert_int_equal(flags, 0);
	assert_int_equal(out[0].base, PAGE);
	assert_int_equal(out[MEMMAP_MAX_EXCLUDED - 1].end, MiB(64));
}

/* The largest input: every boundary distinct, all 320 points in use. */
static void test_full_input(void **state)
{
	struct memmap_entry map[MEMMAP_MAX_ENTRIES];
	struct mem_range excl[MEMMAP_MAX_EXCLUDED];
	size_t i, n;

	(void)state;
	for (i = 0; i < MEMMAP_MAX_ENTRIES; i++) {
		map[i] =
		    (struct memmap_entry){ (MEMMAP_MAX_ENTRIES - i) * 8 * PAGE,
			                   4 * PAGE, MEMMAP_AVAILABLE };
	}
	for (i = 0; i < MEMMAP_MAX_EXCLUDED; i++) {
		excl[i] = (struct mem_range){ (i + 1) * 8 * PAGE + PAGE,
			                      (i + 1) * 8 * PAGE + 2 * PAGE };
	}
	n = RUN(map, excl, MAXPHYS36);
	assert_int_equal(flags, 0);
	assert_int_equal(n, MEMMAP_MAX_ENTRIES + MEMMAP_MAX_EXCLUDED);
	assert_int_equal(memmap_total(out, n),
	                 (4 * MEMMAP_MAX_ENTRIES - MEMMAP_MAX_EXCLUDED) * PAGE);
	assert_int_equal(out[0].base, 8 * PAGE);
	assert_int_equal(out[0].end, 9 * PAGE);
	assert_int_equal(out[1].base, 10 * PAGE);
}

static void test_total(void **state)
{
	static const struct mem_range r[] = {
		{ 0, PAGE },
		{ MiB(1), MiB(3) },
		{ GiB(4), GiB(6) },
	};

	(void)state;
	assert_int_equal(memmap_total(r, 0), 0);
	assert_int_equal(memmap_total(r, ARRAY_SIZE(r)),
	                 PAGE + MiB(2) + GiB(2));
}

/* ------------------------------------------------------------ random */

#define UNIT 512u
#define UNITS_PER_PAGE (PAGE_SIZE / UNIT)
#define WPAGES 32
#define WUNITS (WPAGES * UNITS_PER_PAGE)
#define WBYTES ((paddr_t)WUNITS * UNIT)
#define RANDOM_MAPS 200000
#define RANDOM_ENTRIES 12
#define RANDOM_EXCL 3

/* Where the window of the model sits in physical memory. */
static const paddr_t windows[] = {
	0, GiB(4) - WBYTES / 2, MAXPHYS36 - WBYTES,
	MEMMAP_PADDR_LIMIT - WBYTES,	/* maxphys may lie beyond this one */
};

struct random_case {
	paddr_t win;
	paddr_t maxphys;
	struct memmap_entry map[RANDOM_ENTRIES];
	size_t nmap;
	struct mem_range excl[RANDOM_EXCL];
	size_t nexcl;
	size_t cap;
};

static void random_entry(struct random_case *c, struct memmap_entry *e)
{
	static const uint32_t other[] = { 2, 3, 4, 5, 0, 7, 0xffffffff };
	uint32_t ubase = rng_below(WUNITS + 16);

	e->base = c->win + (paddr_t)ubase * UNIT;
	if (rng_below(16) == 0)
		e->len = UINT64_MAX - rng_below(1u << 20);	/* may wrap */
	else if (rng_below(16) == 0)
		e->len = 0;
	else
		e->len = (uint64_t)(1 + rng_below(WUNITS / 4)) * UNIT;
	e->type = rng_below(10) < 7 ? MEMMAP_AVAILABLE
	                            : other[rng_below(ARRAY_SIZE(other))];
}

static void random_case(struct random_case *c)
{
	size_t i;

	c->win = windows[rng_below(ARRAY_SIZE(windows))];
	c->nmap = rng_below(RANDOM_ENTRIES + 1);
	for (i = 0; i < c->nmap; i++)
		random_entry(c, &c->map[i]);
	c->nexcl = rng_below(RANDOM_EXCL + 1);
	for (i = 0; i < c->nexcl; i++) {
		/* Either order: an inverted exclusion excludes nothing. */
		c->excl[i].base = c->win + (paddr_t)rng_below(WUNITS) * UNIT;
		c->excl[i].end = c->win + (paddr_t)rng_below(WUNITS) * UNIT;
	}
	if (c->win == windows[ARRAY_SIZE(windows) - 1] && rng_below(4) == 0)
		c->maxphys = (paddr_t)1 << 52;
	else if (rng_below(2) == 0)
		c->maxphys = c->win + WBYTES;
	else
		c->maxphys = c->win + (paddr_t)rng_below(WUNITS + 1) * UNIT;
	c->cap = rng_below(8) == 0 ? rng_below(4) : OUT_CAP;
}

/* The unit of the window at addr, clamped to [0, WUNITS]. */
static uint32_t to_unit(const struct random_case *c, uint64_t addr)
{
	if (addr <= c->win)
		return 0;
	if (addr - c->win >= WBYTES)
		return WUNITS;
	return (uint32_t)((addr - c->win) / UNIT);
}

static uint64_t end_of(const struct memmap_entry *e)
{
	return e->len > UINT64_MAX - e->base ? UINT64_MAX : e->base + e->len;
}

/*
 * The model: the usable pages of the window straight from the rules,
 * written to want[] as maximal runs.  Returns the number of runs.
 */
static size_t model(const struct random_case *c, struct mem_range *want)
{
	bool ram[WUNITS] = { false }, bad[WUNITS] = { false }, usable[WUNITS];
	uint32_t u, lo, hi, pg, first, limit;
	size_t i, n = 0;
	bool ok, in_run = false;

	for (i = 0; i < c->nmap; i++) {
		lo = to_unit(c, c->map[i].base);
		hi = to_unit(c, end_of(&c->map[i]));
		for (u = lo; u < hi; u++) {
			if (c->map[i].type == MEMMAP_AVAILABLE)
				ram[u] = true;
			else
				bad[u] = true;
		}
	}
	for (i = 0; i < c->nexcl; i++) {
		lo = to_unit(c, c->excl[i].base);
		hi = to_unit(c, c->excl[i].end);
		for (u = lo; u < hi; u++)
			bad[u] = true;
	}
	limit = to_unit(c, MIN(c->maxphys, MEMMAP_PADDR_LIMIT));
	for (u = 0; u < WUNITS; u++)
		usable[u] = ram[u] && !bad[u] && u < limit;

	for (pg = 0; pg < WPAGES; pg++) {
		ok = true;
		first = pg * UNITS_PER_PAGE;
		for (u = first; u < first + UNITS_PER_PAGE; u++)
			ok = ok && usable[u];
		if (ok && in_run) {
			want[n - 1].end += PAGE;
		} else if (ok) {
			want[n].base = c->win + pg * PAGE;
			want[n].end = want[n].base + PAGE;
			n++;
		}
		in_run = ok;
	}
	return n;
}

/* Do [b1, e1) and [b2, e2) share a byte?  An inverted range is empty. */
static bool overlaps(uint64_t b1, uint64_t e1, uint64_t b2, uint64_t e2)
{
	return MAX(b1, b2) < MIN(e1, e2);
}

/*
 * The invariants, checked from the inputs alone: sorted, apart, aligned,
 * below maxphys, clear of every reserved entry and exclusion.
 */
static bool invariants_hold(const struct random_case *c,
                            const struct mem_range *r, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (r[i].base >= r[i].end || r[i].base % PAGE ||
		    r[i].end % PAGE || r[i].end > c->maxphys)
			return false;
		if (i > 0 && r[i].base <= r[i - 1].end)
			return false;
		for (j = 0; j < c->nmap; j++) {
			if (c->map[j].type != MEMMAP_AVAILABLE &&
			    overlaps(r[i].base, r[i].end, c->map[j].base,
			             end_of(&c->map[j])))
				return false;
		}
		for (j = 0; j < c->nexcl; j++) {
			if (overlaps(r[i].base, r[i].end, c->excl[j].base,
			             c->excl[j].end))
				return false;
		}
	}
	return true;
}

static void dump_ranges(const char *what, const struct mem_range *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		print_message("  %s [%#llx, %#llx)\n", what,
		              (unsigned long long)r[i].base,
		              (unsigned long long)r[i].end);
}

static void dump_case(const struct random_case *c, long iter, size_t n,
                      const struct mem_range *want, size_t nwant)
{
	size_t i;

	print_message("map %ld: window %#llx maxphys %#llx cap %zu\n", iter,
	              (unsigned long long)c->win,
	              (unsigned long long)c->maxphys, c->cap);
	for (i = 0; i < c->nmap; i++)
		print_message("  entry %#llx +%#llx type %u\n",
		              (unsigned long long)c->map[i].base,
		              (unsigned long long)c->map[i].len,
		              c->map[i].type);
	dump_ranges("excl", c->excl, c->nexcl);
	dump_ranges("got", out, n);
	dump_ranges("model", want, nwant);
}

static void test_random_against_model(void **state)
{
	struct random_case c;
	struct mem_range want[WPAGES];
	size_t n, nwant, i;
	unsigned f;
	bool ok;
	long iter;

	(void)state;
	rng_seed(0x2545f4914f6cdd1dULL);	/* the same maps every run */
	for (iter = 0; iter < RANDOM_MAPS; iter++) {
		random_case(&c);
		n = memmap_usable(c.map, c.nmap, c.excl, c.nexcl, c.maxphys,
		                  out, c.cap, &f);
		nwant = model(&c, want);

		ok = n == MIN(nwant, c.cap) && invariants_hold(&c, out, n) &&
		     f == (nwant > c.cap ? MEMMAP_OUT_TRUNCATED : 0u);
		for (i = 0; ok && i < n; i++)
			ok = out[i].base == want[i].base &&
			     out[i].end == want[i].end;
		if (!ok) {
			dump_case(&c, iter, n, want, nwant);
			fail_msg("memmap_usable() disagrees with the model");
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_map),
		cmocka_unit_test(test_single_entry),
		cmocka_unit_test(test_unsorted),
		cmocka_unit_test(test_overlapping_usable),
		cmocka_unit_test(test_touching_joined_before_trim),
		cmocka_unit_test(test_reserved_wins),
		cmocka_unit_test(test_reserved_covers_all),
		cmocka_unit_test(test_reserved_partial_page),
		cmocka_unit_test(test_zero_length),
		cmocka_unit_test(test_above_4g),
		cmocka_unit_test(test_maxphys_clamp),
		cmocka_unit_test(test_pfn_limit),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_exclusions_split),
		cmocka_unit_test(test_page_alignment),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_too_many_entries),
		cmocka_unit_test(test_too_many_excluded),
		cmocka_unit_test(test_full_input),
		cmocka_unit_test(test_total),
		cmocka_unit_test(test_random_against_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
