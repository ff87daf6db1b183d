/*
 * drivers/vga.h - the VGA text screen (80x25, colour text mode 3).
 */
#ifndef KIVA_DRIVERS_VGA_H
#define KIVA_DRIVERS_VGA_H

#define VGA_TEXT_PHYS 0xb8000	/* text buffer, in the legacy video hole */
#define VGA_ATTR_ALERT 0x4f	/* white on red (boot.S's "no PAE") */

#ifndef __ASSEMBLY__
#include "kernel/lib/types.h"

void vga_init(void *buffer);	/* buffer: a kernel mapping of VGA_TEXT_PHYS */
void vga_set_buffer(void *buffer);	/* the mapping moved (kmain) */
void vga_putc(char c);

#endif /* __ASSEMBLY__ */

#endif
