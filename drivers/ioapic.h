/*
 * drivers/ioapic.h - the I/O APIC: device interrupts to the local APICs.
 *
 * Where the firmware lists an I/O APIC and Kiva runs several CPUs, the
 * ISA interrupts (the PIT, the keyboard, COM1) go through it instead of
 * the 8259s, which are then masked whole: each ISA IRQ arrives at the
 * global interrupt (GSI) the MADT's overrides say (QEMU puts the PIT's
 * IRQ 0 on input 2), with their polarity and trigger, at the vector the
 * 8259 gave it (IRQ_BASE + irq), so the handlers do not change.  All go
 * to the boot CPU: one CPU takes every device interrupt, as the 8259 era
 * did; spreading them is not needed at this scale.
 *
 * Registers: the Intel 82093AA I/O APIC data sheet, 3.2 (IOREGSEL and
 * IOWIN, the version register, the redirection table).
 */
#ifndef KIVA_DRIVERS_IOAPIC_H
#define KIVA_DRIVERS_IOAPIC_H

#include "drivers/mpconfig.h"
#include "kernel/cpu/trap.h"
#include "kernel/lib/types.h"

/*
 * Maps the I/O APICs of cfg and masks all their inputs, to deliver to
 * the local APIC dest_apic_id.  False when there is none (or it cannot be
 * mapped): the 8259 stays.
 */
bool ioapic_init(const struct mp_config *cfg, uint8_t dest_apic_id);

/* Routes and unmasks ISA IRQ irq (0-15) through its I/O APIC input. */
void ioapic_unmask_isa(int irq);

/* The I/O APIC as trap.c's interrupt controller (trap_set_irq_chip). */
extern const struct irq_chip ioapic_irq_chip;

#endif
