/*
 * mm/failinject.c - fault-injection specs and decisions (pure logic).
 *
 * The random mode uses xorshift32 (Marsaglia 2003): tiny, deterministic for
 * a seed, and good enough to spread failures; it is not for anything else.
 */
#include "mm/failinject.h"

#include "kernel/lib/cmdline.h"
#include "kernel/lib/kstring.h"

static bool starts(const char **p, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(*p, word, n) != 0)
		return false;
	*p += n;
	return true;
}

static bool parse_mode(const char **p, struct fail_spec *s, const char **why)
{
	uint64_t v;

	if (starts(p, "off")) {
		s->mode = FAIL_OFF;
	} else if (starts(p, "nth:") || starts(p, "every:")) {
		s->mode = (*p)[-2] == 'h' ? FAIL_NTH : FAIL_EVERY;
		if (!parse_u64(p, &s->n) || s->n == 0) {
			*why = "N must be a whole number from 1 to "
			       "18446744073709551615";
			return false;
		}
	} else if (starts(p, "random:")) {
		s->mode = FAIL_RANDOM;
		if (!parse_u64(p, &v) || v > 100 || !starts(p, ":")) {
			*why = "random takes PERCENT:SEED, "
			       "PERCENT from 0 to 100";
			return false;
		}
		s->percent = (unsigned)v;
		if (!parse_u64(p, &v) || v > UINT32_MAX) {
			*why = "the seed must be a number below 2^32";
			return false;
		}
		s->seed = (uint32_t)v;
	} else {
		*why = "expected off, nth:N, every:N or random:PERCENT:SEED";
		return false;
	}
	return true;
}

/* One ",key=value" restriction; the value runs to the next ',' or end. */
static bool parse_restriction(const char **p, struct fail_spec *s,
                              int (*type_lookup)(const char *name),
                              const char **why)
{
	char value[32];
	size_t n = 0;
	bool is_type;

	if (starts(p, "type="))
		is_type = true;
	else if (starts(p, "alloc="))
		is_type = false;
	else {
		*why = "restrictions are ,type=NAME and ,alloc=intr|nointr";
		return false;
	}
	while ((*p)[n] != '\0' && (*p)[n] != ',' && n + 1 < sizeof(value)) {
		value[n] = (*p)[n];
		n++;
	}
	value[n] = '\0';
	*p += n;
	if (is_type) {
		s->type = type_lookup(value);
		if (s->type < 0) {
			*why = "no malloc type of that name (see `kmem`)";
			return false;
		}
	} else if (strcmp(value, "intr") == 0) {
		s->scope = FAIL_INTR_ONLY;
	} else if (strcmp(value, "nointr") == 0) {
		s->scope = FAIL_NOINTR_ONLY;
	} else {
		*why = "alloc= takes intr or nointr";
		return false;
	}
	return true;
}

bool fail_parse(const char *text, struct fail_spec *out,
                int (*type_lookup)(const char *name), const char **why)
{
	struct fail_spec s = { .type = FAIL_ANY_TYPE, .scope = FAIL_BOTH };
	const char *p = text;

	*why = NULL;
	if (!parse_mode(&p, &s, why))
		return false;
	while (*p == ',') {
		p++;
		if (!parse_restriction(&p, &s, type_lookup, why))
			return false;
	}
	if (*p != '\0') {
		*why = "unexpected text after the spec";
		return false;
	}
	*out = s;
	return true;
}

void fail_start(struct fail_state *st, const struct fail_spec *spec)
{
	st->spec = *spec;
	st->matched = 0;
	st->injected = 0;
	st->rng = spec->seed != 0 ? spec->seed : 0x4b495641;	/* never 0 */
}

static uint32_t xorshift32(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static bool applies(const struct fail_spec *s, int type, bool nointr)
{
	if (s->mode == FAIL_OFF)
		return false;
	if (s->type != FAIL_ANY_TYPE && s->type != type)
		return false;
	if (s->scope == FAIL_INTR_ONLY && nointr)
		return false;
	if (s->scope == FAIL_NOINTR_ONLY && !nointr)
		return false;
	return true;
}

bool fail_should_fail(struct fail_state *st, int type, bool nointr)
{
	bool fail = false;

	if (!applies(&st->spec, type, nointr))
		return false;
	st->matched++;
	switch (st->spec.mode) {
	case FAIL_NTH:
		fail = st->matched == st->spec.n;
		break;
	case FAIL_EVERY:
		fail = st->matched % st->spec.n == 0;
		break;
	case FAIL_RANDOM:
		fail = xorshift32(&st->rng) % 100 < st->spec.percent;
		break;
	case FAIL_OFF:
		break;
	}
	if (fail)
		st->injected++;
	return fail;
}
