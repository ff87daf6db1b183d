/*
 * kernel/console.c - console output and the input queue.
 *
 * Output goes to both devices with interrupts off for each call, so lines
 * printed from an interrupt handler never land inside another line.  Input
 * bytes from the serial and keyboard handlers go into a queue the shell
 * drains (below); a byte that does not fit is dropped.  A reader of an
 * empty queue sleeps on it, so other threads run while the shell waits for
 * a key, and the handler that adds a byte wakes it.  The queue is shared
 * with interrupt handlers, so a spinlock guards it.
 */
#include "kernel/console.h"

#include <stdarg.h>

#include "drivers/serial.h"
#include "drivers/vga.h"
#include "kernel/cpu/cpu.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/kprintf.h"
#include "kernel/thread/sched.h"
#include "kernel/thread/spinlock.h"
#include "mm/kmem.h"
#include "mm/kva.h"

/*
 * Input waits in a queue of small chunks, allocated when a byte arrives
 * and freed when the shell has read them, like BSD's clists and mbufs.
 * The allocation happens in the interrupt handler, so it is M_NOWAIT and
 * may fail: the byte is then dropped and counted, and the kernel carries
 * on (`kmem` shows the count).  INPUT_MAX_CHUNKS bounds what a flood of
 * input can take from kmem_map.
 */
#define INPUT_CHUNK_BYTES 56
#define INPUT_MAX_CHUNKS 64

struct input_chunk {
	struct input_chunk *next;
	uint16_t head;			/* next byte to read */
	uint16_t tail;			/* next free byte */
	char data[INPUT_CHUNK_BYTES];
};

static struct {
	struct input_chunk *first, *last;
	unsigned nchunks;
	uint32_t dropped;		/* bytes that did not fit */
} input;
static struct spinlock input_lock = SPINLOCK_INIT("console input");
static bool (*intr_handler)(void);

void console_init(void)
{
	serial_init();
	vga_init(P2V(VGA_TEXT_PHYS));	/* the early mapping covers it */
}

void console_putc(char c)
{
	serial_putc(c);
	vga_putc(c);
}

void console_write(const char *s, size_t n)
{
	uint32_t flags = irq_save();
	for (size_t i = 0; i < n; i++)
		console_putc(s[i]);
	irq_restore(flags);
}

static void putc_callback(char c, void *arg)
{
	(void)arg;
	console_putc(c);
}

int kvprintf(const char *fmt, va_list ap)
{
	uint32_t flags = irq_save();
	int n = fmt_format(putc_callback, NULL, fmt, ap);
	irq_restore(flags);
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

/* A chunk with room at the end of the queue, or NULL (drop the byte). */
static struct input_chunk *chunk_with_room(void)
{
	struct input_chunk *ch = input.last;

	if (ch != NULL && ch->tail < INPUT_CHUNK_BYTES)
		return ch;
	if (input.nchunks == INPUT_MAX_CHUNKS)
		return NULL;
	ch = kmalloc(sizeof(*ch), M_TTY, M_NOWAIT);
	if (ch == NULL)
		return NULL;
	ch->next = NULL;
	ch->head = ch->tail = 0;
	if (input.last != NULL)
		input.last->next = ch;
	else
		input.first = ch;
	input.last = ch;
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

void console_print_drops(void)
{
	kprintf("console input bytes dropped: %u\n", (unsigned)input.dropped);
}

static bool input_empty(void)
{
	return input.first == NULL || input.first->head == input.first->tail;
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
	ch = input.first;
	c = ch->data[ch->head++];
	/* A chunk read to the end, and full (or not the last), is done. */
	if (ch->head == ch->tail && (ch->tail == INPUT_CHUNK_BYTES ||
	                             ch != input.last)) {
		done = ch;
		input.first = ch->next;
		if (input.first == NULL)
			input.last = NULL;
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
