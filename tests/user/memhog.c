/*
 * tests/user/memhog.c - grows its heap until the kernel says no.
 *
 *	memhog [STEP_KB]
 *
 * Calls sbrk(STEP) (default 256 KiB; rounded up to whole pages) until it
 * fails, writing one byte in every page of each new piece so that the
 * memory is really used even if the kernel were to hand out pages only on
 * first touch, and prints one summary line:
 *
 *	memhog: pid 6 grew its heap by 98304 KiB, then ENOMEM
 *
 * The kernel must refuse cleanly (-ENOMEM, with the break unchanged) when
 * memory runs out, stay up, and get every page back when the process
 * exits: running memhog twice should give about the same number.
 */
#include "ulib.h"

#define MAX_STEP_KB (1024 * 1024)	/* 1 GiB: STEP must fit in an int */

int main(int argc, char *argv[])
{
	volatile char *p;
	unsigned int grown_kb = 0;
	int step_kb = 256, step, off, err;

	if (argc > 1)
		step_kb = atoi(argv[1]);
	if (argc > 2 || step_kb <= 0 || step_kb > MAX_STEP_KB) {
		printf("usage: memhog [STEP_KB, 1 to %d]\n", MAX_STEP_KB);
		return 1;
	}
	step = ROUND_UP(step_kb, PAGE_SIZE / 1024) * 1024;

	for (;;) {
		p = sbrk(step);
		if ((err = sbrk_err((const void *)p)) < 0)
			break;
		/* volatile: the stores happen though nothing reads them. */
		for (off = 0; off < step; off += PAGE_SIZE)
			p[off] = 1;
		grown_kb += step / 1024;
	}
	printf("memhog: pid %d grew its heap by %u KiB, then %s\n", getpid(),
	       grown_kb, errname(err));
	return 0;
}
