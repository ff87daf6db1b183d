/*
 * kernel/debug/panic.c - panic, KASSERT's failure path, and backtraces.
 *
 * The backtrace follows the saved frame pointers: the kernel is compiled
 * with -fno-omit-frame-pointer, so each frame starts with the caller's ebp
 * followed by the return address (i386 System V ABI, 2.2.2).  boot.S
 * starts the chain with ebp = 0.
 */
#include "kernel/debug/panic.h"

#include <stdarg.h>

#include "drivers/power.h"
#include "kernel/debug/catch.h"
#include "kernel/cpu/cpu.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"
#include "kernel/debug/ksyms.h"
#include "kernel/cpu/trap.h"
#include "mm/kmem.h"
#include "mm/kva.h"

#define MAX_FRAMES 24

bool panic_exits_qemu;
static bool panicking;

void backtrace_from(uint32_t ebp)
{
	kprintf("backtrace:\n");
	for (int depth = 0; depth < MAX_FRAMES; depth++) {
		/* Stop at the end of the chain or at anything not kernel stack. */
		if (ebp < KERNBASE || (ebp & 3) != 0)
			break;
		const uint32_t *frame = (const uint32_t *)ebp;
		uint32_t ret = frame[1];
		if (ret == 0)
			break;
		kprintf("  #%-2d %08x ", depth, ret);
		ksym_print(ret);
		kprintf("\n");
		ebp = frame[0];
	}
}

static __attribute__((noreturn)) void panic_finish(const struct trapframe *tf,
                                                   const char *fmt,
                                                   va_list ap)
{
	struct caught c = { .kind = CATCH_PANIC };

	irq_disable();
	kvsnprintf(c.message, sizeof(c.message), fmt, ap);
	catch_deliver(&c);	/* a test that expects this panic takes it here */

	if (panicking) {
		kprintf("panic while panicking: %s\n", c.message);
	} else {
		panicking = true;
		kprintf("\npanic: %s\n", c.message);
		if (tf != NULL) {
			trapframe_print(tf);
			kprintf("at ");
			ksym_print(tf->eip);
			kprintf("\n");
			backtrace_from(tf->ebp);
		} else {
			uint32_t esp;
			__asm__ volatile("movl %%esp, %0" : "=r"(esp));
			kprintf("  esp %08x  ebp %08x  eflags %08x\n", esp,
			        read_ebp(), read_eflags());
			control_registers_print();
			backtrace_from(read_ebp());
		}
		if (kmem_ready()) {
			kprintf("kernel memory at the time of the panic:\n");
			kmem_print();
		}
	}
	if (panic_exits_qemu)
		qemu_exit(QEMU_EXIT_FAILURE);
	kprintf("halted.\n");
	for (;;)
		halt();
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	panic_finish(NULL, fmt, ap);
}

void panic_trap(const struct trapframe *tf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	panic_finish(tf, fmt, ap);
}

void kassert_fail(const char *expr, const char *file, int line)
{
	panic("assertion \"%s\" failed at %s:%d", expr, file, line);
}
