/*
 * drivers/ioapic.c - the I/O APIC (drivers/ioapic.h).  Offsets and bits
 * are the Intel 82093AA I/O APIC data sheet's, section 3.2.
 *
 * The chip shows two registers: IOREGSEL selects one of its internal
 * registers, IOWIN reads or writes it.  Redirection entry n is a 64-bit
 * register at index 0x10 + 2n, low word first.
 */
#include "drivers/ioapic.h"

#include "drivers/lapic.h"
#include "drivers/pic.h"
#include "kernel/cpu/trap.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"
#include "kernel/thread/spinlock.h"
#include "mm/kmap.h"

#define IOREGSEL 0x00		/* byte offsets of the two registers */
#define IOWIN 0x10
#define REG_VERSION 0x01
#define REG_REDIR(n) (0x10 + 2 * (n))
#define VERSION_MAX_REDIR_SHIFT 16	/* bits 16-23: entries - 1 */

/* Redirection entry, low word (3.2.4). */
#define REDIR_MASKED 0x10000
#define REDIR_LEVEL 0x8000	/* else edge */
#define REDIR_ACTIVE_LOW 0x2000	/* else high */
#define REDIR_FIXED_PHYSICAL 0x0	/* delivery mode 000, physical dest */
#define REDIR_DEST_SHIFT 24	/* high word: the destination APIC id */

struct ioapic {
	volatile uint32_t *regs;
	uint32_t gsi_base;
	unsigned ninputs;
};

static struct ioapic chips[MP_MAX_IOAPICS];
static unsigned nchips;
static const struct mp_config *config;
static uint8_t dest;
/* IOREGSEL then IOWIN is two accesses: one CPU at a time. */
static struct spinlock regs_lock = SPINLOCK_INIT("ioapic");

static uint32_t rd(const struct ioapic *c, uint32_t reg)
{
	c->regs[IOREGSEL / 4] = reg;
	return c->regs[IOWIN / 4];
}

static void wr(const struct ioapic *c, uint32_t reg, uint32_t v)
{
	c->regs[IOREGSEL / 4] = reg;
	c->regs[IOWIN / 4] = v;
}

bool ioapic_init(const struct mp_config *cfg, uint8_t dest_apic_id)
{
	for (unsigned i = 0; i < cfg->nioapics && nchips < MP_MAX_IOAPICS;
	     i++) {
		struct ioapic *c = &chips[nchips];

		c->regs = kmap_device(cfg->ioapics[i].phys);
		c->gsi_base = cfg->ioapics[i].gsi_base;
		spin_lock(&regs_lock);
		c->ninputs = ((rd(c, REG_VERSION) >> VERSION_MAX_REDIR_SHIFT) &
		              0xff) + 1;
		for (unsigned n = 0; n < c->ninputs; n++) {
			wr(c, REG_REDIR(n) + 1, 0);
			wr(c, REG_REDIR(n), REDIR_MASKED);
		}
		spin_unlock(&regs_lock);
		nchips++;
	}
	config = cfg;
	dest = dest_apic_id;
	return nchips > 0;
}

/* The chip and input of a global interrupt, or NULL. */
static const struct ioapic *input_of(uint32_t gsi, unsigned *input)
{
	for (unsigned i = 0; i < nchips; i++)
		if (gsi >= chips[i].gsi_base &&
		    gsi < chips[i].gsi_base + chips[i].ninputs) {
			*input = gsi - chips[i].gsi_base;
			return &chips[i];
		}
	return NULL;
}

void ioapic_unmask_isa(int irq)
{
	unsigned flags, input;
	uint32_t gsi = mp_isa_gsi(config, (unsigned)irq, &flags);
	const struct ioapic *c = input_of(gsi, &input);
	uint32_t low = REDIR_FIXED_PHYSICAL | (uint32_t)(IRQ_BASE + irq);

	if (c == NULL) {
		kprintf("ioapic: IRQ %d arrives at GSI %u, which no I/O APIC "
		        "has: it stays off\n", irq, gsi);
		return;
	}
	/* ISA's defaults are edge and active high (MP spec 5.3). */
	if (flags & MP_TRIGGER_LEVEL)
		low |= REDIR_LEVEL;
	if (flags & MP_POLARITY_LOW)
		low |= REDIR_ACTIVE_LOW;
	spin_lock(&regs_lock);
	wr(c, REG_REDIR(input) + 1, (uint32_t)dest << REDIR_DEST_SHIFT);
	wr(c, REG_REDIR(input), low);
	spin_unlock(&regs_lock);
}

/* The local APIC takes the EOI, whatever the line (82093AA, 3.2.4). */
static void eoi_at_local_apic(int irq)
{
	(void)irq;
	lapic_eoi();
}

const struct irq_chip ioapic_irq_chip = {
	.name = "I/O APIC",
	.unmask = ioapic_unmask_isa,
	.eoi = eoi_at_local_apic,
	.is_spurious = NULL,	/* its spurious vector is the local APIC's */
};
