/*
 * tests/host/test_kva.c - unit tests for mm/kva.c, the sizing of the
 * kernel's 1 GiB of virtual address space.
 *
 * check_layout() states every property the rest of the kernel relies on:
 * the regions tile [KERNBASE, 0xffffffff] in the order of enum
 * kva_region_id, on 2 MiB boundaries, with the sizes the formula at the
 * top of mm/kva.c gives, and kmem_map never bigger than a quarter of RAM.
 * It runs after every kva_tune() here: hand-computed machines first, then
 * sweeps over RAM sizes (16 MiB to 64 GiB, with and without holes below
 * the top of RAM) and over kmem_map= requests; then kmem_design=2003's
 * FreeBSD 5 sizing, which may not fit at all.
 *
 * On the host vaddr_t is 64 bits wide; the layout must still be the i386
 * one, ending at 0xffffffff.  kva_tune() reports a refused request with
 * kprintf(), which the host sends to stdout: tune() captures it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "mm/kva.h"

#define TOP_VA ((vaddr_t)0xffffffffu)
#define FIXED MiB(12)	/* 3 guards, the top guard, kmap, kmap_atomic */

/* --------------------------------------------------------- the reference */

static uint64_t up2m(uint64_t v)
{
	return (v + KVA_ALIGN - 1) / KVA_ALIGN * KVA_ALIGN;
}

static uint64_t down2m(uint64_t v)
{
	return v / KVA_ALIGN * KVA_ALIGN;
}

static uint64_t clamp(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* kmem_map = clamp(RAM / 16, 2 MiB, 64 MiB), rounded down to 2 MiB. */
static uint64_t ref_kmem_auto(uint64_t ram)
{
	return clamp(down2m(ram / 16), KMEM_MAP_MIN, KMEM_MAP_AUTO_MAX);
}

/*
 * The largest kmem_map= accepted: min(RAM / 4, 256 MiB), rounded down so
 * that rounding the request up can never pass RAM / 4.  Below 8 MiB of
 * RAM that is less than the 2 MiB minimum: no request is accepted.
 */
static uint64_t ref_kmem_limit(uint64_t ram)
{
	uint64_t quarter = down2m(ram / 4);

	return quarter > KMEM_MAP_OVERRIDE_MAX ? KMEM_MAP_OVERRIDE_MAX
	                                       : quarter;
}

/* kernel_map = clamp(min(RAM, 1 GiB) / 4, 64 MiB, 256 MiB). */
static uint64_t ref_kernel_map(uint64_t ram)
{
	uint64_t r = ram < KVA_SPAN ? ram : KVA_SPAN;

	return clamp(up2m(r / 4), KERNEL_MAP_MIN, KERNEL_MAP_MAX);
}

static bool ref_refused(uint64_t ram, uint64_t request)
{
	return request != 0 &&
	       (request < KMEM_MAP_MIN || request > ref_kmem_limit(ram));
}

/* ------------------------------------------------------ running kva_tune */

static int capture_fd = -1;	/* a temporary file, stdout during tune() */
static char printed[4096];	/* what the last tune() printed */

static int open_capture(void **state)
{
	FILE *f = tmpfile();

	(void)state;
	if (f == NULL)
		return -1;
	capture_fd = dup(fileno(f));
	fclose(f);
	return capture_fd >= 0 ? 0 : -1;
}

static int close_capture(void **state)
{
	(void)state;
	close(capture_fd);
	return 0;
}

/*
 * kva_tune() with stdout captured into printed[].  A request of 0 stands
 * for none (the automatic size); kmem_map=0 itself has its own test.
 */
static struct kva_sizes tune_params(const struct kva_params *params)
{
	struct kva_params p = *params;
	struct kva_sizes s;
	int saved;
	ssize_t len;

	fflush(stdout);
	assert_int_equal(ftruncate(capture_fd, 0), 0);
	assert_int_equal(lseek(capture_fd, 0, SEEK_SET), 0);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(capture_fd, STDOUT_FILENO) >= 0);
	s = kva_tune(&p);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	len = pread(capture_fd, printed, sizeof(printed) - 1, 0);
	printed[len > 0 ? len : 0] = '\0';
	return s;
}

static struct kva_sizes tune(uint64_t ram, uint64_t phys_top, uint64_t request)
{
	struct kva_params p = { ram, phys_top, request != 0, request, false };

	return tune_params(&p);
}

static uint64_t region_size(enum kva_region_id id)
{
	return (uint64_t)kva_layout[id].end - kva_layout[id].start;
}

/* Every property of the layout kva_tune(ram, top, request) produced. */
static void check_layout(uint64_t ram, uint64_t top, uint64_t request,
                         struct kva_sizes s)
{
	uint64_t direct_max;
	int i;

	/* The regions tile the quarter, in enum order, from KERNBASE. */
	assert_int_equal(kva_layout[KVA_DIRECT].start, KERNBASE);
	for (i = 0; i < KVA_NREGIONS; i++) {
		const struct kva_region *r = &kva_layout[i];

		assert_true(r->start < r->end);
		assert_true(r->end <= TOP_VA);
		assert_int_equal(r->start % KVA_ALIGN, 0);
		if (i != KVA_GUARD_TOP)
			assert_int_equal(r->end % KVA_ALIGN, 0);
		if (i + 1 < KVA_NREGIONS)
			assert_int_equal(r->end, kva_layout[i + 1].start);
	}
	/* The top guard is the last 2 MiB; its end is inclusive. */
	assert_int_equal(kva_layout[KVA_GUARD_TOP].start, 0xffe00000u);
	assert_int_equal(kva_layout[KVA_GUARD_TOP].end, TOP_VA);

	/* The fixed pieces. */
	assert_int_equal(region_size(KVA_GUARD_LOW), KVA_GUARD_SIZE);
	assert_int_equal(region_size(KVA_GUARD_MID), KVA_GUARD_SIZE);
	assert_true(region_size(KVA_GUARD_HIGH) >= KVA_GUARD_SIZE);
	assert_int_equal(region_size(KVA_KMAP), KVA_KMAP_SIZE);
	assert_int_equal(region_size(KVA_KMAP_ATOMIC), KVA_KMAP_ATOMIC_SIZE);

	/* The returned sizes are the regions'. */
	assert_int_equal(region_size(KVA_DIRECT), s.direct);
	assert_int_equal(region_size(KVA_KMEM_MAP), s.kmem_map);
	assert_int_equal(region_size(KVA_KERNEL_MAP), s.kernel_map);

	/* kmem_map: the automatic size, or the accepted request rounded up. */
	assert_int_equal(s.override_rejected, ref_refused(ram, request));
	if (request == 0 || s.override_rejected)
		assert_int_equal(s.kmem_map, ref_kmem_auto(ram));
	else
		assert_int_equal(s.kmem_map, up2m(request));
	/* What backs kmem_map must exist. */
	if (ram >= MiB(8))
		assert_true(s.kmem_map <= ram / 4);

	assert_int_equal(s.kernel_map, ref_kernel_map(ram));

	/* direct = min(top of RAM, what is left), but at least 16 MiB. */
	direct_max = KVA_SPAN - FIXED - s.kmem_map - s.kernel_map;
	assert_true(s.direct >= DIRECT_MAP_MIN);
	assert_true(s.direct <= direct_max);
	if (up2m(top) <= direct_max)
		assert_int_equal(s.direct, up2m(top) > DIRECT_MAP_MIN
		                               ? up2m(top)
		                               : DIRECT_MAP_MIN);
	else
		assert_int_equal(s.direct, direct_max);
}

static struct kva_sizes tune_and_check(uint64_t ram, uint64_t phys_top,
                                       uint64_t request)
{
	struct kva_sizes s = tune(ram, phys_top, request);

	check_layout(ram, phys_top, request, s);
	return s;
}

/* ------------------------------------------------------ known machines */

struct machine {
	uint64_t ram, top;
	uint64_t direct, kmem_map, kernel_map;	/* worked out by hand */
};

/* Sizes computed by hand from the formula, for the machines people boot. */
static void test_known_machines(void **state)
{
	static const struct machine m[] = {
		{ MiB(16), MiB(16), MiB(16), MiB(2), MiB(64) },
		{ MiB(32), MiB(32), MiB(32), MiB(2), MiB(64) },
		{ MiB(100), MiB(100), MiB(100), MiB(6), MiB(64) },
		{ MiB(128), MiB(128), MiB(128), MiB(8), MiB(64) },
		{ MiB(256), MiB(256), MiB(256), MiB(16), MiB(64) },
		{ MiB(512), MiB(512), MiB(512), MiB(32), MiB(128) },
		{ MiB(768), MiB(768), MiB(768), MiB(48), MiB(192) },
		/* From here the direct map is what the others leave. */
		{ MiB(900), MiB(900), MiB(730), MiB(56), MiB(226) },
		{ GiB(1), GiB(1), MiB(692), MiB(64), MiB(256) },
		{ GiB(4), GiB(4), MiB(692), MiB(64), MiB(256) },
		{ GiB(64), GiB(64), MiB(692), MiB(64), MiB(256) },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(m); i++) {
		struct kva_sizes s = tune_and_check(m[i].ram, m[i].top, 0);

		assert_int_equal(s.direct, m[i].direct);
		assert_int_equal(s.kmem_map, m[i].kmem_map);
		assert_int_equal(s.kernel_map, m[i].kernel_map);
		assert_false(s.override_rejected);
	}
}

/* With 1 GiB or more, every byte of the quarter is used: the direct map
 * ends where the minimum high guard begins. */
static void test_big_machine_uses_whole_quarter(void **state)
{
	(void)state;
	tune_and_check(GiB(8), GiB(8), 0);
	assert_int_equal(region_size(KVA_GUARD_HIGH), KVA_GUARD_SIZE);
}

/* With little RAM, the unused VA becomes part of the high guard. */
static void test_small_machine_leaves_va_in_high_guard(void **state)
{
	(void)state;
	tune_and_check(MiB(128), MiB(128), 0);
	/* 1 GiB - direct - kmem_map - kernel_map - the five 2 MiB pieces. */
	assert_int_equal(region_size(KVA_GUARD_HIGH),
	                 MiB(1024 - 128 - 8 - 64 - 5 * 2));
}

/* The direct map is never below 16 MiB: the kernel image lives in it. */
static void test_tiny_ram_gets_minimum_direct_map(void **state)
{
	struct kva_sizes s;

	(void)state;
	s = tune_and_check(MiB(8), MiB(8), 0);
	assert_int_equal(s.direct, DIRECT_MAP_MIN);
	assert_int_equal(s.kmem_map, KMEM_MAP_MIN);
}

/* The direct map covers physical addresses, so it follows the top of RAM. */
static void test_hole_below_top_direct_map_reaches_top(void **state)
{
	struct kva_sizes s;

	(void)state;
	s = tune_and_check(MiB(100), MiB(200), 0);
	assert_int_equal(s.direct, MiB(200));
	/* The other sizes still come from the amount of RAM. */
	assert_int_equal(s.kmem_map, MiB(6));
	assert_int_equal(s.kernel_map, MiB(64));
}

/* 16 GiB of RAM with a 1 GiB PCI hole: the top is at 17 GiB. */
static void test_hole_above_4g_capped(void **state)
{
	struct kva_sizes s;

	(void)state;
	s = tune_and_check(GiB(16), GiB(17), 0);
	assert_int_equal(s.direct, MiB(692));
}

/* A top of RAM that is not on 2 MiB is rounded up: a table maps 2 MiB. */
static void test_unaligned_top_rounded_up(void **state)
{
	struct kva_sizes s;

	(void)state;
	s = tune_and_check(MiB(127) + KiB(252), MiB(127) + KiB(892), 0);
	assert_int_equal(s.direct, MiB(128));
}

/* The formula, and every property, for each RAM size and hole. */
static void test_sweep_ram_sizes(void **state)
{
	uint64_t ram;

	(void)state;
	/* Every MiB up to 2 GiB, where all three sizes change... */
	for (ram = MiB(16); ram <= GiB(2); ram += MiB(1)) {
		tune_and_check(ram, ram, 0);
		tune_and_check(ram - KiB(4), ram - KiB(4), 0);
		/* ...with the hole below 1 MiB... */
		tune_and_check(ram - KiB(384), ram, 0);
		/* ...and with a PCI hole below 4 GiB. */
		tune_and_check(ram, ram + GiB(1), 0);
	}
	/* Then in big steps to 64 GiB, with and without holes. */
	for (ram = GiB(2); ram <= GiB(64); ram += MiB(256)) {
		tune_and_check(ram, ram, 0);
		tune_and_check(ram, ram + GiB(1), 0);
		tune_and_check(ram - KiB(640), ram + MiB(512) + KiB(4), 0);
	}
}

/* ------------------------------------------------------ kmem_design=2003 */

/*
 * FreeBSD 5's kmeminit() on i386, in the reference's own words: 12 MiB,
 * or a third of RAM if that is more, at most 320 MiB, at most twice the
 * RAM; rounded down to 2 MiB here.
 */
static uint64_t ref_kmem_2003(uint64_t ram)
{
	uint64_t size = ram / 3 > MiB(12) ? ram / 3 : MiB(12);

	if (size > MiB(320))
		size = MiB(320);
	if (size > 2 * ram)
		size = 2 * ram;
	size = down2m(size);
	return size < KMEM_MAP_MIN ? KMEM_MAP_MIN : size;
}

static struct kva_sizes tune_2003(uint64_t ram)
{
	struct kva_params p = { ram, ram, false, 0, true };

	return tune_params(&p);
}

/* The machines the 2003 lab boots, worked out by hand. */
static void test_2003_known_machines(void **state)
{
	struct kva_sizes s;

	(void)state;
	s = tune_2003(MiB(128));	/* a third: 42.7 MiB, down to 42 */
	assert_false(s.does_not_fit);
	assert_int_equal(s.kmem_map, MiB(42));
	assert_int_equal(s.kernel_map, MiB(64));	/* Kiva's floor */
	assert_int_equal(s.direct, MiB(128));
	s = tune_2003(MiB(24));	/* 12 MiB beats a third */
	assert_int_equal(s.kmem_map, MiB(12));
	s = tune_2003(MiB(4));	/* at most twice the RAM */
	assert_int_equal(s.kmem_map, MiB(8));
	s = tune_2003(GiB(1));	/* capped at 320 MiB */
	assert_int_equal(s.kmem_map, MiB(320));
	assert_int_equal(s.kernel_map, MiB(256));
	assert_int_equal(s.direct, MiB(1024 - 12 - 320 - 256));
	s = tune_2003(GiB(2));	/* kernel_map 512 MiB: no cap */
	assert_false(s.does_not_fit);
	assert_int_equal(s.kernel_map, MiB(512));
	assert_int_equal(s.direct, MiB(1024 - 12 - 320 - 512));
}

/*
 * 320 MiB + RAM / 4 + 12 MiB fixed + the 32 MiB direct map the design must
 * leave fit in 1 GiB up to 2640 MiB of RAM exactly; a MiB more does not.
 */
static void test_2003_stops_fitting_above_2640_mib(void **state)
{
	struct kva_sizes s;

	(void)state;
	s = tune_2003(MiB(2640));
	assert_false(s.does_not_fit);
	assert_int_equal(s.kernel_map, MiB(660));
	assert_int_equal(s.direct, DIRECT_MAP_MIN_2003);
	s = tune_2003(MiB(2641));
	assert_true(s.does_not_fit);
	assert_int_equal(s.va_asked, MiB(12 + 320 + 662 + 32));
	s = tune_2003(GiB(5));
	assert_true(s.does_not_fit);
	assert_int_equal(s.va_asked, MiB(12 + 320 + 1280 + 32));
}

/* A layout that does not fit is not placed: the old one stays. */
static void test_2003_does_not_fit_places_nothing(void **state)
{
	struct kva_region before[KVA_NREGIONS];

	(void)state;
	tune_and_check(MiB(128), MiB(128), 0);
	memcpy(before, kva_layout, sizeof(before));
	assert_true(tune_2003(GiB(4)).does_not_fit);
	assert_memory_equal(before, kva_layout, sizeof(before));
}

/* Every size that fits: the formula, and the regions tile the quarter. */
static void test_2003_sweep(void **state)
{
	uint64_t ram;

	(void)state;
	for (ram = MiB(4); ram <= GiB(8); ram += MiB(3)) {
		struct kva_sizes s = tune_2003(ram);
		uint64_t kernel = up2m(ram / 4) > KERNEL_MAP_MIN
		                      ? up2m(ram / 4)
		                      : KERNEL_MAP_MIN;
		uint64_t asked =
		    FIXED + ref_kmem_2003(ram) + kernel + DIRECT_MAP_MIN_2003;

		assert_int_equal(s.kmem_map, ref_kmem_2003(ram));
		assert_int_equal(s.kernel_map, kernel);
		assert_int_equal(s.does_not_fit, asked > KVA_SPAN);
		if (s.does_not_fit)
			continue;
		assert_int_equal(region_size(KVA_KMEM_MAP), s.kmem_map);
		assert_int_equal(region_size(KVA_KERNEL_MAP), s.kernel_map);
		assert_int_equal(kva_layout[KVA_GUARD_TOP].start, 0xffe00000u);
		assert_true(s.direct >= DIRECT_MAP_MIN);
	}
}

/* ------------------------------------------------------ kmem_map= option */

static void test_request_used(void **state)
{
	struct kva_sizes s;

	(void)state;
	s = tune_and_check(GiB(1), GiB(1), MiB(16));
	assert_int_equal(s.kmem_map, MiB(16));
	assert_false(s.override_rejected);
	assert_string_equal(printed, "");
}

/* A request between page-table spans is rounded up to the next one. */
static void test_request_rounded_up(void **state)
{
	(void)state;
	assert_int_equal(tune_and_check(GiB(1), GiB(1), MiB(3)).kmem_map,
	                 MiB(4));
	assert_int_equal(tune_and_check(GiB(1), GiB(1), MiB(16) + 1).kmem_map,
	                 MiB(18));
}

/* Both ends of [2 MiB, min(RAM / 4, 256 MiB)] are accepted. */
static void test_request_limits_accepted(void **state)
{
	(void)state;
	assert_int_equal(tune_and_check(GiB(1), GiB(1), MiB(2)).kmem_map,
	                 MiB(2));
	assert_int_equal(tune_and_check(GiB(1), GiB(1), MiB(256)).kmem_map,
	                 MiB(256));
	assert_int_equal(tune_and_check(MiB(128), MiB(128), MiB(32)).kmem_map,
	                 MiB(32));
}

/* Below 2 MiB is refused (README: "accepted from 2 MiB"), not rounded. */
static void test_request_too_small_refused(void **state)
{
	struct kva_sizes s;

	(void)state;
	s = tune_and_check(GiB(1), GiB(1), MiB(1));
	assert_true(s.override_rejected);
	assert_int_equal(s.kmem_map, MiB(64));
	assert_non_null(strstr(printed, "kva: kmem_map=1024K is outside"));
}

/* kmem_map=0 is a request like any other, below 2 MiB: not "automatic". */
static void test_request_of_zero_refused(void **state)
{
	struct kva_params p = { GiB(1), GiB(1), true, 0, false };
	struct kva_sizes s;

	(void)state;
	s = tune_params(&p);
	assert_true(s.override_rejected);
	assert_int_equal(s.kmem_map, MiB(64));
	assert_non_null(strstr(printed, "kva: kmem_map=0K is outside"));
}

/* Below 8 MiB of RAM, a quarter is under 2 MiB: every request is refused. */
static void test_no_request_fits_a_tiny_machine(void **state)
{
	(void)state;
	assert_true(tune_and_check(MiB(4), MiB(4), MiB(2)).override_rejected);
	assert_non_null(strstr(printed, "kva: kmem_map=2048K is refused"));
	assert_false(tune_and_check(MiB(8), MiB(8), MiB(2)).override_rejected);
}

/* Above RAM / 4 is refused: the frames behind kmem_map must exist. */
static void test_request_above_quarter_of_ram_refused(void **state)
{
	struct kva_sizes s;

	(void)state;
	s = tune_and_check(MiB(128), MiB(128), MiB(32) + 1);
	assert_true(s.override_rejected);
	assert_int_equal(s.kmem_map, MiB(8));
	assert_non_null(strstr(printed, "kva: kmem_map="));
}

/* Above 256 MiB is refused however much RAM there is. */
static void test_request_above_cap_refused(void **state)
{
	(void)state;
	assert_true(
	    tune_and_check(GiB(64), GiB(64), MiB(258)).override_rejected);
	assert_true(tune_and_check(GiB(64), GiB(64), GiB(1)).override_rejected);
}

/* Rounding a huge request up must not wrap it into the accepted range. */
static void test_request_huge_refused(void **state)
{
	(void)state;
	assert_true(
	    tune_and_check(GiB(4), GiB(4), UINT64_MAX).override_rejected);
	assert_true(tune_and_check(GiB(4), GiB(4), UINT64_MAX - MiB(2) + 2)
	                .override_rejected);
}

/*
 * RAM / 4 that is not on 2 MiB: 100 MiB / 4 = 25 MiB, rounded up would be
 * 26 MiB, more than a quarter.  The limit is 24 MiB.
 */
static void test_request_limit_rounded_down(void **state)
{
	(void)state;
	assert_int_equal(tune_and_check(MiB(100), MiB(100), MiB(24)).kmem_map,
	                 MiB(24));
	assert_true(
	    tune_and_check(MiB(100), MiB(100), MiB(24) + 1).override_rejected);
}

/* Refused exactly when out of range, with one message each time. */
static void test_sweep_requests(void **state)
{
	static const uint64_t rams[] = {
		MiB(16),   MiB(24),  MiB(64), MiB(100),
		MiB(128),  MiB(512), GiB(1),  GiB(1) + MiB(2),
		MiB(3584), GiB(4),   GiB(16), GiB(64),
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(rams); i++) {
		uint64_t limit = ref_kmem_limit(rams[i]);
		const uint64_t requests[] = {
			1,          KiB(4),       MiB(1),
			MiB(2) - 1, MiB(2),       MiB(2) + 1,
			MiB(3),     MiB(16),      limit - 1,
			limit,      limit + 1,    limit + MiB(2),
			MiB(256),   MiB(256) + 1, MiB(512),
			GiB(1),     GiB(4),       UINT64_MAX - MiB(2),
			UINT64_MAX,
		};

		for (j = 0; j < ARRAY_SIZE(requests); j++) {
			struct kva_sizes s =
			    tune_and_check(rams[i], rams[i], requests[j]);

			assert_int_equal(strstr(printed, "kva: kmem_map=") !=
			                     NULL,
			                 s.override_rejected);
		}
	}
}

/* ------------------------------------------------------- kva_region_of */

/* The first, a middle and the last byte of every region are found in it. */
static void test_region_of_each_region(void **state)
{
	int i;

	(void)state;
	tune_and_check(MiB(128), MiB(128), 0);
	for (i = 0; i < KVA_NREGIONS; i++) {
		const struct kva_region *r = &kva_layout[i];

		assert_ptr_equal(kva_region_of(r->start), r);
		assert_ptr_equal(
		    kva_region_of(r->start + (r->end - r->start) / 2), r);
		assert_ptr_equal(kva_region_of(r->end - 1), r);
		assert_true(kva_in(i, r->start));
		assert_false(kva_in(i, r->end));
		assert_int_equal(kva_start(i), r->start);
		assert_int_equal(kva_end(i), r->end);
	}
}

static void test_region_of_user_address_is_null(void **state)
{
	(void)state;
	tune_and_check(MiB(128), MiB(128), 0);
	assert_null(kva_region_of(0));
	assert_null(kva_region_of(0x00100000));
	assert_null(kva_region_of(KERNBASE - 1));
}

/* The top guard's end is exclusive in the table but 0xffffffff is its. */
static void test_region_of_last_byte_is_top_guard(void **state)
{
	(void)state;
	tune_and_check(MiB(128), MiB(128), 0);
	assert_ptr_equal(kva_region_of(TOP_VA), &kva_layout[KVA_GUARD_TOP]);
	assert_ptr_equal(kva_region_of(TOP_VA - 1), &kva_layout[KVA_GUARD_TOP]);
}

/* The same address belongs to another region after a new kva_tune(). */
static void test_region_of_follows_new_layout(void **state)
{
	vaddr_t va = KERNBASE + MiB(200);

	(void)state;
	tune_and_check(MiB(128), MiB(128), 0);
	assert_ptr_equal(kva_region_of(va), &kva_layout[KVA_KERNEL_MAP]);
	tune_and_check(GiB(4), GiB(4), 0);
	assert_ptr_equal(kva_region_of(va), &kva_layout[KVA_DIRECT]);
}

/* Nothing is ever mapped in a guard; everything else is mapped. */
static void test_guards_are_unmapped(void **state)
{
	(void)state;
	assert_int_equal(kva_layout[KVA_GUARD_LOW].tables, KVA_TABLES_NONE);
	assert_int_equal(kva_layout[KVA_GUARD_MID].tables, KVA_TABLES_NONE);
	assert_int_equal(kva_layout[KVA_GUARD_HIGH].tables, KVA_TABLES_NONE);
	assert_int_equal(kva_layout[KVA_GUARD_TOP].tables, KVA_TABLES_NONE);
	assert_int_not_equal(kva_layout[KVA_DIRECT].tables, KVA_TABLES_NONE);
	assert_int_not_equal(kva_layout[KVA_KMEM_MAP].tables, KVA_TABLES_NONE);
	assert_int_not_equal(kva_layout[KVA_KERNEL_MAP].tables,
	                     KVA_TABLES_NONE);
	assert_int_not_equal(kva_layout[KVA_KMAP].tables, KVA_TABLES_NONE);
	assert_int_not_equal(kva_layout[KVA_KMAP_ATOMIC].tables,
	                     KVA_TABLES_NONE);
}

/*
 * What interrupt code may map into has every table built at boot (so
 * mapping never allocates); only kernel_map grows its tables.
 */
static void test_each_region_table_policy(void **state)
{
	static const enum kva_tables want[KVA_NREGIONS] = {
		[KVA_DIRECT] = KVA_TABLES_AT_BOOT,
		[KVA_GUARD_LOW] = KVA_TABLES_NONE,
		[KVA_KMEM_MAP] = KVA_TABLES_AT_BOOT,
		[KVA_GUARD_MID] = KVA_TABLES_NONE,
		[KVA_KERNEL_MAP] = KVA_TABLES_ON_DEMAND,
		[KVA_GUARD_HIGH] = KVA_TABLES_NONE,
		[KVA_KMAP] = KVA_TABLES_AT_BOOT,
		[KVA_KMAP_ATOMIC] = KVA_TABLES_AT_BOOT,
		[KVA_GUARD_TOP] = KVA_TABLES_NONE,
	};
	int i;

	(void)state;
	for (i = 0; i < KVA_NREGIONS; i++)
		assert_int_equal(kva_layout[i].tables, want[i]);
	/* kva_tune() moves the regions, never their policy. */
	tune_and_check(GiB(16), GiB(17), 0);
	for (i = 0; i < KVA_NREGIONS; i++)
		assert_int_equal(kva_layout[i].tables, want[i]);
	assert_string_equal(kva_tables_name(KVA_TABLES_NONE), "none");
	assert_string_equal(kva_tables_name(KVA_TABLES_AT_BOOT), "at boot");
	assert_string_equal(kva_tables_name(KVA_TABLES_ON_DEMAND), "on demand");
}

/* The direct map: va = pa + KERNBASE, both ways. */
static void test_p2v_v2p(void **state)
{
	(void)state;
	tune_and_check(GiB(1), GiB(1), 0);
	assert_int_equal((vaddr_t)P2V(0x100000), 0xc0100000u);
	assert_int_equal(V2P((void *)(vaddr_t)0xc0100000u), 0x100000);
	assert_int_equal(V2P(P2V(MiB(600) + 0x123)), MiB(600) + 0x123);
	/* The last byte of the direct map, both ways. */
	assert_int_equal((vaddr_t)P2V(kva_direct_bytes() - 1),
	                 kva_end(KVA_DIRECT) - 1);
	assert_int_equal(V2P((void *)(kva_end(KVA_DIRECT) - 1)),
	                 kva_direct_bytes() - 1);
}

/* Outside the direct map there is no va = pa + KERNBASE: asserted. */
static void test_p2v_v2p_outside_direct_map_assert(void **state)
{
	(void)state;
	tune_and_check(MiB(128), MiB(128), 0);
	expect_assert_failure(P2V(MiB(128)));
	expect_assert_failure(P2V(GiB(5)));
	expect_assert_failure(V2P((void *)kva_start(KVA_KMEM_MAP)));
	expect_assert_failure(V2P((void *)(vaddr_t)(KERNBASE - 1)));
	expect_assert_failure(V2P(NULL));
	/* The same address is fine once the direct map covers it. */
	tune_and_check(GiB(1), GiB(1), 0);
	assert_int_equal((vaddr_t)P2V(MiB(128)), KERNBASE + MiB(128));
}

/* kva_print shows the top guard ending at ffffffff, 2048K in size. */
static void test_print_top_guard_inclusive(void **state)
{
	int saved;
	ssize_t len;

	(void)state;
	tune_and_check(MiB(128), MiB(128), 0);
	fflush(stdout);
	assert_int_equal(ftruncate(capture_fd, 0), 0);
	assert_int_equal(lseek(capture_fd, 0, SEEK_SET), 0);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(capture_fd, STDOUT_FILENO) >= 0);
	kva_print();
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	len = pread(capture_fd, printed, sizeof(printed) - 1, 0);
	printed[len > 0 ? len : 0] = '\0';
	assert_non_null(strstr(printed, "size(KiB)"));
	assert_non_null(strstr(printed, "ffe00000 - ffffffff       2048"));
	assert_non_null(strstr(printed, "c0000000 - c7ffffff     131072"));
	/* Each row's page tables, from the table. */
	assert_non_null(strstr(printed, "131072  at boot      all low RAM"));
	assert_non_null(strstr(printed, "65536  on demand    M_NOINTR"));
	assert_non_null(strstr(printed, "2048  none         unmapped top"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_machines),
		cmocka_unit_test(test_big_machine_uses_whole_quarter),
		cmocka_unit_test(test_small_machine_leaves_va_in_high_guard),
		cmocka_unit_test(test_tiny_ram_gets_minimum_direct_map),
		cmocka_unit_test(test_hole_below_top_direct_map_reaches_top),
		cmocka_unit_test(test_hole_above_4g_capped),
		cmocka_unit_test(test_unaligned_top_rounded_up),
		cmocka_unit_test(test_sweep_ram_sizes),
		cmocka_unit_test(test_2003_known_machines),
		cmocka_unit_test(test_2003_stops_fitting_above_2640_mib),
		cmocka_unit_test(test_2003_does_not_fit_places_nothing),
		cmocka_unit_test(test_2003_sweep),
		cmocka_unit_test(test_request_used),
		cmocka_unit_test(test_request_rounded_up),
		cmocka_unit_test(test_request_limits_accepted),
		cmocka_unit_test(test_request_too_small_refused),
		cmocka_unit_test(test_request_of_zero_refused),
		cmocka_unit_test(test_no_request_fits_a_tiny_machine),
		cmocka_unit_test(test_request_above_quarter_of_ram_refused),
		cmocka_unit_test(test_request_above_cap_refused),
		cmocka_unit_test(test_request_huge_refused),
		cmocka_unit_test(test_request_limit_rounded_down),
		cmocka_unit_test(test_sweep_requests),
		cmocka_unit_test(test_region_of_each_region),
		cmocka_unit_test(test_region_of_user_address_is_null),
		cmocka_unit_test(test_region_of_last_byte_is_top_guard),
		cmocka_unit_test(test_region_of_follows_new_layout),
		cmocka_unit_test(test_guards_are_unmapped),
		cmocka_unit_test(test_each_region_table_policy),
		cmocka_unit_test(test_p2v_v2p),
		cmocka_unit_test(test_p2v_v2p_outside_direct_map_assert),
		cmocka_unit_test(test_print_top_guard_inclusive),
	};

	return cmocka_run_group_tests(tests, open_capture, close_capture);
}
