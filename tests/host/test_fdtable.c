/*
 * tests/host/test_fdtable.c - unit tests for kernel/proc/fdtable.c.
 *
 * fdtable.c calls the kernel's file_hold(), file_release(), kmalloc()
 * and kfree(); this file provides all four, as host_support.c provides
 * kprintf().  Files are the kernel's struct file, never opened: every
 * file_hold() and file_release() the table makes is counted per file, and
 * a release of a file with no reference left fails the test.  kmalloc()
 * is a counting heap that checks it is asked for M_FDESC memory with
 * M_NOWAIT | M_NOINTR, records the bytes it has out (each block carries
 * its size in a header), can be told to fail every request or any request
 * that would take it over a byte budget, and fills new blocks with
 * garbage, as kmalloc() without M_ZERO may.
 *
 * One test per contract of kernel/proc/fdtable.h, then the "fdbomb" of NetBSD
 * PR kern/14721 (dup() until it fails, with limits of 100,000 and a heap
 * that runs out first), then 200,000 random operations checked against a
 * model that is a plain array of slots plus the capacity rule (double
 * until the descriptor fits, trim to the effective limit).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/lib/errno.h"
#include "kernel/lib/types.h"
#include "kernel/proc/fdtable.h"
#include "kernel/proc/file.h"
#include "mm/kmem.h"
#include "tests/host/test_rng.h"

/* ------------------------------------------------------------ fakes */

#define NFILES 64
static struct file F[NFILES];
/* Calls since the test began, per file of F. */
static struct {
	unsigned holds, releases;
} C[NFILES];

void file_hold(struct file *f)
{
	assert_true(f >= F && f < F + NFILES);
	f->refs++;
	C[f - F].holds++;
}

void file_release(struct file *f)
{
	assert_true(f >= F && f < F + NFILES);
	assert_true(f->refs > 0);
	f->refs--;
	C[f - F].releases++;
}

static struct heap {
	size_t live;	/* bytes out now */
	size_t budget;	/* refuse a request that would pass it */
	size_t last;	/* size of the last request */
	unsigned nalloc, nfree, nfail;
	bool fail;	/* refuse every request */
} H;

/* Room for the size in front of a block, keeping it aligned. */
#define HDR sizeof(max_align_t)

void *kmalloc(size_t bytes, int type, int flags)
{
	char *p;

	assert_true(bytes > 0);
	/* Descriptor tables: kernel_map, and an answer rather than a sleep. */
	assert_int_equal(type, M_FDESC);
	assert_int_equal(flags, M_NOWAIT | M_NOINTR);
	H.last = bytes;
	if (H.fail || bytes > H.budget - H.live) {
		H.nfail++;
		return NULL;
	}
	p = malloc(HDR + bytes);
	assert_non_null(p);
	memcpy(p, &bytes, sizeof(bytes));
	memset(p + HDR, 0xa5, bytes);	/* not zeroed, like kmalloc() */
	H.live += bytes;
	H.nalloc++;
	return p + HDR;
}

/* The host runs Kiva's own design, never kmem_design=2003. */
bool kmem_design_2003(void)
{
	return false;
}

void kfree(void *ptr)
{
	char *p = (char *)ptr - HDR;
	size_t bytes;

	assert_non_null(ptr);	/* fdtable.c frees only its blocks */
	memcpy(&bytes, p, sizeof(bytes));
	assert_true(bytes <= H.live);
	H.live -= bytes;
	H.nfree++;
	free(p);
}

/* Every test works on this table, heap and set of files. */
static struct fdtable T;

static void setup(unsigned limit, unsigned maxfiles)
{
	memset(&H, 0, sizeof(H));
	memset(F, 0, sizeof(F));
	memset(C, 0, sizeof(C));
	H.budget = SIZE_MAX;
	fdtable_set_maxfiles(maxfiles);
	fdtable_init(&T, limit);
}

/* The layout of fdtable.h, worked out independently of fdtable.c. */
static size_t bytes_for(unsigned n)
{
	size_t lo = (n + 31) / 32, hi = (lo + 31) / 32;

	return n * sizeof(struct file *) + (lo + hi) * sizeof(uint32_t);
}

/* The table is consistent and the heap holds exactly its block. */
static void check_table(void)
{
	assert_true(fdtable_check(&T));
	assert_int_equal(H.live, fdtable_bytes(&T));
	if (fdtable_capacity(&T) == FD_INLINE)
		assert_int_equal(fdtable_bytes(&T), 0);
	else
		assert_int_equal(fdtable_bytes(&T),
		                 bytes_for(fdtable_capacity(&T)));
}

/* Closes everything; the heap must be empty and every file let go. */
static void teardown_table(void)
{
	size_t i;

	fdtable_close_all(&T);
	check_table();
	assert_int_equal(H.live, 0);
	assert_int_equal(H.nfree, H.nalloc);
	for (i = 0; i < NFILES; i++) {
		assert_int_equal(F[i].refs, 0);
		assert_int_equal(C[i].holds, C[i].releases);
	}
}

/* ------------------------------------------------------------ cases */

static void test_init_inline(void **state)
{
	unsigned fd;

	(void)state;
	setup(64, 1024);
	assert_int_equal(fdtable_capacity(&T), FD_INLINE);
	assert_int_equal(fdtable_nopen(&T), 0);
	assert_int_equal(fdtable_bytes(&T), 0);
	assert_int_equal(fdtable_limit(&T), 64);
	for (fd = 0; fd < 100; fd++)
		assert_null(fdtable_get(&T, fd));
	assert_int_equal(fdtable_get(&T, 0xffffffffu), NULL);
	check_table();
	/* Up to FD_INLINE descriptors never allocate. */
	for (fd = 0; fd < FD_INLINE; fd++)
		assert_int_equal(fdtable_alloc(&T, 0, &F[fd]), fd);
	assert_int_equal(H.nalloc + H.nfail, 0);
	check_table();
	teardown_table();
	assert_int_equal(H.nfree, 0);
}

static void test_bytes_for(void **state)
{
	(void)state;
	assert_int_equal(fdtable_bytes_for(8), bytes_for(8));
	assert_int_equal(fdtable_bytes_for(33),
	                 33 * sizeof(void *) + 2 * 4 + 1 * 4);
	assert_int_equal(fdtable_bytes_for(1024),
	                 1024 * sizeof(void *) + 32 * 4 + 1 * 4);
	assert_int_equal(fdtable_bytes_for(1025),
	                 1025 * sizeof(void *) + 33 * 4 + 2 * 4);
	assert_int_equal(fdtable_bytes_for(100000),
	                 100000 * sizeof(void *) + 3125 * 4 + 98 * 4);
	assert_int_equal(fdtable_bytes_for(FD_MAXFILES_MAX),
	                 bytes_for(FD_MAXFILES_MAX));
}

static void test_lowest_free_order(void **state)
{
	unsigned i;

	(void)state;
	setup(1000, 1000);
	for (i = 0; i < 8; i++)
		assert_int_equal(fdtable_alloc(&T, 0, &F[i]), i);
	assert_int_equal(fdtable_close(&T, 5), 0);
	assert_int_equal(fdtable_close(&T, 3), 0);
	assert_int_equal(fdtable_close(&T, 0), 0);
	check_table();
	assert_int_equal(fdtable_alloc(&T, 0, &F[10]), 0);
	assert_int_equal(fdtable_alloc(&T, 0, &F[13]), 3);
	assert_int_equal(fdtable_alloc(&T, 0, &F[15]), 5);
	assert_int_equal(H.nalloc, 0);
	assert_int_equal(fdtable_alloc(&T, 0, &F[8]), 8);	/* grows */
	assert_int_equal(H.nalloc, 1);
	assert_int_equal(fdtable_capacity(&T), 16);
	assert_ptr_equal(fdtable_get(&T, 0), &F[10]);
	assert_ptr_equal(fdtable_get(&T, 3), &F[13]);
	assert_ptr_equal(fdtable_get(&T, 7), &F[7]);
	assert_ptr_equal(fdtable_get(&T, 8), &F[8]);

	/* F_DUPFD: the lowest free at or above minfd. */
	assert_int_equal(fdtable_alloc(&T, 4, &F[9]), 9);
	assert_int_equal(fdtable_alloc(&T, 20, &F[20]), 20);
	assert_int_equal(fdtable_capacity(&T), 32);
	assert_int_equal(fdtable_alloc(&T, 0, &F[10]), 10);
	assert_int_equal(fdtable_close(&T, 2), 0);
	assert_int_equal(fdtable_alloc(&T, 3, &F[11]), 11);
	assert_int_equal(fdtable_alloc(&T, 0, &F[2]), 2);
	assert_int_equal(fdtable_alloc(&T, 0, &F[12]), 12);
	/* minfd beyond the capacity, with free slots below: minfd itself. */
	assert_int_equal(fdtable_alloc(&T, 40, &F[40]), 40);
	assert_int_equal(fdtable_capacity(&T), 64);
	assert_int_equal(fdtable_alloc(&T, 0, &F[13]), 13);
	assert_int_equal(F[10].refs, 2);
	assert_int_equal(F[13].refs, 2);
	check_table();
	teardown_table();
}

/* Searches that cross many full bitmap words go through himap. */
static void test_lowest_free_across_words(void **state)
{
	unsigned i;

	(void)state;
	setup(5000, 5000);
	for (i = 0; i < 4096; i++)
		assert_int_equal(fdtable_alloc(&T, 0, &F[i % NFILES]), i);
	assert_int_equal(fdtable_capacity(&T), 4096);
	check_table();
	assert_int_equal(fdtable_close(&T, 4000), 0);
	assert_int_equal(fdtable_close(&T, 3000), 0);
	assert_int_equal(fdtable_close(&T, 1500), 0);
	assert_int_equal(fdtable_alloc(&T, 1501, &F[0]), 3000);
	assert_int_equal(fdtable_alloc(&T, 0, &F[0]), 1500);
	assert_int_equal(fdtable_alloc(&T, 0, &F[0]), 4000);
	assert_int_equal(fdtable_alloc(&T, 0, &F[0]), 4096);
	assert_int_equal(fdtable_capacity(&T), 5000);
	/*
	 * With a hole below minfd (so the hint does not help), the next free
	 * slot is 33 full words and 2 himap words away.
	 */
	assert_int_equal(fdtable_close(&T, 2100), 0);
	assert_int_equal(fdtable_close(&T, 10), 0);
	assert_int_equal(fdtable_alloc(&T, 1030, &F[1]), 2100);
	assert_int_equal(fdtable_alloc(&T, 0, &F[1]), 10);
	/* Free only at the top of minfd's own word. */
	assert_int_equal(fdtable_close(&T, 1023), 0);
	assert_int_equal(fdtable_alloc(&T, 992, &F[1]), 1023);
	/* Nothing free at or above minfd below the capacity. */
	assert_int_equal(fdtable_alloc(&T, 4090, &F[1]), 4097);
	check_table();
	teardown_table();
}

static void test_growth_doubling(void **state)
{
	unsigned fd, cap = FD_INLINE, grows = 0, want = 16;

	(void)state;
	setup(100000, 100000);
	for (fd = 0; fd <= 4096; fd++) {
		assert_int_equal(fdtable_alloc(&T, 0, &F[fd % NFILES]), fd);
		if (fdtable_capacity(&T) == cap)
			continue;
		/* Grew: to twice the size, exactly one block live. */
		assert_int_equal(fdtable_capacity(&T), want);
		cap = want;
		want *= 2;
		grows++;
		assert_int_equal(H.nalloc, grows);
		assert_int_equal(H.nfree, grows - 1);
		assert_int_equal(H.last, bytes_for(cap));
		assert_int_equal(fdtable_bytes(&T), bytes_for(cap));
		assert_int_equal(H.live, bytes_for(cap));
	}
	assert_int_equal(cap, 8192);
	assert_int_equal(grows, 10);	/* 16, 32, ..., 8192 */
	for (fd = 0; fd <= 4096; fd++)
		assert_ptr_equal(fdtable_get(&T, fd), &F[fd % NFILES]);
	check_table();
	teardown_table();

	/* The last step is trimmed to the limit: 100 slots, not 128. */
	setup(100, 1000);
	for (fd = 0; fd < 100; fd++)
		assert_int_equal(fdtable_alloc(&T, 0, &F[0]), fd);
	assert_int_equal(fdtable_capacity(&T), 100);
	assert_int_equal(H.nalloc, 4);	/* 16, 32, 64, 100 */
	assert_int_equal(H.live, bytes_for(100));
	check_table();
	teardown_table();
}

static void test_enomem_leaves_table(void **state)
{
	struct file **block;
	size_t live;
	unsigned i, nalloc;

	(void)state;
	setup(1000, 1000);
	for (i = 0; i < 8; i++)
		assert_int_equal(fdtable_alloc(&T, 0, &F[i]), i);
	H.fail = true;
	assert_int_equal(fdtable_alloc(&T, 0, &F[8]), -ENOMEM);
	assert_int_equal(fdtable_alloc(&T, 30, &F[8]), -ENOMEM);
	assert_int_equal(fdtable_install(&T, 50, &F[8]), -ENOMEM);
	assert_int_equal(H.nfail, 3);
	assert_int_equal(fdtable_capacity(&T), FD_INLINE);
	assert_int_equal(fdtable_nopen(&T), 8);
	assert_int_equal(fdtable_bytes(&T), 0);
	assert_int_equal(C[8].holds, 0);
	for (i = 0; i < 8; i++) {
		assert_ptr_equal(fdtable_get(&T, i), &F[i]);
		assert_int_equal(F[i].refs, 1);
		assert_int_equal(C[i].releases, 0);
	}
	check_table();

	/* The same from a grown table: the old block stays in place. */
	H.fail = false;
	for (i = 8; i < 16; i++)
		assert_int_equal(fdtable_alloc(&T, 0, &F[i]), i);
	assert_int_equal(fdtable_capacity(&T), 16);
	block = T.fdt_files;
	live = H.live;
	nalloc = H.nalloc;
	H.fail = true;
	assert_int_equal(fdtable_alloc(&T, 0, &F[16]), -ENOMEM);
	assert_int_equal(fdtable_install(&T, 999, &F[16]), -ENOMEM);
	assert_ptr_equal(T.fdt_files, block);
	assert_int_equal(H.live, live);
	assert_int_equal(H.nalloc, nalloc);
	assert_int_equal(H.nfree, nalloc - 1);
	assert_int_equal(fdtable_capacity(&T), 16);
	assert_int_equal(fdtable_nopen(&T), 16);
	assert_int_equal(C[16].holds, 0);
	for (i = 0; i < 16; i++)
		assert_ptr_equal(fdtable_get(&T, i), &F[i]);
	check_table();
	/* Room inside the table still works while the heap is dry. */
	assert_int_equal(fdtable_close(&T, 6), 0);
	assert_int_equal(fdtable_alloc(&T, 0, &F[16]), 6);
	/* And growth works again once memory is back. */
	H.fail = false;
	assert_int_equal(fdtable_alloc(&T, 0, &F[17]), 16);
	assert_int_equal(fdtable_capacity(&T), 32);
	check_table();
	teardown_table();
}

static void test_emfile_at_limit(void **state)
{
	unsigned fd;

	(void)state;
	setup(10, 1000);
	for (fd = 0; fd < 10; fd++)
		assert_int_equal(fdtable_alloc(&T, 0, &F[fd]), fd);
	assert_int_equal(fdtable_alloc(&T, 0, &F[10]), -EMFILE);
	assert_int_equal(fdtable_alloc(&T, 9, &F[10]), -EMFILE);
	assert_int_equal(fdtable_alloc(&T, 10, &F[10]), -EMFILE);
	assert_int_equal(fdtable_alloc(&T, 0xffffffffu, &F[10]), -EMFILE);
	assert_int_equal(C[10].holds, 0);
	assert_int_equal(fdtable_capacity(&T), 10);
	assert_int_equal(H.nalloc, 1);
	/* The limit is checked first: no allocation is even tried. */
	H.fail = true;
	assert_int_equal(fdtable_alloc(&T, 0, &F[10]), -EMFILE);
	assert_int_equal(H.nfail, 0);
	assert_int_equal(fdtable_close(&T, 4), 0);
	assert_int_equal(fdtable_alloc(&T, 0, &F[10]), 4);
	check_table();
	teardown_table();

	/* A limit of FD_INLINE never allocates. */
	setup(FD_INLINE, 1000);
	for (fd = 0; fd < FD_INLINE; fd++)
		assert_int_equal(fdtable_alloc(&T, 0, &F[fd]), fd);
	assert_int_equal(fdtable_alloc(&T, 0, &F[8]), -EMFILE);
	assert_int_equal(H.nalloc + H.nfail, 0);
	teardown_table();

	/* A limit of 0: nothing at all. */
	setup(0, 1000);
	assert_int_equal(fdtable_alloc(&T, 0, &F[0]), -EMFILE);
	assert_int_equal(fdtable_install(&T, 0, &F[0]), -EBADF);
	assert_int_equal(C[0].holds, 0);
	teardown_table();

	/* The system maximum bounds it the same way. */
	setup(20, 20);
	for (fd = 0; fd < 20; fd++)
		assert_int_equal(fdtable_alloc(&T, 0, &F[0]), fd);
	assert_int_equal(fdtable_alloc(&T, 0, &F[0]), -EMFILE);
	assert_int_equal(fdtable_install(&T, 20, &F[0]), -EBADF);
	assert_int_equal(fdtable_capacity(&T), 20);
	check_table();
	teardown_table();
}

static void test_install(void **state)
{
	(void)state;
	setup(1000, 1000);
	/* Beyond the capacity: grows by doubling until it fits. */
	assert_int_equal(fdtable_install(&T, 100, &F[0]), 100);
	assert_int_equal(fdtable_capacity(&T), 128);
	assert_int_equal(H.nalloc, 1);
	assert_int_equal(fdtable_nopen(&T), 1);
	assert_ptr_equal(fdtable_get(&T, 100), &F[0]);
	assert_int_equal(F[0].refs, 1);
	/* The lowest free is still 0. */
	assert_int_equal(fdtable_alloc(&T, 0, &F[1]), 0);
	check_table();

	/* Replacing releases the old file, once, after holding the new. */
	assert_int_equal(fdtable_install(&T, 100, &F[2]), 100);
	assert_int_equal(F[0].refs, 0);
	assert_int_equal(C[0].releases, 1);
	assert_int_equal(F[2].refs, 1);
	assert_int_equal(fdtable_nopen(&T), 2);
	/* The file already there: net zero. */
	assert_int_equal(fdtable_install(&T, 100, &F[2]), 100);
	assert_int_equal(F[2].refs, 1);
	assert_int_equal(C[2].holds, 2);
	assert_int_equal(C[2].releases, 1);
	assert_int_equal(fdtable_nopen(&T), 2);
	check_table();

	/* Over an allocated descriptor, and at the hint. */
	assert_int_equal(fdtable_install(&T, 0, &F[3]), 0);
	assert_int_equal(F[1].refs, 0);
	assert_int_equal(fdtable_install(&T, 1, &F[4]), 1);
	assert_int_equal(fdtable_alloc(&T, 0, &F[5]), 2);
	check_table();

	/* Out of range is EBADF; the last slot trims the table. */
	assert_int_equal(fdtable_install(&T, 1000, &F[6]), -EBADF);
	assert_int_equal(fdtable_install(&T, 0xffffffffu, &F[6]), -EBADF);
	assert_int_equal(C[6].holds, 0);
	assert_int_equal(fdtable_install(&T, 999, &F[6]), 999);
	assert_int_equal(fdtable_capacity(&T), 1000);
	assert_int_equal(fdtable_nopen(&T), 5);	/* 0, 1, 2, 100, 999 */
	check_table();
	teardown_table();
}

static void test_close(void **state)
{
	(void)state;
	setup(100, 100);
	assert_int_equal(fdtable_close(&T, 0), -EBADF);
	assert_int_equal(fdtable_close(&T, 50), -EBADF);
	assert_int_equal(fdtable_close(&T, 0xffffffffu), -EBADF);
	assert_int_equal(fdtable_alloc(&T, 0, &F[0]), 0);
	assert_int_equal(fdtable_install(&T, 40, &F[0]), 40);
	assert_int_equal(fdtable_close(&T, 39), -EBADF);
	assert_int_equal(fdtable_close(&T, 40), 0);
	assert_null(fdtable_get(&T, 40));
	assert_int_equal(F[0].refs, 1);
	assert_int_equal(C[0].releases, 1);
	assert_int_equal(fdtable_close(&T, 40), -EBADF);
	assert_int_equal(C[0].releases, 1);
	assert_int_equal(fdtable_close(&T, 0), 0);
	assert_int_equal(fdtable_nopen(&T), 0);
	/* Closing does not shrink: the block stays until close_all. */
	assert_int_equal(fdtable_capacity(&T), 64);
	check_table();
	teardown_table();
}

static void test_close_all(void **state)
{
	unsigned i, holds = 0, releases = 0;

	(void)state;
	setup(5000, 5000);
	for (i = 0; i < 3000; i++)
		assert_int_equal(fdtable_alloc(&T, 0, &F[i % NFILES]), i);
	for (i = 0; i < 3000; i += 7)
		assert_int_equal(fdtable_close(&T, i), 0);
	assert_int_equal(fdtable_install(&T, 4500, &F[1]), 4500);
	assert_int_equal(fdtable_install(&T, 10, &F[2]), 10);
	assert_true(H.live > 0);
	fdtable_close_all(&T);
	for (i = 0; i < NFILES; i++) {
		assert_int_equal(F[i].refs, 0);
		assert_int_equal(C[i].holds, C[i].releases);
		holds += C[i].holds;
		releases += C[i].releases;
	}
	assert_int_equal(holds, 3002);
	assert_int_equal(releases, 3002);
	assert_int_equal(H.live, 0);
	assert_int_equal(H.nfree, H.nalloc);
	assert_int_equal(fdtable_capacity(&T), FD_INLINE);
	assert_int_equal(fdtable_bytes(&T), 0);
	assert_int_equal(fdtable_nopen(&T), 0);
	assert_int_equal(fdtable_limit(&T), 5000);
	check_table();

	/* Usable again, from descriptor 0. */
	assert_int_equal(fdtable_alloc(&T, 0, &F[0]), 0);
	assert_int_equal(fdtable_install(&T, 20, &F[0]), 20);
	check_table();
	teardown_table();

	/* On an inline table: releases, frees nothing. */
	setup(10, 10);
	assert_int_equal(fdtable_alloc(&T, 0, &F[0]), 0);
	assert_int_equal(fdtable_alloc(&T, 0, &F[0]), 1);
	fdtable_close_all(&T);
	assert_int_equal(C[0].releases, 2);
	assert_int_equal(H.nfree, 0);
	/* And on an empty one: nothing. */
	fdtable_close_all(&T);
	assert_int_equal(C[0].releases, 2);
	teardown_table();
}

static void test_set_limit(void **state)
{
	unsigned fd;

	(void)state;
	setup(100, 200);
	assert_int_equal(fdtable_set_limit(&T, 201), -EINVAL);
	assert_int_equal(fdtable_set_limit(&T, 0xffffffffu), -EINVAL);
	assert_int_equal(fdtable_limit(&T), 100);
	assert_int_equal(fdtable_set_limit(&T, 200), 0);
	assert_int_equal(fdtable_limit(&T), 200);

	for (fd = 0; fd < 50; fd++)
		assert_int_equal(fdtable_alloc(&T, 0, &F[fd]), fd);
	/* Lower than what is open: those stay, nothing new above. */
	assert_int_equal(fdtable_set_limit(&T, 10), 0);
	assert_int_equal(fdtable_nopen(&T), 50);
	assert_ptr_equal(fdtable_get(&T, 30), &F[30]);
	assert_int_equal(fdtable_alloc(&T, 0, &F[50]), -EMFILE);
	assert_int_equal(fdtable_install(&T, 30, &F[50]), -EBADF);
	assert_int_equal(fdtable_install(&T, 9, &F[50]), 9);
	assert_int_equal(fdtable_close(&T, 30), 0);
	assert_int_equal(fdtable_alloc(&T, 0, &F[51]), -EMFILE);
	assert_int_equal(fdtable_close(&T, 5), 0);
	assert_int_equal(fdtable_alloc(&T, 0, &F[52]), 5);
	assert_int_equal(fdtable_alloc(&T, 0, &F[53]), -EMFILE);
	check_table();
	/* Raised again: the hole at 30 is the lowest free. */
	assert_int_equal(fdtable_set_limit(&T, 100), 0);
	assert_int_equal(fdtable_alloc(&T, 0, &F[53]), 30);
	assert_int_equal(fdtable_alloc(&T, 0, &F[54]), 50);

	/* The system maximum lowered at run time binds at once. */
	fdtable_set_maxfiles(40);
	assert_int_equal(fdtable_alloc(&T, 0, &F[55]), -EMFILE);
	assert_int_equal(fdtable_install(&T, 45, &F[55]), -EBADF);
	assert_int_equal(fdtable_set_limit(&T, 41), -EINVAL);
	assert_ptr_equal(fdtable_get(&T, 50), &F[54]);
	check_table();
	teardown_table();
}

static void test_asserts(void **state)
{
	(void)state;
	setup(10, 10);
	expect_assert_failure(fdtable_alloc(&T, 0, NULL));
	expect_assert_failure(fdtable_install(&T, 0, NULL));
	expect_assert_failure(fdtable_init(&T, 11));
	expect_assert_failure(fdtable_set_maxfiles(FD_MAXFILES_MAX + 1u));
	assert_int_equal(fdtable_maxfiles(), 10);	/* unchanged */
	fdtable_set_maxfiles(FD_MAXFILES_MAX);
	assert_int_equal(fdtable_maxfiles(), FD_MAXFILES_MAX);
	fdtable_set_maxfiles(10);
	teardown_table();
}

/*
 * The system maximum is fdtable's own: one value for every table, read on
 * every call, so lowering it binds two tables at once, and a table cannot
 * start with a soft limit above it.
 */
static void test_system_maximum_binds_every_table(void **state)
{
	static struct fdtable other;
	unsigned fd;

	(void)state;
	setup(100, 100);
	fdtable_init(&other, 100);
	assert_int_equal(fdtable_maxfiles(), 100);
	for (fd = 0; fd < 20; fd++) {
		assert_int_equal(fdtable_alloc(&T, 0, &F[0]), fd);
		assert_int_equal(fdtable_alloc(&other, 0, &F[1]), fd);
	}
	fdtable_set_maxfiles(20);
	assert_int_equal(fdtable_alloc(&T, 0, &F[0]), -EMFILE);
	assert_int_equal(fdtable_alloc(&other, 0, &F[1]), -EMFILE);
	assert_int_equal(fdtable_set_limit(&other, 21), -EINVAL);
	expect_assert_failure(fdtable_init(&other, 21));
	fdtable_set_maxfiles(100);
	assert_int_equal(fdtable_alloc(&T, 0, &F[0]), 20);
	assert_int_equal(fdtable_alloc(&other, 0, &F[1]), 20);
	/* Both tables' blocks came from kmalloc() and go back to kfree(). */
	fdtable_close_all(&other);
	assert_int_equal(F[1].refs, 0);
	assert_int_equal(C[1].holds, C[1].releases);
	teardown_table();
}

/*
 * NetBSD PR kern/14721: dup() until something gives, with limits of
 * 100,000 on both counts and a heap of `budget` bytes.  Returns what the
 * last dup() returned; the table must be whole at that point, hold
 * exactly what the same growth worked out here predicts, and give every
 * byte back when closed.
 */
#define BOMB_MAX 100000

static int fdbomb(size_t budget)
{
	struct file *f = &F[0];
	unsigned fd, n, cap = FD_INLINE, next;
	size_t live = 0, last = 0;
	int r, want;

	/* The prediction: grow while the new block fits next to the old. */
	for (;;) {
		if (cap == BOMB_MAX) {
			want = -EMFILE;
			break;
		}
		next = MIN(cap * 2, BOMB_MAX);
		last = bytes_for(next);
		if (last > budget - live) {
			want = -ENOMEM;
			break;
		}
		live = last;
		cap = next;
	}

	setup(BOMB_MAX, BOMB_MAX);
	H.budget = budget;
	assert_int_equal(fdtable_alloc(&T, 0, f), 0);
	while ((r = fdtable_alloc(&T, 0, f)) >= 0)
		;
	n = fdtable_nopen(&T);
	assert_int_equal(r, want);
	assert_int_equal(n, cap);
	assert_int_equal(fdtable_capacity(&T), cap);
	assert_int_equal(H.live, live);
	if (last != 0)
		assert_int_equal(H.last, last);
	assert_int_equal(f->refs, n);
	assert_int_equal(C[f - F].holds, n);
	for (fd = 0; fd < n; fd++)
		assert_ptr_equal(fdtable_get(&T, fd), f);
	assert_null(fdtable_get(&T, n));
	check_table();
	teardown_table();
	assert_int_equal(C[f - F].releases, n);
	return r;
}

static void test_fdbomb(void **state)
{
	(void)state;
	/* 256 KiB: some growths, then a block that cannot fit. */
	assert_int_equal(fdbomb(256 * 1024), -ENOMEM);
	assert_true(H.nalloc >= 8);
	/* A heap far too small for even the first growth. */
	assert_int_equal(fdbomb(64), -ENOMEM);
	assert_int_equal(H.nalloc, 0);
	/* Just short of the final block while the old one still exists. */
	assert_int_equal(fdbomb(bytes_for(65536) + bytes_for(BOMB_MAX) - 1),
	                 -ENOMEM);
	assert_int_equal(H.last, bytes_for(BOMB_MAX));
	/* Enough memory: the limit is what stops it, at exactly 100,000. */
	assert_int_equal(fdbomb(SIZE_MAX), -EMFILE);
	assert_int_equal(H.nalloc, 14);	/* 16, ..., 65536, 100000 */
}

/* ------------------------------------------------------ random model */

#define RMAX 2048	/* system maximum of the random test */
#define RFD (RMAX + 64)	/* descriptors tried: some beyond it */
#define ROPS 200000

static struct file *model[RMAX];
static int mrefs[NFILES];
static unsigned mcap, mlimit, mopen;

/* What growth to hold fd makes of the model's capacity. */
static unsigned model_grow(unsigned fd, unsigned lim)
{
	unsigned n = mcap;

	while (n <= fd)
		n *= 2;
	return MIN(n, lim);
}

static void model_put(unsigned fd, struct file *f)
{
	if (model[fd] != NULL)
		mrefs[model[fd] - F]--;
	else
		mopen++;
	model[fd] = f;
	mrefs[f - F]++;
}

/* Everything the table says must be what the model says. */
static void compare_all(void)
{
	unsigned fd;
	size_t i;

	for (fd = 0; fd < RFD; fd++)
		assert_ptr_equal(fdtable_get(&T, fd),
		                 fd < RMAX ? model[fd] : NULL);
	for (i = 0; i < NFILES; i++)
		assert_int_equal(F[i].refs, mrefs[i]);
	check_table();
}

static void test_random_against_model(void **state)
{
	unsigned iter, op, fd, lim, want;
	struct file *f;
	int r;
	/* Outcomes seen, so the run is known to reach every path. */
	unsigned nok = 0, nmfile = 0, nnomem = 0, nbadf = 0, ngrow = 0;
	unsigned nclosed = 0, nreplaced = 0, maxcap = 0;

	(void)state;
	rng_seed(0xfd7ab1e5eedULL);
	setup(RMAX, RMAX);
	memset(model, 0, sizeof(model));
	memset(mrefs, 0, sizeof(mrefs));
	mcap = FD_INLINE;
	mlimit = RMAX;
	mopen = 0;

	for (iter = 0; iter < ROPS; iter++) {
		op = rng_below(100);
		lim = MIN(mlimit, RMAX);
		f = &F[rng_below(NFILES)];
		H.fail = rng_below(8) == 0;
		/* Mostly around the open ones, sometimes anywhere at all. */
		fd = rng_below(4) == 0 ? rng_below(RFD)
		                       : rng_below(mopen + mopen / 4 + 8);
		if (op < 35) {
			/* open/dup (minfd 0) or F_DUPFD (minfd fd). */
			unsigned minfd = op < 25 ? 0 : fd;

			for (want = minfd; want < RMAX && model[want] != NULL;
			     want++)
				;
			r = fdtable_alloc(&T, minfd, f);
			if (minfd >= lim || want >= lim) {
				assert_int_equal(r, -EMFILE);
				nmfile++;
			} else if (want >= mcap && H.fail) {
				assert_int_equal(r, -ENOMEM);
				nnomem++;
			} else {
				assert_int_equal(r, want);
				if (want >= mcap) {
					mcap = model_grow(want, lim);
					ngrow++;
				}
				model_put(want, f);
				nok++;
			}
		} else if (op < 47) {
			/* dup2 */
			r = fdtable_install(&T, fd, f);
			if (fd >= lim) {
				assert_int_equal(r, -EBADF);
				nbadf++;
			} else if (fd >= mcap && H.fail) {
				assert_int_equal(r, -ENOMEM);
				nnomem++;
			} else {
				assert_int_equal(r, fd);
				if (fd >= mcap) {
					mcap = model_grow(fd, lim);
					ngrow++;
				}
				nreplaced += model[fd] != NULL;
				model_put(fd, f);
				nok++;
			}
		} else if (op < 87) {
			/* Half of them close an open descriptor. */
			if (mopen > 0 && rng_below(2))
				for (fd = rng_below(mcap); model[fd] == NULL;
				     fd = (fd + 1) % mcap)
					;
			r = fdtable_close(&T, fd);
			if (fd >= RMAX || model[fd] == NULL) {
				assert_int_equal(r, -EBADF);
			} else {
				assert_int_equal(r, 0);
				nclosed++;
				mrefs[model[fd] - F]--;
				model[fd] = NULL;
				mopen--;
			}
		} else if (op < 94) {
			assert_ptr_equal(fdtable_get(&T, fd),
			                 fd < RMAX ? model[fd] : NULL);
		} else if (op < 98) {
			/* Mostly high limits, sometimes a low one. */
			want =
			    rng_below(4) ? rng_below(RMAX + 50) : rng_below(64);
			r = fdtable_set_limit(&T, want);
			if (want > RMAX) {
				assert_int_equal(r, -EINVAL);
			} else {
				assert_int_equal(r, 0);
				mlimit = want;
			}
		} else if (rng_below(5) == 0) {
			/* exit and exec: one in 500 operations */
			fdtable_close_all(&T);
			memset(model, 0, sizeof(model));
			memset(mrefs, 0, sizeof(mrefs));
			mcap = FD_INLINE;
			mopen = 0;
		}

		assert_int_equal(fdtable_nopen(&T), mopen);
		assert_int_equal(fdtable_capacity(&T), mcap);
		assert_int_equal(fdtable_limit(&T), mlimit);
		assert_int_equal(H.live, fdtable_bytes(&T));
		if (fd < RMAX)
			assert_ptr_equal(fdtable_get(&T, fd), model[fd]);
		if (iter % 512 == 0)
			compare_all();
		maxcap = MAX(maxcap, mcap);
	}
	compare_all();
	print_message("random: %u made, %u closed, %u replaced, %u grew "
	              "(largest %u), %u EMFILE, %u ENOMEM, %u EBADF\n",
	              nok, nclosed, nreplaced, ngrow, maxcap, nmfile, nnomem,
	              nbadf);
	assert_true(nok > 20000 && nclosed > 20000 && nreplaced > 1000);
	assert_true(ngrow > 100 && maxcap == RMAX);
	assert_true(nmfile > 1000 && nnomem > 100 && nbadf > 1000);
	H.fail = false;
	teardown_table();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_inline),
		cmocka_unit_test(test_bytes_for),
		cmocka_unit_test(test_lowest_free_order),
		cmocka_unit_test(test_lowest_free_across_words),
		cmocka_unit_test(test_growth_doubling),
		cmocka_unit_test(test_enomem_leaves_table),
		cmocka_unit_test(test_emfile_at_limit),
		cmocka_unit_test(test_install),
		cmocka_unit_test(test_close),
		cmocka_unit_test(test_close_all),
		cmocka_unit_test(test_set_limit),
		cmocka_unit_test(test_asserts),
		cmocka_unit_test(test_system_maximum_binds_every_table),
		cmocka_unit_test(test_fdbomb),
		cmocka_unit_test(test_random_against_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
