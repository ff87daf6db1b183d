/*
 * drivers/serial.c - 16550 UART driver for COM1.
 *
 * Register offsets and bits are those of the National Semiconductor
 * PC16550D data sheet (and every PC since): THR/RBR at +0, IER at +1,
 * FCR at +2, LCR at +3, MCR at +4, LSR at +5.  The divisor latch (DLAB)
 * sets the baud rate as 115200 / divisor.
 */
#include "drivers/serial.h"

#include "kernel/console.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/trap.h"

#define COM1_IRQ 4

#define IER_RX_AVAILABLE 0x01
#define FCR_ENABLE_CLEAR 0x07	/* enable FIFOs, clear both */
#define FCR_TRIGGER_1 0x00	/* interrupt on every received byte */
#define MCR_DTR_RTS_OUT2 0x0b	/* OUT2 gates the IRQ line on PCs */
#define LSR_DATA_READY 0x01

void serial_init(void)
{
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, LCR_DLAB);
	outb(COM1 + REG_DATA, SERIAL_DIVISOR_115200);
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, LCR_8N1);
	outb(COM1 + REG_FCR, FCR_ENABLE_CLEAR | FCR_TRIGGER_1);
	outb(COM1 + REG_MCR, MCR_DTR_RTS_OUT2);
}

void serial_putc(char c)
{
	if (c == '\n')
		serial_putc('\r');
	while ((inb(COM1 + REG_LSR) & LSR_THR_EMPTY) == 0)
		;
	outb(COM1 + REG_DATA, (uint8_t)c);
}

/*
 * IRQ 4: drain the receive FIFO into the console's input queue, which
 * counts what it has no room for.
 */
static void serial_irq(struct trapframe *tf)
{
	(void)tf;
	while (inb(COM1 + REG_LSR) & LSR_DATA_READY)
		console_input((char)inb(COM1 + REG_DATA));
}

void serial_enable_rx_irq(void)
{
	irq_register(COM1_IRQ, serial_irq, "com1");
	/* Reading RBR and LSR clears anything that arrived before now. */
	while (inb(COM1 + REG_LSR) & LSR_DATA_READY)
		(void)inb(COM1 + REG_DATA);
	outb(COM1 + REG_IER, IER_RX_AVAILABLE);
}
