/*
 * boot/multiboot.h - the Multiboot (version 1) structures the kernel reads.
 *
 * Field names and bit numbers follow the Multiboot Specification 0.6.96,
 * section 3.1 (the header in the kernel image) and 3.3 (the information
 * structure the boot loader passes in EBX).  All addresses in these
 * structures are physical.
 */
#ifndef KIVA_BOOT_MULTIBOOT_H
#define KIVA_BOOT_MULTIBOOT_H

/* The header fields, used by boot/boot.S too: no C-only suffixes. */
#define MULTIBOOT_HEADER_MAGIC 0x1BADB002     /* spec 3.1.2 */
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002 /* in EAX at entry, spec 3.2 */
#define MULTIBOOT_PAGE_ALIGN (1 << 0)         /* modules page aligned */
#define MULTIBOOT_MEMORY_INFO (1 << 1)        /* want mem_* and mmap_* */

#ifndef __ASSEMBLY__
#include <stdint.h>

/* Bits of multiboot_info.flags saying which fields are valid (spec 3.3). */
#define MBI_MEMORY (1u << 0)  /* mem_lower, mem_upper */
#define MBI_CMDLINE (1u << 2) /* cmdline */
#define MBI_MODS (1u << 3)    /* mods_count, mods_addr */
#define MBI_MMAP (1u << 6)    /* mmap_length, mmap_addr */
#define MBI_LOADER (1u << 9)  /* boot_loader_name */

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower; /* KiB below 1 MiB */
	uint32_t mem_upper; /* KiB from 1 MiB to the first hole */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count;
	uint32_t mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length;
	uint32_t mmap_addr;
	uint32_t drives_length;
	uint32_t drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
} __attribute__((packed));

/*
 * One memory map entry.  `size` counts the bytes after itself, so the next
 * entry starts at (char *)entry + size + 4; a loader may use a larger size
 * than this structure (spec 3.3, "mmap_*").
 */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	/* 1 RAM, 3 ACPI reclaimable, 4 NVS, 5 bad, else reserved */
	uint32_t type;
} __attribute__((packed));

struct multiboot_module {
	uint32_t mod_start;
	uint32_t mod_end;
	uint32_t string;
	uint32_t reserved;
} __attribute__((packed));
#endif

#endif
