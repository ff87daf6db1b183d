/*
 * mm/memmap.h - find the usable RAM in the firmware memory map.
 *
 * The bootloader passes the BIOS memory map on (Multiboot 0.6.96, 3.3).
 * memmap_usable() turns it, minus the ranges the kernel already uses, into
 * a short sorted list of whole pages that the frame allocator may take.
 * See mm/memmap.c for the rules and why they are what they are.
 */
#ifndef KIVA_MM_MEMMAP_H
#define KIVA_MM_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/lib/types.h"

#define MEMMAP_MAX_ENTRIES	128	/* firmware entries looked at */
#define MEMMAP_MAX_EXCLUDED	32	/* excluded ranges accepted */

/*
 * Nothing at or above this address is returned: every frame number, and
 * the frame number one past the last frame, must fit in a pfn_t.
 */
#define MEMMAP_PADDR_LIMIT	((paddr_t)UINT32_MAX << PAGE_SHIFT)

/*
 * The PC's legacy area, the first MiB: real-mode vectors and BIOS data,
 * the video hole (VGA) and the option ROMs.  Never allocated (mm/mm.c),
 * always mapped (mm/paging.c).
 */
#define MEMMAP_LEGACY_END	MiB(1)

/* Memory map entry types (Multiboot 0.6.96, 3.3); any other is reserved. */
enum memmap_type {
	MEMMAP_AVAILABLE = 1,		/* RAM: the only usable type */
	MEMMAP_RESERVED = 2,
	MEMMAP_ACPI_RECLAIM = 3,	/* ACPI tables; RAM once read */
	MEMMAP_ACPI_NVS = 4,		/* kept across hibernation */
	MEMMAP_BADRAM = 5,		/* defective RAM */
};

/* One firmware entry, as the bootloader describes it. */
struct memmap_entry {
	uint64_t	base;
	uint64_t	len;		/* base + len may exceed 2^64 */
	uint32_t	type;		/* enum memmap_type */
};

/* A physical address range [base, end). */
struct mem_range {
	paddr_t		base;
	paddr_t		end;		/* exclusive */
};

/* What memmap_usable() reports besides the ranges: a bit mask. */
enum memmap_flags {
	MEMMAP_ENTRIES_IGNORED = 0x1,	/* past MEMMAP_MAX_ENTRIES */
	MEMMAP_OUT_TRUNCATED = 0x2,	/* out[] full: highest ranges lost */
	MEMMAP_TOO_MANY_EXCLUDED = 0x4,	/* past MEMMAP_MAX_EXCLUDED */
};

size_t		memmap_usable(const struct memmap_entry *map, size_t nmap,
		    const struct mem_range *excl, size_t nexcl,
		    paddr_t maxphys, struct mem_range *out, size_t cap,
		    unsigned *flags);
uint64_t	memmap_total(const struct mem_range *r, size_t n);

#endif
