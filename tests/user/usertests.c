/*
 * tests/user/usertests.c - every system call, with good and bad arguments.
 *
 *	usertests [SEED]
 *
 * Each check prints one line, "ok   what = result" or "FAIL what =
 * result, want W" (the checks are lib/utest.h's), and the last line is
 *
 *	usertests: N passed, M failed
 *
 * The exit status is 0 if and only if every check passed.  SEED (default
 * 1) seeds the random calls at the end, so a failing run can be replayed.
 *
 * The checks go from the simplest call to the most demanding: getpid and
 * the registers a trap must preserve; write() and read() with good, bad
 * and huge buffers; bad descriptors; the three devices; open; dup and
 * dup2; resource limits; the heap; sleep and uptime; kmemstats; spawn and
 * wait, exit statuses and argument vectors, and children that crash; bad
 * call numbers; and last, FUZZ_ROUNDS calls with random numbers and
 * random arguments, after which the program must still be alive.
 *
 * Bad pointers come in kinds the kernel has to tell apart from good ones:
 * NULL; kernel addresses (0xC0000000 and up); a range that wraps around
 * the top of the address space; a range that starts in user space and
 * ends in the kernel's; a user page nothing maps (0x30000000); a range
 * running off the end of the heap; and a read-only page of the program
 * itself, which the kernel may read but must not write into.
 *
 * The program spawns copies of itself to test spawn() and wait(): with a
 * first argument "exit", "return", "argv" or "fault" it is such a child
 * (see child_main()) and runs no checks.
 *
 * What it expects beyond kernel/proc/syscall.h (the kernel side should agree):
 *  - every register but EAX comes back unchanged from a system call;
 *  - -EFAULT for a buffer that is not wholly in user space, or whose
 *    first bytes are unmapped or read-only; a transfer that runs into a
 *    bad page further on may instead stop short and return the count of
 *    bytes before it (POSIX allows short transfers; Kiva's devices move
 *    data in chunks), so those checks accept either;
 *  - /dev/null does not look at the buffer at all (like Linux's), so
 *    only /dev/zero and the console serve to probe bad buffers;
 *  - -EBADF for a descriptor out of range or not open, in dup2's newfd as
 *    well, including newfd >= RLIMIT_NOFILE (POSIX);
 *  - -EINVAL from setrlimit() for rlim_cur > rlim_max and, in both
 *    rlimit calls, for an unknown resource;
 *  - -EMFILE from dup() at RLIMIT_NOFILE;
 *  - the status wait() stores is exit()'s argument (or main's result) as
 *    it is, and nonzero for a process the kernel killed (Kiva gives -1);
 *  - new heap pages are zeroed; pages given back by sbrk() are unmapped;
 *    sbrk() refuses to go below the initial break, and 2 GiB at once;
 *  - -ECHILD from wait() when there is no such child; -ENOENT for an
 *    unknown program or device name; -ENOSYS for a bad call number.
 */
#include <limits.h>	/* Kiva's own: kernel/lib/include/limits.h */

#include "ulib.h"
#include "utest.h"
#include "tests/host/test_rng.h"

#define FUZZ_ROUNDS 2000

/* Addresses no buffer may have; see the design note. */
#define KERNEL_ADDR 0xC0000000u		/* the first kernel address */
#define TOP_ADDR 0xFFFFFFF0u		/* 32 bytes from here wrap to 0 */
#define BELOW_KERNEL 0xBFFFFFF8u	/* 16 bytes from here cross 3 GiB */
#define UNMAPPED_ADDR 0x30000000u	/* user space, but mapped by nothing */

#define P(a) ((void *)(uintptr_t)(a))

/* Part of the text segment (R-X): the kernel must not write into it. */
static const char rodata_target[64] = "read-only: not for the kernel to write";

/* ----------------------------------------------------------- helpers */

static bool all_bytes(const void *buf, size_t n, unsigned char c)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return false;
	return true;
}

static void section(const char *name)
{
	printf("usertests: -- %s\n", name);
}

/* ------------------------------------------------- the first calls */

static const char *regnames(int mask)
{
	static const char *const names[] = { "EBX", "ECX", "EDX", "ESI",
		                             "EDI", "EBP", "ESP", "DS",
		                             "ES",  "FS",  "GS" };
	static char buf[64];
	int len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (mask & (1 << i))
			len += ksnprintf(buf + len, sizeof(buf) - len, " %s",
			                 names[i]);
	return buf;
}

static void test_getpid(void)
{
	int pid, mask;

	section("getpid, registers");
	pid = getpid();
	check(pid > 0, "getpid() = %d > 0", pid);
	expect(syscall(SYS_getpid, 0, 0, 0, 0, 0), pid,
	       "syscall(SYS_getpid, ...)");
	mask = syscall_regs_preserved(SYS_getpid);
	check(mask == 0, "int $0x80 gives back every register but EAX%s%s",
	      mask != 0 ? "; changed:" : "", regnames(mask));
}

/* Bad buffers of every kind, with a length that reaches past each start. */
static const struct {
	uint32_t addr;
	uint32_t len;
} bad_bufs[] = {
	{ 0, 16 },
	{ KERNEL_ADDR, 16 },
	{ TOP_ADDR, 32 },
	{ BELOW_KERNEL, 16 },
	{ UNMAPPED_ADDR, 16 },
};

static void test_write(void)
{
	static const char msg[] = "---- this line came through write(1)\n";
	int n = sizeof(msg) - 1;

	section("write");
	expect(write(1, msg, n), n, "write(1, msg, %d)", n);
	expect(write(1, msg, 0), 0, "write(1, msg, 0)");
	for (size_t i = 0; i < ARRAY_SIZE(bad_bufs); i++)
		expect(write(1, P(bad_bufs[i].addr), bad_bufs[i].len), -EFAULT,
		       "write(1, %p, %u)", P(bad_bufs[i].addr),
		       bad_bufs[i].len);
	/* Huge counts from a good buffer: see also test_sbrk(). */
	expect_either(write(1, msg, 0xffffffff), -EFAULT, -EINVAL,
	              "write(1, msg, 0xffffffff)");
}

/* A descriptor number that is in range but not open. */
static int closed_fd(void)
{
	int fd = dup(1);

	if (fd < 0)
		return 63;
	close(fd);
	return fd;
}

static void test_bad_fds(void)
{
	int fds[] = { -1, 999999, INT_MIN, closed_fd() };
	char buf[4] = "abc";

	section("bad descriptors");
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++) {
		int fd = fds[i];

		expect(write(fd, buf, 1), -EBADF, "write(%d, buf, 1)", fd);
		expect(read(fd, buf, 1), -EBADF, "read(%d, buf, 1)", fd);
		expect(close(fd), -EBADF, "close(%d)", fd);
		expect(dup(fd), -EBADF, "dup(%d)", fd);
		expect(dup2(fd, 10), -EBADF, "dup2(%d, 10)", fd);
	}
	expect(dup2(1, -1), -EBADF, "dup2(1, -1)");
	expect(dup2(1, 999999), -EBADF, "dup2(1, 999999)");
	expect(dup2(1, INT_MIN), -EBADF, "dup2(1, %d)", INT_MIN);
}

static void test_devices(void)
{
	static const char msg[] = "---- this line went to /dev/console\n";
	char buf[64];
	int fd, n;

	section("devices");
	fd = open("/dev/null");
	if (check(fd >= 0, "open(\"/dev/null\") = %s", res(fd))) {
		expect(write(fd, buf, 10), 10, "write(/dev/null, buf, 10)");
		expect(read(fd, buf, 10), 0, "read(/dev/null, buf, 10)");
		expect(close(fd), 0, "close(/dev/null)");
		expect(close(fd), -EBADF, "close(/dev/null) again");
		expect(write(fd, buf, 1), -EBADF, "write() to it after close");
	}

	fd = open("/dev/zero");
	if (check(fd >= 0, "open(\"/dev/zero\") = %s", res(fd))) {
		memset(buf, 0xaa, sizeof(buf));
		expect(read(fd, buf, sizeof(buf)), sizeof(buf),
		       "read(/dev/zero, buf, %zu)", sizeof(buf));
		check(all_bytes(buf, sizeof(buf), 0),
		      "... and buf holds %zu zero bytes", sizeof(buf));
		expect(read(fd, buf, 0), 0, "read(/dev/zero, buf, 0)");
		for (size_t i = 0; i < ARRAY_SIZE(bad_bufs); i++)
			expect(read(fd, P(bad_bufs[i].addr), bad_bufs[i].len),
			       -EFAULT, "read(/dev/zero, %p, %u)",
			       P(bad_bufs[i].addr), bad_bufs[i].len);
		expect(read(fd, (void *)rodata_target, 16), -EFAULT,
		       "read(/dev/zero, read-only %p, 16)", rodata_target);
		check(*(volatile const char *)rodata_target == 'r',
		      "... and the read-only bytes are unchanged");
		expect(close(fd), 0, "close(/dev/zero)");
	}

	fd = open("/dev/console");
	if (check(fd >= 0, "open(\"/dev/console\") = %s", res(fd))) {
		n = sizeof(msg) - 1;
		expect(write(fd, msg, n), n, "write(/dev/console, msg, %d)", n);
		expect(close(fd), 0, "close(/dev/console)");
	}
}

static void test_open(void)
{
	char path[300];

	section("open");
	expect(open("/dev/nosuchdevice"), -ENOENT,
	       "open(\"/dev/nosuchdevice\")");
	expect(open(""), -ENOENT, "open(\"\")");
	expect(open(NULL), -EFAULT, "open(NULL)");
	expect(open(P(KERNEL_ADDR)), -EFAULT, "open(%p)", P(KERNEL_ADDR));
	expect(open(P(UNMAPPED_ADDR)), -EFAULT, "open(%p)", P(UNMAPPED_ADDR));
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	expect_either(open(path), -ENOENT, -ENAMETOOLONG,
	              "open() of a %zu-byte name", sizeof(path) - 1);
}

/* --------------------------------------------------- dup, rlimits */

static void test_dup(void)
{
	static const char msg[] = "---- this line went through a dup of fd 1\n";
	struct rlimit saved, rl;
	char buf[4];
	int fd, a, b, n = sizeof(msg) - 1;

	section("dup, dup2");
	fd = dup(1);
	if (check(fd >= 0 && fd != 1, "dup(1) = %s, a new descriptor",
	          res(fd))) {
		expect(write(fd, msg, n), n, "write(%d, msg, %d)", fd, n);
		expect(close(fd), 0, "close(%d)", fd);
		expect(dup(1), fd, "dup(1) again takes the lowest free one");
		close(fd);
	}
	expect(dup2(1, 1), 1, "dup2(1, 1)");

	a = open("/dev/zero");
	b = open("/dev/null");
	if (a >= 0 && b >= 0) {
		expect(dup2(a, b), b, "dup2(/dev/zero %d, /dev/null %d)", a, b);
		expect(read(b, buf, sizeof(buf)), sizeof(buf),
		       "... and read(%d) now reads /dev/zero", b);
	}
	if (a >= 0)
		close(a);
	if (b >= 0)
		close(b);

	/* dup2() to 1000, which needs RLIMIT_NOFILE above 1000. */
	getrlimit(RLIMIT_NOFILE, &saved);
	rl = saved;
	if (rl.rlim_cur <= 1000) {
		rl.rlim_cur = MIN(1024, rl.rlim_max);
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur > 1000) {
		expect(dup2(1, 1000), 1000, "dup2(1, 1000)");
		expect(write(1000, msg, n), n, "write(1000, msg, %d)", n);
		expect(close(1000), 0, "close(1000)");
		expect(close(1000), -EBADF, "close(1000) again");
	} else {
		expect(dup2(1, 1000), -EBADF,
		       "dup2(1, 1000) with RLIMIT_NOFILE %u", rl.rlim_cur);
	}
	if (rl.rlim_cur <= INT_MAX)
		expect(dup2(1, rl.rlim_cur), -EBADF,
		       "dup2(1, %u): the limit itself", rl.rlim_cur);
	setrlimit(RLIMIT_NOFILE, &saved);
}

static void test_rlimit(void)
{
	struct rlimit saved, rl;
	char list[64];
	int fds[8], nfds = 0, fd, len = 0;
	bool below = true;

	section("getrlimit, setrlimit");
	if (!expect(getrlimit(RLIMIT_NOFILE, &saved), 0,
	            "getrlimit(RLIMIT_NOFILE)"))
		return;
	check(saved.rlim_cur > 0 && saved.rlim_cur <= saved.rlim_max,
	      "RLIMIT_NOFILE = { %u, %u }: 0 < rlim_cur <= rlim_max",
	      saved.rlim_cur, saved.rlim_max);

	/* Lowered to 5, it stops dup() at descriptor 4. */
	rl = (struct rlimit){ 5, saved.rlim_max };
	expect(setrlimit(RLIMIT_NOFILE, &rl), 0,
	       "setrlimit(RLIMIT_NOFILE, { 5, %u })", rl.rlim_max);
	rl = (struct rlimit){ 0, 0 };
	getrlimit(RLIMIT_NOFILE, &rl);
	check(rl.rlim_cur == 5 && rl.rlim_max == saved.rlim_max,
	      "getrlimit() reads back { %u, %u }", rl.rlim_cur, rl.rlim_max);
	list[0] = '\0';
	while (nfds < (int)ARRAY_SIZE(fds) && (fd = dup(1)) >= 0) {
		fds[nfds++] = fd;
		below = below && fd < 5;
		len += ksnprintf(list + len, sizeof(list) - len, " %d", fd);
	}
	check(below && fd == -EMFILE,
	      "with rlim_cur 5, dup(1) gives {%s } then %s, want fds < 5 "
	      "then -EMFILE",
	      list, res(fd));
	while (nfds > 0)
		close(fds[--nfds]);
	expect(setrlimit(RLIMIT_NOFILE, &saved), 0,
	       "setrlimit() back to { %u, %u }", saved.rlim_cur,
	       saved.rlim_max);

	/* rlim_cur above rlim_max. */
	if (saved.rlim_max < UINT32_MAX)
		rl = (struct rlimit){ saved.rlim_max + 1, saved.rlim_max };
	else
		rl = (struct rlimit){ saved.rlim_max, saved.rlim_max - 1 };
	expect(setrlimit(RLIMIT_NOFILE, &rl), -EINVAL,
	       "setrlimit(RLIMIT_NOFILE, { %u, %u })", rl.rlim_cur,
	       rl.rlim_max);
	getrlimit(RLIMIT_NOFILE, &rl);
	check(rl.rlim_cur == saved.rlim_cur && rl.rlim_max == saved.rlim_max,
	      "... and the limit is still { %u, %u }", rl.rlim_cur,
	      rl.rlim_max);

	expect(setrlimit(RLIMIT_NOFILE, NULL), -EFAULT,
	       "setrlimit(RLIMIT_NOFILE, NULL)");
	expect(setrlimit(RLIMIT_NOFILE, P(KERNEL_ADDR)), -EFAULT,
	       "setrlimit(RLIMIT_NOFILE, %p)", P(KERNEL_ADDR));
	expect(setrlimit(RLIMIT_NOFILE, P(UNMAPPED_ADDR)), -EFAULT,
	       "setrlimit(RLIMIT_NOFILE, %p)", P(UNMAPPED_ADDR));
	expect(getrlimit(RLIMIT_NOFILE, NULL), -EFAULT,
	       "getrlimit(RLIMIT_NOFILE, NULL)");
	expect(getrlimit(RLIMIT_NOFILE, P(KERNEL_ADDR)), -EFAULT,
	       "getrlimit(RLIMIT_NOFILE, %p)", P(KERNEL_ADDR));
	expect(getrlimit(RLIMIT_NOFILE, (void *)rodata_target), -EFAULT,
	       "getrlimit(RLIMIT_NOFILE, read-only %p)", rodata_target);
	expect(getrlimit(-1, &rl), -EINVAL, "getrlimit(-1, &rl)");
	expect(getrlimit(12345, &rl), -EINVAL, "getrlimit(12345, &rl)");
	expect(setrlimit(-1, &saved), -EINVAL, "setrlimit(-1, &rl)");
	expect(setrlimit(12345, &saved), -EINVAL, "setrlimit(12345, &rl)");
}

/* ------------------------------------------------------------ heap */

static void test_sbrk(void)
{
	char *argv[] = { "x", NULL };
	char *base, *p, *end, *tail, *r;
	int zfd, pad, len = 1024 * 1024;

	section("sbrk");
	base = sbrk(0);
	if (!check(sbrk_err(base) == 0 && base >= _end,
	           "sbrk(0) = %s, at or above _end %p", resp(base), _end))
		return;
	zfd = open("/dev/zero");

	/* A page-aligned break: the page above it is mapped by nothing. */
	pad = ROUND_UP((uintptr_t)base, PAGE_SIZE) - (uintptr_t)base;
	expect_ptr(sbrk(pad), base, "sbrk(%d) to a page boundary", pad);
	p = base + pad;
	expect_ptr(sbrk(PAGE_SIZE), p, "sbrk(%u)", PAGE_SIZE);
	end = p + PAGE_SIZE;
	expect_ptr(sbrk(0), end, "sbrk(0)");
	check(all_bytes(p, PAGE_SIZE, 0), "the new page comes zeroed");
	memset(p, 0x5a, PAGE_SIZE);
	check(all_bytes(p, PAGE_SIZE, 0x5a), "... and keeps what we write");
	expect(read(zfd, p, PAGE_SIZE), PAGE_SIZE,
	       "read(/dev/zero, the new page, %u)", PAGE_SIZE);
	check(all_bytes(p, PAGE_SIZE, 0), "... and the page is zero again");

	/*
	 * Strings and buffers that run off the end of the heap, and huge
	 * counts from a small good buffer there: at most its 16 bytes can
	 * reach the console.
	 */
	tail = end - 16;
	memset(tail, 'x', 16);
	expect(open(tail), -EFAULT, "open() of a name running off the heap");
	expect(spawn(tail, argv), -EFAULT,
	       "spawn() of a name running off the heap");
	expect_efault_or_short(write(1, tail, 32), 16,
	                       "write(1, 16 bytes below the break, 32)");
	expect_efault_or_short(
	    write(1, tail, 0x7fffffff), 16,
	    "write(1, 16 bytes below the break, 0x7fffffff)");
	expect_efault_or_short(read(zfd, tail, 32), 16,
	                       "read(/dev/zero, 16 bytes below the break, 32)");
	expect_efault_or_short(read(zfd, p, 0x7fffffff), PAGE_SIZE,
	                       "read(/dev/zero, the heap page, 0x7fffffff)");
	expect(kmemstats((void *)(end - 8)), -EFAULT,
	       "kmemstats() 8 bytes below the break");

	/* Shrinking gives the page back. */
	expect_ptr(sbrk(-(int)PAGE_SIZE), end, "sbrk(-%u)", PAGE_SIZE);
	expect_ptr(sbrk(0), p, "sbrk(0)");
	expect(read(zfd, p, 1), -EFAULT,
	       "read(/dev/zero, the page given back, 1)");

	/* A break need not be page-aligned. */
	expect_ptr(sbrk(1), p, "sbrk(1)");
	expect_ptr(sbrk(0), p + 1, "sbrk(0)");
	p[0] = 7;
	expect_ptr(sbrk(-1), p + 1, "sbrk(-1)");
	expect_ptr(sbrk(0), p, "sbrk(0)");

	/* A megabyte, every page of it touched. */
	r = sbrk(len);
	if (expect_ptr(r, p, "sbrk(%d)", len)) {
		bool zero = true;

		for (int off = 0; off < len; off += PAGE_SIZE) {
			zero =
			    zero && r[off] == 0 && r[off + PAGE_SIZE - 1] == 0;
			r[off] = 1;
		}
		check(zero, "... every page of it comes zeroed");
		expect_ptr(sbrk(-len), p + len, "sbrk(-%d)", len);
	}

	/* Requests the kernel must refuse, leaving the break alone. */
	r = sbrk(0x7fffffff);
	expect_ptr_error(r, "sbrk(0x7fffffff)");
	if (sbrk_err(r) == 0)
		sbrk(-0x7fffffff);
	expect_ptr(sbrk(0), p, "... and leaves the break");
	expect_ptr_error(sbrk(INT_MIN), "sbrk(%d)", INT_MIN);
	expect_ptr(sbrk(0), p, "... and leaves the break");
	expect_ptr_error(sbrk(-(pad + (int)PAGE_SIZE)),
	                 "sbrk(-%d), below the first break",
	                 pad + (int)PAGE_SIZE);
	expect_ptr(sbrk(0), p, "... and leaves the break");

	sbrk(-pad);
	close(zfd);
}

/* ----------------------------------------------- time, kmemstats */

static void test_time(void)
{
	int t0, t1, t2;

	section("sleep, uptime");
	t0 = uptime();
	check(t0 >= 0, "uptime() = %d", t0);
	expect(sleep(20), 0, "sleep(20)");
	t1 = uptime();
	check(t1 - t0 >= 20 && t1 - t0 < 10000,
	      "uptime() = %d: %d ms later, want 20 ms to 10 s", t1, t1 - t0);
	expect(sleep(0), 0, "sleep(0)");
	t2 = uptime();
	check(t2 >= t1, "uptime() = %d: it never goes back", t2);
}

static void test_kmemstats(void)
{
	struct kmemstats_user ks;
	bool written = true;

	section("kmemstats");
	memset(&ks, 0xff, sizeof(ks));
	expect(kmemstats(&ks), 0, "kmemstats(&ks)");
	for (size_t i = 0; i < sizeof(ks) / 4; i++)
		written = written && ((uint32_t *)&ks)[i] != UINT32_MAX;
	check(written, "every field of ks was written");
	check(ks.kmem_map_size > 0 && ks.kmem_map_used <= ks.kmem_map_size,
	      "kmem_map: %u of %u bytes used", ks.kmem_map_used,
	      ks.kmem_map_size);
	check(ks.kernel_map_size > 0 &&
	          ks.kernel_map_used <= ks.kernel_map_size,
	      "kernel_map: %u of %u bytes used", ks.kernel_map_used,
	      ks.kernel_map_size);
	check(ks.fd_max > 0, "fd_max = %u", ks.fd_max);
	expect(kmemstats(NULL), -EFAULT, "kmemstats(NULL)");
	expect(kmemstats(P(KERNEL_ADDR)), -EFAULT, "kmemstats(%p)",
	       P(KERNEL_ADDR));
	expect(kmemstats(P(UNMAPPED_ADDR)), -EFAULT, "kmemstats(%p)",
	       P(UNMAPPED_ADDR));
	expect(kmemstats((void *)rodata_target), -EFAULT,
	       "kmemstats(read-only %p)", rodata_target);
}

/* ------------------------------------------------- spawn and wait */

/*
 * Runs `usertests argv[1] ...` as a child and waits for it: returns 0 and
 * its exit status in *status, or the failed call's -errno.
 */
static int run_child(char *argv[], int *status)
{
	int pid, r;

	*status = -1;
	if ((pid = spawn("usertests", argv)) < 0)
		return pid;
	if ((r = wait(pid, status)) != pid)
		return r < 0 ? r : -ESRCH;
	return 0;
}

/* Checks that child `usertests argv[1] ...` ends with status want. */
static void expect_child(char *argv[], int want, const char *what)
{
	char line[160];
	int r, status;

	if ((r = run_child(argv, &status)) < 0) {
		check(false, "%s: spawn or wait = %s", what, res(r));
		return;
	}
	ksnprintf(line, sizeof(line), "%s: status", what);
	report(status == want, line, dec(status), dec(want));
}

static void test_spawn(void)
{
	static char long_arg[SPAWN_ARG_MAX + 1];
	char *hello_argv[] = { "hello", "one", "two", NULL };
	char *bad_argv[] = { "hello", P(KERNEL_ADDR), NULL };
	static const char *const faults[] = { "null",   "kernel", "rodata",
		                              "jump",   "hlt",    "ud2",
		                              "divide", "int14" };
	char *argv[SPAWN_MAX_ARGS + 2];
	int pid, r, status, pids[3], seen = 0;

	section("spawn, wait");
	pid = spawn("hello", hello_argv);
	if (check(pid > 0 && pid != getpid(),
	          "spawn(\"hello\", { hello, one, two }) = %s", res(pid))) {
		status = -1;
		expect(wait(pid, &status), pid, "wait(%d, &status)", pid);
		report(status == 0, "... and its status", dec(status), "0");
		expect(wait(pid, &status), -ECHILD, "wait(%d) again", pid);
	}
	expect(wait(-1, &status), -ECHILD, "wait(-1) with no children");
	expect(wait(getpid(), &status), -ECHILD, "wait(getpid())");
	expect(wait(12345, &status), -ECHILD, "wait(12345)");

	expect(spawn("nosuchprogram", hello_argv), -ENOENT,
	       "spawn(\"nosuchprogram\")");
	expect(spawn("", hello_argv), -ENOENT, "spawn(\"\")");
	expect(spawn(NULL, hello_argv), -EFAULT, "spawn(NULL)");
	expect(spawn(P(KERNEL_ADDR), hello_argv), -EFAULT, "spawn(%p)",
	       P(KERNEL_ADDR));
	expect(spawn(P(UNMAPPED_ADDR), hello_argv), -EFAULT, "spawn(%p)",
	       P(UNMAPPED_ADDR));
	expect(spawn("hello", P(KERNEL_ADDR)), -EFAULT,
	       "spawn(\"hello\", argv %p)", P(KERNEL_ADDR));
	expect(spawn("hello", P(UNMAPPED_ADDR)), -EFAULT,
	       "spawn(\"hello\", argv %p)", P(UNMAPPED_ADDR));
	expect(spawn("hello", bad_argv), -EFAULT,
	       "spawn(\"hello\", { hello, %p })", bad_argv[1]);

	/* Exit statuses and arguments, through copies of this program. */
	expect_child((char *[]){ "usertests", "exit", "42", NULL }, 42,
	             "child calling exit(42)");
	expect_child((char *[]){ "usertests", "return", "3", NULL }, 3,
	             "child returning 3 from main");
	expect_child(
	    (char *[]){ "usertests", "argv", "x", "", "with spaces", NULL }, 0,
	    "child checking its argv");

	/* SPAWN_MAX_ARGS arguments of SPAWN_ARG_MAX bytes, and one more. */
	memset(long_arg, 'a', SPAWN_ARG_MAX - 1);
	argv[0] = "usertests";
	argv[1] = "exit";
	argv[2] = "7";
	for (int i = 3; i < SPAWN_MAX_ARGS; i++)
		argv[i] = long_arg;
	argv[SPAWN_MAX_ARGS] = NULL;
	expect_child(argv, 7,
	             "child with SPAWN_MAX_ARGS arguments, most of "
	             "SPAWN_ARG_MAX bytes");
	argv[SPAWN_MAX_ARGS] = "one too many";
	argv[SPAWN_MAX_ARGS + 1] = NULL;
	expect_error(run_child(argv, &status), "spawn() with %d arguments",
	             SPAWN_MAX_ARGS + 1);
	argv[SPAWN_MAX_ARGS] = NULL;
	long_arg[SPAWN_ARG_MAX - 1] = 'a';	/* one byte too long */
	expect_error(run_child(argv, &status),
	             "spawn() with a %d-byte argument", SPAWN_ARG_MAX + 1);

	/* Children the kernel has to kill. */
	for (size_t i = 0; i < ARRAY_SIZE(faults); i++) {
		r = run_child(
		    (char *[]){ "usertests", "fault", (char *)faults[i], NULL },
		    &status);
		if (r < 0)
			check(false, "child faulting (%s): spawn or wait = %s",
			      faults[i], res(r));
		else
			check(status != 0,
			      "child faulting (%s) is killed: "
			      "status %d",
			      faults[i], status);
	}

	/* Three children at once; wait(-1) returns each exactly once. */
	for (int i = 0; i < 3; i++) {
		char *code = i == 0 ? "1" : i == 1 ? "2" : "3";

		pids[i] = spawn("usertests",
		                (char *[]){ "usertests", "exit", code, NULL });
	}
	for (int i = 0; i < 3; i++) {
		r = wait(-1, &status);
		for (int j = 0; j < 3; j++)
			if (r > 0 && r == pids[j] && status == j + 1)
				seen |= 1 << j;
	}
	check(seen == 7, "three children, three wait(-1)s: each once, with "
	                 "its status");
	expect(wait(-1, &status), -ECHILD, "a fourth wait(-1)");
}

/* --------------------------------------------- bad call numbers */

static void test_nosys(void)
{
	int nrs[] = { 0,    NSYSCALLS, NSYSCALLS + 1, 99,
		      0x80, -1,        0x7fffffff,    INT_MIN };

	section("bad system-call numbers");
	for (size_t i = 0; i < ARRAY_SIZE(nrs); i++)
		expect(syscall(nrs[i], 1, 2, 3, 4, 5), -ENOSYS, "syscall(%d)",
		       nrs[i]);
}

/* ------------------------------------------------------------ fuzz */

/*
 * Random calls must not hurt the program making them, or the loop would
 * test nothing after the first lucky hit.  So the arguments are random
 * only where that is safe:
 *  - a buffer the kernel writes into is never memory the program uses: it
 *    is a bad address, the read-only page (if the kernel was seen to
 *    protect it), or the scratch pages at the top of the heap;
 *  - a buffer the kernel only reads may be anything at all;
 *  - read() and write() never see the console (it would wait for a key,
 *    or print garbage), close() and dup2() never touch the descriptors
 *    the program uses, and any descriptor a call creates is closed;
 *  - exit is never called, spawn() never names a real program, sleep()
 *    sleeps at most 2 ms, and sbrk() keeps the heap within 64 KiB of
 *    where it was, apart from requests it must refuse.
 */
#define SCRATCH_SIZE (2 * PAGE_SIZE)
#define FUZZ_HEAP_MAX (64 * 1024)

static struct {
	int nullfd, zerofd;
	bool open_at_start[3];	/* fds 0, 1, 2 */
	bool unmapped_ok;	/* UNMAPPED_ADDR is indeed unmapped */
	bool rodata_ok;		/* the kernel refuses to write it */
	char *heap_base;	/* the break before the scratch pages */
	char *scratch;
} fz;

static bool fuzz_protected_fd(int fd)
{
	return (fd >= 0 && fd <= 2 && fz.open_at_start[fd]) ||
	       fd == fz.nullfd || fd == fz.zerofd;
}

static uint32_t fuzz_pick(const uint32_t *v, size_t n)
{
	return v[rng_below(n)];
}

/* A pointer the kernel only reads through: anything at all. */
static uint32_t fuzz_in_ptr(void)
{
	switch (rng_below(8)) {
	case 0: return 0;
	case 1: return KERNEL_ADDR + rng_below(0x40000000);
	case 2: return 0xffffffff - rng_below(64);
	case 3: return UNMAPPED_ADDR + rng_below(0x1000000);
	case 4:
		return (uintptr_t)__text_start +
		       rng_below(__rodata_end - __text_start);
	case 5: return (uintptr_t)fz.scratch + rng_below(SCRATCH_SIZE);
	case 6:
		return (uintptr_t)__builtin_frame_address(0) +
		       rng_below(256);	/* the stack */
	default: return rng_next();
	}
}

/* A pointer the kernel may write through: never memory in use. */
static uint32_t fuzz_out_ptr(void)
{
	switch (rng_below(6)) {
	case 0: return 0;
	case 1: return KERNEL_ADDR + rng_below(0x40000000);
	case 2: return 0xffffffff - rng_below(64);
	case 3:
		if (fz.unmapped_ok)
			return UNMAPPED_ADDR + rng_below(PAGE_SIZE);
		return KERNEL_ADDR;
	case 4:
		if (fz.rodata_ok)
			return (uintptr_t)rodata_target +
			       rng_below(sizeof(rodata_target));
		return 0;
	default: return (uintptr_t)fz.scratch + rng_below(SCRATCH_SIZE);
	}
}

static uint32_t fuzz_len(void)
{
	static const uint32_t huge[] = { 0x7fffffff, 0x80000000, 0xffffffff,
		                         0xfffff000 };

	switch (rng_below(5)) {
	case 0: return 0;
	case 1: return rng_below(64);
	case 2: return rng_below(2 * SCRATCH_SIZE);
	case 3: return fuzz_pick(huge, ARRAY_SIZE(huge));
	default: return rng_next();
	}
}

/* Any descriptor number: small ones, huge ones, negative ones. */
static int fuzz_fd(void)
{
	switch (rng_below(4)) {
	case 0: return fz.nullfd;
	case 1: return fz.zerofd;
	case 2: return rng_below(64);
	default: return (int)rng_next();
	}
}

/* A descriptor for read() and write(): not the console. */
static int fuzz_io_fd(void)
{
	int fd = fuzz_fd();

	return fd >= 0 && fd <= 2 ? fz.nullfd : fd;
}

/* A resource number: mostly the one that exists. */
static uint32_t fuzz_resource(void)
{
	return rng_below(2) == 0   ? RLIMIT_NOFILE
	       : rng_below(2) == 0 ? rng_below(16)
	                           : rng_next();
}

static void fuzz_anomaly(int *count, uint32_t round, int nr, const uint32_t *a,
                         int r)
{
	if (++*count <= 10)
		check(false,
		      "fuzz round %u: syscall(%d, 0x%x, 0x%x, 0x%x, "
		      "0x%x, 0x%x) = %s",
		      round, nr, a[0], a[1], a[2], a[3], a[4], res(r));
}

static void test_fuzz(uint32_t seed)
{
	static const char *const names[] = { "nosuchprogram", "", "/dev/null",
		                             "hello/", "hello " };
	static char *good_argv[] = { "x", "y", NULL };
	static char *bad_argv[] = { "x", P(KERNEL_ADDR), NULL };
	struct rlimit saved_rl;
	int anomalies = 0, ok = 0, refused = 0, no_memory = 0, r, err;

	section("random system calls");
	rng_seed(seed);
	fz.nullfd = open("/dev/null");
	fz.zerofd = open("/dev/zero");
	for (int fd = 0; fd <= 2; fd++)
		fz.open_at_start[fd] = dup2(fd, fd) == fd;
	/* open() only reads the name: a probe with no side effects. */
	fz.unmapped_ok = open(P(UNMAPPED_ADDR)) == -EFAULT;
	fz.rodata_ok = read(fz.zerofd, (void *)rodata_target, 1) == -EFAULT;
	fz.heap_base = sbrk(0);
	fz.scratch = sbrk(SCRATCH_SIZE);
	getrlimit(RLIMIT_NOFILE, &saved_rl);
	if (!check(fz.nullfd >= 0 && fz.zerofd >= 0 &&
	               sbrk_err(fz.scratch) == 0,
	           "fuzz setup: /dev/null %d, /dev/zero "
	           "%d, scratch %s",
	           fz.nullfd, fz.zerofd, resp(fz.scratch)))
		return;

	for (uint32_t round = 0; round < FUZZ_ROUNDS; round++) {
		uint32_t a[5];
		int nr = rng_below(NSYSCALLS + 4);
		uintptr_t brk = (uintptr_t)sbrk(0);
		uintptr_t heap_base = (uintptr_t)fz.heap_base;
		bool must_fail = false;
		int status;

		for (int i = 0; i < 5; i++)
			a[i] = rng_next();
		switch (nr) {
		case SYS_exit:
			nr = 0;	/* a bad number instead */
			break;
		case SYS_spawn:
			if (rng_below(2) == 0)
				a[0] = (uintptr_t)
				    names[rng_below(ARRAY_SIZE(names))];
			else
				a[0] = fuzz_out_ptr();	/* no real name */
			a[1] = rng_below(3) == 0   ? (uintptr_t)good_argv
			       : rng_below(2) == 0 ? (uintptr_t)bad_argv
			                           : fuzz_in_ptr();
			must_fail = true;
			break;
		case SYS_wait:
			a[0] = rng_below(2) == 0 ? (uint32_t)-1 : rng_next();
			a[1] = fuzz_out_ptr();
			must_fail = true;	/* there are no children */
			break;
		case SYS_read:
			a[0] = fuzz_io_fd();
			a[1] = fuzz_out_ptr();
			a[2] = fuzz_len();
			break;
		case SYS_write:
			a[0] = fuzz_io_fd();
			a[1] = fuzz_in_ptr();
			a[2] = fuzz_len();
			break;
		case SYS_open:
			a[0] =
			    rng_below(2) == 0
			        ? (uintptr_t)names[rng_below(ARRAY_SIZE(names))]
			        : fuzz_in_ptr();
			break;
		case SYS_close:
			a[0] = fuzz_fd();
			if (fuzz_protected_fd(a[0]))
				a[0] = -1;
			break;
		case SYS_dup: a[0] = fuzz_fd(); break;
		case SYS_dup2:
			a[0] = fuzz_fd();
			a[1] = fuzz_fd();
			if (fuzz_protected_fd(a[1]) && a[1] != a[0])
				a[1] = -1;
			break;
		case SYS_sbrk:
			if (rng_below(8) == 0) {
				static const uint32_t bad[] = { INT_MIN,
					                        -0x7fffffff,
					                        -0x10000000 };

				a[0] = fuzz_pick(bad, ARRAY_SIZE(bad));
				must_fail = true;
			} else {
				int incr =
				    (int)rng_below(2 * SCRATCH_SIZE + 1) -
				    SCRATCH_SIZE;

				if (brk + incr < heap_base ||
				    brk + incr > heap_base + FUZZ_HEAP_MAX)
					incr = -incr;
				a[0] = incr;
			}
			break;
		case SYS_sleep: a[0] = rng_below(3); break;
		case SYS_getrlimit:
			a[0] = fuzz_resource();
			a[1] = fuzz_out_ptr();
			break;
		case SYS_setrlimit:
			a[0] = fuzz_resource();
			a[1] = fuzz_in_ptr();
			break;
		case SYS_kmemstats: a[0] = fuzz_out_ptr(); break;
		}

		r = syscall(nr, a[0], a[1], a[2], a[3], a[4]);

		if (nr <= 0 || nr >= NSYSCALLS) {
			if (r != -ENOSYS)
				fuzz_anomaly(&anomalies, round, nr, a, r);
		} else if (nr == SYS_sbrk) {
			if (sbrk_err(P(r)) < 0 && sbrk(0) != P(brk))
				fuzz_anomaly(&anomalies, round, nr, a, r);
			if (sbrk_err(P(r)) == 0 && must_fail) {
				fuzz_anomaly(&anomalies, round, nr, a, r);
				sbrk(brk - (uintptr_t)sbrk(0));
			}
		} else if (r < -MAX_ERRNO || (must_fail && r >= 0)) {
			fuzz_anomaly(&anomalies, round, nr, a, r);
		}
		if (nr == SYS_spawn && r > 0)
			wait(r, &status);
		if (r >= 0 && (nr == SYS_open || nr == SYS_dup ||
		               (nr == SYS_dup2 && a[0] != a[1])))
			close(r);
		err = nr == SYS_sbrk ? sbrk_err(P(r)) : r < 0 ? r : 0;
		if (err == 0)
			ok++;
		else
			refused++;
		/* Counted, so that an injected failure shows in the summary. */
		if (err == -ENOMEM)
			no_memory++;
	}

	check(anomalies == 0,
	      "%d random calls (seed %u): %d succeeded, "
	      "%d refused (%d with ENOMEM), %d wrong results",
	      FUZZ_ROUNDS, seed, ok, refused, no_memory, anomalies);
	expect(write(fz.nullfd, "x", 1), 1,
	       "write(/dev/null, \"x\", 1) after them");
	setrlimit(RLIMIT_NOFILE, &saved_rl);
	sbrk((uintptr_t)fz.heap_base - (uintptr_t)sbrk(0));
	close(fz.nullfd);
	close(fz.zerofd);
}

/* ------------------------------------------------------ the children */

/* Does something the kernel must kill a process for. */
static void child_fault(const char *how)
{
	volatile int *p = NULL;
	unsigned int a = 1, d = 0;

	/* Hide the NULL from the compiler, which would emit ud2 instead. */
	__asm__ volatile("" : "+r"(p));
	if (strcmp(how, "null") == 0)
		(void)*p;
	else if (strcmp(how, "kernel") == 0)
		*(volatile int *)P(KERNEL_ADDR) = 1;
	else if (strcmp(how, "rodata") == 0)
		*(volatile char *)rodata_target = 0;
	else if (strcmp(how, "jump") == 0)
		((void (*)(void))P(UNMAPPED_ADDR))();
	else if (strcmp(how, "hlt") == 0)
		__asm__ volatile("hlt");	/* privileged: #GP */
	else if (strcmp(how, "ud2") == 0)
		__asm__ volatile("ud2");
	else if (strcmp(how, "divide") == 0)
		__asm__ volatile("divl %%ecx" : "+a"(a), "+d"(d) : "c"(0));
	else if (strcmp(how, "int14") == 0)
		__asm__ volatile("int $14");	/* a DPL 0 gate: #GP */
	printf("usertests child: survived fault \"%s\"\n", how);
}

/* Checks the argv the parent passed: { usertests, argv, x, "", ... }. */
static int child_argv(int argc, char *argv[])
{
	static const char *const want[] = { "usertests", "argv", "x", "",
		                            "with spaces" };

	if (argc != (int)ARRAY_SIZE(want) || argv[argc] != NULL) {
		printf("usertests child: argc %d, argv[argc] %p\n", argc,
		       argv[argc]);
		return 1;
	}
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], want[i]) != 0) {
			printf("usertests child: argv[%d] = \"%s\", want "
			       "\"%s\"\n",
			       i, argv[i], want[i]);
			return 1;
		}
	}
	argv[2][0] = 'y';	/* C11 5.1.2.2.1: the strings are writable */
	return 0;
}

/* The child modes; returns -1 if argv asks for none. */
static int child_main(int argc, char *argv[])
{
	if (argc < 2)
		return -1;
	if (strcmp(argv[1], "exit") == 0 && argc >= 3)
		exit(atoi(argv[2]));
	if (strcmp(argv[1], "return") == 0 && argc >= 3)
		return atoi(argv[2]);
	if (strcmp(argv[1], "argv") == 0)
		return child_argv(argc, argv);
	if (strcmp(argv[1], "fault") == 0 && argc >= 3) {
		child_fault(argv[2]);
		return 0;
	}
	return -1;
}

int main(int argc, char *argv[])
{
	uint32_t seed = 1;
	int r;

	if ((r = child_main(argc, argv)) >= 0)
		return r;
	if (argc > 1)
		seed = atoi(argv[1]);

	printf("usertests: pid %d\n", getpid());
	test_getpid();
	test_write();
	test_bad_fds();
	test_devices();
	test_open();
	test_dup();
	test_rlimit();
	test_sbrk();
	test_time();
	test_kmemstats();
	test_spawn();
	test_nosys();
	test_fuzz(seed);
	return utest_summary("usertests");
}
