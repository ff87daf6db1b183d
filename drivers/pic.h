/*
 * drivers/pic.h - the two cascaded 8259A interrupt controllers.
 *
 * IRQ 0-7 (master) and 8-15 (slave) are remapped to vectors 32-47, above
 * the 32 that Intel reserves for exceptions (SDM Vol. 3A, 6.2).
 */
#ifndef KIVA_DRIVERS_PIC_H
#define KIVA_DRIVERS_PIC_H

#include "kernel/lib/types.h"

#define IRQ_BASE 32
#define NIRQ 16

void pic_init(void);		/* remap, all lines masked */
void pic_unmask(int irq);
void pic_mask_all(void);	/* the I/O APIC takes over (drivers/ioapic.h) */
void pic_eoi(int irq);
/*
 * IRQ 7 and IRQ 15 also arrive when a request vanishes before the CPU
 * acknowledges it.  Returns true (and sends the EOI such a spurious
 * interrupt still needs) when the in-service register shows it was one.
 */
bool pic_is_spurious(int irq);

#endif
