/*
 * drivers/mpconfig.h - what the firmware says about the processors and
 * interrupt controllers: how many CPUs, their local APIC ids, where the
 * local APICs and I/O APICs are, and how ISA interrupts reach the I/O
 * APIC's inputs.
 *
 * Two firmware tables carry it, and Kiva reads the newer one first:
 *
 *   ACPI's MADT, "Multiple APIC Description Table" (ACPI spec 6.4,
 *   5.2.12), found through the RSDP and the RSDT or XSDT (5.2.5-5.2.8);
 *   the MP table of the Intel MultiProcessor Specification 1.4 (chapter
 *   4), which older firmware has instead.
 *
 * Both parsers (drivers/acpi.c, drivers/mptable.c) are pure: they read
 * physical memory only through a struct phys_reader, so the host tests
 * (tests/host/test_mpconfig.c) feed them tables built in an array, and the
 * kernel gives them one that maps frames one at a time.  Every length and
 * checksum is checked before a byte of the table is believed: a broken
 * table means "not found", never a wild read.
 */
#ifndef KIVA_DRIVERS_MPCONFIG_H
#define KIVA_DRIVERS_MPCONFIG_H

#include "kernel/lib/types.h"

#define MP_MAX_CPUS 8		/* what Kiva runs on; more are counted */
#define MP_MAX_IOAPICS 4
#define MP_MAX_OVERRIDES 16	/* ISA IRQ -> I/O APIC input remappings */
#define MP_ISA_IRQS 16

/* How the firmware reads physical memory: false if [pa, pa + n) cannot be. */
struct phys_reader {
	bool (*read)(paddr_t pa, void *dst, size_t n, void *arg);
	void *arg;
};

/* Copies n bytes at physical address pa into dst; false if unreadable. */
static inline bool phys_read(const struct phys_reader *r, paddr_t pa,
                             void *dst, size_t n)
{
	return r->read(pa, dst, n, r->arg);
}

struct mp_ioapic {
	uint8_t id;
	uint32_t phys;		/* its registers' physical address */
	uint32_t gsi_base;	/* the global interrupt its input 0 is */
};

/* Polarity and trigger of an interrupt input (ACPI's MPS INTI flags). */
#define MP_POLARITY_LOW 0x1	/* active low (else: the bus's default) */
#define MP_TRIGGER_LEVEL 0x2	/* level-triggered (else: the bus's default) */

struct mp_override {
	uint8_t isa_irq;	/* the IRQ the 8259 would have raised */
	uint32_t gsi;		/* the global interrupt it arrives as */
	unsigned flags;		/* MP_POLARITY_LOW, MP_TRIGGER_LEVEL */
};

struct mp_config {
	const char *source;		/* "ACPI MADT" or "MP table" */
	uint32_t lapic_phys;		/* every CPU's local APIC, at its own */
	unsigned ncpus;			/* usable CPUs, at most MP_MAX_CPUS */
	unsigned ncpus_seen;		/* enabled CPUs the table lists */
	uint8_t apic_ids[MP_MAX_CPUS];	/* the boot CPU's first, when known */
	unsigned nioapics;
	struct mp_ioapic ioapics[MP_MAX_IOAPICS];
	unsigned noverrides;
	struct mp_override overrides[MP_MAX_OVERRIDES];
	bool has_8259;			/* legacy PICs exist (mask them) */
	/*
	 * MP table only: the firmware starts in PIC mode, and the IMCR must
	 * be switched before interrupts reach the APICs (MP spec 3.6.2.1).
	 */
	bool imcr_present;
};

/*
 * Fills *cfg from ACPI's MADT.  Returns false, with *cfg zeroed, when
 * there is no valid RSDP, RSDT/XSDT or MADT.
 */
bool acpi_read_madt(const struct phys_reader *r, struct mp_config *cfg);

/*
 * Fills *cfg from the MP table.  Returns false, with *cfg zeroed, when
 * there is no valid floating pointer and configuration table, or when
 * the firmware names one of the spec's default configurations, which
 * give no table to read (MP spec 1.4, 5).
 */
bool mptable_read(const struct phys_reader *r, struct mp_config *cfg);

/* The global interrupt an ISA IRQ arrives as, and its flags. */
uint32_t mp_isa_gsi(const struct mp_config *cfg, unsigned irq,
                    unsigned *flags);

/*
 * Adds a CPU (local APIC id) to cfg: counted always, kept while there is
 * room.  For both parsers.
 */
void mp_add_cpu(struct mp_config *cfg, uint8_t apic_id);

/* Adds an I/O APIC and an override, while there is room. */
void mp_add_ioapic(struct mp_config *cfg, uint8_t id, uint32_t phys,
                   uint32_t gsi_base);
void mp_add_override(struct mp_config *cfg, uint8_t isa_irq, uint32_t gsi,
                     unsigned flags);

/* True when the n bytes at p add up to 0 modulo 256 (both specs' rule). */
bool mp_checksum_ok(const void *p, size_t n);

#endif
