/*
 * kernel/debug/catch.c - the catcher stack behind catch_run().
 *
 * Each catch_run() pushes a frame holding a jump buffer and the interrupt
 * state; catch_deliver() copies the event into the innermost frame that
 * wants it and jumps back into that catch_run(), which restores the
 * interrupt flag and the interrupt depth that were in force when it was
 * armed (a fault may have been taken with interrupts off).
 *
 * Each thread has its own catcher stack (curthread->catch_innermost): a
 * thread preempted with a catcher armed must not catch the fault of the
 * thread that runs next, nor lose its catcher when that one returns.  And
 * a catcher never catches what happens in an interrupt handler that came
 * in while it was armed: jumping back would abandon the handler half-way
 * (no EOI, irq_depth wrong) on the stack of the thread it interrupted.  A
 * handler that expects a panic arms its own catcher.
 */
#include "kernel/debug/catch.h"

#include "kernel/cpu/cpu.h"
#include "kernel/thread/thread.h"
#include "kernel/cpu/trap.h"

struct kjmp_buf {
	uint32_t ebx, esi, edi, ebp, esp, eip;
};
int ksetjmp(struct kjmp_buf *jb) __attribute__((returns_twice));
__attribute__((noreturn)) void klongjmp(struct kjmp_buf *jb, int v);

struct catch_frame {
	struct catch_frame *outer;
	int kinds;
	uint32_t eflags;
	int irq_depth;
	struct caught *what;
	struct kjmp_buf jb;
};

bool catch_run(int kinds, void (*fn)(void *), void *arg, struct caught *what)
{
	struct catch_frame frame = {
		.outer = curthread->catch_innermost,
		.kinds = kinds,
		.eflags = read_eflags(),
		.irq_depth = trap_irq_depth(),
		.what = what,
	};

	if (ksetjmp(&frame.jb) != 0) {
		curthread->catch_innermost = frame.outer;
		trap_set_irq_depth(frame.irq_depth);
		irq_restore(frame.eflags);
		return true;
	}
	curthread->catch_innermost = &frame;
	fn(arg);
	curthread->catch_innermost = frame.outer;
	return false;
}

void catch_deliver(const struct caught *c)
{
	struct catch_frame *f;

	for (f = curthread->catch_innermost; f != NULL; f = f->outer)
		if (f->kinds & c->kind)
			break;
	if (f == NULL || f->irq_depth < trap_irq_depth())
		return;
	irq_disable();
	curthread->catch_innermost = f->outer;
	*f->what = *c;
	klongjmp(&f->jb, 1);
}
