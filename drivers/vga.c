/*
 * drivers/vga.c - VGA text mode console with scrolling.
 *
 * Each cell of the 80x25 text buffer is a character byte and an attribute
 * byte (colours).  The hardware cursor is moved through the CRT
 * controller's index/data ports 0x3d4/0x3d5, registers 0x0e/0x0f
 * (cursor location high/low).
 */
#include "drivers/vga.h"

#include "kernel/cpu/cpu.h"
#include "kernel/lib/kstring.h"

#define COLS 80
#define ROWS 25
#define ATTR 0x07	/* light grey on black */
#define CRTC_INDEX 0x3d4
#define CRTC_DATA 0x3d5
#define CRTC_CURSOR_HIGH 0x0e
#define CRTC_CURSOR_LOW 0x0f

static volatile uint16_t *screen;
static int row, col;

static void move_cursor(void)
{
	uint16_t pos = (uint16_t)(row * COLS + col);

	outb(CRTC_INDEX, CRTC_CURSOR_HIGH);
	outb(CRTC_DATA, pos >> 8);
	outb(CRTC_INDEX, CRTC_CURSOR_LOW);
	outb(CRTC_DATA, pos & 0xff);
}

static void clear_row(int r)
{
	for (int c = 0; c < COLS; c++)
		screen[r * COLS + c] = ATTR << 8 | ' ';
}

static void scroll(void)
{
	memmove((void *)screen, (const void *)(screen + COLS),
	        (ROWS - 1) * COLS * sizeof(*screen));
	clear_row(ROWS - 1);
	row = ROWS - 1;
}

void vga_set_buffer(void *buffer)
{
	screen = buffer;
}

void vga_init(void *buffer)
{
	screen = buffer;
	for (int r = 0; r < ROWS; r++)
		clear_row(r);
	row = col = 0;
	move_cursor();
}

void vga_putc(char c)
{
	if (screen == NULL)
		return;
	switch (c) {
	case '\n':
		col = 0;
		row++;
		break;
	case '\r':
		col = 0;
		break;
	case '\b':	/* left, as on a terminal: erasing is a space */
		if (col > 0)
			col--;
		break;
	case '\t':
		col = (col + 8) & ~7;
		break;
	default:
		screen[row * COLS + col] = ATTR << 8 | (uint8_t)c;
		col++;
		break;
	}
	if (col >= COLS) {
		col = 0;
		row++;
	}
	if (row >= ROWS)
		scroll();
	move_cursor();
}
