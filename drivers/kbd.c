/*
 * drivers/kbd.c - PS/2 keyboard on IRQ 1, US layout.
 *
 * The 8042 controller delivers scan code set 1 (translated) on port 0x60: a
 * make code per key press and the same code with bit 7 set on release.
 * Only the keys a shell needs are mapped; shift and control are tracked.
 */
#include "drivers/kbd.h"

#include "kernel/console.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/trap.h"

#define KBD_DATA 0x60
#define KBD_STATUS 0x64
#define STATUS_OUTPUT_FULL 0x01
#define RELEASE 0x80
#define SC_LSHIFT 0x2a
#define SC_RSHIFT 0x36
#define SC_CTRL 0x1d

static const char normal_map[0x3a] =
	"\0\0331234567890-=\b\tqwertyuiop[]\n"
	"\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
static const char shift_map[0x3a] =
	"\0\033!@#$%^&*()_+\b\tQWERTYUIOP{}\n"
	"\0ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ";

static bool shift, ctrl;

static char translate(uint8_t sc)
{
	char c;

	if (sc >= sizeof(normal_map))
		return 0;
	c = shift ? shift_map[sc] : normal_map[sc];
	if (ctrl && c >= 'a' && c <= 'z')
		return (char)(c - 'a' + 1);
	return c == '\n' ? '\r' : c;	/* Enter sends CR, like a terminal */
}

static void kbd_irq(struct trapframe *tf)
{
	(void)tf;
	while (inb(KBD_STATUS) & STATUS_OUTPUT_FULL) {
		uint8_t sc = inb(KBD_DATA);
		bool released = (sc & RELEASE) != 0;
		uint8_t code = sc & ~RELEASE;
		char c;

		if (code == SC_LSHIFT || code == SC_RSHIFT)
			shift = !released;
		else if (code == SC_CTRL)
			ctrl = !released;
		else if (!released && (c = translate(code)) != 0)
			console_input(c);
	}
}

void kbd_init(void)
{
	while (inb(KBD_STATUS) & STATUS_OUTPUT_FULL)
		(void)inb(KBD_DATA);
	irq_register(1, kbd_irq, "kbd");
}
