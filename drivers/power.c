/*
 * drivers/power.c - power off, reboot, QEMU exit.
 *
 * Power off uses ACPI sleep state S5: writing SLP_TYP = S5 and SLP_EN (bit
 * 13) to the PM1a control register (ACPI spec 6.x, 4.8.3.2.1).  A full
 * implementation reads that register's port and S5's SLP_TYP from the FADT
 * and the DSDT; QEMU's firmware (SeaBIOS) always puts the PM block at 0x600
 * on both the pc and q35 machines with SLP_TYP(S5) = 0, so Kiva writes
 * there.  Reboot pulses the CPU reset line through the 8042 keyboard
 * controller (command 0xfe), the method every PC supports.
 */
#include "drivers/power.h"

#include "kernel/cpu/cpu.h"
#include "kernel/lib/kprintf.h"

#define QEMU_ACPI_PM1A_CNT 0x604
#define ACPI_SLP_EN (1u << 13)
#define KBC_COMMAND 0x64
#define KBC_PULSE_RESET 0xfe
#define QEMU_DEBUG_EXIT 0xf4
#define POST_DELAY_PORT 0x80	/* the BIOS POST-code port: a harmless read */
#define POWER_OFF_WAIT_IOS 100000

static __attribute__((noreturn)) void halt_forever(void)
{
	for (;;) {
		irq_disable();
		halt();
	}
}

void power_off(void)
{
	kprintf("Kiva: powering off\n");
	outw(QEMU_ACPI_PM1A_CNT, ACPI_SLP_EN);
	/* An emulator acts on the request a little later: give it time. */
	for (int i = 0; i < POWER_OFF_WAIT_IOS; i++)
		(void)inb(POST_DELAY_PORT);
	kprintf("Kiva: ACPI power-off did not work; halting instead\n");
	halt_forever();
}

void reboot(void)
{
	kprintf("Kiva: rebooting\n");
	outb(KBC_COMMAND, KBC_PULSE_RESET);
	halt_forever();
}

void qemu_exit(uint32_t value)
{
	outl(QEMU_DEBUG_EXIT, value);
	halt_forever();
}
