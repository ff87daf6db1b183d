/*
 * drivers/mptable.c - the CPUs and interrupt controllers from the Intel
 * MultiProcessor Specification 1.4's MP table (drivers/mpconfig.h), for
 * firmware without ACPI.  Section numbers are the MP spec's.
 *
 *   1. The floating pointer, "_MP_" on a 16-byte boundary in the first KiB
 *      of the EBDA, or else in the last KiB of base memory, or in the BIOS
 *      ROM at 0xF0000-0xFFFFF (4.1): 16 bytes and a checksum.  A nonzero
 *      first feature byte names a default configuration (5) with no table
 *      to read: Kiva then says "not found" and stays on one CPU.
 *   2. The configuration table it points to, "PCMP" (4.2), checked whole;
 *      then its entries (4.3), whose lengths the type gives: processors (20
 *      bytes), buses, I/O APICs and interrupt assignments (8 bytes each).
 *
 * The table names no global interrupt numbers: the I/O APICs' inputs are
 * numbered in table order, 24 an I/O APIC (the 82093AA's count, which is
 * exact for the one I/O APIC of PCs and QEMU).
 */
#include "drivers/mpconfig.h"

#include "kernel/lib/kstring.h"

#define EBDA_SEGMENT_PTR 0x40e		/* BIOS data area: EBDA >> 4 */
#define BASE_MEMORY_KIB_PTR 0x413	/* BIOS data area: KiB below 640K */
#define SEARCH_BYTES 1024
#define BIOS_ROM_START 0xf0000
#define BIOS_ROM_END 0x100000
#define FLOATING_ALIGN 16
#define TABLE_MAX_BYTES 0x10000
#define IOAPIC_INPUTS 24

#define FEATURE2_IMCR 0x80		/* PIC mode: an IMCR exists (3.6.2.1) */
#define ENTRY_PROCESSOR 0
#define ENTRY_BUS 1
#define ENTRY_IOAPIC 2
#define ENTRY_IO_INTERRUPT 3
#define ENTRY_LOCAL_INTERRUPT 4
#define PROCESSOR_ENTRY_BYTES 20
#define OTHER_ENTRY_BYTES 8
#define CPU_ENABLED 0x1
#define CPU_BOOT 0x2
#define IOAPIC_ENABLED 0x1
#define INT_TYPE_INT 0			/* a vectored interrupt (4.3.4) */
#define MAX_BUSES 256

/* Polarity and trigger in an interrupt entry (4.3.4, Table 4-10). */
#define PO_MASK 0x3
#define PO_ACTIVE_LOW 0x3
#define EL_MASK 0xc
#define EL_LEVEL 0xc

struct floating {
	char signature[4];
	uint32_t table;
	uint8_t length;			/* in 16-byte units: 1 */
	uint8_t revision;
	uint8_t checksum;
	uint8_t feature[5];
} __attribute__((packed));

struct table_header {
	char signature[4];
	uint16_t length;		/* the base table, header included */
	uint8_t revision;
	uint8_t checksum;
	char oem[8];
	char product[12];
	uint32_t oem_table;
	uint16_t oem_table_size;
	uint16_t entries;
	uint32_t lapic_phys;
	uint16_t ext_length;
	uint8_t ext_checksum;
	uint8_t reserved;
} __attribute__((packed));

static uint8_t table[TABLE_MAX_BYTES];

static bool search(const struct phys_reader *r, paddr_t start, paddr_t end,
                   struct floating *out)
{
	for (paddr_t pa = start; pa + sizeof(*out) <= end; pa += FLOATING_ALIGN)
		if (phys_read(r, pa, out, sizeof(*out)) &&
		    memcmp(out->signature, "_MP_", 4) == 0 &&
		    mp_checksum_ok(out, sizeof(*out)))
			return true;
	return false;
}

static bool find_floating(const struct phys_reader *r, struct floating *out)
{
	uint16_t segment = 0, base_kib = 0;

	if (phys_read(r, EBDA_SEGMENT_PTR, &segment, 2) && segment != 0) {
		paddr_t ebda = (paddr_t)segment << 4;
		if (search(r, ebda, ebda + SEARCH_BYTES, out))
			return true;
	} else if (phys_read(r, BASE_MEMORY_KIB_PTR, &base_kib, 2) &&
	           base_kib != 0) {
		paddr_t top = (paddr_t)base_kib << 10;
		if (search(r, top - SEARCH_BYTES, top, out))
			return true;
	}
	return search(r, BIOS_ROM_START, BIOS_ROM_END, out);
}

static unsigned int_flags(uint16_t f)
{
	return ((f & PO_MASK) == PO_ACTIVE_LOW ? MP_POLARITY_LOW : 0) |
	       ((f & EL_MASK) == EL_LEVEL ? MP_TRIGGER_LEVEL : 0);
}

/* The global interrupt of input `pin` of the I/O APIC with this id. */
static bool ioapic_gsi(const struct mp_config *cfg, uint8_t id, uint8_t pin,
                       uint32_t *gsi)
{
	for (unsigned i = 0; i < cfg->nioapics; i++)
		if (cfg->ioapics[i].id == id) {
			*gsi = cfg->ioapics[i].gsi_base + pin;
			return true;
		}
	return false;
}

/*
 * The entries, in two passes: first the buses and I/O APICs, which the
 * interrupt entries name, then the processors and interrupts.  Returns
 * false when an entry runs past the table or has an unknown type.
 */
static bool read_entries(struct mp_config *cfg, const uint8_t *e,
                         const uint8_t *end, int pass, bool *isa_bus)
{
	while (e < end) {
		size_t len = e[0] == ENTRY_PROCESSOR ? PROCESSOR_ENTRY_BYTES
		                                     : OTHER_ENTRY_BYTES;
		uint32_t u32, gsi;
		uint16_t u16;

		if (e[0] > ENTRY_LOCAL_INTERRUPT || e + len > end)
			return false;
		if (pass == 0 && e[0] == ENTRY_BUS) {
			isa_bus[e[1]] = memcmp(e + 2, "ISA   ", 6) == 0;
		} else if (pass == 0 && e[0] == ENTRY_IOAPIC &&
		           (e[3] & IOAPIC_ENABLED)) {
			memcpy(&u32, e + 4, 4);
			mp_add_ioapic(cfg, e[1], u32,
			              cfg->nioapics * IOAPIC_INPUTS);
		} else if (pass == 1 && e[0] == ENTRY_PROCESSOR &&
		           (e[3] & CPU_ENABLED)) {
			mp_add_cpu(cfg, e[1]);
			/* The boot CPU goes first. */
			if ((e[3] & CPU_BOOT) && cfg->ncpus > 1 &&
			    cfg->apic_ids[cfg->ncpus - 1] == e[1]) {
				uint8_t t = cfg->apic_ids[0];
				cfg->apic_ids[0] = e[1];
				cfg->apic_ids[cfg->ncpus - 1] = t;
			}
		} else if (pass == 1 && e[0] == ENTRY_IO_INTERRUPT &&
		           e[1] == INT_TYPE_INT && isa_bus[e[4]] &&
		           ioapic_gsi(cfg, e[6], e[7], &gsi)) {
			memcpy(&u16, e + 2, 2);
			mp_add_override(cfg, e[5], gsi, int_flags(u16));
		}
		e += len;
	}
	return true;
}

bool mptable_read(const struct phys_reader *r, struct mp_config *cfg)
{
	static bool isa_bus[MAX_BUSES];
	struct floating fp;
	struct table_header h;
	const uint8_t *end;
	bool ok;

	memset(cfg, 0, sizeof(*cfg));
	if (!find_floating(r, &fp) || fp.feature[0] != 0 || fp.table == 0 ||
	    !phys_read(r, fp.table, &h, sizeof(h)) ||
	    memcmp(h.signature, "PCMP", 4) != 0 || h.length < sizeof(h) ||
	    !phys_read(r, fp.table, table, h.length) ||
	    !mp_checksum_ok(table, h.length))
		return false;
	memset(isa_bus, 0, sizeof(isa_bus));
	cfg->source = "MP table";
	cfg->lapic_phys = h.lapic_phys;
	cfg->has_8259 = true;	/* PIC or virtual-wire mode: both have them */
	end = table + h.length;
	ok = read_entries(cfg, table + sizeof(h), end, 0, isa_bus) &&
	     read_entries(cfg, table + sizeof(h), end, 1, isa_bus);
	if (!ok || cfg->ncpus == 0) {
		memset(cfg, 0, sizeof(*cfg));
		return false;
	}
	cfg->imcr_present = (fp.feature[1] & FEATURE2_IMCR) != 0;
	return true;
}
