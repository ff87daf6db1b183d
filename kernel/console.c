/*
 * kernel/console.c - console output and the input queue.
 *
 * Output goes to both devices with interrupts off for each call, so lines
 * printed from an interrupt handler never land inside another line.  Input
 * bytes from the serial and keyboard handlers go into a ring the shell
 * drains; a byte that does not fit is dropped and counted by the driver.
 * A reader of an empty ring sleeps on it, so other threads run while the
 * shell waits for a key, and the handler that adds a byte wakes it.  The
 * ring is shared with interrupt handlers, so a spinlock guards it.
 */
#include "kernel/console.h"

#include <stdarg.h>

#include "drivers/serial.h"
#include "drivers/vga.h"
#include "kernel/cpu.h"
#include "kernel/fmt.h"
#include "kernel/kprintf.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "mm/kva.h"

#define INPUT_RING 256	/* a power of two: indices wrap with a mask */

static struct {
	char buf[INPUT_RING];
	uint32_t head;	/* next byte to read */
	uint32_t tail;	/* next free slot */
} input;
static struct spinlock input_lock = SPINLOCK_INIT("console input");

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

bool console_input(char c)
{
	bool stored = false;

	spin_lock(&input_lock);
	if (input.tail - input.head < INPUT_RING) {
		input.buf[input.tail % INPUT_RING] = c;
		input.tail++;
		wakeup(&input);
		stored = true;
	}
	spin_unlock(&input_lock);
	return stored;
}

char console_getc(void)
{
	char c;

	spin_lock(&input_lock);
	while (input.head == input.tail)
		sleep(&input, &input_lock, "console");
	c = input.buf[input.head % INPUT_RING];
	input.head++;
	spin_unlock(&input_lock);
	return c;
}
