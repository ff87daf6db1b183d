/*
 * kernel/console.c - console output, the line at the prompt, and the input
 * queue.
 *
 * Output goes to both devices with interrupts off and the output held for
 * each call, so lines printed from an interrupt handler or another CPU
 * never land inside another line.  Input
 * bytes from the serial and keyboard handlers go into a queue the shell
 * drains (below); a byte that does not fit is dropped and counted.  A
 * reader of an empty queue sleeps on it, so other threads run while the
 * shell waits for a key, and the handler that adds a byte wakes it.  The
 * queue is shared with interrupt handlers, so a spinlock guards it.
 *
 * What kprintf() prints also goes into the kernel log
 * (kernel/debug/klog.h), and nothing else does: not the line editor's
 * drawing, not the erasing and redrawing of its line below, not
 * programs' output.
 */
#include "kernel/console.h"

#include <stdarg.h>

#include "drivers/serial.h"
#include "drivers/vga.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/percpu.h"
#include "kernel/cpu/trap.h"
#include "kernel/debug/klog.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/list.h"
#include "kernel/thread/sched.h"
#include "kernel/thread/spinlock.h"
#include "mm/kmem.h"
#include "mm/kva.h"

/*
 * Input waits in a queue of small chunks, allocated when a byte arrives
 * and freed when the shell has read them, like BSD's clists and mbufs.
 * The allocation happens in the interrupt handler, so it is M_NOWAIT and
 * may fail: the byte is then dropped and counted, and the kernel carries
 * on.  INPUT_MAX_CHUNKS bounds what a flood of input can take from
 * kmem_map.
 */
#define INPUT_CHUNK_BYTES 52
#define INPUT_MAX_CHUNKS 64

struct input_chunk {
	struct list_node link;		/* on input.chunks, oldest first */
	uint16_t head;			/* next byte to read */
	uint16_t tail;			/* next free byte */
	char data[INPUT_CHUNK_BYTES];
};
/* A chunk is exactly one of kmalloc's 64-byte objects: nothing wasted. */
_Static_assert(sizeof(struct input_chunk) == 64, "chunk size");

static struct {
	struct list chunks;
	unsigned nchunks;
	uint64_t dropped;		/* bytes that found no room */
} input = { LIST_INIT(input.chunks), 0, 0 };
static struct spinlock input_lock = SPINLOCK_INIT("console input");
static bool (*intr_handler)(void);

/*
 * The line at the prompt.  While the shell's line editor waits for a key,
 * the last line on the screen is its prompt and the line being typed, and
 * output from anyone else (a background program, a kernel message) would
 * land in the middle of it.  So such output first erases that line, and
 * once it has ended a line of its own, the editor draws its line again
 * below it, as shells do with their prompt.
 */
static struct {
	const struct console_line_owner *owner;	/* NULL: nobody edits */
	bool erased;		/* the owner's line is off the screen */
	char last;		/* the last character anyone printed */
} prompt_line;

/*
 * Who may print: the CPU number + 1 of the one printing (0: nobody), and
 * how deep it is inside (a panic inside a kprintf prints too).  Not a
 * struct spinlock, whose own panics print: this one must work anywhere,
 * inside a panic included.  After a panic only the panicking CPU prints
 * (console_panic_take), whoever held the output when the others stopped.
 */
static unsigned output_cpu, output_depth, panic_cpu;

uint32_t console_output_begin(void)
{
	uint32_t flags = irq_save();
	unsigned me = cpu_self()->index + 1;

	if (__atomic_load_n(&panic_cpu, __ATOMIC_ACQUIRE) != 0) {
		if (panic_cpu != me)
			for (;;)	/* being stopped: print nothing */
				halt();
		return flags;
	}
	if (__atomic_load_n(&output_cpu, __ATOMIC_RELAXED) == me) {
		output_depth++;
		return flags;
	}
	for (;;) {
		unsigned free = 0;

		if (__atomic_compare_exchange_n(&output_cpu, &free, me, false,
		                                __ATOMIC_ACQUIRE,
		                                __ATOMIC_RELAXED))
			break;
		smp_poll_tlb();	/* as a spinlock does */
		__builtin_ia32_pause();
	}
	output_depth = 1;
	return flags;
}

void console_output_end(uint32_t flags)
{
	if (__atomic_load_n(&panic_cpu, __ATOMIC_ACQUIRE) == 0 &&
	    --output_depth == 0)
		__atomic_store_n(&output_cpu, 0, __ATOMIC_RELEASE);
	irq_restore(flags);
}

void console_panic_take(void)
{
	__atomic_store_n(&panic_cpu, cpu_self()->index + 1, __ATOMIC_RELEASE);
}

bool console_panic_owner(void)
{
	return __atomic_load_n(&panic_cpu, __ATOMIC_ACQUIRE) ==
	       cpu_self()->index + 1;
}

void console_init(void)
{
	serial_init();
	vga_init(P2V(VGA_TEXT_PHYS));	/* the early mapping covers it */
}

void console_putc(char c)
{
	serial_putc(c);
	vga_putc(c);
	prompt_line.last = c;
}

static void put_n(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		console_putc(s[i]);
}

/* Others are about to print: take the owner's line off the screen. */
static void others_begin(void)
{
	const struct console_line_owner *o = prompt_line.owner;

	if (o == NULL || prompt_line.erased)
		return;
	console_putc('\r');
	for (size_t i = o->width(o->arg); i > 0; i--)
		console_putc(' ');
	console_putc('\r');
	prompt_line.erased = true;
}

/* Others have printed: once they ended their line, draw the owner's. */
static void others_end(void)
{
	const struct console_line_owner *o = prompt_line.owner;

	if (o != NULL && prompt_line.erased && prompt_line.last == '\n') {
		prompt_line.erased = false;
		o->redraw(o->arg);
	}
}

void console_write(const char *s, size_t n)
{
	uint32_t flags = console_output_begin();

	others_begin();
	put_n(s, n);
	others_end();
	console_output_end(flags);
}

void console_set_line_owner(const struct console_line_owner *owner)
{
	uint32_t flags = console_output_begin();

	prompt_line.owner = owner;
	prompt_line.erased = false;
	console_output_end(flags);
}

void console_echo(const char *s, size_t n)
{
	uint32_t flags = console_output_begin();
	const struct console_line_owner *o = prompt_line.owner;

	/* Others left a line unfinished over ours: ours goes below it. */
	if (o != NULL && prompt_line.erased) {
		console_putc('\n');
		prompt_line.erased = false;
		o->redraw(o->arg);
	}
	put_n(s, n);
	console_output_end(flags);
}

/* kprintf's bytes: shown, and logged (interrupts are off). */
static void putc_callback(char c, void *arg)
{
	(void)arg;
	console_putc(c);
	klog_putc(c);
}

int kvprintf(const char *fmt, va_list ap)
{
	uint32_t flags = console_output_begin();
	int n;

	others_begin();
	n = fmt_format(putc_callback, NULL, fmt, ap);
	others_end();
	console_output_end(flags);
	return n;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

static struct input_chunk *first_chunk(void)
{
	struct list_node *n = list_front(&input.chunks);

	return n != NULL ? list_entry(n, struct input_chunk, link) : NULL;
}

/* A chunk with room at the end of the queue, or NULL (drop the byte). */
static struct input_chunk *chunk_with_room(void)
{
	struct list_node *n = list_back(&input.chunks);
	struct input_chunk *ch;

	if (n != NULL) {
		ch = list_entry(n, struct input_chunk, link);
		if (ch->tail < INPUT_CHUNK_BYTES)
			return ch;
	}
	if (input.nchunks == INPUT_MAX_CHUNKS)
		return NULL;
	ch = kmalloc(sizeof(*ch), M_TTY, M_NOWAIT);
	/* LAB 5: BEGIN SOLUTION */
	if (ch == NULL)
		return NULL;
	/* LAB 5: END SOLUTION */
	/* LAB 5: BEGIN HANDOUT
	   END HANDOUT */
	ch->head = ch->tail = 0;
	list_push_back(&input.chunks, &ch->link);
	input.nchunks++;
	return ch;
}

void console_set_intr_handler(bool (*handler)(void))
{
	intr_handler = handler;
}

bool console_input(char c)
{
	struct input_chunk *ch;

	if (c == CONSOLE_INTR_CHAR && intr_handler != NULL && intr_handler())
		return true;
	spin_lock(&input_lock);
	ch = chunk_with_room();
	if (ch != NULL) {
		ch->data[ch->tail++] = c;
		wakeup(&input);
	} else {
		input.dropped++;
	}
	spin_unlock(&input_lock);
	return ch != NULL;
}

uint64_t console_input_dropped(void)
{
	return input.dropped;
}

static bool input_empty(void)
{
	struct input_chunk *ch = first_chunk();

	return ch == NULL || ch->head == ch->tail;
}

void console_input_trim(void)
{
	struct input_chunk *ch;

	KASSERT(!in_interrupt());
	spin_lock(&input_lock);
	ch = first_chunk();
	if (ch != NULL && ch->head == ch->tail) {	/* then it is the only one */
		list_remove(&ch->link);
		input.nchunks--;
	} else {
		ch = NULL;
	}
	spin_unlock(&input_lock);
	kfree(ch);
}

/* The next input byte, or -EINTR for an interrupted sleep (see below). */
static int getc_sleeping(bool interruptible)
{
	struct input_chunk *done = NULL, *ch;
	char c;

	spin_lock(&input_lock);
	while (input_empty()) {
		if (!interruptible) {
			sleep(&input, &input_lock, "console");
		} else if (sleep_intr(&input, &input_lock, "console") != 0) {
			spin_unlock(&input_lock);
			return -EINTR;
		}
	}
	ch = first_chunk();
	c = ch->data[ch->head++];
	/* A chunk read to the end, and full (or not the last), is done. */
	if (ch->head == ch->tail && (ch->tail == INPUT_CHUNK_BYTES ||
	                             &ch->link != list_back(&input.chunks))) {
		done = ch;
		list_remove(&ch->link);
		input.nchunks--;
	}
	spin_unlock(&input_lock);
	kfree(done);
	return (unsigned char)c;
}

char console_getc(void)
{
	return (char)getc_sleeping(false);
}

int console_getc_intr(void)
{
	return getc_sleeping(true);
}
