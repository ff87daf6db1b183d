/*
 * drivers/kbd.h - PS/2 keyboard: key presses become console input, so the
 * shell works from the VGA window as well as from the serial line.
 */
#ifndef KIVA_DRIVERS_KBD_H
#define KIVA_DRIVERS_KBD_H

void kbd_init(void);	/* registers IRQ 1 */

#endif
