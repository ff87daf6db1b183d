/*
 * drivers/pit.h - the 8253/8254 programmable interval timer: the tick.
 *
 * HZ ticks a second drive the clock and, later, preemption.  100 Hz (10 ms)
 * is the classic BSD and Linux 2.4 choice: fine enough for a shell and a
 * round-robin scheduler, coarse enough that TCG emulation keeps up.
 */
#ifndef KIVA_DRIVERS_PIT_H
#define KIVA_DRIVERS_PIT_H

#include "kernel/lib/types.h"

#define HZ 100

void pit_init(void);		/* channel 0 at HZ on IRQ 0 */
uint64_t ticks(void);		/* ticks since pit_init() */

/*
 * Registers a function called on every tick, in interrupt context, after
 * the clock is advanced.  Returns false when all slots are taken.
 */
bool pit_add_tick_hook(void (*hook)(void));
void pit_remove_tick_hook(void (*hook)(void));

#endif
