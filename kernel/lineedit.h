/*
 * kernel/lineedit.h - the shell's line editor: keys in, a line out.
 *
 * The editor is fed the console's input one byte at a time and draws what
 * it does through an output function it is given, so it is pure logic:
 * tests/host/test_lineedit.c runs it on the host, feeding it what a
 * terminal sends and reading back both the line and the screen.
 *
 *	struct line_editor ed;
 *	lineedit_init(&ed, "kiva> ", &out, complete, NULL);
 *	lineedit_start(&ed);			// draws the prompt
 *	while (lineedit_key(&ed, console_getc()) == LINE_EDITING)
 *		;
 *	run(ed.line);				// NUL-terminated
 *
 * The keys are a terminal's, as a serial line delivers them: printable
 * ASCII is inserted at the cursor; Backspace or DEL deletes before it;
 * Left/Right (or ^B/^F) move, Home/End (or ^A/^E) jump; Delete removes
 * the character under the cursor; Up/Down walk the history of the last
 * LINEEDIT_HISTORY lines; Tab completes the word before the cursor; ^W
 * deletes the word before the cursor, ^K the rest of the line, ^U all of
 * it; ^C drops the line.  Arrow keys and friends come as escape
 * sequences (ESC [ A, ESC O H, ESC [ 3 ~ ...: ECMA-48, 5.4); unknown ones
 * are skipped whole, and an ESC followed by anything else is dropped
 * alone, so ESC then Enter still ends the line.
 *
 * Drawing uses nothing but printable characters, spaces, backspace and
 * newline, which every terminal and the VGA console understand alike.
 * A line is at most LINEEDIT_MAX - 1 characters; a key beyond that is
 * refused, and Enter then refuses the whole line (it is never cut short
 * and run anyway).
 */
#ifndef KIVA_KERNEL_LINEEDIT_H
#define KIVA_KERNEL_LINEEDIT_H

#include "kernel/lib/types.h"

#define LINEEDIT_MAX 128		/* with the NUL */
#define LINEEDIT_HISTORY 16		/* lines Up can bring back */
#define LINEEDIT_COMPLETIONS 32	/* candidates one Tab considers */

/* Where the editor draws: write(s, n, arg). */
struct line_output {
	void (*write)(const char *s, size_t n, void *arg);
	void *arg;
};

/*
 * Completion: stores in out[0..max) the words that could stand as word
 * number `index` of line (0: the command) and start with the `len`
 * characters at `word`, and returns how many it stored.
 */
typedef size_t (*line_complete_fn)(const char *line, unsigned index,
                                   const char *word, size_t len,
                                   const char **out, size_t max, void *arg);

enum esc_state { ESC_NONE, ESC_SEEN, ESC_CSI, ESC_SS3 };

struct line_editor {
	const char *prompt;
	struct line_output out;
	line_complete_fn complete;	/* NULL: Tab does nothing */
	void *complete_arg;

	char line[LINEEDIT_MAX];	/* what is typed, NUL-terminated */
	size_t len, cursor;		/* cursor: 0..len */
	bool refused;			/* a key did not fit: Enter refuses */
	bool after_cr;			/* CR LF is one line end */
	bool tab_again;			/* the last key was a Tab */

	enum esc_state esc;		/* inside an escape sequence */
	unsigned esc_param;		/* its number, as in ESC [ 3 ~ */
	bool esc_more_params;		/* past the first number */

	/* A ring, newest last. */
	char history[LINEEDIT_HISTORY][LINEEDIT_MAX];
	unsigned nhistory;		/* lines in it, <= LINEEDIT_HISTORY */
	unsigned newest;		/* its slot of the newest line */
	unsigned browsing;		/* 0: not; n: n lines back */
	char draft[LINEEDIT_MAX];		/* the line typed before Up */
};

enum line_status { LINE_EDITING, LINE_DONE };

void lineedit_init(struct line_editor *ed, const char *prompt,
                   const struct line_output *out, line_complete_fn complete,
                   void *complete_arg);

/* Begins a new, empty line and draws the prompt. */
void lineedit_start(struct line_editor *ed);

/*
 * Handles one input byte.  Returns LINE_DONE when Enter ended the line:
 * ed->line holds it (empty when it was refused for its length), and it
 * is in the history.
 */
enum line_status lineedit_key(struct line_editor *ed, char c);

/* Draws the prompt and the line again, cursor in place (after
 * others' output). */
void lineedit_redraw(struct line_editor *ed);

/* Columns the prompt and the line take on the screen. */
size_t lineedit_width(const struct line_editor *ed);

#endif
