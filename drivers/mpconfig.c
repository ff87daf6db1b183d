/*
 * drivers/mpconfig.c - what both firmware-table parsers share
 * (drivers/mpconfig.h): collecting CPUs, I/O APICs and overrides, the
 * checksum, and the ISA IRQ to global interrupt mapping.
 */
#include "drivers/mpconfig.h"

void mp_add_cpu(struct mp_config *cfg, uint8_t apic_id)
{
	if (cfg->ncpus < MP_MAX_CPUS)
		cfg->apic_ids[cfg->ncpus++] = apic_id;
	cfg->ncpus_seen++;
}

void mp_add_ioapic(struct mp_config *cfg, uint8_t id, uint32_t phys,
                   uint32_t gsi_base)
{
	if (cfg->nioapics < MP_MAX_IOAPICS)
		cfg->ioapics[cfg->nioapics++] =
			(struct mp_ioapic){ id, phys, gsi_base };
}

void mp_add_override(struct mp_config *cfg, uint8_t isa_irq, uint32_t gsi,
                     unsigned flags)
{
	if (isa_irq < MP_ISA_IRQS && cfg->noverrides < MP_MAX_OVERRIDES)
		cfg->overrides[cfg->noverrides++] =
			(struct mp_override){ isa_irq, gsi, flags };
}

/*
 * Without an override, ISA IRQ n is global interrupt n, edge-triggered
 * and active high: the ISA bus's own conventions (ACPI 5.2.12.5).
 */
uint32_t mp_isa_gsi(const struct mp_config *cfg, unsigned irq,
                    unsigned *flags)
{
	for (unsigned i = 0; i < cfg->noverrides; i++)
		if (cfg->overrides[i].isa_irq == irq) {
			*flags = cfg->overrides[i].flags;
			return cfg->overrides[i].gsi;
		}
	*flags = 0;
	return irq;
}

bool mp_checksum_ok(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += b[i];
	return sum == 0;
}
