/*
 * kernel/lineedit.c - the line editor (kernel/lineedit.h).
 *
 * The screen always shows the prompt, then ed->line, with the terminal's
 * cursor at ed->cursor.  Every edit keeps that true with three moves:
 * print characters (the cursor follows), print spaces over what is gone,
 * and backspace to where the cursor belongs.  redraw_tail() is that
 * sequence for everything from the cursor on; most keys are one change to
 * the line followed by it.
 */
#include "kernel/lineedit.h"

#include "kernel/lib/kstring.h"

#define CTRL(c) ((c) & 0x1f)
#define DEL 0x7f
#define ESC 0x1b
#define TOO_LONG_WORDS "line editor: a line holds at most 127 characters"

_Static_assert(LINEEDIT_MAX == 128, "TOO_LONG_WORDS names the limit");

static void put(struct line_editor *ed, const char *s, size_t n)
{
	if (n > 0)
		ed->out.write(s, n, ed->out.arg);
}

static void puts_(struct line_editor *ed, const char *s)
{
	put(ed, s, strlen(s));
}

static void repeat(struct line_editor *ed, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(ed, &c, 1);
}

/*
 * Redraws from the cursor to the end of the line, blanks the `gone`
 * columns the line used to take beyond its end, and puts the cursor back.
 */
static void redraw_tail(struct line_editor *ed, size_t gone)
{
	put(ed, ed->line + ed->cursor, ed->len - ed->cursor);
	repeat(ed, ' ', gone);
	repeat(ed, '\b', ed->len - ed->cursor + gone);
}

static void move_to(struct line_editor *ed, size_t pos)
{
	if (pos < ed->cursor)
		repeat(ed, '\b', ed->cursor - pos);
	else
		put(ed, ed->line + ed->cursor, pos - ed->cursor);
	ed->cursor = pos;
}

/* Replaces the whole line with text, cursor at its end. */
static void replace_line(struct line_editor *ed, const char *text)
{
	size_t old = ed->len, n = strlen(text);

	move_to(ed, 0);
	memcpy(ed->line, text, n + 1);
	ed->len = n;
	redraw_tail(ed, old > n ? old - n : 0);
	move_to(ed, n);
}

void lineedit_init(struct line_editor *ed, const char *prompt,
                   const struct line_output *out, line_complete_fn complete,
                   void *complete_arg)
{
	memset(ed, 0, sizeof(*ed));
	ed->prompt = prompt;
	ed->out = *out;
	ed->complete = complete;
	ed->complete_arg = complete_arg;
}

void lineedit_start(struct line_editor *ed)
{
	ed->line[0] = '\0';
	ed->len = ed->cursor = 0;
	ed->refused = ed->tab_again = false;
	ed->esc = ESC_NONE;
	ed->browsing = 0;
	puts_(ed, ed->prompt);
}

void lineedit_redraw(struct line_editor *ed)
{
	puts_(ed, ed->prompt);
	put(ed, ed->line, ed->len);
	repeat(ed, '\b', ed->len - ed->cursor);
}

size_t lineedit_width(const struct line_editor *ed)
{
	return strlen(ed->prompt) + ed->len;
}

/* Inserts text at the cursor, as much as fits; false if some did not. */
static bool insert(struct line_editor *ed, const char *text, size_t n)
{
	size_t room = LINEEDIT_MAX - 1 - ed->len, k = MIN(n, room);

	memmove(ed->line + ed->cursor + k, ed->line + ed->cursor,
	        ed->len - ed->cursor + 1);
	memcpy(ed->line + ed->cursor, text, k);
	ed->len += k;
	/* The new text and the rest after it, then back over the rest. */
	put(ed, ed->line + ed->cursor, ed->len - ed->cursor);
	ed->cursor += k;
	repeat(ed, '\b', ed->len - ed->cursor);
	return k == n;
}

/* Deletes the n characters before the cursor. */
static void delete_before(struct line_editor *ed, size_t n)
{
	n = MIN(n, ed->cursor);
	move_to(ed, ed->cursor - n);
	memmove(ed->line + ed->cursor, ed->line + ed->cursor + n,
	        ed->len - ed->cursor - n + 1);
	ed->len -= n;
	redraw_tail(ed, n);
}

/* Deletes from the cursor to the end of the line. */
static void delete_to_end(struct line_editor *ed)
{
	size_t gone = ed->len - ed->cursor;

	ed->len = ed->cursor;
	ed->line[ed->len] = '\0';
	redraw_tail(ed, gone);
}

/* Where ^W's word starts: back over blanks, then over the word. */
static size_t word_start(const struct line_editor *ed)
{
	size_t i = ed->cursor;

	while (i > 0 && ed->line[i - 1] == ' ')
		i--;
	while (i > 0 && ed->line[i - 1] != ' ')
		i--;
	return i;
}

/* The key beyond the last column: say so once; Enter will refuse. */
static void refuse(struct line_editor *ed)
{
	if (!ed->refused) {
		puts_(ed, "\n" TOO_LONG_WORDS "; this one will not run\n");
		lineedit_redraw(ed);
	}
	ed->refused = true;
}

/* ------------------------------------------------------------ history */

static const char *history_line(const struct line_editor *ed, unsigned back)
{
	unsigned slot = (ed->newest + LINEEDIT_HISTORY - (back - 1)) %
	                LINEEDIT_HISTORY;

	return ed->history[slot];
}

static void remember(struct line_editor *ed)
{
	if (ed->len == 0 ||
	    (ed->nhistory > 0 && strcmp(history_line(ed, 1), ed->line) == 0))
		return;
	ed->newest = (ed->newest + 1) % LINEEDIT_HISTORY;
	memcpy(ed->history[ed->newest], ed->line, ed->len + 1);
	if (ed->nhistory < LINEEDIT_HISTORY)
		ed->nhistory++;
}

/* Up: one line further back in the history, keeping the typed line. */
static void browse_older(struct line_editor *ed)
{
	if (ed->browsing == ed->nhistory)
		return;		/* at the oldest */
	if (ed->browsing == 0)
		memcpy(ed->draft, ed->line, ed->len + 1);
	ed->browsing++;
	replace_line(ed, history_line(ed, ed->browsing));
}

/* Down: one line forward, and at the end the line that was being typed. */
static void browse_newer(struct line_editor *ed)
{
	if (ed->browsing == 0)
		return;
	ed->browsing--;
	replace_line(ed, ed->browsing == 0 ? ed->draft
	                                   : history_line(ed, ed->browsing));
}

/* --------------------------------------------------------- completion */

/* How many leading characters every candidate shares. */
static size_t common_prefix(const char *const *words, size_t n)
{
	size_t len = strlen(words[0]);

	for (size_t i = 1; i < n; i++) {
		size_t k = 0;
		while (k < len && words[i][k] == words[0][k])
			k++;
		len = k;
	}
	return len;
}

static unsigned words_before(const struct line_editor *ed, size_t end)
{
	unsigned n = 0;

	for (size_t i = 0; i < end; i++)
		if (ed->line[i] != ' ' && (i == 0 || ed->line[i - 1] == ' '))
			n++;
	return n;
}

/*
 * Tab: completes the word before the cursor as far as every candidate
 * agrees, adding a space after a word that is complete; a second Tab that
 * could add nothing lists the candidates.
 */
static void complete(struct line_editor *ed)
{
	const char *cands[LINEEDIT_COMPLETIONS];
	size_t start = ed->cursor, have, n, common;
	bool listed = ed->tab_again;

	while (start > 0 && ed->line[start - 1] != ' ')
		start--;	/* the word is what precedes the cursor */
	have = ed->cursor - start;
	if (ed->complete == NULL)
		return;
	n = ed->complete(ed->line, words_before(ed, start), ed->line + start,
	                 have, cands, ARRAY_SIZE(cands), ed->complete_arg);
	ed->tab_again = true;
	if (n == 0)
		return;
	common = common_prefix(cands, n);
	if (common > have)
		insert(ed, cands[0] + have, common - have);
	if (n == 1) {
		insert(ed, " ", 1);	/* a whole word: on to the next */
	} else if (common == have && listed) {
		puts_(ed, "\n");
		for (size_t i = 0; i < n; i++) {
			puts_(ed, cands[i]);
			puts_(ed, i + 1 < n ? "  " : "\n");
		}
		lineedit_redraw(ed);
	}
}

/* ---------------------------------------------------------- the keys */

enum key {
	KEY_NONE, KEY_UP, KEY_DOWN, KEY_RIGHT, KEY_LEFT, KEY_HOME, KEY_END,
	KEY_DELETE,
};

/* The key an escape sequence's final byte (and number) stands for. */
static enum key escape_key(char final, unsigned param)
{
	switch (final) {
	case 'A': return KEY_UP;
	case 'B': return KEY_DOWN;
	case 'C': return KEY_RIGHT;
	case 'D': return KEY_LEFT;
	case 'H': return KEY_HOME;
	case 'F': return KEY_END;
	case '~':	/* VT220 keys: ESC [ n ~ */
		switch (param) {
		case 1: case 7: return KEY_HOME;
		case 4: case 8: return KEY_END;
		case 3: return KEY_DELETE;
		}
	}
	return KEY_NONE;
}

/*
 * Feeds one byte to the escape-sequence parser.  Returns the key a
 * finished sequence stands for, KEY_NONE inside one or for one it does
 * not know; *plain is set when c is not part of a sequence at all.
 */
static enum key parse_escape(struct line_editor *ed, char c, bool *plain)
{
	*plain = false;
	switch (ed->esc) {
	case ESC_NONE:
		if (c == ESC) {
			ed->esc = ESC_SEEN;
			return KEY_NONE;
		}
		*plain = true;
		return KEY_NONE;
	case ESC_SEEN:
		ed->esc_param = 0;
		ed->esc_more_params = false;
		if (c == ESC)
			return KEY_NONE;	/* a new sequence starts */
		ed->esc = c == '[' ? ESC_CSI : c == 'O' ? ESC_SS3 : ESC_NONE;
		*plain = ed->esc == ESC_NONE;	/* a lone ESC: c is a key */
		return KEY_NONE;
	case ESC_CSI:
		/* The first number counts; ";5" (a modifier key) and the
		   other parameter bytes are read past. */
		if (c >= '0' && c <= '9' && !ed->esc_more_params) {
			ed->esc_param = MIN(ed->esc_param * 10 +
			                    (unsigned)(c - '0'),
			                    1000u);
			return KEY_NONE;
		}
		if (c >= 0x20 && c <= 0x3f) {
			ed->esc_more_params = true;
			return KEY_NONE;
		}
		break;
	case ESC_SS3:
		break;
	}
	ed->esc = ESC_NONE;	/* c is the final byte */
	return escape_key(c, ed->esc_param);
}

static void do_key(struct line_editor *ed, enum key k)
{
	switch (k) {
	case KEY_UP: browse_older(ed); break;
	case KEY_DOWN: browse_newer(ed); break;
	case KEY_LEFT: move_to(ed, ed->cursor > 0 ? ed->cursor - 1 : 0); break;
	case KEY_RIGHT: move_to(ed, MIN(ed->cursor + 1, ed->len)); break;
	case KEY_HOME: move_to(ed, 0); break;
	case KEY_END: move_to(ed, ed->len); break;
	case KEY_DELETE:
		if (ed->cursor < ed->len) {
			move_to(ed, ed->cursor + 1);
			delete_before(ed, 1);
		}
		break;
	case KEY_NONE: break;
	}
}

/* Enter: the line is done, or refused when a key did not fit. */
static enum line_status finish(struct line_editor *ed)
{
	move_to(ed, ed->len);
	puts_(ed, "\n");
	if (ed->refused) {
		puts_(ed, TOO_LONG_WORDS ": not run\n");
		ed->line[0] = '\0';
		ed->len = ed->cursor = 0;
		return LINE_DONE;
	}
	remember(ed);
	return LINE_DONE;
}

enum line_status lineedit_key(struct line_editor *ed, char c)
{
	bool lf_of_crlf = ed->after_cr && c == '\n', plain;
	enum key k = parse_escape(ed, c, &plain);

	ed->after_cr = c == '\r';
	if (!plain) {
		do_key(ed, k);
		ed->tab_again = false;
		return LINE_EDITING;
	}
	if (c != '\t')
		ed->tab_again = false;
	if (lf_of_crlf)
		return LINE_EDITING;
	switch (c) {
	case '\r':
	case '\n':
		return finish(ed);
	case '\b':
	case DEL:
		delete_before(ed, 1);
		break;
	case '\t':
		complete(ed);
		break;
	case CTRL('A'): do_key(ed, KEY_HOME); break;
	case CTRL('E'): do_key(ed, KEY_END); break;
	case CTRL('B'): do_key(ed, KEY_LEFT); break;
	case CTRL('F'): do_key(ed, KEY_RIGHT); break;
	case CTRL('K'): delete_to_end(ed); break;
	case CTRL('W'): delete_before(ed, ed->cursor - word_start(ed)); break;
	case CTRL('U'):
		move_to(ed, 0);
		delete_to_end(ed);
		ed->refused = false;
		break;
	case CTRL('C'):
		puts_(ed, "^C\n");
		lineedit_start(ed);
		break;
	default:
		if ((unsigned char)c >= ' ' && (unsigned char)c <= '~' &&
		    !insert(ed, &c, 1))
			refuse(ed);
		break;		/* other control bytes and non-ASCII: ignored */
	}
	return LINE_EDITING;
}
