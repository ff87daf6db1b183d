/*
 * mm/failinject.h - deciding which allocations to fail on purpose.
 *
 * "Every caller handles NULL" is a claim; fault injection proves it.  A
 * spec names which allocations fail:
 *
 *   nth:N            only the Nth matching allocation (counting from 1)
 *   every:N          every Nth matching allocation
 *   random:P:SEED    each matching allocation with probability P percent,
 *                    from a generator seeded with SEED (repeatable)
 *   off              none
 *
 * optionally followed by restrictions, each ",key=value":
 *
 *   ,type=NAME       only allocations of malloc type NAME (M_TEMP: "temp";
 *                    mm/kmem.c adds "frame", for page_alloc()s)
 *   ,alloc=intr      only the interrupt-safe allocator (kmem_map)
 *   ,alloc=nointr    only the M_NOINTR allocator (kernel_map)
 *
 * e.g. "nth:7", "every:3,type=fdesc", "random:10:42,alloc=intr".
 * This file is pure logic; mm/kmem.c consults it on every allocation.
 */
#ifndef KIVA_MM_FAILINJECT_H
#define KIVA_MM_FAILINJECT_H

#include "kernel/lib/types.h"

enum fail_mode { FAIL_OFF, FAIL_NTH, FAIL_EVERY, FAIL_RANDOM };
enum fail_scope { FAIL_BOTH, FAIL_INTR_ONLY, FAIL_NOINTR_ONLY };

#define FAIL_ANY_TYPE (-1)

struct fail_spec {
	enum fail_mode mode;
	uint64_t n;		/* NTH, EVERY */
	unsigned percent;	/* RANDOM: 0..100 */
	uint32_t seed;		/* RANDOM */
	int type;		/* a malloc type, or FAIL_ANY_TYPE */
	enum fail_scope scope;
};

struct fail_state {
	struct fail_spec spec;
	uint64_t matched;	/* allocations the spec applied to */
	uint64_t injected;	/* of which failed on purpose */
	uint32_t rng;
};

/*
 * Parses a spec.  type_lookup maps a type name to its number, or -1 when
 * there is no such type.  Returns false, leaving *out alone, when the text
 * is not a valid spec; *why then says what was wrong.
 */
bool fail_parse(const char *text, struct fail_spec *out,
                int (*type_lookup)(const char *name), const char **why);

/* Starts injecting by spec, with the counters at zero. */
void fail_start(struct fail_state *st, const struct fail_spec *spec);

/* Counts one allocation and says whether it should fail. */
bool fail_should_fail(struct fail_state *st, int type, bool nointr);

#endif
