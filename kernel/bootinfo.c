/*
 * kernel/bootinfo.c - copying the Multiboot information (spec 3.3).
 *
 * Every pointer in it is physical; boot.S maps physical 0..1 GiB at
 * KERNBASE until mm/paging.c takes over, and until then P2V() reaches what
 * mm/kva.h's early layout calls the direct map: all of that but the top
 * 2 MiB.  Anything a loader put higher is refused with a warning rather
 * than read through an address the direct map does not cover.
 */
#include "kernel/bootinfo.h"

#include "boot/multiboot.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/kstring.h"
#include "kernel/debug/panic.h"
#include "mm/kva.h"

struct bootinfo bootinfo;

static const void *early_ptr(uint64_t pa, uint64_t len, const char *what)
{
	if (pa + len > kva_direct_bytes() || pa + len < pa) {
		kprintf("bootinfo: warning: %s at %llx is above the early "
		        "mapping; ignored\n", what, (unsigned long long)pa);
		return NULL;
	}
	return P2V(pa);
}

/* Copies a string of at most cap - 1 bytes; returns false if cap cut
 * it short. */
static bool copy_string(char *dst, size_t cap, uint32_t pa, const char *what)
{
	const char *s = early_ptr(pa, 1, what);
	paddr_t top = kva_direct_bytes();
	size_t i;

	dst[0] = '\0';
	if (s == NULL)
		return true;
	for (i = 0; i + 1 < cap && s[i] != '\0' && pa + i < top; i++)
		dst[i] = s[i];
	dst[i] = '\0';
	return pa + i >= top || s[i] == '\0';
}

/*
 * A command line too long for bootinfo.cmdline loses its end.  Cut it
 * after the last whole word, so that no option arrives half-written, and
 * say what happened.
 */
static void copy_cmdline(uint32_t pa)
{
	char *line = bootinfo.cmdline;
	size_t len;

	if (copy_string(line, sizeof(bootinfo.cmdline), pa, "command line"))
		return;
	len = strlen(line);
	while (len > 0 && line[len - 1] != ' ')
		len--;
	line[len] = '\0';
	kprintf("boot: warning: the command line is longer than %d characters; "
	        "kept its first %u, up to the last whole word, and ignored the "
	        "rest\n", BOOT_CMDLINE_MAX - 1, (unsigned)len);
}

static void copy_mmap(const struct multiboot_info *mbi)
{
	const uint8_t *p = early_ptr(mbi->mmap_addr, mbi->mmap_length, "mmap");
	const uint8_t *end = p + mbi->mmap_length;

	if (p == NULL)
		return;
	while (p + sizeof(struct multiboot_mmap_entry) <= end &&
	       bootinfo.nmmap < MEMMAP_MAX_ENTRIES) {
		const struct multiboot_mmap_entry *e = (const void *)p;
		bootinfo.mmap[bootinfo.nmmap++] = (struct memmap_entry){
			e->addr, e->len, e->type
		};
		if (e->size < sizeof(*e) - sizeof(e->size))
			break;	/* a malformed size would loop forever */
		p += e->size + sizeof(e->size);
	}
	bootinfo.mmap_from_firmware = true;
}

/* Without a map: conventional memory, then RAM from 1 MiB (spec 3.3). */
static void mmap_from_sizes(const struct multiboot_info *mbi)
{
	bootinfo.mmap[0] = (struct memmap_entry){ 0, KiB(mbi->mem_lower),
	                                          MEMMAP_AVAILABLE };
	bootinfo.mmap[1] = (struct memmap_entry){ MiB(1), KiB(mbi->mem_upper),
	                                          MEMMAP_AVAILABLE };
	bootinfo.nmmap = 2;
}

/*
 * The program a module holds, from its string.  QEMU's -initrd gives it
 * "path/NAME.elf"; GRUB 2 gives only the words after the file on the
 * `module` line, and grub.cfg puts NAME there.  Either way NAME is the
 * last word's last path component, without ".elf".
 */
static void program_of(const char *string, char *out, size_t cap)
{
	const char *word = string, *base;
	size_t len;

	for (const char *s = string; *s != '\0'; s++)
		if (*s != ' ' && (s == string || s[-1] == ' '))
			word = s;
	base = word;
	for (const char *s = word; *s != '\0' && *s != ' '; s++)
		if (*s == '/')
			base = s + 1;
	for (len = 0; base[len] != '\0' && base[len] != ' '; len++)
		;
	if (len > 4 && strncmp(base + len - 4, ".elf", 4) == 0)
		len -= 4;
	len = MIN(len, cap - 1);
	memcpy(out, base, len);
	out[len] = '\0';
}

static void copy_modules(const struct multiboot_info *mbi)
{
	const struct multiboot_module *m =
		early_ptr(mbi->mods_addr, mbi->mods_count * sizeof(*m),
		          "modules");

	for (uint32_t i = 0; m != NULL && i < mbi->mods_count; i++) {
		struct boot_module *b;
		if (bootinfo.nmodules == BOOT_MODULES_MAX) {
			kprintf("bootinfo: warning: only %d modules are kept\n",
			        BOOT_MODULES_MAX);
			break;
		}
		b = &bootinfo.modules[bootinfo.nmodules++];
		b->start = m[i].mod_start;
		b->end = m[i].mod_end;
		copy_string(b->name, sizeof(b->name), m[i].string,
		            "module name");
		program_of(b->name, b->program, sizeof(b->program));
	}
}

void bootinfo_init(uint32_t magic, uint32_t mbi_pa)
{
	const struct multiboot_info *mbi;

	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not started by a Multiboot loader (eax = %08x, expected "
		      "%08x)", magic, MULTIBOOT_BOOTLOADER_MAGIC);
	mbi = early_ptr(mbi_pa, sizeof(*mbi), "multiboot info");
	if (mbi == NULL)
		panic("the Multiboot information is out of reach");
	if (mbi->flags & MBI_CMDLINE)
		copy_cmdline(mbi->cmdline);
	if (mbi->flags & MBI_LOADER)
		copy_string(bootinfo.loader, sizeof(bootinfo.loader),
		            mbi->boot_loader_name, "loader name");
	if (mbi->flags & MBI_MMAP)
		copy_mmap(mbi);
	if (bootinfo.nmmap == 0 && (mbi->flags & MBI_MEMORY))
		mmap_from_sizes(mbi);
	if (bootinfo.nmmap == 0)
		panic("the boot loader gave no memory map and no memory size");
	if (mbi->flags & MBI_MODS)
		copy_modules(mbi);
}

static const char *type_name(uint32_t type)
{
	switch (type) {
	case MEMMAP_AVAILABLE: return "usable";
	case MEMMAP_ACPI_RECLAIM: return "ACPI reclaimable";
	case MEMMAP_ACPI_NVS: return "ACPI NVS";
	case MEMMAP_BADRAM: return "defective";
	default: return "reserved";
	}
}

void bootinfo_print_mmap(void)
{
	kprintf("firmware memory map (%s):\n", bootinfo.mmap_from_firmware ?
	        "from the boot loader" : "built from mem_lower/mem_upper");
	kprintf("  start              last                size(KiB)  type\n");
	for (size_t i = 0; i < bootinfo.nmmap; i++) {
		const struct memmap_entry *e = &bootinfo.mmap[i];
		kprintf("  %016llx - %016llx  %10llu  %s\n",
		        (unsigned long long)e->base,
		        (unsigned long long)(e->base + e->len - (e->len != 0)),
		        (unsigned long long)(e->len >> 10), type_name(e->type));
	}
}

bool bootinfo_find_module(const char *name, const void **image, size_t *size)
{
	for (size_t i = 0; i < bootinfo.nmodules; i++) {
		const struct boot_module *m = &bootinfo.modules[i];
		if (strcmp(m->program, name) != 0)
			continue;
		if (m->end > kva_end(KVA_DIRECT) - KERNBASE ||
		    m->end < m->start) {
			kprintf("bootinfo: module %s at %llx is outside the "
			        "direct map\n", name,
			        (unsigned long long)m->start);
			return false;
		}
		*image = P2V(m->start);
		*size = (size_t)(m->end - m->start);
		return true;
	}
	return false;
}
