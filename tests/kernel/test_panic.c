/*
 * tests/kernel/test_panic.c - the panic path itself, run on its own by
 * tests/boot/boot_tests.sh (test=panic_backtrace): the output must show
 * the message, registers, and a backtrace naming this function and kmain.
 */
#include "kernel/ktest.h"
#include "kernel/panic.h"

KTEST_MANUAL(panic_backtrace)
{
	(void)t;
	panic("deliberate panic from test %s", "panic_backtrace");
}
