/*
 * tests/user/isolation.c - CPU state a program controls must not reach
 * the kernel or another program.
 *
 *	isolation
 *
 * A program owns more of the CPU than its general registers: the flags
 * (the direction flag DF among them), the x87 and SSE registers, and a
 * few instructions that read the kernel's tables.  Each section below is
 * an attack a student once made work against Kiva, or the CPU protection
 * that would have stopped it:
 *
 *  - DF: every system call, made once with DF clear and once with DF set
 *    (`std` just before `int $0x80`), must give the same results and fill
 *    the same buffers, and give the flag back as the program left it.
 *    The kernel's memcpy and memset are `rep movsb/stosb`, which run
 *    backwards with DF set: a kernel that inherited the flag copied over
 *    its own stack.  Guard bytes around every buffer catch a copy that
 *    starts in the right place but runs the wrong way.
 *  - return to user code: the attack itself, in a child.  It fills a
 *    buffer with the address of pwned() and writes it with DF set; on the
 *    old kernel the copy overwrote a return address and the kernel
 *    "returned" into pwned() at CPL 0.  Then provoke(PROVOKE_EXEC_USER)
 *    makes the kernel call pwned() on purpose: SMEP must stop it.
 *  - SMAP: provoke(PROVOKE_READ_USER) makes the kernel read user memory
 *    outside copyin: SMAP must stop it.
 *  - UMIP: sgdt, sidt, sldt, smsw and str tell ring 3 where the kernel's
 *    tables are; with UMIP they fault and the kernel kills the child.
 *  - FPU: a new process starts with FNINIT's x87 state (and SSE's reset
 *    state); two processes holding different values in st(0) and xmm0
 *    each get their own back after running in turns; an unmasked x87
 *    exception kills the process that raised it, and nothing else.  (Not
 *    SSE's #XM: QEMU's TCG only sets the flag in MXCSR and never raises
 *    it, so the check could not fail or pass there.)
 *
 * The protections (SMEP, SMAP, UMIP) and SSE are CPU features: the
 * program reads CPUID itself (it is not privileged) and expects them to
 * work where the CPU has them and to be reported missing where it has
 * not, so the same checks pass on `-cpu max` and on `-cpu qemu32`.
 *
 * Each check prints a line (lib/utest.h) and the last line is
 *
 *	isolation: N passed, M failed
 *
 * The program spawns copies of itself for what must run in a process of
 * its own; with a first argument (see child_main()) it is such a child
 * and runs no checks.  The user flags include -mgeneral-regs-only, so
 * every x87 or SSE instruction here is inline assembly: the compiler
 * itself never touches those registers, which is also why the values put
 * there survive the C code around them (and why the asm statements list
 * no x87 or xmm clobbers: GCC refuses to name registers it may not use).
 */
#include "ulib.h"
#include "utest.h"

#define PROG "isolation"

#define KERNEL_ADDR 0xC0000000u		/* the first kernel address */
#define UNMAPPED_ADDR 0x30000000u	/* user space, but mapped by nothing */
#define P(a) ((void *)(uintptr_t)(a))

#define EFLAGS_DF 0x400	/* SDM Vol. 1, 3.4.3 */

/* What a child's exit status says, besides its own codes. */
#define KILLED (-1)	/* kernel/proc/proc.h: PROC_KILLED_STATUS */
#define PWNED_STATUS 66	/* pwned() ran in ring 3 */

static void section(const char *name)
{
	printf(PROG ": -- %s\n", name);
}

/*
 * Runs `isolation argv[1] ...` as a child and waits for it: returns 0 and
 * its exit status in *status, or the failed call's -errno.
 */
static int run_child(char *argv[], int *status)
{
	int pid, r;

	*status = KILLED;
	if ((pid = spawn(PROG, argv)) < 0)
		return pid;
	if ((r = wait(pid, status)) != pid)
		return r < 0 ? r : -ESRCH;
	return 0;
}

/* ------------------------------------------------------------ CPUID */

/* What CPUID says (SDM Vol. 2A, "CPUID"); ring 3 may ask. */
static struct {
	bool smep, smap, umip;	/* leaf 7: EBX bits 7 and 20, ECX bit 2 */
	bool sse;		/* leaf 1: EDX bit 25, with FXSR (bit 24) */
} has;

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
	                 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	                 : "a"(leaf), "c"(0));
}

/*
 * SSE counts only with FXSR: the kernel turns SSE on for programs
 * (CR4.OSFXSR) only when it can save the registers with FXSAVE
 * (kernel/cpu/fpu.c), and without that every SSE instruction is #UD.
 */
static void detect_cpu(void)
{
	uint32_t r[4], max;

	cpuid(0, r);
	max = r[0];
	cpuid(1, r);
	has.sse = (r[3] & (1u << 25)) && (r[3] & (1u << 24));
	if (max >= 7) {
		cpuid(7, r);
		has.smep = (r[1] & (1u << 7)) != 0;
		has.smap = (r[1] & (1u << 20)) != 0;
		has.umip = (r[2] & (1u << 2)) != 0;
	}
}

/* --------------------------------------------------------------- DF */

/*
 * Makes system call nr through the register ABI (kernel/proc/syscall.h)
 * with DF as df says, and stores in *df_after whether DF was set when the
 * kernel gave control back.  DF is cleared again before any compiled code
 * runs, since the psABI has every function find it clear.
 */
static int syscall_df(bool df, int nr, uint32_t a1, uint32_t a2, uint32_t a3,
                      bool *df_after)
{
	uint32_t eax = nr, flags;

	if (df)
		__asm__ volatile("std\n\t"
		                 "int %[vec]\n\t"
		                 "pushfl\n\t"
		                 "popl %[flags]\n\t"
		                 "cld"
		                 : "+a"(eax), [flags] "=r"(flags)
		                 : "b"(a1), "c"(a2),
		                   "d"(a3), [vec] "i"(SYSCALL_VECTOR)
		                 : "cc", "memory");
	else
		__asm__ volatile("int %[vec]\n\t"
		                 "pushfl\n\t"
		                 "popl %[flags]"
		                 : "+a"(eax), [flags] "=r"(flags)
		                 : "b"(a1), "c"(a2),
		                   "d"(a3), [vec] "i"(SYSCALL_VECTOR)
		                 : "cc", "memory");
	*df_after = (flags & EFLAGS_DF) != 0;
	return (int)eax;
}

/*
 * A buffer for the kernel to write, with GUARD bytes of GUARD_BYTE on
 * each side: a copy that ran backwards from the start of the buffer
 * would land in the first guard.
 */
#define GUARD 64
#define GUARD_BYTE 0xa5
#define AREA_BUF 64
#define AREA_SIZE (GUARD + AREA_BUF + GUARD)

static void *area_init(unsigned char *area, unsigned char fill)
{
	memset(area, GUARD_BYTE, AREA_SIZE);
	memset(area + GUARD, fill, AREA_BUF);
	return area + GUARD;
}

static bool all_bytes(const void *buf, size_t n, unsigned char c)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < n; i++)
		if (p[i] != c)
			return false;
	return true;
}

static bool guards_intact(const unsigned char *area)
{
	return all_bytes(area, GUARD, GUARD_BYTE) &&
	       all_bytes(area + GUARD + AREA_BUF, GUARD, GUARD_BYTE);
}

/* Everything one pass of the calls gives back. */
#define DF_MAX_CALLS 48

struct df_pass {
	bool df;	/* DF for every call of the pass */
	int ncalls;
	struct {
		int nr, r;
		bool df_after;
	} call[DF_MAX_CALLS];
	unsigned char zero_area[AREA_SIZE];	/* read(/dev/zero) */
	unsigned char rl_area[AREA_SIZE];	/* getrlimit() */
	unsigned char ks_area[AREA_SIZE];	/* kmemstats() */
};

/* Makes one call of pass p and records it. */
static int dfcall(struct df_pass *p, int nr, uint32_t a1, uint32_t a2,
                  uint32_t a3)
{
	int i = p->ncalls;
	bool df_after;
	int r = syscall_df(p->df, nr, a1, a2, a3, &df_after);

	if (i < DF_MAX_CALLS) {
		p->call[i].nr = nr;
		p->call[i].r = r;
		p->call[i].df_after = df_after;
		p->ncalls++;
	}
	return r;
}

/*
 * Checks the last call of pass p: its result is good by `ok` (want says
 * what was wanted) and DF came back as the call went in.  The line reads
 * "DF=1: what = result, DF set".
 */
static bool df_report(struct df_pass *p, bool ok, const char *want,
                      const char *what)
{
	char line[200], got[48], want_df[80];
	int i = p->ncalls - 1;
	int r = p->call[i].r;

	ksnprintf(line, sizeof(line), "DF=%d: %s", p->df, what);
	ksnprintf(got, sizeof(got), "%s, DF %s",
	          p->call[i].nr == SYS_sbrk ? resp(P(r)) : res(r),
	          p->call[i].df_after ? "set" : "clear");
	ksnprintf(want_df, sizeof(want_df), "%s, DF %s", want,
	          p->df ? "set" : "clear");
	return report(ok && p->call[i].df_after == p->df, line, got, want_df);
}

/* The last call of pass p returned want. */
static bool df_expect(struct df_pass *p, int want, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool df_expect(struct df_pass *p, int want, const char *fmt, ...)
{
	char what[160];

	WHAT(what, fmt);
	return df_report(p, p->call[p->ncalls - 1].r == want,
	                 p->call[p->ncalls - 1].nr == SYS_sbrk ? resp(P(want))
	                                                       : res(want),
	                 what);
}

/* The last call of pass p gave a result for which ok holds. */
static bool df_check(struct df_pass *p, bool ok, const char *want,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool df_check(struct df_pass *p, bool ok, const char *want,
                     const char *fmt, ...)
{
	char what[160];

	WHAT(what, fmt);
	return df_report(p, ok, want, what);
}

/*
 * Every system call but exit and provoke, with good arguments and bad
 * pointers, DF as p->df says.  The results wanted are what the same calls
 * give with DF clear; df_compare() then checks the two passes agree.
 */
static void df_pass(struct df_pass *p)
{
	static const char *const msgs[2] = {
		"---- this line came through write(1) with DF clear\n",
		"---- this line came through write(1) with DF set  \n",
	};
	const char *msg = msgs[p->df];
	int n = strlen(msg), pid = getpid(), t0, r, nullfd, zerofd, fd;
	struct rlimit rl_before, *rl;
	struct kmemstats_user ks_before, *ks;
	char *hello_argv[] = { "hello", "with", "DF", NULL };
	char *brk0, *page;
	int status = 12345;

	dfcall(p, SYS_getpid, 0, 0, 0);
	df_expect(p, pid, "getpid()");

	t0 = uptime();
	r = dfcall(p, SYS_uptime, 0, 0, 0);
	df_check(p, r >= t0 && r <= uptime(),
	         "the time between the "
	         "uptime() calls around it",
	         "uptime()");

	nullfd = open("/dev/null");
	zerofd = open("/dev/zero");
	dfcall(p, SYS_write, nullfd, (uintptr_t)msg, n);
	df_expect(p, n, "write(/dev/null, msg, %d)", n);
	dfcall(p, SYS_write, 1, (uintptr_t)msg, n);
	df_expect(p, n, "write(1, msg, %d)", n);

	area_init(p->zero_area, 0x5a);
	dfcall(p, SYS_read, zerofd, (uintptr_t)(p->zero_area + GUARD),
	       AREA_BUF);
	df_expect(p, AREA_BUF, "read(/dev/zero, buf, %d)", AREA_BUF);
	check(all_bytes(p->zero_area + GUARD, AREA_BUF, 0) &&
	          guards_intact(p->zero_area),
	      "DF=%d: ... buf holds %d zero bytes "
	      "and the %d guard bytes on each side are untouched",
	      p->df, AREA_BUF, GUARD);

	/* The lowest free descriptor, as open() and dup() must return. */
	fd = dup(1);
	close(fd);
	dfcall(p, SYS_open, (uintptr_t) "/dev/null", 0, 0);
	df_expect(p, fd, "open(\"/dev/null\")");
	dfcall(p, SYS_close, fd, 0, 0);
	df_expect(p, 0, "close(%d)", fd);
	dfcall(p, SYS_dup, 1, 0, 0);
	df_expect(p, fd, "dup(1)");
	dfcall(p, SYS_dup2, 1, 20, 0);
	df_expect(p, 20, "dup2(1, 20)");
	dfcall(p, SYS_close, 20, 0, 0);
	df_expect(p, 0, "close(20)");
	dfcall(p, SYS_close, fd, 0, 0);
	df_expect(p, 0, "close(%d)", fd);

	brk0 = sbrk(0);
	page = (char *)dfcall(p, SYS_sbrk, PAGE_SIZE, 0, 0);
	df_expect(p, (int)brk0, "sbrk(%u)", PAGE_SIZE);
	if (page == brk0)
		check(all_bytes(page, PAGE_SIZE, 0),
		      "DF=%d: ... and the %u new bytes of heap are zero", p->df,
		      PAGE_SIZE);
	dfcall(p, SYS_sbrk, -(int)PAGE_SIZE, 0, 0);
	df_expect(p, (int)(brk0 + PAGE_SIZE), "sbrk(-%u)", PAGE_SIZE);
	dfcall(p, SYS_sbrk, 0, 0, 0);
	df_expect(p, (int)brk0, "sbrk(0)");

	getrlimit(RLIMIT_NOFILE, &rl_before);
	rl = area_init(p->rl_area, 0xff);
	dfcall(p, SYS_getrlimit, RLIMIT_NOFILE, (uintptr_t)rl, 0);
	df_expect(p, 0, "getrlimit(RLIMIT_NOFILE, &rl)");
	check(rl->rlim_cur == rl_before.rlim_cur &&
	          rl->rlim_max == rl_before.rlim_max &&
	          guards_intact(p->rl_area),
	      "DF=%d: ... rl = { %u, %u }, want { %u, %u }, guards untouched",
	      p->df, rl->rlim_cur, rl->rlim_max, rl_before.rlim_cur,
	      rl_before.rlim_max);
	dfcall(p, SYS_setrlimit, RLIMIT_NOFILE, (uintptr_t)rl, 0);
	df_expect(p, 0, "setrlimit(RLIMIT_NOFILE, the same { %u, %u })",
	          rl->rlim_cur, rl->rlim_max);

	kmemstats(&ks_before);
	ks = area_init(p->ks_area, 0xff);
	dfcall(p, SYS_kmemstats, (uintptr_t)ks, 0, 0);
	df_expect(p, 0, "kmemstats(&ks)");
	check(ks->kmem_map_size == ks_before.kmem_map_size &&
	          ks->kernel_map_size == ks_before.kernel_map_size &&
	          ks->fd_max == ks_before.fd_max &&
	          all_bytes(p->ks_area + GUARD + sizeof(*ks),
	                    AREA_BUF - sizeof(*ks), 0xff) &&
	          guards_intact(p->ks_area),
	      "DF=%d: ... ks has the region sizes and fd_max, and no byte "
	      "after it changed",
	      p->df);

	dfcall(p, SYS_sleep, 1, 0, 0);
	df_expect(p, 0, "sleep(1)");
	t0 = uptime();
	dfcall(p, SYS_sleep, 20, 0, 0);
	df_check(p, p->call[p->ncalls - 1].r == 0 && uptime() - t0 >= 20,
	         "0, 20 ms or more later",
	         "sleep(20): other threads run meanwhile");

	pid =
	    dfcall(p, SYS_spawn, (uintptr_t) "hello", (uintptr_t)hello_argv, 0);
	if (df_check(p, pid > 0, "a pid",
	             "spawn(\"hello\", { hello, with, DF })")) {
		dfcall(p, SYS_wait, pid, (uintptr_t)&status, 0);
		df_expect(p, pid, "wait(%d, &status)", pid);
		report(status == 0, "... and its status", dec(status), "0");
	}

	/* Bad pointers: the checks in copyin/copyout run with DF set too. */
	dfcall(p, SYS_write, 1, KERNEL_ADDR, 16);
	df_expect(p, -EFAULT, "write(1, %p, 16)", P(KERNEL_ADDR));
	dfcall(p, SYS_read, zerofd, 0, 16);
	df_expect(p, -EFAULT, "read(/dev/zero, NULL, 16)");
	dfcall(p, SYS_read, zerofd, KERNEL_ADDR, 16);
	df_expect(p, -EFAULT, "read(/dev/zero, %p, 16)", P(KERNEL_ADDR));
	dfcall(p, SYS_open, 0, 0, 0);
	df_expect(p, -EFAULT, "open(NULL)");
	dfcall(p, SYS_getrlimit, RLIMIT_NOFILE, KERNEL_ADDR, 0);
	df_expect(p, -EFAULT, "getrlimit(RLIMIT_NOFILE, %p)", P(KERNEL_ADDR));
	dfcall(p, SYS_kmemstats, UNMAPPED_ADDR, 0, 0);
	df_expect(p, -EFAULT, "kmemstats(%p)", P(UNMAPPED_ADDR));
	dfcall(p, SYS_spawn, 0, (uintptr_t)hello_argv, 0);
	df_expect(p, -EFAULT, "spawn(NULL, argv)");

	close(nullfd);
	close(zerofd);
}

/* Whether two passes agree on call nr: only times and new pids vary. */
static bool results_agree(int nr, int r0, int r1)
{
	if (nr == SYS_uptime)
		return r0 >= 0 && r1 >= r0;
	if ((nr == SYS_spawn || nr == SYS_wait) && r0 > 0)
		return r1 > 0;
	return r0 == r1;
}

static void df_compare(const struct df_pass *a, const struct df_pass *b)
{
	char list[64];
	int len = 0, ndiffer = 0;

	list[0] = '\0';
	for (int i = 0; i < a->ncalls && i < b->ncalls; i++) {
		if (a->call[i].nr == b->call[i].nr &&
		    results_agree(a->call[i].nr, a->call[i].r, b->call[i].r))
			continue;
		ndiffer++;
		len += ksnprintf(list + len, sizeof(list) - len, " %d", i);
	}
	check(a->ncalls == b->ncalls && ndiffer == 0,
	      "with DF set, the %d "
	      "calls give what they give with DF clear%s%s",
	      b->ncalls, ndiffer > 0 ? "; calls that differ:" : "", list);
	check(memcmp(a->zero_area, b->zero_area, AREA_SIZE) == 0 &&
	          memcmp(a->rl_area, b->rl_area, AREA_SIZE) == 0,
	      "... and the same bytes in the read() and getrlimit() buffers "
	      "and around them");
}

/*
 * A busy loop with DF set, through many timer interrupts: each one
 * enters the kernel (with the program's DF) and irets back, which must
 * restore the flag.  Rounds of the loop go on until 100 ms have passed.
 */
static void df_busy_loop(void)
{
	int t0 = uptime(), rounds = 0, lost = 0;

	while (uptime() - t0 < 100) {
		uint32_t flags, count = 1000000;

		__asm__ volatile("std\n"
		                 "1:\tdecl %[count]\n\t"
		                 "jnz 1b\n\t"
		                 "pushfl\n\t"
		                 "popl %[flags]\n\t"
		                 "cld"
		                 : [count] "+r"(count), [flags] "=r"(flags)
		                 :
		                 : "cc");
		rounds++;
		if (!(flags & EFLAGS_DF))
			lost++;
	}
	check(lost == 0,
	      "%d busy loops with DF set over 100 ms: DF lost "
	      "in %d",
	      rounds, lost);
}

static void test_df(void)
{
	static struct df_pass pass[2];

	section("DF");
	pass[0].df = false;
	df_pass(&pass[0]);
	pass[1].df = true;
	df_pass(&pass[1]);
	df_compare(&pass[0], &pass[1]);
	df_busy_loop();
}

/* --------------------------------------------- return to user code */

static volatile bool pwned_ran;	/* pwned() ran in ring 3 */
static bool attack_child;	/* this process is the attack's child */

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#define COM1 0x3f8		/* the serial console's UART */
#define COM1_LSR (COM1 + 5)	/* line status; bit 5: can take a byte */
#define DEBUG_EXIT 0xf4		/* QEMU's isa-debug-exit: exits with 35 */

/* Prints s straight to the UART: what ring 0 can do without the kernel. */
static void ring0_puts(const char *s)
{
	for (; *s != '\0'; s++) {
		while (!(inb(COM1_LSR) & 0x20))
			continue;
		outb(COM1, *s);
	}
}

/*
 * What the attack wants the kernel to run.  In ring 0 (CS's RPL is the
 * CPL) it proves it, and stops QEMU so that nobody misses it: the old
 * kernel printed this line.  In ring 3 it can only have been reached by
 * a corrupted return, with nowhere sane to return to, so the attack's
 * child exits with PWNED_STATUS for its parent to see.
 */
static __attribute__((noinline)) void pwned(void)
{
	uint32_t cs;

	__asm__ volatile("movl %%cs, %0" : "=r"(cs));
	if ((cs & 3) == 0) {
		ring0_puts("PWNED: user code running at CPL 0\n");
		outb(DEBUG_EXIT, 0x11);
		for (;;)
			__asm__ volatile("cli; hlt");
	}
	pwned_ran = true;
	if (attack_child)
		exit(PWNED_STATUS);
}

/*
 * The attack: a 128-byte buffer full of &pwned, written with DF set.  A
 * kernel that kept the flag copied it with `rep movsb` running downwards:
 * from buf, buf - 1, ... onto its own stack below the kernel buffer,
 * where the copy's own return address is.  So the 128 bytes below buf
 * hold &pwned as well: that is what such a kernel read.
 */
static int child_attack(void)
{
	uintptr_t fill[256 / sizeof(uintptr_t)];
	char *buf = (char *)fill + 128;
	bool df_after;
	int r;

	attack_child = true;
	for (size_t i = 0; i < ARRAY_SIZE(fill); i++)
		fill[i] = (uintptr_t)pwned;
	r = syscall_df(true, SYS_write, 1, (uintptr_t)buf, 128, &df_after);
	printf("\n" PROG " child: write(1, 128 bytes of &pwned, 128) with DF "
	       "set = %s, DF %s\n",
	       res(r), df_after ? "set" : "clear");
	return r == 128 && df_after ? 0 : 1;
}

static void test_return_to_user(void)
{
	int r, status;

	section("return to user code");
	r = run_child((char *[]){ PROG, "attack", NULL }, &status);
	if (!expect(r, 0, "spawn and wait for the attack's child"))
		return;
	check(status == 0 || status == KILLED,
	      "the attack's child exited "
	      "normally or was killed, and pwned() did not run: status %d, "
	      "want 0 or %d (%d: pwned ran)",
	      status, KILLED, PWNED_STATUS);

	r = provoke(PROVOKE_EXEC_USER, (const void *)pwned);
	if (has.smep)
		check(
		    r == -EFAULT && !pwned_ran,
		    "provoke(PROVOKE_EXEC_USER, "
		    "pwned) with SMEP = %s, want -EFAULT, and pwned() did not "
		    "run",
		    res(r));
	else
		check(r == -EOPNOTSUPP && !pwned_ran,
		      "provoke(PROVOKE_EXEC_"
		      "USER, pwned) without SMEP = %s, want -EOPNOTSUPP, and "
		      "pwned() did not run",
		      res(r));
	expect(provoke(PROVOKE_EXEC_USER, P(KERNEL_ADDR)), -EFAULT,
	       "provoke(PROVOKE_EXEC_USER, %p): not a user address",
	       P(KERNEL_ADDR));
	expect(provoke(0, (const void *)pwned), -EINVAL,
	       "provoke(0, pwned): no such provocation");
}

/* ------------------------------------------------------------- SMAP */

static volatile uint32_t smap_target = 0x5ca1ab1e;

static void test_smap(void)
{
	int r;

	section("SMAP");
	r = provoke(PROVOKE_READ_USER, (const void *)&smap_target);
	if (has.smap)
		expect(r, -EFAULT,
		       "provoke(PROVOKE_READ_USER, &smap_target) "
		       "with SMAP");
	else
		expect(r, -EOPNOTSUPP,
		       "provoke(PROVOKE_READ_USER, "
		       "&smap_target) without SMAP");
	expect(provoke(PROVOKE_READ_USER, P(KERNEL_ADDR)), -EFAULT,
	       "provoke(PROVOKE_READ_USER, %p): not a user address",
	       P(KERNEL_ADDR));
}

/* ------------------------------------------------------------- UMIP */

static const char *const umip_insns[] = { "sgdt", "sidt", "sldt", "smsw",
	                                  "str" };

/* Runs one instruction UMIP forbids in ring 3, and says what it read. */
static int child_umip(const char *insn)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) table = { 0, 0 };
	uint32_t word = 0;

	if (strcmp(insn, "sgdt") == 0)
		__asm__ volatile("sgdt %0" : "=m"(table));
	else if (strcmp(insn, "sidt") == 0)
		__asm__ volatile("sidt %0" : "=m"(table));
	else if (strcmp(insn, "sldt") == 0)
		__asm__ volatile("sldt %0" : "=r"(word));
	else if (strcmp(insn, "smsw") == 0)
		__asm__ volatile("smsw %0" : "=r"(word));
	else if (strcmp(insn, "str") == 0)
		__asm__ volatile("str %0" : "=r"(word));
	else
		return 2;
	printf(PROG " child: %s in ring 3 read base %08x limit %04x, "
	            "word %08x\n",
	       insn, table.base, table.limit, word);
	return 0;
}

static void test_umip(void)
{
	int pid = getpid();

	section("UMIP");
	for (size_t i = 0; i < ARRAY_SIZE(umip_insns); i++) {
		char what[64];
		int r, status;

		ksnprintf(what, sizeof(what), "a child running %s: status",
		          umip_insns[i]);
		r = run_child(
		    (char *[]){ PROG, "umip", (char *)umip_insns[i], NULL },
		    &status);
		if (r < 0)
			check(false, "%s: spawn or wait = %s", what, res(r));
		else if (has.umip)
			report(status == KILLED, what, dec(status),
			       "-1: killed, UMIP");
		else
			report(status == 0, what, dec(status),
			       "0: it runs, no UMIP");
	}
	expect(getpid(), pid, "getpid() after them");
}

/* -------------------------------------------------------------- FPU */

/* FNSTENV's image in 32-bit protected mode (SDM Vol. 1, 8.1.10). */
struct x87_env {
	uint32_t fcw, fsw, ftw;		/* control, status, tag (low 16 bits) */
	uint32_t fip, fcs, fdp, fds;	/* the last instruction and operand */
};

#define FNINIT_FCW 0x037f	/* every exception masked, 64-bit, nearest */
#define FTW_ALL_EMPTY 0xffff
#define RESET_MXCSR 0x1f80	/* every SSE exception masked */
#define FCW_ZM 0x0004		/* x87 divide-by-zero masked */

/* What a fresh process finds wrong, as bits of its exit status. */
#define FRESH_FCW 0x01
#define FRESH_FSW 0x02
#define FRESH_FTW 0x04
#define FRESH_MXCSR 0x08
#define FRESH_XMM 0x10

/* The first thing a new process does: look at the x87/SSE registers. */
static int child_fpu_fresh(void)
{
	struct x87_env env;
	uint8_t xmm[8][16];
	uint32_t mxcsr = 0;
	int bad = 0;
	bool xmm_zero = true;

	__asm__ volatile("fnstenv %0" : "=m"(env));
	if ((env.fcw & 0xffff) != FNINIT_FCW)
		bad |= FRESH_FCW;
	if ((env.fsw & 0xffff) != 0)
		bad |= FRESH_FSW;
	if ((env.ftw & 0xffff) != FTW_ALL_EMPTY)
		bad |= FRESH_FTW;
	if (has.sse) {
		__asm__ volatile(
		    "stmxcsr %0\n\t"
		    "movups %%xmm0, 0(%1)\n\tmovups %%xmm1, 16(%1)\n\t"
		    "movups %%xmm2, 32(%1)\n\tmovups %%xmm3, 48(%1)\n\t"
		    "movups %%xmm4, 64(%1)\n\tmovups %%xmm5, 80(%1)\n\t"
		    "movups %%xmm6, 96(%1)\n\tmovups %%xmm7, 112(%1)"
		    : "=m"(mxcsr)
		    : "r"(xmm)
		    : "memory");
		if (mxcsr != RESET_MXCSR)
			bad |= FRESH_MXCSR;
		xmm_zero = all_bytes(xmm, sizeof(xmm), 0);
		if (!xmm_zero)
			bad |= FRESH_XMM;
	}
	printf(PROG " child: fcw %04x fsw %04x ftw %04x mxcsr %08x "
	            "xmm0-7 %s\n",
	       env.fcw & 0xffff, env.fsw & 0xffff, env.ftw & 0xffff, mxcsr,
	       xmm_zero ? "zero" : "NOT zero");
	return bad;
}

/* Spawns a fresh child and checks what it found, bit by bit. */
static void expect_fresh(const char *when)
{
	int r, status;

	r = run_child((char *[]){ PROG, "fpu-fresh", NULL }, &status);
	if (!expect(r, 0, "spawn and wait for a fresh process %s", when))
		return;
	check(status >= 0 && !(status & FRESH_FCW),
	      "... its x87 control "
	      "word is 0x%04x (status %d)",
	      FNINIT_FCW, status);
	check(status >= 0 && !(status & FRESH_FSW),
	      "... its x87 status word is 0");
	check(status >= 0 && !(status & FRESH_FTW),
	      "... its x87 tag word "
	      "is 0x%04x: every register empty",
	      FTW_ALL_EMPTY);
	if (has.sse) {
		check(status >= 0 && !(status & FRESH_MXCSR),
		      "... its MXCSR is 0x%04x", RESET_MXCSR);
		check(status >= 0 && !(status & FRESH_XMM),
		      "... its xmm0-xmm7 are zero");
	}
}

/* Loads v into st(0) (pushing it) and, with SSE, into xmm0's low word. */
static void fpu_load(int32_t v)
{
	__asm__ volatile("fildl %0" : : "m"(v));
	if (has.sse)
		__asm__ volatile("movss %0, %%xmm0" : : "m"(v));
}

/* Pops st(0) into *x87 and, with SSE, reads xmm0's low word into *sse. */
static void fpu_read(int32_t *x87, int32_t *sse)
{
	__asm__ volatile("fistpl %0" : "=m"(*x87));
	if (has.sse)
		__asm__ volatile("movss %%xmm0, %0" : "=m"(*sse));
}

#define HOLD_X87 0x01	/* exit-status bits of a holding child */
#define HOLD_SSE 0x02
#define HOLD_ROUNDS 5

/*
 * Puts value in st(0) and xmm0, lets the other processes run (it sleeps,
 * or spins through timer interrupts), then reads both back.
 */
static int child_fpu_hold(int32_t value, bool spin)
{
	int32_t x87 = 0, sse = value;
	int bad = 0;

	fpu_load(value);
	for (int i = 0; i < HOLD_ROUNDS; i++) {
		if (spin) {
			int t0 = uptime();

			while (uptime() - t0 < 60)
				continue;
		} else {
			sleep(20);
		}
	}
	fpu_read(&x87, &sse);
	if (x87 != value)
		bad |= HOLD_X87;
	if (sse != value)
		bad |= HOLD_SSE;
	printf(PROG " child: loaded %d, read back st(0) %d, xmm0 %s%d\n", value,
	       x87, has.sse ? "" : "(no SSE) ", sse);
	return bad;
}

/*
 * Two children at once, each holding its own value while the other runs;
 * the parent holds a third meanwhile.
 */
static void expect_own_values(const char *how)
{
	static const int32_t values[2] = { 12345678, 87654321 };
	const int32_t mine = 55555555;
	char vbuf[2][16];
	int pids[2], status[2] = { KILLED, KILLED }, seen = 0;
	int32_t x87 = 0, sse = mine;

	fpu_load(mine);
	for (int i = 0; i < 2; i++) {
		ksnprintf(vbuf[i], sizeof(vbuf[i]), "%d", values[i]);
		pids[i] = spawn(PROG, (char *[]){ PROG, "fpu-hold", vbuf[i],
		                                  (char *)how, NULL });
	}
	for (int i = 0; i < 2; i++) {
		int st, r = wait(-1, &st);

		for (int j = 0; j < 2; j++)
			if (r > 0 && r == pids[j]) {
				status[j] = st;
				seen |= 1 << j;
			}
	}
	fpu_read(&x87, &sse);
	for (int i = 0; i < 2; i++)
		check(pids[i] > 0 && (seen & (1 << i)) && status[i] == 0,
		      "two children %s at once: the one holding %d gets it "
		      "back in st(0)%s (status %d)",
		      how, values[i], has.sse ? " and xmm0" : "", status[i]);
	check(x87 == mine && sse == mine,
	      "... and the parent gets back its "
	      "own %d: st(0) %d, xmm0 %d",
	      mine, x87, sse);
}

/* Unmasks x87 divide-by-zero and divides by zero: #MF at the fwait. */
static void child_x87_divzero(void)
{
	uint16_t cw = FNINIT_FCW & ~FCW_ZM;
	int32_t zero = 0;

	__asm__ volatile("fninit\n\t"
	                 "fldcw %0\n\t"
	                 "fld1\n\t"
	                 "fidivl %1\n\t"
	                 "fwait"
	                 :
	                 : "m"(cw), "m"(zero));
	printf(PROG " child: survived an unmasked x87 divide by zero\n");
}

static void expect_killed(char *mode, const char *what)
{
	int r, status;

	r = run_child((char *[]){ PROG, mode, NULL }, &status);
	if (r < 0)
		check(false, "%s: spawn or wait = %s", what, res(r));
	else
		report(status == KILLED, what, dec(status), "-1: killed");
}

static void test_fpu(void)
{
	static const uint8_t pattern[8][16] = {
		[0 ... 7] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
		              16 }
	};
	uint16_t cw = 0x0c7f;		/* round toward zero, 64-bit */
	uint32_t mxcsr = 0x7f80;	/* SSE: round toward zero */
	int32_t dirty = 424242, x87 = 0, pid = getpid();

	section("FPU");
	/* The parent's state is anything but FNINIT's while the child
	 * starts. */
	__asm__ volatile("fninit\n\tfldcw %0\n\tfildl %1"
	                 :
	                 : "m"(cw), "m"(dirty));
	if (has.sse)
		__asm__ volatile(
		    "ldmxcsr %0\n\t"
		    "movups 0(%1), %%xmm0\n\tmovups 16(%1), %%xmm1\n\t"
		    "movups 32(%1), %%xmm2\n\tmovups 48(%1), %%xmm3\n\t"
		    "movups 64(%1), %%xmm4\n\tmovups 80(%1), %%xmm5\n\t"
		    "movups 96(%1), %%xmm6\n\tmovups 112(%1), %%xmm7"
		    :
		    : "m"(mxcsr), "r"(pattern)
		    : "memory");
	expect_fresh("while the parent's registers hold other values");
	__asm__ volatile("fistpl %0\n\tfninit" : "=m"(x87));
	check(x87 == dirty, "... and the parent's st(0) still holds %d: %d",
	      dirty, x87);
	if (has.sse) {
		mxcsr = RESET_MXCSR;
		__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	}

	expect_own_values("sleeping");
	expect_own_values("spinning");

	expect_killed("x87-divzero", "a child dividing by zero with the x87 "
	                             "exception unmasked (#MF)");
	expect(getpid(), pid, "getpid() after them");
	expect_fresh("after them");
}

/* ------------------------------------------------------ the children */

/* The child modes; returns -1 if argv asks for none. */
static int child_main(int argc, char *argv[])
{
	if (argc < 2)
		return -1;
	if (strcmp(argv[1], "attack") == 0)
		return child_attack();
	if (strcmp(argv[1], "umip") == 0 && argc >= 3)
		return child_umip(argv[2]);
	if (strcmp(argv[1], "fpu-fresh") == 0)
		return child_fpu_fresh();
	if (strcmp(argv[1], "fpu-hold") == 0 && argc >= 4)
		return child_fpu_hold(atoi(argv[2]),
		                      strcmp(argv[3], "spinning") == 0);
	if (strcmp(argv[1], "x87-divzero") == 0) {
		child_x87_divzero();
		return 0;
	}
	return -1;
}

int main(int argc, char *argv[])
{
	int r;

	detect_cpu();
	if ((r = child_main(argc, argv)) >= 0)
		return r;

	printf(PROG ": pid %d; CPUID: SMEP %s, SMAP %s, UMIP %s, SSE %s\n",
	       getpid(), has.smep ? "yes" : "no", has.smap ? "yes" : "no",
	       has.umip ? "yes" : "no", has.sse ? "yes" : "no");
	test_df();
	test_return_to_user();
	test_smap();
	test_umip();
	test_fpu();
	return utest_summary(PROG);
}
