/*
 * drivers/lapic.c - the local APIC (drivers/lapic.h).  Section and table
 * numbers are the SDM's, Vol. 3A.
 *
 * Each register is a 32-bit word at a 16-byte-aligned offset, read and
 * written with 32-bit accesses only (10.4.1); the mapping is uncached.
 */
#include "drivers/lapic.h"

#include "drivers/pit.h"
#include "kernel/cpu/cpu.h"
#include "kernel/lib/kassert.h"
#include "mm/kmap.h"

/* Register offsets (Table 10-1). */
#define REG_ID 0x020
#define REG_TPR 0x080
#define REG_EOI 0x0b0
#define REG_SVR 0x0f0
#define REG_ESR 0x280
#define REG_ICR_LOW 0x300
#define REG_ICR_HIGH 0x310
#define REG_LVT_TIMER 0x320
#define REG_LVT_LINT0 0x350
#define REG_LVT_ERROR 0x370
#define REG_TIMER_INITIAL 0x380
#define REG_TIMER_CURRENT 0x390
#define REG_TIMER_DIVIDE 0x3e0

#define ID_SHIFT 24			/* Figure 10-6 */
#define SVR_ENABLE 0x100		/* APIC software enable (10.9) */
#define LVT_MASKED 0x10000		/* Figure 10-8 */
#define LVT_TIMER_PERIODIC 0x20000
#define TIMER_DIVIDE_BY_16 0x3		/* Figure 10-10 */
#define TIMER_COUNT_MAX 0xffffffffu

/* The ICR (Figure 10-12). */
#define ICR_FIXED 0x000
#define ICR_NMI 0x400
#define ICR_INIT 0x500
#define ICR_STARTUP 0x600
#define ICR_DELIVERY_PENDING 0x1000	/* send pending */
#define ICR_LEVEL_ASSERT 0x4000
#define ICR_TRIGGER_LEVEL 0x8000
#define ICR_ALL_BUT_SELF 0xc0000	/* destination shorthand 11 */
#define ICR_DEST_SHIFT 24

static volatile uint32_t *regs;
static uint32_t timer_bus_hz;	/* timer input, after the divider */

static uint32_t rd(unsigned reg)
{
	return regs[reg / sizeof(uint32_t)];
}

static void wr(unsigned reg, uint32_t v)
{
	regs[reg / sizeof(uint32_t)] = v;
}

bool lapic_map(paddr_t phys)
{
	regs = kmap_device(phys);
	return regs != NULL;
}

bool lapic_present(void)
{
	return regs != NULL;
}

void lapic_enable(bool keep_lint0)
{
	wr(REG_SVR, SVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
	wr(REG_TPR, 0);			/* accept every priority class */
	wr(REG_LVT_ERROR, LVT_MASKED);
	wr(REG_LVT_TIMER, LVT_MASKED);
	if (!keep_lint0)
		wr(REG_LVT_LINT0, LVT_MASKED);
	/* The ESR latches errors; write before reading (10.5.3). */
	wr(REG_ESR, 0);
	wr(REG_ESR, 0);
	lapic_eoi();			/* anything the firmware left */
}

uint8_t lapic_id(void)
{
	return (uint8_t)(rd(REG_ID) >> ID_SHIFT);
}

void lapic_eoi(void)
{
	wr(REG_EOI, 0);
}

void lapic_timer_calibrate(unsigned pit_ticks, unsigned pit_hz)
{
	uint64_t start;
	uint32_t counted;

	KASSERT(interrupts_enabled());
	wr(REG_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
	wr(REG_LVT_TIMER, LVT_MASKED);	/* one-shot, no interrupt */
	/* Start on a tick's edge, so the window is whole ticks. */
	start = ticks();
	while (ticks() == start)
		halt();
	wr(REG_TIMER_INITIAL, TIMER_COUNT_MAX);
	start = ticks();
	while (ticks() - start < pit_ticks)
		halt();
	counted = TIMER_COUNT_MAX - rd(REG_TIMER_CURRENT);
	wr(REG_TIMER_INITIAL, 0);	/* stop it */
	timer_bus_hz = (uint32_t)((uint64_t)counted * pit_hz / pit_ticks);
}

uint32_t lapic_timer_bus_hz(void)
{
	return timer_bus_hz;
}

void lapic_timer_start(unsigned hz)
{
	KASSERT(timer_bus_hz >= hz);	/* calibrated */
	wr(REG_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
	wr(REG_LVT_TIMER, LVT_TIMER_PERIODIC | LAPIC_TIMER_VECTOR);
	wr(REG_TIMER_INITIAL, timer_bus_hz / hz);
}

/*
 * Writes the ICR: the high word (destination) first, since writing the
 * low word sends (10.6.1).  Interrupts are off so that no handler on this
 * CPU sends between the two writes; waits until the APIC has taken it.
 */
static void send(uint8_t apic_id, uint32_t low)
{
	uint32_t flags = irq_save();

	while (rd(REG_ICR_LOW) & ICR_DELIVERY_PENDING)
		;
	wr(REG_ICR_HIGH, (uint32_t)apic_id << ICR_DEST_SHIFT);
	wr(REG_ICR_LOW, low);
	while (rd(REG_ICR_LOW) & ICR_DELIVERY_PENDING)
		;
	irq_restore(flags);
}

void lapic_send_ipi(uint8_t apic_id, uint8_t vector)
{
	send(apic_id, ICR_FIXED | vector);
}

void lapic_send_nmi_others(void)
{
	send(0, ICR_ALL_BUT_SELF | ICR_NMI);
}

void lapic_send_init(uint8_t apic_id)
{
	send(apic_id, ICR_INIT | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL);
	/* The de-assert older APICs need; newer ones ignore it (8.4.4.1). */
	send(apic_id, ICR_INIT | ICR_TRIGGER_LEVEL);
}

void lapic_send_startup(uint8_t apic_id, uint8_t vector)
{
	send(apic_id, ICR_STARTUP | vector);
}
