/*
 * mm/kmem_types.h - what kmalloc's front end (mm/kmem.h) and the
 * allocators behind it (mm/kmem_allocator.h) both speak of: the malloc
 * types and an allocator's statistics.  Kernel code includes mm/kmem.h,
 * which includes this.
 */
#ifndef KIVA_MM_KMEM_TYPES_H
#define KIVA_MM_KMEM_TYPES_H

#include "kernel/lib/types.h"

/* Malloc types: statistics are kept per type (see `kmem`). */
enum kmem_type {
	M_TEMP,		/* short-lived scratch */
	M_DEVBUF,	/* device driver buffers */
	M_FDESC,	/* file-descriptor tables */
	M_PROC,		/* process structures */
	M_THREAD,	/* thread structures and stacks */
	M_TTY,		/* console input buffers */
	M_VMEM,		/* allocator metadata; the pools of the magazines,
			   which kmem counts apart (mm/kmem.c) */
	M_TEST,		/* in-kernel tests */
	M_NTYPES
};

/* One allocator's VA, in bytes (printed by kmem_print()). */
struct kmem_allocator_stats {
	size_t size, used, free, largest_free;
};

#endif
