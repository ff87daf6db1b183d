/*
 * drivers/pit.c - the PIT on IRQ 0 at HZ ticks a second.
 *
 * Channel 0 in mode 2 (rate generator) divides the 1.193182 MHz input
 * clock (Intel 82C54 data sheet) by PIT_DIVISOR; the control word 0x34
 * selects channel 0, low-then-high byte access, mode 2, binary.
 */
#include "drivers/pit.h"

#include "kernel/cpu/cpu.h"
#include "kernel/lib/kstring.h"
#include "kernel/cpu/trap.h"
#include "kernel/thread/spinlock.h"

#define PIT_INPUT_HZ 1193182
#define PIT_DIVISOR ((PIT_INPUT_HZ + HZ / 2) / HZ)
#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define PIT_CH0_RATE_GENERATOR 0x34
#define MAX_TICK_HOOKS 4

static volatile uint64_t tick_count;
static void (*tick_hooks[MAX_TICK_HOOKS])(void);
/* The hooks; the tick reads them under it, on the boot CPU. */
static struct spinlock hooks_lock = SPINLOCK_INIT("pit hooks");

uint64_t ticks(void)
{
	/* A 64-bit read is two loads on i386: keep the tick out between them. */
	uint32_t flags = irq_save();
	uint64_t t = tick_count;
	irq_restore(flags);
	return t;
}

static void pit_irq(struct trapframe *tf)
{
	void (*hooks[MAX_TICK_HOOKS])(void);

	(void)tf;
	tick_count++;
	/* Called outside the lock: a hook takes locks of its own. */
	spin_lock(&hooks_lock);
	memcpy(hooks, tick_hooks, sizeof(hooks));
	spin_unlock(&hooks_lock);
	for (int i = 0; i < MAX_TICK_HOOKS; i++)
		if (hooks[i] != NULL)
			hooks[i]();
}

bool pit_add_tick_hook(void (*hook)(void))
{
	spin_lock(&hooks_lock);
	for (int i = 0; i < MAX_TICK_HOOKS; i++) {
		if (tick_hooks[i] == NULL) {
			tick_hooks[i] = hook;
			spin_unlock(&hooks_lock);
			return true;
		}
	}
	spin_unlock(&hooks_lock);
	return false;
}

void pit_remove_tick_hook(void (*hook)(void))
{
	spin_lock(&hooks_lock);
	for (int i = 0; i < MAX_TICK_HOOKS; i++)
		if (tick_hooks[i] == hook)
			tick_hooks[i] = NULL;
	spin_unlock(&hooks_lock);
}

void pit_init(void)
{
	outb(PIT_COMMAND, PIT_CH0_RATE_GENERATOR);
	outb(PIT_CHANNEL0, PIT_DIVISOR & 0xff);
	outb(PIT_CHANNEL0, PIT_DIVISOR >> 8);
	irq_register(0, pit_irq, "pit");
}
