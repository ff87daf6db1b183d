/*
 * tests/user/fdbomb.c - opens descriptors until the kernel says no.
 *
 *	fdbomb [N [MS]]
 *
 * Raises its RLIMIT_NOFILE to N (default 100000; if the kernel refuses,
 * it says so and goes on with the limit it has), then calls dup(1) until
 * it fails, and prints one summary line:
 *
 *	fdbomb: pid 5 got 99997 descriptors, then EMFILE
 *
 * COUNT is the number of successful dup()s, not counting the descriptors
 * the process started with.  The kernel grows a process's descriptor
 * table by doubling it, so the run exercises the allocator with ever
 * larger requests; the last one fails with EMFILE (the limit) or ENOMEM
 * (no memory for a bigger table).  Either way the kernel must stay up
 * and give all the memory back when the process exits.  With MS, it
 * holds its descriptors that many milliseconds before it exits, long
 * enough to watch them in `kmem` or a kmem trace.
 */
#include "ulib.h"

int main(int argc, char *argv[])
{
	struct rlimit rl;
	int n = 100000, hold_ms = 0, count = 0, fd, r;

	if (argc > 1)
		n = atoi(argv[1]);
	if (argc > 2)
		hold_ms = atoi(argv[2]);
	if (argc > 3 || n <= 0 || hold_ms < 0) {
		printf("usage: fdbomb [N > 0 [MS >= 0]]\n");
		return 1;
	}

	rl.rlim_cur = rl.rlim_max = n;
	if ((r = setrlimit(RLIMIT_NOFILE, &rl)) < 0) {
		getrlimit(RLIMIT_NOFILE, &rl);
		printf("fdbomb: setrlimit(RLIMIT_NOFILE, %d): %s; "
		       "going on with %u\n",
		       n, errname(r), rl.rlim_cur);
	}

	while ((fd = dup(1)) >= 0)
		count++;
	printf("fdbomb: pid %d got %d descriptors, then %s\n", getpid(), count,
	       errname(fd));
	if (hold_ms > 0)
		sleep(hold_ms);
	return 0;
}
