/*
 * kernel/options.c - the boot option table.
 */
#include "kernel/options.h"

#include "kernel/lib/kprintf.h"

struct boot_options boot_options;

static const struct cmdline_option table[] = {
	{ "test", OPT_STRING, true, &boot_options.test,
	  "run every in-kernel test (test=NAME,NAME: only those), then exit QEMU" },
	{ "kmem_map", OPT_SIZE, false, &boot_options.kmem_map,
	  "size of the interrupt-safe kmem_map region, e.g. kmem_map=16M" },
	{ "kmem_debug", OPT_FLAG, false, &boot_options.kmem_debug,
	  "kmalloc debugging: poison freed memory, redzones, use-after-free checks" },
	{ "fail", OPT_STRING, false, &boot_options.fail,
	  "kmalloc fault injection: nth:N, every:N, random:P:SEED [,type=T][,alloc=intr|nointr]" },
	{ "test_fail", OPT_STRING, false, &boot_options.test_fail,
	  "run each in-kernel test under this fail= spec, counted from the test's start" },
	{ "kmemtrace", OPT_STRING, true, &boot_options.kmemtrace,
	  "print kmalloc's figures every MS ms (kmemtrace=MS; default 100) for make plot" },
	{ "kmem_design", OPT_STRING, false, &boot_options.kmem_design,
	  "kmem_design=2003 rebuilds the 2001/2003 design to teach its panic "
	  "(FreeBSD 5's kmem_map sizing, no M_NOINTR); default: kiva" },
	{ "magazines", OPT_STRING, false, &boot_options.magazines,
	  "per-CPU magazines in front of kmalloc's pools: on (default) or off, "
	  "to compare" },
	{ "ncpus", OPT_SIZE, false, &boot_options.ncpus,
	  "start at most N CPUs (ncpus=1: the uniprocessor path); default: all, up to 8" },
	{ "lockdebug", OPT_FLAG, false, &boot_options.lockdebug,
	  "check the order spinlocks are taken in; report reversals with both call chains" },
};

void options_parse(const char *cmdline)
{
	cmdline_parse(cmdline, table, ARRAY_SIZE(table));
}

void options_print(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		kprintf("  %-11s %s\n", table[i].key, table[i].help);
}
