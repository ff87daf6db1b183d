/*
 * kernel/kmain.c - the boot sequence, from the first C instruction to the
 * shell.  Read it top to bottom: each step needs the ones above it.
 */
#include "drivers/kbd.h"
#include "drivers/pic.h"
#include "drivers/pit.h"
#include "drivers/power.h"
#include "drivers/serial.h"
#include "drivers/vga.h"
#include "kernel/bootinfo.h"
#include "kernel/console.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/cpufeatures.h"
#include "kernel/cpu/fpu.h"
#include "kernel/cpu/gdt.h"
#include "kernel/cpu/smp.h"
#include "kernel/lib/kprintf.h"
#include "kernel/debug/kmemtrace.h"
#include "kernel/debug/ktest.h"
#include "kernel/options.h"
#include "kernel/debug/panic.h"
#include "kernel/proc/proc.h"
#include "kernel/shell.h"
#include "kernel/thread/kstack.h"
#include "kernel/thread/lockdebug.h"
#include "kernel/thread/thread.h"
#include "kernel/cpu/trap.h"
#include "mm/kmem.h"
#include "mm/mm.h"
#include "mm/paging.h"

void kmain(uint32_t magic, uint32_t mbi);

/* ncpus=N: 1 .. SMP_MAX_CPUS (ncpus=0 is taken as 1, not as "all"). */
#define CLAMP_CPUS(n) MAX(1, MIN((n), SMP_MAX_CPUS))

/*
 * Frames the boot still needs after mm_init() to reach the prompt: the
 * idle thread's stack, a kernel_map page table and a boundary-tag page
 * for it, and a pool page for the console's first input.
 */
#define FRAMES_TO_START (KSTACK_SIZE / PAGE_SIZE + 3)

/*
 * Too little RAM to start is not a bug to panic about: say how much it
 * takes (short_by bytes more), and stop.
 */
static __attribute__((noreturn)) void too_little_memory(uint64_t short_by)
{
	uint64_t usable = mm_usable_bytes();
	uint64_t needed = ROUND_UP(usable + short_by, MiB(1));

	kprintf("Kiva: this machine has %llu KiB of usable RAM; Kiva needs at "
	        "least %llu MiB (with these boot modules) to start. Halted.\n",
	        (unsigned long long)(usable >> 10),
	        (unsigned long long)(needed >> 20));
	for (;;)
		halt();
}

/* The kmemtrace=MS option: a bad period or no thread is said, not fatal. */
static void start_kmemtrace(const char *period)
{
	const char *why;
	unsigned ms;

	if (!kmemtrace_parse_period(period, &ms, &why))
		kprintf("cmdline: warning: kmemtrace=%s: %s; no trace\n",
		        period, why);
	else if (kmemtrace_start(ms) != 0)
		kprintf("kmemtrace: no thread for the trace (no stack slot or "
		        "memory left); no trace\n");
}

void kmain(uint32_t magic, uint32_t mbi)
{
	char line[64];
	uint64_t short_by;

	/*
	 * 1. Output first, so that everything after can explain itself; and
	 *    before it this CPU's record, through which even a spinlock or a
	 *    kprintf finds the thread running (kernel/cpu/percpu.h).
	 */
	smp_boot_cpu_init();
	console_init();
	kprintf("Kiva: an i386 PAE teaching kernel\n");

	/* 2. Keep what the boot loader told us before its memory is reused. */
	bootinfo_init(magic, mbi);
	kprintf("boot loader: %s\ncommand line: %s\n",
	        bootinfo.loader[0] ? bootinfo.loader : "(unnamed)",
	        bootinfo.cmdline);
	options_parse(bootinfo.cmdline);
	panic_exits_qemu = boot_options.test.present;
	lockdebug_enabled = boot_options.lockdebug;

	/* 3. The CPU: what it has, and our exception handlers. */
	cpu_features_detect();
	trap_init();
	pic_init();
	fpu_init();		/* x87/SSE for processes, switched eagerly */
	cpu_protection_enable();	/* SMEP, SMAP, UMIP where present */
	cpu_protection_describe(line, sizeof(line));
	kprintf("cpu: %s; %s; FPU state saved with %s\n", cpu.vendor, line,
	        fpu_scheme());

	/*
	 * 4. Memory: map all physical memory first, then the allocators.
	 *    The design is chosen first: it decides the sizes.
	 */
	if (boot_options.kmem_design.present &&
	    !kmem_set_design(boot_options.kmem_design.value))
		kprintf("cmdline: warning: kmem_design=%s: not 2003 or kiva; "
		        "using kiva\n", boot_options.kmem_design.value);
	if (boot_options.magazines.present &&
	    !kmem_set_magazines(boot_options.magazines.value))
		kprintf("cmdline: warning: magazines=%s: not on or off; "
		        "using on\n", boot_options.magazines.value);
	short_by = mm_init(&boot_options.kmem_map);
	if (short_by != 0)	/* nothing built: the frames after it lack too */
		too_little_memory(short_by + FRAMES_TO_START * PAGE_SIZE);
	short_by = mm_frames_short_of(FRAMES_TO_START);
	if (short_by != 0)
		too_little_memory(short_by * PAGE_SIZE);
	kmem_set_debug(boot_options.kmem_debug);
	if (boot_options.fail.present) {
		const char *why;
		if (!kmem_fail_set(boot_options.fail.value, &why))
			kprintf("cmdline: warning: fail=%s: %s; no faults "
			        "injected\n", boot_options.fail.value, why);
	}

	/*
	 * 5. The screen as device memory.  The new page tables keep the
	 *    legacy area below 1 MiB mapped as boot.S had it, cacheable, so
	 *    that the console could go on writing to the VGA text buffer all
	 *    through mm_init().  The buffer is device memory, whose writes
	 *    should reach it as they are made: map its page uncached (PCD and
	 *    PWT, SDM Vol. 3A, 4.9).
	 */
	vga_set_buffer(paging_map_device(VGA_TEXT_PHYS, PAGE_SIZE));

	/*
	 * 6. Threads: from here on this flow is thread 0, "main", beside the
	 *    idle thread.  The double-fault task reports thread stack
	 *    overflows; it loads CR3, so it comes after the page tables.
	 */
	trap_init_double_fault();
	thread_init();
	proc_init();

	/* 7. Devices that interrupt, then interrupts on; ticks now preempt. */
	pit_init();
	serial_enable_rx_irq();
	kbd_init();
	irq_enable();

	/*
	 * 8. The other CPUs, now that the clock ticks (their start-up is
	 *    timed by it) and the boot CPU has its threads.
	 */
	smp_init(boot_options.ncpus.present ?
	         (unsigned)CLAMP_CPUS(boot_options.ncpus.bytes) : 0);

	/* 9. The allocators' trace, if asked for: threads and ticks run now. */
	if (boot_options.kmemtrace.present)
		start_kmemtrace(boot_options.kmemtrace.value);

	/* 10. Test mode runs the tests and reports through QEMU's exit code. */
	if (boot_options.test.present) {
		const char *why;
		int failed;

		if (boot_options.test_fail.present &&
		    !ktest_set_injection(boot_options.test_fail.value, &why))
			kprintf("cmdline: warning: test_fail=%s: %s; the tests "
			        "run without it\n", boot_options.test_fail.value,
			        why);
		failed = ktest_run(boot_options.test.value, KTEST_AT_BOOT);
		qemu_exit(failed == 0 ? QEMU_EXIT_SUCCESS : QEMU_EXIT_FAILURE);
	}
	shell_run();
}
