/*
 * drivers/serial.h - the 16550 UART on COM1, the kernel's main console.
 *
 * Output is polled (a console must work before interrupts and from a
 * panic); input is interrupt-driven: IRQ 4 hands each received byte to the
 * console's input queue (kernel/console.c).
 */
#ifndef KIVA_DRIVERS_SERIAL_H
#define KIVA_DRIVERS_SERIAL_H

#include "kernel/lib/types.h"

void serial_init(void);		/* 115200 8N1, FIFOs on, polled output */
void serial_enable_rx_irq(void);	/* after the IDT and PIC are ready */
void serial_putc(char c);

#endif
