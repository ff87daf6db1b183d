/*
 * drivers/pic.c - 8259A programmable interrupt controllers.
 *
 * Initialization words ICW1-ICW4 follow the Intel 8259A data sheet: ICW1
 * starts initialization and asks for ICW4, ICW2 is the vector base, ICW3
 * describes the cascade on IRQ 2, ICW4 selects 8086 mode.  OCW3 reads the
 * in-service register to tell real IRQ 7/15 from spurious ones.
 */
#include "drivers/pic.h"

#include "kernel/cpu/cpu.h"
#include "kernel/thread/spinlock.h"

#define MASTER_CMD 0x20
#define MASTER_DATA 0x21
#define SLAVE_CMD 0xa0
#define SLAVE_DATA 0xa1

#define ICW1_INIT_ICW4 0x11
#define ICW4_8086 0x01
#define CASCADE_IRQ 2
#define OCW2_EOI 0x20
#define OCW3_READ_ISR 0x0b

static struct spinlock mask_lock = SPINLOCK_INIT("8259 mask");
static uint16_t mask = 0xffff & ~(1u << CASCADE_IRQ);

static void write_mask(void)
{
	outb(MASTER_DATA, mask & 0xff);
	outb(SLAVE_DATA, mask >> 8);
}

void pic_init(void)
{
	outb(MASTER_CMD, ICW1_INIT_ICW4);
	outb(SLAVE_CMD, ICW1_INIT_ICW4);
	outb(MASTER_DATA, IRQ_BASE);
	outb(SLAVE_DATA, IRQ_BASE + 8);
	outb(MASTER_DATA, 1u << CASCADE_IRQ);	/* slave on IRQ 2 */
	outb(SLAVE_DATA, CASCADE_IRQ);		/* slave's cascade identity */
	outb(MASTER_DATA, ICW4_8086);
	outb(SLAVE_DATA, ICW4_8086);
	write_mask();
}

void pic_unmask(int irq)
{
	spin_lock(&mask_lock);
	mask &= ~(1u << irq);
	write_mask();
	spin_unlock(&mask_lock);
}

void pic_mask_all(void)
{
	spin_lock(&mask_lock);
	mask = 0xffff;
	write_mask();
	spin_unlock(&mask_lock);
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(SLAVE_CMD, OCW2_EOI);
	outb(MASTER_CMD, OCW2_EOI);
}

static uint8_t in_service(uint16_t cmd_port)
{
	outb(cmd_port, OCW3_READ_ISR);
	return inb(cmd_port);
}

bool pic_is_spurious(int irq)
{
	if (irq == 7 && (in_service(MASTER_CMD) & 0x80) == 0)
		return true;		/* the master raised it: no EOI at all */
	if (irq == 15 && (in_service(SLAVE_CMD) & 0x80) == 0) {
		outb(MASTER_CMD, OCW2_EOI);	/* the master saw a real IRQ 2 */
		return true;
	}
	return false;
}
