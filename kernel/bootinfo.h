/*
 * kernel/bootinfo.h - what the boot loader told us, copied into the kernel.
 *
 * The Multiboot structures live in memory the boot loader chose, which the
 * frame allocator will hand out.  bootinfo_init() therefore copies what the
 * kernel needs (command line, memory map, modules) into its own storage
 * first thing, through the early boot mapping of the first 1 GiB.
 */
#ifndef KIVA_KERNEL_BOOTINFO_H
#define KIVA_KERNEL_BOOTINFO_H

#include "mm/memmap.h"

#define BOOT_CMDLINE_MAX 512
#define BOOT_MODULES_MAX 16
#define BOOT_NAME_MAX 64

#define PROGRAM_NAME_MAX 16

struct boot_module {
	paddr_t start, end;	/* the module's bytes, [start, end) */
	char name[BOOT_NAME_MAX];	/* the boot loader's string for it */
	char program[PROGRAM_NAME_MAX];	/* what `run` calls it: "fdbomb" */
};

struct bootinfo {
	char cmdline[BOOT_CMDLINE_MAX];
	char loader[BOOT_NAME_MAX];
	struct memmap_entry mmap[MEMMAP_MAX_ENTRIES];
	size_t nmmap;
	bool mmap_from_firmware;	/* false: built from mem_lower/upper */
	struct boot_module modules[BOOT_MODULES_MAX];
	size_t nmodules;
};

extern struct bootinfo bootinfo;

/*
 * Copies the Multiboot information at physical address mbi.  Panics when
 * magic shows no Multiboot loader started us or no memory size was given:
 * without a memory map there is nothing to run on.
 */
void bootinfo_init(uint32_t magic, uint32_t mbi);

/*
 * The module holding program `name` (struct boot_module's `program`).
 * Sets *image to its bytes through the direct map and *size.
 * Returns false when there is no such module, or it lies beyond the
 * direct map (it is then reported).
 */
bool bootinfo_find_module(const char *name, const void **image, size_t *size);

/* Prints the firmware memory map as received. */
void bootinfo_print_mmap(void);

#endif
