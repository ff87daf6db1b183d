/*
 * drivers/vga.h - the VGA text screen (80x25, colour text mode 3).
 */
#ifndef KIVA_DRIVERS_VGA_H
#define KIVA_DRIVERS_VGA_H

#include "kernel/lib/types.h"

#define VGA_TEXT_PHYS 0xb8000	/* text buffer, in the legacy video hole */

void vga_init(void *buffer);	/* buffer: a kernel mapping of VGA_TEXT_PHYS */
void vga_set_buffer(void *buffer);	/* the mapping moved (kmain) */
void vga_putc(char c);

#endif
