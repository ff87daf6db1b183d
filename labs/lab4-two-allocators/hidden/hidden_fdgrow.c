/*
 * labs/lab4-two-allocators/hidden/hidden_fdgrow.c - a hidden host test
 * (an example): a table grown to 5,000 slots asks kmalloc for
 * M_NOWAIT | M_NOINTR every time, and gives every byte back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "kernel/proc/fdtable.h"
#include "kernel/proc/file.h"
#include "mm/kmem.h"

static struct file the_file;
static unsigned requests, wrong_flags;
static long live;

void file_hold(struct file *f)
{
	f->refs++;
}

void file_release(struct file *f)
{
	f->refs--;
}

bool kmem_design_2003(void)
{
	return false;
}

void *kmalloc(size_t bytes, int type, int flags)
{
	size_t *p = malloc(sizeof(size_t) + bytes);

	requests++;
	wrong_flags += type != M_FDESC || flags != (M_NOWAIT | M_NOINTR);
	*p = bytes;
	live += (long)bytes;
	return p + 1;
}

void kfree(void *q)
{
	size_t *p = (size_t *)q - 1;

	live -= (long)*p;
	free(p);
}

static void test_growth_flags(void **state)
{
	struct fdtable t;

	(void)state;
	fdtable_set_maxfiles(5000);
	fdtable_init(&t, 5000);
	while (fdtable_alloc(&t, 0, &the_file) >= 0)
		;
	assert_int_equal(fdtable_nopen(&t), 5000);
	assert_true(requests >= 9);	/* 8 -> 16 -> ... -> 5000 */
	assert_int_equal(wrong_flags, 0);
	fdtable_close_all(&t);
	assert_int_equal(live, 0);
	assert_int_equal(the_file.refs, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_growth_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
