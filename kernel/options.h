/*
 * kernel/options.h - every boot option the kernel understands, in one
 * place.  The README's option table lists the same ones.
 */
#ifndef KIVA_KERNEL_OPTIONS_H
#define KIVA_KERNEL_OPTIONS_H

#include "kernel/lib/cmdline.h"

struct boot_options {
	struct string_option test;	/* run in-kernel tests, then exit QEMU */
	struct size_option kmem_map;	/* kmem_map size; absent: automatic */
	bool kmem_debug;		/* poison, redzones, use-after-free checks */
	struct string_option fail;	/* kmalloc fault injection spec */
	struct string_option test_fail;	/* the spec each test runs under */
	struct string_option kmemtrace;	/* trace period (ms); "": default */
	struct string_option kmem_design; /* "2003": the design of the 2003
					     panic, to teach it (mm/kmem.h) */
	struct string_option magazines;	/* "off": no per-CPU magazines */
	struct size_option ncpus;	/* at most N CPUs; absent: all */
	bool lockdebug;			/* report lock-order reversals */
};

extern struct boot_options boot_options;

/* Parses the Multiboot command line into boot_options (warns, never fails). */
void options_parse(const char *cmdline);

/* Lists the options with one line of help each. */
void options_print(void);

#endif
