/*
 * drivers/serial.h - the 16550 UART on COM1, the kernel's main console.
 *
 * Output is polled (a console must work before interrupts and from a
 * panic); input is interrupt-driven: IRQ 4 hands each received byte to the
 * console's input queue (kernel/console.c).
 */
#ifndef KIVA_DRIVERS_SERIAL_H
#define KIVA_DRIVERS_SERIAL_H

/*
 * The port and the registers boot/boot.S needs too (before C runs, to say
 * that the CPU lacks PAE): plain numbers, for the assembler as well.
 */
#define COM1 0x3f8
#define REG_DATA 0		/* transmit/receive; with DLAB: divisor low */
#define REG_IER 1		/* interrupt enable; with DLAB: divisor high */
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define LCR_DLAB 0x80		/* REG_DATA/REG_IER set the divisor */
#define LCR_8N1 0x03
#define LSR_THR_EMPTY 0x20
#define SERIAL_DIVISOR_115200 1	/* 115200 / divisor baud */

#ifndef __ASSEMBLY__
#include "kernel/lib/types.h"

void serial_init(void);		/* 115200 8N1, FIFOs on, polled output */
void serial_enable_rx_irq(void);	/* after the IDT and PIC are ready */
void serial_putc(char c);

#endif /* __ASSEMBLY__ */

#endif
