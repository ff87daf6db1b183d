/*
 * tests/kernel/test_panic.c - the panic path itself, run on its own by
 * tests/boot/boot_tests.sh (test=panic_backtrace): the output must show
 * the message, registers, and a backtrace naming this function and kmain.
 */
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
 * panic with the registers and a backtrace (tests/boot/boot_tests.sh).
 */
KTEST_NEEDING(page_fault_report, KTEST_ENDS_KERNEL)
{
	(void)t;
	*(volatile char *)kva_start(KVA_GUARD_LOW) = 1;
}
