/*
 * kernel/debug/panic.c - panic, KASSERT's failure path, and backtraces.
 *
 * The backtrace follows the saved frame pointers: the kernel is compiled
 * with -fno-omit-frame-pointer, so each frame starts with the caller's ebp
 * followed by the return address (i386 System V ABI, 2.2.2).  boot.S and
 * thread_alloc() start every chain with ebp = 0.  Three things the plain
 * chain does not say, the walk works out:
 *
 *  - Traps.  trapentry.S calls trap() after linking a frame whose "return
 *    address" is the interrupted eip, with the trap frame's address above
 *    it.  trap()'s own return address, trap_return, tells the walk that
 *    the next frame is that link frame: it prints a line for the trap and
 *    goes on in the interrupted code.  A trap from user mode ends the
 *    walk: user memory is never read (with SMAP on, that would fault).
 *  - An interrupted function whose frame is not linked: it was stopped on
 *    its first instruction, or between `push %ebp` and `mov %esp,%ebp`,
 *    or at its `ret`, or it has no frame at all (gcc gives none to a
 *    function that uses no stack; some assembly routines).  Its caller's
 *    return address is then on top of the stack, not behind ebp; see
 *    unlinked_return_slot().  The Makefile turns shrink-wrapping off, so a
 *    function that has a frame always sets it up first.
 *  - A return address is the instruction after a call, which after a call
 *    to a noreturn function is the next function's first byte; so names
 *    and lines are looked up at the address minus one, the call itself.
 *
 * Every read lies on the stack being walked, [lo, hi), checked before it
 * is made, and each frame must lie above the one before: a corrupt chain
 * ends the walk rather than faulting or going round in circles.  The same
 * frame many times over (a runaway recursion) is printed once, with a
 * count, so that the frames below it still fit in MAX_LINES.
 */
#include "kernel/debug/panic.h"

#include <stdarg.h>

#include "drivers/power.h"
#include "kernel/console.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/smp.h"
#include "kernel/cpu/trap.h"
#include "kernel/debug/catch.h"
#include "kernel/debug/ksyms.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"
#include "kernel/thread/thread.h"
#include "mm/kmem.h"

/*
 * Frames and trap lines a backtrace prints (each frame may be followed
 * by one line counting its repeats).
 */
#define MAX_LINES 24

/* An ebp frame: the caller's ebp, then the return address. */
#define FRAME_NEXT 0
#define FRAME_RETURN 1
#define FRAME_BYTES 8
/* trapentry.S's link frame: an ebp frame, then the trap frame's address. */
#define LINK_TRAPFRAME 2
#define LINK_BYTES 12

/* The two instructions the walk recognises (SDM Vol. 2B, PUSH and RET). */
#define OPCODE_PUSH_EBP 0x55
#define OPCODE_RET 0xc3

extern const char trap_return[];	/* kernel/cpu/trapentry.S */

bool panic_exits_qemu;
static bool panicking;

struct stack_walk {
	vaddr_t lo, hi;		/* the stack: nothing outside is read */
	int depth;		/* frames seen so far */
	int lines;		/* lines printed so far */
	uint32_t last;		/* the last frame printed (its address) */
	int repeats;		/* frames since that were the same */
};

static bool on_stack(const struct stack_walk *w, vaddr_t addr, size_t bytes)
{
	return (addr & 3) == 0 && addr >= w->lo && addr < w->hi &&
	       bytes <= w->hi - addr;
}

/*
 * "function+0xoff (file.c:line)" for the code at addr.  after_call: addr
 * is a return address, so the name and line are those of the call.
 */
static void print_code_address(vaddr_t addr, bool after_call)
{
	vaddr_t where = after_call ? addr - 1 : addr, off;
	const char *name = ksym_lookup(where, &off);
	struct source_line src;

	if (name != NULL)
		kprintf("%s+0x%x", name, (unsigned)(off + (addr - where)));
	else
		kprintf("?");
	if (ksym_line(where, &src))
		kprintf(" (%s:%u)", src.file, src.line);
}

/* Says how many frames the last one printed stood for, if more than one. */
static void flush_repeats(struct stack_walk *w)
{
	if (w->repeats == 0)
		return;
	kprintf("  ... the same frame %d more time%s\n", w->repeats,
	        w->repeats == 1 ? "" : "s");
	w->repeats = 0;
}

/* Counts a line about to be printed; false when no more may be. */
static bool line_left(struct stack_walk *w)
{
	if (w->lines < MAX_LINES) {
		w->lines++;
		return true;
	}
	kprintf("  ... (more frames not shown)\n");
	return false;
}

/* One frame of the chain; false when the walk must stop printing. */
static bool print_frame(struct stack_walk *w, uint32_t addr, bool after_call)
{
	w->depth++;
	if (w->depth > 1 && addr == w->last) {
		w->repeats++;
		return true;
	}
	flush_repeats(w);
	if (!line_left(w))
		return false;
	kprintf("  #%-2d %08x ", w->depth - 1, addr);
	print_code_address(addr, after_call);
	kprintf("\n");
	w->last = addr;
	return true;
}

/*
 * Where the interrupted code keeps the return address that its ebp does
 * not lead to (see the top of this file), or 0 when ebp is its own frame
 * and the chain goes on from there.
 */
static vaddr_t unlinked_return_slot(const struct stack_walk *w,
                                    const struct trapframe *tf)
{
	vaddr_t esp = trapframe_esp(tf), off, slot;
	const uint8_t *fn;

	if (ksym_lookup(tf->eip, &off) == NULL)
		return 0;
	fn = (const uint8_t *)(tf->eip - off);
	if (fn[0] != OPCODE_PUSH_EBP || off == 0 ||
	    *(const uint8_t *)tf->eip == OPCODE_RET) {
		/* No frame: none at all, none yet, or none any more. */
		slot = esp;
	} else if (on_stack(w, esp, sizeof(uint32_t)) &&
	           *(const uint32_t *)esp == tf->ebp) {
		/* After `push %ebp`, before `mov %esp,%ebp`. */
		slot = esp + sizeof(uint32_t);
	} else {
		return 0;	/* ebp is its own frame */
	}
	if (!on_stack(w, slot, sizeof(uint32_t)) ||
	    ksym_lookup(*(const uint32_t *)slot, &off) == NULL)
		return 0;	/* not a kernel code address after all */
	return slot;
}

/*
 * The link frame at `link`, which trapentry.S built: prints the trap and
 * the interrupted code, and sets *ebp to the interrupted ebp.  Returns
 * false when the walk ends here (a trap from user mode, a bad frame).
 */
static bool cross_trap(struct stack_walk *w, vaddr_t link, uint32_t *ebp)
{
	const struct trapframe *tf;
	vaddr_t slot;

	if (!on_stack(w, link, LINK_BYTES))
		return false;
	tf = (const struct trapframe *)((const uint32_t *)link)[LINK_TRAPFRAME];
	if (!on_stack(w, (vaddr_t)tf, offsetof(struct trapframe, esp)))
		return false;
	flush_repeats(w);
	if (!line_left(w))
		return false;
	kprintf("  --- ");
	trap_print_vector(tf->trapno);
	if (trapframe_from_user(tf)) {
		kprintf(" from user mode at eip %08x: user stacks are not "
		        "walked ---\n", tf->eip);
		return false;
	}
	kprintf(" at eip %08x ---\n", tf->eip);
	if (!print_frame(w, tf->eip, false))
		return false;
	slot = unlinked_return_slot(w, tf);
	if (slot != 0 && !print_frame(w, *(const uint32_t *)slot, true))
		return false;
	*ebp = tf->ebp;
	return true;
}

static void backtrace_print(const struct backtrace_start *from)
{
	struct stack_walk w = { .lo = from->lo, .hi = from->hi };
	uint32_t ebp = from->ebp;

	kprintf("backtrace:\n");
	while (ebp != 0) {
		const uint32_t *frame = (const uint32_t *)ebp;
		uint32_t next, ret;
		bool go_on;

		if (!on_stack(&w, ebp, FRAME_BYTES)) {
			flush_repeats(&w);
			kprintf("  (frame pointer %08x is off the stack "
			        "%08x-%08x: the walk stops)\n", ebp,
			        (unsigned)w.lo, (unsigned)w.hi);
			return;
		}
		next = frame[FRAME_NEXT];
		ret = frame[FRAME_RETURN];
		if (ret == (uint32_t)trap_return)
			go_on = cross_trap(&w, next, &next);
		else
			go_on = print_frame(&w, ret, true);
		if (!go_on)
			return;
		if (next != 0 && next <= ebp) {
			flush_repeats(&w);
			kprintf("  (frame pointer %08x is below the last "
			        "frame: the walk stops)\n", next);
			return;
		}
		ebp = next;
	}
	flush_repeats(&w);
}

/* The caller's own call chain, on the current thread's stack. */
static void backtrace_here(void)
{
	const struct kstack *ks = &curthread->kstack;
	struct backtrace_start here = { read_ebp(), ks->base, ks->top };
	uint32_t esp = read_esp();

	if (esp < ks->base || esp >= ks->top) {
		kprintf("backtrace: none (esp %08x is not on thread %s's "
		        "stack)\n", esp, curthread->name);
		return;
	}
	backtrace_print(&here);
}

static __attribute__((noreturn)) void
panic_finish(const struct trapframe *tf, const struct backtrace_start *from,
             const char *fmt, va_list ap)
{
	struct caught c = { .kind = CATCH_PANIC };

	irq_disable();
	kvsnprintf(c.message, sizeof(c.message), fmt, ap);
	catch_deliver(&c);	/* a test that expects this panic takes it here */

	if (__atomic_exchange_n(&panicking, true, __ATOMIC_ACQ_REL)) {
		/* This CPU's second panic, or another's: being stopped. */
		if (!console_panic_owner())
			for (;;)
				halt();
		kprintf("panic while panicking: %s\n", c.message);
	} else {
		/*
		 * The others stop where they are (an NMI each), and the
		 * console is this CPU's alone, whatever lock they held.
		 */
		smp_stop_others();
		console_panic_take();
		kprintf("\npanic: %s\n", c.message);
		if (tf != NULL) {
			trapframe_print(tf);
			kprintf("at ");
			print_code_address(tf->eip, false);
			kprintf("\n");
		} else if (from == NULL) {
			kprintf("  esp %08x  ebp %08x  eflags %08x\n",
			        read_esp(), read_ebp(), read_eflags());
			control_registers_print();
		}
		if (from != NULL)
			backtrace_print(from);
		else
			backtrace_here();
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

bool panic_in_progress(void)
{
	return __atomic_load_n(&panicking, __ATOMIC_ACQUIRE);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	panic_finish(NULL, NULL, fmt, ap);
}

void panic_trap(const struct trapframe *tf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	panic_finish(tf, NULL, fmt, ap);
}

void panic_from(const struct backtrace_start *from, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	panic_finish(NULL, from, fmt, ap);
}

void kassert_fail(const char *expr, const char *file, int line)
{
	panic("assertion \"%s\" failed at %s:%d", expr, file, line);
}
