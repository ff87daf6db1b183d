/*
 * kernel/lib/cmdline.h - parsing the boot command line into options.
 *
 * The line is words separated by spaces: `key` or `key=value`.  The boot
 * loader puts the kernel's own file name first (GRUB: "/boot/kernel.elf",
 * QEMU -kernel: the host path); a first word containing '/' is therefore
 * skipped.  Unknown keys and bad values get a warning naming the word and
 * are otherwise ignored, so a typo never stops a boot.
 */
#ifndef KIVA_KERNEL_LIB_CMDLINE_H
#define KIVA_KERNEL_LIB_CMDLINE_H

#include "kernel/lib/types.h"

#define CMDLINE_VALUE_MAX 128

enum option_type {
	OPT_FLAG,	/* `key` only: sets a bool */
	OPT_STRING,	/* `key=text` or, if value_optional, `key` */
	OPT_SIZE,	/* `key=N[K|M|G]`: bytes, in a struct size_option */
};

struct string_option {
	bool present;
	char value[CMDLINE_VALUE_MAX];	/* "" when given without a value */
};

struct size_option {
	bool present;	/* given, with a valid size (0 included) */
	uint64_t bytes;
};

struct cmdline_option {
	const char *key;
	enum option_type type;
	bool value_optional;	/* OPT_STRING: the bare key is allowed */
	void *dest;	/* bool, struct string_option or struct size_option */
	const char *help;	/* one line, shown by the README and `help` */
};

/*
 * Applies every word of `line` to the matching option.  Returns the number
 * of warnings printed (unknown key, missing or bad value, value too long).
 */
int cmdline_parse(const char *line, const struct cmdline_option *opts,
                  size_t nopts);

/*
 * Reads the decimal number at *s (at least one digit, no sign) and moves
 * *s past it.  Returns false, leaving *s and *out alone, when there is no
 * digit or the number exceeds UINT64_MAX.
 */
bool parse_u64(const char **s, uint64_t *out);

/*
 * Parses a size such as 4096, 64K, 16M or 1G.  Returns false (and leaves
 * *out alone) on anything else, including overflow.
 */
bool parse_size(const char *s, uint64_t *out);

#endif
