/*
 * kernel/lib/cmdline.c - the boot command line parser (pure logic: the host
 * unit tests run it as it is).
 */
#include "kernel/lib/cmdline.h"

#include "kernel/lib/kprintf.h"
#include "kernel/lib/kstring.h"

#define WORD_MAX 160

bool parse_u64(const char **s, uint64_t *out)
{
	const char *p = *s;
	uint64_t v = 0;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		uint64_t digit = (uint64_t)(*p - '0');

		if (v > (UINT64_MAX - digit) / 10)
			return false;
		v = v * 10 + digit;
	}
	*s = p;
	*out = v;
	return true;
}

bool parse_size(const char *s, uint64_t *out)
{
	uint64_t v;
	unsigned shift = 0;
	const char *p = s;

	if (!parse_u64(&p, &v))
		return false;
	switch (*p) {
	case 'K': case 'k': shift = 10; p++; break;
	case 'M': case 'm': shift = 20; p++; break;
	case 'G': case 'g': shift = 30; p++; break;
	default: break;
	}
	if (*p != '\0' || (shift != 0 && v > (UINT64_MAX >> shift)))
		return false;
	*out = v << shift;
	return true;
}

static const struct cmdline_option *find(const char *key, size_t keylen,
                                         const struct cmdline_option *opts,
                                         size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(opts[i].key) == keylen &&
		    strncmp(opts[i].key, key, keylen) == 0)
			return &opts[i];
	return NULL;
}

/* Applies one option; returns 1 when it printed a warning, else 0. */
static int apply(const struct cmdline_option *o, const char *value)
{
	struct string_option *so;
	struct size_option *size;

	switch (o->type) {
	case OPT_FLAG:
		if (value != NULL) {
			kprintf("cmdline: warning: '%s' takes no value "
			        "(got '%s'); ignored\n", o->key, value);
			return 1;
		}
		*(bool *)o->dest = true;
		return 0;
	case OPT_STRING:
		so = o->dest;
		if (value == NULL && !o->value_optional) {
			kprintf("cmdline: warning: '%s' needs a value (%s); "
			        "ignored\n", o->key, o->help);
			return 1;
		}
		if (value != NULL && strlen(value) >= sizeof(so->value)) {
			kprintf("cmdline: warning: value of '%s' is longer "
			        "than %d characters; ignored\n", o->key,
			        CMDLINE_VALUE_MAX - 1);
			return 1;
		}
		so->present = true;
		so->value[0] = '\0';
		if (value != NULL)
			memcpy(so->value, value, strlen(value) + 1);
		return 0;
	case OPT_SIZE:
		size = o->dest;
		if (value == NULL || !parse_size(value, &size->bytes)) {
			kprintf("cmdline: warning: '%s' needs a size such as "
			        "16M (got '%s'); ignored\n", o->key,
			        value != NULL ? value : "nothing");
			return 1;
		}
		size->present = true;
		return 0;
	}
	return 0;
}

static int handle_word(char *word, const struct cmdline_option *opts,
                       size_t n)
{
	char *eq = strchr(word, '=');
	size_t keylen = eq != NULL ? (size_t)(eq - word) : strlen(word);
	const struct cmdline_option *o = find(word, keylen, opts, n);

	if (o == NULL) {
		if (eq != NULL)
			*eq = '\0';
		kprintf("cmdline: warning: unknown option '%s' ignored "
		        "(see the README for the list)\n", word);
		return 1;
	}
	return apply(o, eq != NULL ? eq + 1 : NULL);
}

static bool contains_slash(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '/')
			return true;
	return false;
}

/* Copies the word at s (len bytes) so it can be cut at '=', and applies it. */
static int handle_span(const char *s, size_t len,
                       const struct cmdline_option *opts, size_t nopts)
{
	char word[WORD_MAX];

	if (len >= sizeof(word)) {
		kprintf("cmdline: warning: a word of %u characters is too "
		        "long; ignored\n", (unsigned)len);
		return 1;
	}
	memcpy(word, s, len);
	word[len] = '\0';
	return handle_word(word, opts, nopts);
}

int cmdline_parse(const char *line, const struct cmdline_option *opts,
                  size_t nopts)
{
	int warnings = 0;
	bool first = true;

	while (line != NULL && *line != '\0') {
		size_t len = 0;

		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '\0')
			break;
		while (line[len] != '\0' && line[len] != ' ' &&
		       line[len] != '\t')
			len++;
		/* The boot loader's first word is the kernel's file name. */
		if (!(first && contains_slash(line, len)))
			warnings += handle_span(line, len, opts, nopts);
		first = false;
		line += len;
	}
	return warnings;
}
