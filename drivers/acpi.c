/*
 * drivers/acpi.c - the CPUs and interrupt controllers from ACPI's MADT
 * (drivers/mpconfig.h).  Section numbers are the ACPI spec 6.4's.
 *
 * The path to the MADT:
 *
 *   1. the RSDP, "RSD PTR " on a 16-byte boundary in the first KiB of the
 *      Extended BIOS Data Area or in the BIOS area 0xE0000-0xFFFFF
 *      (5.2.5.1), its checksum over the first 20 bytes, and for revision
 *      2 and later over all of its Length too (5.2.5.3);
 *   2. the XSDT (revision >= 2 and a table below 4 GiB: Kiva reads 32-bit
 *      physical addresses only through the direct reader) or else the
 *      RSDT: a header (5.2.6) and an array of table addresses;
 *   3. the table whose signature is "APIC" (5.2.12), checked whole.
 *
 * Every table is read through the phys_reader and its length bounded
 * before its checksum is added up, so a corrupt one is skipped.
 */
#include "drivers/mpconfig.h"

#include "kernel/lib/kstring.h"

#define EBDA_SEGMENT_PTR 0x40e		/* BIOS data area: EBDA >> 4 */
#define EBDA_SEARCH_BYTES 1024
#define BIOS_AREA_START 0xe0000
#define BIOS_AREA_END 0x100000
#define RSDP_ALIGN 16
#define RSDP_V1_BYTES 20
#define RSDP_MAX_BYTES 64
#define TABLE_MAX_BYTES 0x10000		/* more than any MADT needs */
#define PHYS_4G 0x100000000ull

#define MADT_PCAT_COMPAT 0x1		/* MADT flags: 8259s present */
#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_OVERRIDE 2
#define MADT_LAPIC_ADDR 5
#define LAPIC_ENABLED 0x1
#define LAPIC_ONLINE_CAPABLE 0x2
#define ISA_BUS 0

/* MPS INTI flags (5.2.12.5, Table 5.26). */
#define INTI_POLARITY_MASK 0x3
#define INTI_POLARITY_LOW 0x3
#define INTI_TRIGGER_MASK 0xc
#define INTI_TRIGGER_LEVEL 0xc

struct rsdp {
	char signature[8];
	uint8_t checksum;
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;		/* revision >= 2 */
	uint64_t xsdt;
	uint8_t extended_checksum;
	uint8_t reserved[3];
} __attribute__((packed));

struct sdt_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem[6];
	char oem_table[8];
	uint32_t oem_revision;
	uint32_t creator;
	uint32_t creator_revision;
} __attribute__((packed));

struct madt {
	struct sdt_header h;
	uint32_t lapic_phys;
	uint32_t flags;
} __attribute__((packed));

/* A whole table, read into one buffer (the MADT is parsed from here). */
static uint8_t table[TABLE_MAX_BYTES];

/* The RSDP at pa, if there is a valid one. */
static bool rsdp_at(const struct phys_reader *r, paddr_t pa, struct rsdp *out)
{
	uint8_t buf[RSDP_MAX_BYTES];

	if (!phys_read(r, pa, buf, RSDP_V1_BYTES) ||
	    memcmp(buf, "RSD PTR ", 8) != 0 ||
	    !mp_checksum_ok(buf, RSDP_V1_BYTES))
		return false;
	memset(out, 0, sizeof(*out));
	memcpy(out, buf, RSDP_V1_BYTES);
	if (out->revision >= 2) {
		if (!phys_read(r, pa, buf, sizeof(*out)))
			return false;
		memcpy(out, buf, sizeof(*out));
		if (out->length < sizeof(*out) ||
		    out->length > RSDP_MAX_BYTES ||
		    !phys_read(r, pa, buf, out->length) ||
		    !mp_checksum_ok(buf, out->length))
			out->revision = 0;	/* fall back on the RSDT */
	}
	return true;
}

static bool rsdp_search(const struct phys_reader *r, paddr_t start,
                        paddr_t end, struct rsdp *out)
{
	for (paddr_t pa = start; pa + RSDP_V1_BYTES <= end; pa += RSDP_ALIGN)
		if (rsdp_at(r, pa, out))
			return true;
	return false;
}

static bool find_rsdp(const struct phys_reader *r, struct rsdp *out)
{
	uint16_t segment;

	if (phys_read(r, EBDA_SEGMENT_PTR, &segment, sizeof(segment)) &&
	    segment != 0) {
		paddr_t ebda = (paddr_t)segment << 4;
		if (rsdp_search(r, ebda, ebda + EBDA_SEARCH_BYTES, out))
			return true;
	}
	return rsdp_search(r, BIOS_AREA_START, BIOS_AREA_END, out);
}

/* Reads the table at pa whole into table[], checked; its length or 0. */
static uint32_t read_table(const struct phys_reader *r, paddr_t pa)
{
	struct sdt_header h;

	if (!phys_read(r, pa, &h, sizeof(h)) || h.length < sizeof(h) ||
	    h.length > TABLE_MAX_BYTES || !phys_read(r, pa, table, h.length) ||
	    !mp_checksum_ok(table, h.length))
		return 0;
	return h.length;
}

/* The address of the table called sig, through the RSDT or XSDT; 0: none. */
static paddr_t find_table(const struct phys_reader *r, const struct rsdp *p,
                          const char *sig)
{
	bool x = p->revision >= 2 && p->xsdt != 0 && p->xsdt < PHYS_4G;
	size_t width = x ? sizeof(uint64_t) : sizeof(uint32_t);
	uint32_t len = read_table(r, x ? (paddr_t)p->xsdt : p->rsdt);
	size_t n = len >= sizeof(struct sdt_header) ?
	           (len - sizeof(struct sdt_header)) / width : 0;
	paddr_t found = 0;

	if (len == 0 || memcmp(table, x ? "XSDT" : "RSDT", 4) != 0)
		return 0;
	/* table[] is about to be reused: look at each entry's header. */
	for (size_t i = 0; i < n && found == 0; i++) {
		uint64_t pa = 0;
		char s[4];

		memcpy(&pa, table + sizeof(struct sdt_header) + i * width,
		       width);
		if (pa != 0 && pa < PHYS_4G &&
		    phys_read(r, (paddr_t)pa, s, 4) &&
		    memcmp(s, sig, 4) == 0)
			found = (paddr_t)pa;
	}
	return found;
}

static unsigned inti_flags(uint16_t inti)
{
	unsigned f = 0;

	if ((inti & INTI_POLARITY_MASK) == INTI_POLARITY_LOW)
		f |= MP_POLARITY_LOW;
	if ((inti & INTI_TRIGGER_MASK) == INTI_TRIGGER_LEVEL)
		f |= MP_TRIGGER_LEVEL;
	return f;
}

/* One MADT entry (type and length checked by the caller). */
static void madt_entry(struct mp_config *cfg, const uint8_t *e)
{
	uint32_t u32, gsi;
	uint64_t u64;
	uint16_t u16;

	switch (e[0]) {
	case MADT_LAPIC:
		memcpy(&u32, e + 4, 4);
		/* Online-capable but disabled CPUs could be hot-added: not
		 * here. */
		if (u32 & LAPIC_ENABLED)
			mp_add_cpu(cfg, e[3]);
		break;
	case MADT_IOAPIC:
		memcpy(&u32, e + 4, 4);
		memcpy(&gsi, e + 8, 4);
		mp_add_ioapic(cfg, e[2], u32, gsi);
		break;
	case MADT_OVERRIDE:
		memcpy(&u32, e + 4, 4);
		memcpy(&u16, e + 8, 2);
		if (e[2] == ISA_BUS)
			mp_add_override(cfg, e[3], u32, inti_flags(u16));
		break;
	case MADT_LAPIC_ADDR:
		memcpy(&u64, e + 4, 8);
		if (u64 < PHYS_4G)
			cfg->lapic_phys = (uint32_t)u64;
		break;
	}
}

/* The smallest length of each entry type Kiva reads (5.2.12.2-5.2.12.8). */
static uint8_t entry_min_length(uint8_t type)
{
	switch (type) {
	case MADT_LAPIC: return 8;
	case MADT_IOAPIC: return 12;
	case MADT_OVERRIDE: return 10;
	case MADT_LAPIC_ADDR: return 12;
	default: return 2;
	}
}

bool acpi_read_madt(const struct phys_reader *r, struct mp_config *cfg)
{
	struct rsdp rsdp;
	struct madt m;
	paddr_t pa;
	uint32_t len;

	memset(cfg, 0, sizeof(*cfg));
	if (!find_rsdp(r, &rsdp) || (pa = find_table(r, &rsdp, "APIC")) == 0 ||
	    (len = read_table(r, pa)) < sizeof(m))
		return false;
	memcpy(&m, table, sizeof(m));
	cfg->source = "ACPI MADT";
	cfg->lapic_phys = m.lapic_phys;
	cfg->has_8259 = (m.flags & MADT_PCAT_COMPAT) != 0;
	for (uint32_t off = sizeof(m); off + 2 <= len;) {
		const uint8_t *e = table + off;

		if (e[1] < entry_min_length(e[0]) || off + e[1] > len)
			break;	/* a broken entry: trust nothing after it */
		madt_entry(cfg, e);
		off += e[1];
	}
	if (cfg->ncpus == 0) {
		memset(cfg, 0, sizeof(*cfg));
		return false;
	}
	return true;
}
