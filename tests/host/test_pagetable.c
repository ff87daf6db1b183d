/*
 * tests/host/test_pagetable.c - unit tests for mm/pagetable.c, walking and
 * editing PAE page tables.
 *
 * The code under test reaches table memory only through a struct pt_env.
 * Here that environment is a pool of 4 KiB pages from aligned_alloc():
 * "physical" address POOL_PA + n * 4096 is pool page n.  POOL_PA is above
 * 4 GiB, so every page-directory entry holds a table address with bits
 * above 31 set, as on a PAE machine whose tables live in high memory.
 * Page 0 is the page directory; new_table() hands out the others, zeroed,
 * counts them, and can be told to fail.  Pages not yet handed out are
 * filled with garbage, so using memory that was never allocated shows.
 * pagetable.c never allocates: map() does what its callers do, mapping,
 * and when the table is missing installing a new one and mapping again.
 *
 * After one test per rule, a random run maps, unmaps and looks up 20,000
 * pages over the whole 1 GiB a page directory maps, against a model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm/pagetable.h"
#include "tests/host/test_rng.h"

#define POOL_PAGES 520		/* the PD, all 512 tables, spares */
#define POOL_PA 0x123400000ull	/* above 4 GiB */
#define GARBAGE 0xa5

#define VA(pd, pt) \
	((vaddr_t)0xc0000000u + (vaddr_t)(pd)*PD_SPAN + (vaddr_t)(pt)*PAGE_SIZE)

struct pool {
	uint8_t *mem;
	unsigned next;		/* next page to hand out */
	unsigned allocs;	/* tables handed out */
	bool fail;		/* new_table() says there is no memory */
	bool misalign;		/* new_table() returns a bad address */
};

static struct pool pool;

static void *pool_p2v(paddr_t pa)
{
	assert_true(pa >= POOL_PA);
	assert_true(pa < POOL_PA + (paddr_t)POOL_PAGES * PAGE_SIZE);
	return pool.mem + (pa - POOL_PA);
}

static const struct pt_env env = { pool_p2v };

/* A zeroed pool page for a page table; false when told to fail. */
static bool new_table(paddr_t *pa)
{
	if (pool.fail || pool.next == POOL_PAGES)
		return false;
	memset(pool.mem + (size_t)pool.next * PAGE_SIZE, 0, PAGE_SIZE);
	*pa = POOL_PA + (paddr_t)pool.next * PAGE_SIZE;
	if (pool.misalign)
		*pa += 8;
	pool.next++;
	pool.allocs++;
	return true;
}

/* The page directory: pool page 0. */
static pte_t *pd(void)
{
	return (pte_t *)pool.mem;
}

/* The page table at "physical" address pa. */
static pte_t *pool_table(paddr_t pa)
{
	return pool_p2v(pa);
}

/* A new page table for va's span, with the PDE flags for page_flags. */
static bool add_table(vaddr_t va, pte_t page_flags)
{
	paddr_t table;

	if (!new_table(&table))
		return false;
	pt_install_table(pd(), va, table, pt_table_flags(page_flags));
	return true;
}

/*
 * What the kernel does to map a page (mm/paging.c): pt_map(), and when the
 * page table is missing, a new one and pt_map() again.  False when there
 * is no page for the table, or va lies in a 2 MiB page.
 */
static bool map(vaddr_t va, paddr_t pa, pte_t flags)
{
	if (pt_map(&env, pd(), va, pa, flags))
		return true;
	if ((pd()[pd_index(va)] & PTE_P) || !add_table(va, flags))
		return false;
	return pt_map(&env, pd(), va, pa, flags);
}

static int pool_create(void **state)
{
	(void)state;
	pool.mem = aligned_alloc(PAGE_SIZE, (size_t)POOL_PAGES * PAGE_SIZE);
	return pool.mem != NULL ? 0 : -1;
}

static int pool_destroy(void **state)
{
	(void)state;
	free(pool.mem);
	return 0;
}

/* An empty page directory, and garbage everywhere else. */
static int pool_reset(void **state)
{
	(void)state;
	memset(pool.mem, GARBAGE, (size_t)POOL_PAGES * PAGE_SIZE);
	memset(pool.mem, 0, PAGE_SIZE);
	pool.next = 1;
	pool.allocs = 0;
	pool.fail = false;
	pool.misalign = false;
	return 0;
}

/* --------------------------------------------------- entries and indices */

static void test_index_helpers(void **state)
{
	(void)state;
	assert_int_equal(pdpt_index(0x00000000), 0);
	assert_int_equal(pd_index(0x00000000), 0);
	assert_int_equal(pt_index(0x00000000), 0);
	/* 0x12345678 = 00 | 010010001 | 101000101 | 0x678 */
	assert_int_equal(pdpt_index(0x12345678), 0);
	assert_int_equal(pd_index(0x12345678), 0x91);
	assert_int_equal(pt_index(0x12345678), 0x145);
	assert_int_equal(pdpt_index(0x40000000), 1);
	assert_int_equal(pd_index(0x7fe00000), 511);
	assert_int_equal(pdpt_index(0xc0000000), 3);
	assert_int_equal(pd_index(0xc0201000), 1);
	assert_int_equal(pt_index(0xc0201000), 1);
	assert_int_equal(pdpt_index(0xffffffff), 3);
	assert_int_equal(pd_index(0xffffffff), 511);
	assert_int_equal(pt_index(0xffffffff), 511);
}

/* Physical addresses use bits 12..51: far above 4 GiB, up to 4 PiB. */
static void test_pte_make_keeps_address_above_4g(void **state)
{
	paddr_t pa = 0x000ffffffffff000ull;
	pte_t e = pte_make(pa, PTE_P | PTE_W);

	(void)state;
	assert_int_equal(pte_addr(e), pa);
	assert_int_equal(e & ~PTE_ADDR_MASK, PTE_P | PTE_W);
	assert_int_equal(pte_addr(pte_make(0x300005000ull, PTE_P)),
	                 0x300005000ull);
}

/* NX is bit 63, outside the address: making and reading keep it. */
static void test_pte_make_keeps_nx(void **state)
{
	pte_t e = pte_make(0x123456789000ull, PTE_P | PTE_NX);

	(void)state;
	assert_true(e & PTE_NX);
	assert_int_equal(pte_addr(e), 0x123456789000ull);
}

/* Bits of pa outside 12..51 cannot leak into flags, NX included. */
static void test_pte_make_drops_bits_outside_address(void **state)
{
	(void)state;
	assert_int_equal(pte_make(0x123456789abcull, PTE_P),
	                 0x123456789000ull | PTE_P);
	assert_int_equal(pte_make((1ull << 63) | (1ull << 52) | 0x5000, 0),
	                 0x5000);
}

/* ------------------------------------------------------------ lookups */

static void test_lookup_empty_directory_is_zero(void **state)
{
	(void)state;
	assert_int_equal(pt_lookup(&env, pd(), VA(0, 0)), 0);
	assert_int_equal(pt_lookup(&env, pd(), VA(511, 511)), 0);
}

/* A table exists, but this page of it is not mapped. */
static void test_lookup_unmapped_page_in_table_is_zero(void **state)
{
	(void)state;
	assert_true(map(VA(3, 0), 0x5000, PTE_W));
	assert_int_equal(pt_lookup(&env, pd(), VA(3, 1)), 0);
	assert_int_equal(pt_lookup(&env, pd(), VA(3, 511)), 0);
}

static void test_map_then_lookup(void **state)
{
	(void)state;
	assert_true(map(VA(3, 7), 0x5000, PTE_W));
	assert_int_equal(pt_lookup(&env, pd(), VA(3, 7)),
	                 pte_make(0x5000, PTE_P | PTE_W));
	/* Any byte of the page finds the same entry. */
	assert_int_equal(pt_lookup(&env, pd(), VA(3, 7) + 0xfff),
	                 pte_make(0x5000, PTE_P | PTE_W));
}

/* A frame above 4 GiB, not executable: both survive the round trip. */
static void test_map_high_frame_with_nx(void **state)
{
	pte_t e;

	(void)state;
	assert_true(map(VA(9, 9), 0xfedcba98000ull, PTE_W | PTE_NX | PTE_G));
	e = pt_lookup(&env, pd(), VA(9, 9));
	assert_int_equal(pte_addr(e), 0xfedcba98000ull);
	assert_int_equal(e & ~PTE_ADDR_MASK, PTE_P | PTE_W | PTE_NX | PTE_G);
}

/* Mapping a mapped page replaces the entry (the caller flushes the TLB). */
static void test_map_overwrites(void **state)
{
	(void)state;
	assert_true(map(VA(3, 7), 0x5000, PTE_W));
	assert_true(map(VA(3, 7), 0x9000, 0));
	assert_int_equal(pt_lookup(&env, pd(), VA(3, 7)),
	                 pte_make(0x9000, PTE_P));
}

/* ------------------------------------------------------- table creation */

/* One table maps 2 MiB: 512 pages of one span need exactly one. */
static void test_one_table_per_span(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < PT_ENTRIES; i++)
		assert_true(map(VA(5, i), (paddr_t)i * PAGE_SIZE, PTE_W));
	assert_int_equal(pool.allocs, 1);
	assert_true(map(VA(6, 0), 0, PTE_W));
	assert_int_equal(pool.allocs, 2);
}

/* The last page of a span and the first of the next: two tables. */
static void test_span_boundary_needs_two_tables(void **state)
{
	(void)state;
	assert_true(map(VA(0, 511), 0x1000, PTE_W));
	assert_true(map(VA(1, 0), 0x2000, PTE_W));
	assert_int_equal(pool.allocs, 2);
	assert_true(pte_addr(pd()[0]) != pte_addr(pd()[1]));
}

/* The PDE holds the new table's address; the PTE sits at pt_index. */
static void test_pde_points_to_new_table(void **state)
{
	pte_t pde;

	(void)state;
	assert_true(map(VA(4, 17), 0x7000, PTE_W));
	pde = pd()[4];
	assert_int_equal(pte_addr(pde), POOL_PA + PAGE_SIZE);
	assert_int_equal(pool_table(pte_addr(pde))[17],
	                 pte_make(0x7000, PTE_P | PTE_W));
}

/* A walk where there is no table changes nothing and allocates nothing. */
static void test_walk_without_table_is_null(void **state)
{
	(void)state;
	assert_null(pt_walk(&env, pd(), VA(2, 2)));
	assert_int_equal(pool.allocs, 0);
	assert_int_equal(pd()[2], 0);
}

/* pt_map() without a table says so, and changes nothing. */
static void test_map_without_table_changes_nothing(void **state)
{
	(void)state;
	assert_false(pt_map(&env, pd(), VA(2, 2), 0x5000, PTE_W | PTE_U));
	assert_int_equal(pd()[2], 0);
	assert_int_equal(pool.allocs, 0);
	/* Once a table is installed, the same call maps. */
	assert_true(add_table(VA(2, 2), PTE_W));
	assert_true(pt_map(&env, pd(), VA(2, 2), 0x5000, PTE_W));
	assert_int_equal(pt_lookup(&env, pd(), VA(2, 2)),
	                 pte_make(0x5000, PTE_P | PTE_W));
}

/* An installed table's PDE gets exactly the flags asked for, and P. */
static void test_install_table_sets_pde_flags(void **state)
{
	pte_t *pte;
	paddr_t table;

	(void)state;
	assert_true(new_table(&table));
	pt_install_table(pd(), VA(2, 2), table, PTE_W | PTE_U);
	assert_int_equal(pd()[2],
	                 pte_make(POOL_PA + PAGE_SIZE, PTE_P | PTE_W | PTE_U));
	pte = pt_walk(&env, pd(), VA(2, 2));
	assert_non_null(pte);
	assert_ptr_equal(pte, pool_table(table) + 2);
	/* A new table is empty. */
	assert_int_equal(*pte, 0);
}

/* Only an empty PDE takes a table: a second one is a caller's bug. */
static void test_install_over_table_asserts(void **state)
{
	pte_t pde;

	(void)state;
	assert_true(add_table(VA(2, 2), PTE_W));
	pde = pd()[2];
	expect_assert_failure(
	    pt_install_table(pd(), VA(2, 100), POOL_PA + 9 * PAGE_SIZE, PTE_W));
	assert_int_equal(pd()[2], pde);
}

/* The PDE flags a table gets: writable always, user when the page is. */
static void test_table_flags(void **state)
{
	(void)state;
	assert_int_equal(pt_table_flags(0), PTE_W);
	assert_int_equal(pt_table_flags(PTE_W | PTE_G | PTE_NX), PTE_W);
	assert_int_equal(pt_table_flags(PTE_U), PTE_W | PTE_U);
	assert_int_equal(pt_table_flags(PTE_U | PTE_W | PTE_NX | PTE_PCD),
	                 PTE_W | PTE_U);
}

/* A second walk finds the same entry and creates nothing. */
static void test_walk_twice_same_entry(void **state)
{
	pte_t *a, *b;

	(void)state;
	assert_true(add_table(VA(2, 2), PTE_W));
	a = pt_walk(&env, pd(), VA(2, 2));
	b = pt_walk(&env, pd(), VA(2, 2));
	assert_ptr_equal(a, b);
	assert_ptr_equal(a, pool_table(pte_addr(pd()[2])) + 2);
	assert_int_equal(pool.allocs, 1);
}

/* ------------------------------------------------------ 2 MiB pages */

static const pte_t big_page = 0x40000000ull | PTE_P | PTE_W | PTE_PS;

/* pt_lookup returns the 2 MiB PDE itself, for every address it maps. */
static void test_large_page_found_by_lookup(void **state)
{
	(void)state;
	pd()[8] = big_page;
	assert_int_equal(pt_lookup(&env, pd(), VA(8, 0)), big_page);
	assert_int_equal(pt_lookup(&env, pd(), VA(8, 511) + 0xfff), big_page);
}

/* There is no page table under a 2 MiB page: pt_walk returns NULL. */
static void test_large_page_walk_is_null(void **state)
{
	(void)state;
	pd()[8] = big_page;
	assert_null(pt_walk(&env, pd(), VA(8, 3)));
	expect_assert_failure(
	    pt_install_table(pd(), VA(8, 3), POOL_PA + PAGE_SIZE, PTE_W));
	assert_int_equal(pool.allocs, 0);
	assert_int_equal(pd()[8], big_page);
}

/* A 4 KiB page inside a 2 MiB one is refused, and the big page kept. */
static void test_large_page_not_split_by_map(void **state)
{
	(void)state;
	pd()[8] = big_page;
	assert_false(pt_map(&env, pd(), VA(8, 3), 0x5000, PTE_W));
	assert_false(map(VA(8, 3), 0x5000, PTE_W));
	assert_int_equal(pd()[8], big_page);
	assert_int_equal(pool.allocs, 0);
}

/* --------------------------------------------------------------- unmap */

/* unmap returns the whole old entry, flags included, and clears it. */
static void test_unmap_returns_old_entry(void **state)
{
	(void)state;
	assert_true(map(VA(3, 7), 0x300005000ull, PTE_W | PTE_NX));
	assert_int_equal(pt_unmap(&env, pd(), VA(3, 7)),
	                 pte_make(0x300005000ull, PTE_P | PTE_W | PTE_NX));
	assert_int_equal(pt_lookup(&env, pd(), VA(3, 7)), 0);
}

static void test_unmap_twice_returns_zero(void **state)
{
	(void)state;
	assert_true(map(VA(3, 7), 0x5000, PTE_W));
	pt_unmap(&env, pd(), VA(3, 7));
	assert_int_equal(pt_unmap(&env, pd(), VA(3, 7)), 0);
}

/* Unmapping where there is no table creates none. */
static void test_unmap_without_table_allocates_nothing(void **state)
{
	(void)state;
	assert_int_equal(pt_unmap(&env, pd(), VA(10, 10)), 0);
	assert_int_equal(pool.allocs, 0);
	assert_int_equal(pd()[10], 0);
}

/* The table stays after its last page is unmapped: tables are kept. */
static void test_unmap_keeps_table(void **state)
{
	pte_t pde;

	(void)state;
	assert_true(map(VA(3, 7), 0x5000, PTE_W));
	pde = pd()[3];
	pt_unmap(&env, pd(), VA(3, 7));
	assert_int_equal(pd()[3], pde);
	assert_true(map(VA(3, 8), 0x6000, PTE_W));
	assert_int_equal(pool.allocs, 1);
}

/* ------------------------------------------------- allocation failure */

/* No memory for a table: false, and the directory is as it was. */
static void test_alloc_failure_leaves_directory_unchanged(void **state)
{
	static pte_t before[PT_ENTRIES];

	(void)state;
	assert_true(map(VA(1, 1), 0x1000, PTE_W));
	memcpy(before, pd(), PAGE_SIZE);
	pool.fail = true;
	assert_false(map(VA(2, 1), 0x2000, PTE_W));
	assert_memory_equal(before, pd(), PAGE_SIZE);
	assert_int_equal(pool.allocs, 1);
}

/* A failed map can be retried once memory is back. */
static void test_alloc_failure_then_retry(void **state)
{
	(void)state;
	pool.fail = true;
	assert_false(map(VA(2, 1), 0x2000, PTE_W));
	pool.fail = false;
	assert_true(map(VA(2, 1), 0x2000, PTE_W));
	assert_int_equal(pt_lookup(&env, pd(), VA(2, 1)),
	                 pte_make(0x2000, PTE_P | PTE_W));
}

/* A span that has its table needs no memory: this is how boot-time
 * preallocation makes later maps in kmem_map safe in interrupts. */
static void test_existing_table_needs_no_alloc(void **state)
{
	(void)state;
	assert_true(map(VA(2, 1), 0x2000, PTE_W));
	pool.fail = true;
	assert_true(map(VA(2, 2), 0x3000, PTE_W));
}

/* ------------------------------------------------------------ PDE flags */

/* A PDE grants the most its tables may use: always writable... */
static void test_pde_writable_for_read_only_page(void **state)
{
	(void)state;
	assert_true(map(VA(3, 0), 0x5000, 0));
	assert_true(pd()[3] & PTE_W);
	assert_false(pt_lookup(&env, pd(), VA(3, 0)) & PTE_W);
}

/* ...user-accessible when the page is... */
static void test_user_page_makes_user_pde(void **state)
{
	(void)state;
	assert_true(map(VA(3, 0), 0x5000, PTE_U | PTE_W));
	assert_int_equal(pd()[3] & ~PTE_ADDR_MASK, PTE_P | PTE_W | PTE_U);
}

/* ...and not when it is a kernel page. */
static void test_kernel_page_makes_supervisor_pde(void **state)
{
	(void)state;
	assert_true(map(VA(3, 0), 0x5000, PTE_W));
	assert_int_equal(pd()[3] & ~PTE_ADDR_MASK, PTE_P | PTE_W);
}

/*
 * A user page in a table first made for a kernel page: the PDE must now
 * grant U, or the user page would fault.  The kernel page stays
 * supervisor-only through its own PTE.
 */
static void test_user_page_in_kernel_table_makes_pde_user(void **state)
{
	(void)state;
	assert_true(map(VA(3, 0), 0x5000, PTE_W));
	assert_true(map(VA(3, 1), 0x6000, PTE_U | PTE_W));
	assert_true(pd()[3] & PTE_U);
	assert_false(pt_lookup(&env, pd(), VA(3, 0)) & PTE_U);
}

/* ------------------------------------------------------------ KASSERTs */

static void test_misaligned_pa_asserts(void **state)
{
	(void)state;
	expect_assert_failure(map(VA(3, 0), 0x5800, PTE_W));
}

static void test_misaligned_va_asserts(void **state)
{
	(void)state;
	expect_assert_failure(map(VA(3, 0) + 4, 0x5000, PTE_W));
}

/* A table address that is not a page is the environment's bug: caught
 * before it goes into the directory. */
static void test_misaligned_table_asserts(void **state)
{
	(void)state;
	pool.misalign = true;
	expect_assert_failure(add_table(VA(3, 0), PTE_W));
	assert_int_equal(pd()[3], 0);
}

/* ------------------------------------------------------------- random */

#define NPAGES (PT_ENTRIES * PT_ENTRIES)	/* one page directory's worth */

/* Half the time a page of a few busy spans, so that pages are reused. */
static unsigned rnd_page(void)
{
	static const unsigned busy[] = { 0, 1, 255, 256, 511 };

	if (rng_below(2))
		return rng_below(NPAGES);
	return busy[rng_below(ARRAY_SIZE(busy))] * PT_ENTRIES +
	       rng_below(PT_ENTRIES);
}

static pte_t rnd_flags(void)
{
	static const pte_t choice[] = {
		PTE_W, PTE_U, PTE_PWT, PTE_PCD, PTE_G, PTE_NX,
	};
	pte_t f = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(choice); i++)
		if (rng_below(2))
			f |= choice[i];
	return f;
}

/* Every page, every PDE and the table count against the model. */
static void check_model(const pte_t *model, const bool *has_table,
                        const bool *user, unsigned tables)
{
	unsigned i;

	for (i = 0; i < NPAGES; i++)
		if (pt_lookup(&env, pd(), VA(0, i)) != model[i])
			fail_msg(
			    "page %u: entry %#llx, model %#llx", i,
			    (unsigned long long)pt_lookup(&env, pd(), VA(0, i)),
			    (unsigned long long)model[i]);
	for (i = 0; i < PT_ENTRIES; i++) {
		assert_int_equal((pd()[i] & PTE_P) != 0, has_table[i]);
		assert_int_equal((pd()[i] & PTE_U) != 0, user[i]);
	}
	assert_int_equal(pool.allocs, tables);
}

static void test_random_against_model(void **state)
{
	static pte_t model[NPAGES];	/* the entry every page should have */
	bool has_table[PT_ENTRIES] = { false }, user[PT_ENTRIES] = { false };
	unsigned tables = 0;
	int op;

	(void)state;
	rng_seed(0x9e3779b97f4a7c15ULL);	/* the same run every time */
	memset(model, 0, sizeof(model));
	for (op = 0; op < 20000; op++) {
		unsigned page = rnd_page(), span = page / PT_ENTRIES;
		vaddr_t va = VA(0, page);
		paddr_t pa;
		pte_t flags;

		switch (rng_below(10)) {
		case 0:
		case 1:
		case 2:
		case 3:
		case 4:	/* map */
			pa = rng_next64() & PTE_ADDR_MASK;
			flags = rnd_flags();
			assert_true(map(va, pa, flags));
			model[page] = pte_make(pa, flags | PTE_P);
			if (!has_table[span])
				tables++;
			has_table[span] = true;
			user[span] = user[span] || (flags & PTE_U);
			break;
		case 5:
		case 6:
		case 7:	/* unmap */
			assert_int_equal(pt_unmap(&env, pd(), va), model[page]);
			model[page] = 0;
			break;
		default:	/* lookup */
			assert_int_equal(pt_lookup(&env, pd(), va),
			                 model[page]);
			break;
		}
		if (op % 5000 == 4999)
			check_model(model, has_table, user, tables);
	}
}

#define T(f) cmocka_unit_test_setup(f, pool_reset)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_index_helpers),
		T(test_pte_make_keeps_address_above_4g),
		T(test_pte_make_keeps_nx),
		T(test_pte_make_drops_bits_outside_address),
		T(test_lookup_empty_directory_is_zero),
		T(test_lookup_unmapped_page_in_table_is_zero),
		T(test_map_then_lookup),
		T(test_map_high_frame_with_nx),
		T(test_map_overwrites),
		T(test_one_table_per_span),
		T(test_span_boundary_needs_two_tables),
		T(test_pde_points_to_new_table),
		T(test_walk_without_table_is_null),
		T(test_map_without_table_changes_nothing),
		T(test_install_table_sets_pde_flags),
		T(test_install_over_table_asserts),
		T(test_table_flags),
		T(test_walk_twice_same_entry),
		T(test_large_page_found_by_lookup),
		T(test_large_page_walk_is_null),
		T(test_large_page_not_split_by_map),
		T(test_unmap_returns_old_entry),
		T(test_unmap_twice_returns_zero),
		T(test_unmap_without_table_allocates_nothing),
		T(test_unmap_keeps_table),
		T(test_alloc_failure_leaves_directory_unchanged),
		T(test_alloc_failure_then_retry),
		T(test_existing_table_needs_no_alloc),
		T(test_pde_writable_for_read_only_page),
		T(test_user_page_makes_user_pde),
		T(test_kernel_page_makes_supervisor_pde),
		T(test_user_page_in_kernel_table_makes_pde_user),
		T(test_misaligned_pa_asserts),
		T(test_misaligned_va_asserts),
		T(test_misaligned_table_asserts),
		T(test_random_against_model),
	};

	return cmocka_run_group_tests(tests, pool_create, pool_destroy);
}
