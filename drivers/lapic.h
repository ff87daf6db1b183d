/*
 * drivers/lapic.h - the local APIC: every CPU's own interrupt controller,
 * with a timer and the means to interrupt the other CPUs (IPIs).
 *
 * Register offsets, bits and the ICR's fields are the SDM's (Vol. 3A,
 * chapter 10, "Advanced Programmable Interrupt Controller": Table 10-1,
 * Figures 10-8, 10-12 and 10-23).  Every CPU's APIC answers at the same
 * physical address, each CPU reaching its own; the registers are mapped
 * once, uncached (SDM Vol. 3A, 10.4.1).
 */
#ifndef KIVA_DRIVERS_LAPIC_H
#define KIVA_DRIVERS_LAPIC_H

#include "kernel/lib/types.h"

/* Vectors (kernel/cpu/trap.h: APIC_VECTOR_BASE and up). */
#define LAPIC_TIMER_VECTOR 240
#define IPI_RESCHEDULE_VECTOR 241
#define IPI_CALL_VECTOR 242
#define LAPIC_SPURIOUS_VECTOR 255	/* low 4 bits set: SDM 10.9 */

/* Maps the registers at phys (from the MADT or MP table). */
bool lapic_map(paddr_t phys);
bool lapic_present(void);	/* lapic_map() succeeded */

/*
 * Enables this CPU's APIC (spurious vector, task priority 0, no error
 * interrupts) and masks its LINT0 unless keep_lint0: the boot CPU keeps
 * the firmware's LINT0, through which the 8259 reaches it in virtual-wire
 * mode (MP spec 3.6.2.2).
 */
void lapic_enable(bool keep_lint0);

uint8_t lapic_id(void);	/* this CPU's APIC id */
void lapic_eoi(void);

/*
 * The timer.  lapic_timer_calibrate() counts the APIC timer's ticks over
 * `pit_ticks` ticks of the clock, on the boot CPU with interrupts on;
 * lapic_timer_start() then makes this CPU's timer interrupt at hz.
 */
void lapic_timer_calibrate(unsigned pit_ticks, unsigned pit_hz);
void lapic_timer_start(unsigned hz);
uint32_t lapic_timer_bus_hz(void);	/* the calibrated timer input */

/* Interrupts another CPU (fixed delivery, edge) with vector. */
void lapic_send_ipi(uint8_t apic_id, uint8_t vector);
/* An NMI to every other CPU (to stop them at a panic). */
void lapic_send_nmi_others(void);
/* The start-up protocol's INIT and SIPI (SDM Vol. 3A, 8.4.4.1). */
void lapic_send_init(uint8_t apic_id);
void lapic_send_startup(uint8_t apic_id, uint8_t vector);

#endif
