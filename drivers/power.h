/*
 * drivers/power.h - leaving the machine: power off, reboot, and the test
 * exit that tells the host how the in-kernel tests went.
 */
#ifndef KIVA_DRIVERS_POWER_H
#define KIVA_DRIVERS_POWER_H

#include "kernel/lib/types.h"

/* Exit statuses QEMU reports for qemu_exit(QEMU_EXIT_*): (value << 1) | 1. */
#define QEMU_EXIT_SUCCESS 0x10	/* QEMU exits with status 33 */
#define QEMU_EXIT_FAILURE 0x11	/* QEMU exits with status 35 */

__attribute__((noreturn)) void power_off(void);
__attribute__((noreturn)) void reboot(void);
/*
 * Writes `value` to QEMU's isa-debug-exit device (port 0xf4); without that
 * device nothing happens and this halts the CPU instead.
 */
__attribute__((noreturn)) void qemu_exit(uint32_t value);

#endif
