/*
 * tests/kernel/test_panic.c - the panic path itself, each test run on its
 * own by tests/boot/boot_tests.sh (test=NAME), which reads the report:
 * the message, the registers, and a backtrace with names and lines that
 * goes through the trap that led to the panic.
 */
#include "drivers/pit.h"
#include "kernel/cpu/cpu.h"
#include "kernel/debug/ktest.h"
#include "kernel/debug/panic.h"
#include "mm/kva.h"

KTEST_NEEDING(panic_backtrace, KTEST_ENDS_KERNEL)
{
	(void)t;
	panic("deliberate panic from test %s", "panic_backtrace");
}

/*
 * A kernel page fault nobody catches: the report must give the address,
 * the decoded error and the region (here the guard below kmem_map), then
 * panic with the registers and a backtrace.  gcc gives this function no
 * frame (it uses no stack), so the backtrace must find its caller, the
 * test runner, on top of the stack.
 */
KTEST_NEEDING(page_fault_report, KTEST_ENDS_KERNEL)
{
	(void)t;
	*(volatile char *)kva_start(KVA_GUARD_LOW) = 1;
}

/*
 * A panic inside an interrupt handler: a timer tick hook panics, and the
 * backtrace must cross the interrupt's trap frame into the function the
 * tick interrupted, wait_for_the_tick, and on to this test.
 */
static void panic_on_tick(void)
{
	panic("deliberate panic from a timer tick hook");
}

static __attribute__((noinline)) void wait_for_the_tick(void)
{
	for (;;)
		halt();		/* interrupts are on: the tick ends it */
}

KTEST_NEEDING(panic_in_interrupt, KTEST_ENDS_KERNEL)
{
	if (KEXPECT(t, pit_add_tick_hook(panic_on_tick)))
		wait_for_the_tick();
}
