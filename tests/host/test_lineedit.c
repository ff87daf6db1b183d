/*
 * tests/host/test_lineedit.c - unit tests for kernel/lineedit.c, the
 * shell's line editor.
 *
 * Each test feeds the editor the bytes a terminal sends for some keys and
 * checks two things: the line it hands back, and the screen.  The screen
 * is a model of a terminal (printable characters, backspace, newline),
 * and after every key its current row must read prompt + line with the
 * cursor at the editor's cursor: that is the promise every edit keeps.
 * The last test presses 100,000 random keys and checks it after each.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/lineedit.h"
#include "tests/host/test_rng.h"

#define PROMPT "kiva> "
#define ROWS 64
#define COLS 256
#define RANDOM_KEYS 100000

/* The terminal: rows of text, the cursor's row and column. */
static char screen[ROWS][COLS + 1];
static int row, col;

static void term_write(const char *s, size_t n, void *arg)
{
	(void)arg;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			row = (row + 1) % ROWS;
			memset(screen[row], 0, sizeof(screen[row]));
			col = 0;
		} else if (s[i] == '\b') {
			assert_true(col > 0);	/* never back past the margin */
			col--;
		} else {
			assert_true(s[i] >= ' ' && s[i] <= '~');
			assert_true(col < COLS);
			screen[row][col++] = s[i];
		}
	}
}

static const char *const commands[] = {
	"help", "kill", "kmem", "kva", "mem", "ps", "run", "uptime",
};

static size_t complete_commands(const char *line, unsigned index,
                                const char *word, size_t len,
                                const char **out, size_t max, void *arg)
{
	size_t n = 0;

	(void)line, (void)arg;
	if (index != 0)
		return 0;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strncmp(commands[i], word, len) == 0 && n < max)
			out[n++] = commands[i];
	return n;
}

static struct line_editor ed;
static const struct line_output out = { term_write, NULL };

static int setup(void **state)
{
	(void)state;
	memset(screen, 0, sizeof(screen));
	row = col = 0;
	lineedit_init(&ed, PROMPT, &out, complete_commands, NULL);
	lineedit_start(&ed);
	return 0;
}

/* The screen's current row shows the prompt and the line, cursor right. */
static void check_screen(void)
{
	char want[COLS + 1];
	size_t n = strlen(PROMPT);

	memcpy(want, PROMPT, n);
	memcpy(want + n, ed.line, ed.len);
	want[n + ed.len] = '\0';
	/* What lies beyond the line on screen must be blank. */
	for (size_t i = n + ed.len; i < COLS && screen[row][i] != '\0'; i++)
		assert_int_equal(screen[row][i], ' ');
	if (strncmp(screen[row], want, n + ed.len) != 0)
		fail_msg("screen row '%s', want '%s'", screen[row], want);
	assert_int_equal(col, (int)(n + ed.cursor));
	assert_int_equal(strlen(ed.line), ed.len);
	assert_true(ed.cursor <= ed.len);
}

/* Types s; returns how the last byte left the editor. */
static enum line_status type(const char *s)
{
	enum line_status st = LINE_EDITING;

	for (; *s != '\0'; s++) {
		st = lineedit_key(&ed, *s);
		if (st == LINE_EDITING)
			check_screen();
	}
	return st;
}

/* Types s, which must end the line with line `want`. */
static void enter(const char *s, const char *want)
{
	assert_int_equal(type(s), LINE_DONE);
	assert_string_equal(ed.line, want);
	lineedit_start(&ed);
}

static void typing_and_backspace(void **state)
{
	(void)state;
	enter("helx\bp\r", "help");
	enter("mem\x7f\x7fm\r", "mm");	/* DEL, as most terminals send */
	enter("\b\b\r", "");		/* nothing to delete */
}

/* The bug the editor was written for: Left x3 then typing. */
static void arrows_move_the_cursor(void **state)
{
	(void)state;
	enter("uptime\x1b[D\x1b[D\x1b[DX\r", "uptXime");
	enter("kva\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D!\r", "!kva");	/* stops at 0 */
	enter("ab\x1b[D\x1b[C\x1b[C\x1b[Cc\r", "abc");		/* and at end */
	enter("abc\x02\x02Z\x06Y\r", "aZbYc");			/* ^B, ^F */
}

static void home_end_and_delete(void **state)
{
	(void)state;
	enter("mem\x1b[H>\x1b[F<\r", ">mem<");		/* xterm */
	enter("mem\x1bOH>\x1bOF<\r", ">mem<");		/* SS3 form */
	enter("mem\x1b[1~>\x1b[4~<\r", ">mem<");	/* VT220 */
	enter("mem\x01>\x05<\r", ">mem<");		/* ^A, ^E */
	enter("abc\x1b[H\x1b[3~\r", "bc");		/* Delete */
	enter("abc\x1b[3~\r", "abc");			/* nothing under it */
}

static void word_and_line_kills(void **state)
{
	(void)state;
	enter("run fdbomb 100\x17\r", "run fdbomb ");	/* ^W */
	enter("run fdbomb  \x17\r", "run ");		/* blanks, then word */
	enter("kill 12\x1b[D\x1b[D\x0b\r", "kill ");	/* ^K */
	enter("junk\x15ps\r", "ps");			/* ^U */
}

static void history_up_and_down(void **state)
{
	(void)state;
	enter("mem\r", "mem");
	enter("kva\r", "kva");
	enter("kva\r", "kva");		/* a repeat is kept once */
	enter("ps\r", "ps");
	enter("\x1b[A\r", "ps");
	enter("\x1b[A\x1b[A\r", "kva");
	enter("\x1b[A\x1b[A\x1b[A\x1b[A\x1b[A\r", "mem");	/* stops */
	/* Down comes back to what was being typed. */
	enter("up\x1b[A\x1b[A\x1b[B\x1b[B\r", "up");
	enter("\x1b[B\r", "");
}

static void history_keeps_the_last_lines(void **state)
{
	char line[16];

	(void)state;
	for (int i = 0; i < LINEEDIT_HISTORY + 5; i++) {
		snprintf(line, sizeof(line), "c%d\r", i);
		type(line);
		lineedit_start(&ed);
	}
	for (int i = 0; i < LINEEDIT_HISTORY + 3; i++)
		type("\x1b[A");
	enter("\r", "c5");	/* 21 typed, the oldest 16th back is c5 */
}

static void tab_completes_commands(void **state)
{
	(void)state;
	enter("up\t\r", "uptime ");
	enter("km\t\r", "kmem ");
	enter("r\tfdbomb\r", "run fdbomb");
	/* k: kill, kmem, kva; nothing to add, a second Tab lists them. */
	assert_int_equal(type("k\t"), LINE_EDITING);
	assert_string_equal(ed.line, "k");
	type("\t");
	assert_string_equal(screen[(row + ROWS - 1) % ROWS], "kill  kmem  kva");
	enter("v\t\r", "kva ");
	enter("zz\t\r", "zz");			/* no candidate */
	enter("run x\t\r", "run x");		/* not the command word */
}

static void escape_then_enter_is_enter(void **state)
{
	(void)state;
	enter("uptime\x1b\r", "uptime");
	enter("mem\x1b\x1b[D\r", "mem");	/* ESC, then an arrow */
	enter("ps\x1b[20~\r", "ps");		/* unknown: skipped whole */
	enter("ps\x1b[1;5D!\r", "p!s");		/* ^Left moves as Left does */
	enter("ab\x1b[3;5~\r", "ab");		/* ^Delete acts as Delete */
}

static void crlf_is_one_line_end(void **state)
{
	(void)state;
	enter("mem\r", "mem");
	assert_int_equal(lineedit_key(&ed, '\n'), LINE_EDITING);
	enter("kva\n", "kva");
}

static void control_c_drops_the_line(void **state)
{
	(void)state;
	type("junk\x03");
	assert_string_equal(ed.line, "");
	assert_string_equal(screen[(row + ROWS - 1) % ROWS], PROMPT "junk^C");
	enter("ps\r", "ps");
}

/* Past 127 characters keys are refused, and so is the line. */
static void a_line_too_long_is_refused(void **state)
{
	char line[200];

	(void)state;
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	assert_int_equal(type(line), LINE_EDITING);
	assert_int_equal(ed.len, LINEEDIT_MAX - 1);
	enter("\r", "");
	assert_non_null(strstr(screen[(row + ROWS - 1) % ROWS], "not run"));
	/* Exactly 127 is fine. */
	line[LINEEDIT_MAX - 1] = '\0';
	type(line);
	line[LINEEDIT_MAX - 1] = '\r';
	line[LINEEDIT_MAX] = '\0';
	assert_int_equal(type("\r"), LINE_DONE);
	assert_int_equal(strlen(ed.line), LINEEDIT_MAX - 1);
	lineedit_start(&ed);
	/* ^U forgives a refusal. */
	memset(line, 'y', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	type(line);
	enter("\x15ps\r", "ps");
}

static void other_control_bytes_are_ignored(void **state)
{
	(void)state;
	enter("u\x07p\x0e\x10\x80\xff\x1ctime\r", "uptime");
}

static void redraw_after_other_output(void **state)
{
	(void)state;
	type("uptime\x1b[D\x1b[D");
	term_write("\nsomething else printed\n", 24, NULL);
	lineedit_redraw(&ed);
	check_screen();
	assert_int_equal(lineedit_width(&ed), strlen(PROMPT) + 6);
}

/* Random keys: the screen must match the line after every one. */
static void random_keys_keep_the_screen_right(void **state)
{
	static const char *const keys[] = {
		"a", "b", " ", "x", "\b", "\x7f", "\x1b[D", "\x1b[C", "\x1b[A",
		"\x1b[B", "\x1b[H", "\x1b[F", "\x1b[3~", "\x17", "\x0b", "\x15",
		"\t", "\x01", "\x05", "\x03", "\x1b", "\r", "k", "m", "u",
	};

	(void)state;
	rng_seed(0x11ed17);
	for (int i = 0; i < RANDOM_KEYS; i++) {
		const char *k = keys[rng_below(sizeof(keys) / sizeof(keys[0]))];
		if (type(k) == LINE_DONE)
			lineedit_start(&ed);
		else
			check_screen();
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(typing_and_backspace),
		T(arrows_move_the_cursor),
		T(home_end_and_delete),
		T(word_and_line_kills),
		T(history_up_and_down),
		T(history_keeps_the_last_lines),
		T(tab_completes_commands),
		T(escape_then_enter_is_enter),
		T(crlf_is_one_line_end),
		T(control_c_drops_the_line),
		T(a_line_too_long_is_refused),
		T(other_control_bytes_are_ignored),
		T(redraw_after_other_output),
		T(random_keys_keep_the_screen_right),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
