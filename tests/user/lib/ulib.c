/*
 * tests/user/lib/ulib.c - formatted output, error names and atoi() for
 * the user programs (see ulib.h).
 *
 * printf() is the kernel's formatting core, fmt_format() from
 * kernel/lib/fmt.c, with an output function that collects the characters in
 * a buffer on the stack and hands them to write() when the buffer fills
 * and when the format is done.  A write() may take fewer bytes than it was
 * given, so flushing loops until everything is out or write() fails.
 */
#include "ulib.h"

struct outbuf {
	int fd;
	int len;	/* bytes in buf */
	int error;	/* the first failed write()'s -errno, or 0 */
	char buf[256];
};

static void outbuf_flush(struct outbuf *ob)
{
	int off = 0, n;

	while (off < ob->len && ob->error == 0) {
		n = write(ob->fd, ob->buf + off, ob->len - off);
		if (n < 0)
			ob->error = n;
		else if (n == 0)
			ob->error = -EIO;	/* no progress: give up */
		else
			off += n;
	}
	ob->len = 0;
}

static void outbuf_putc(char c, void *arg)
{
	struct outbuf *ob = arg;

	if (ob->len == (int)sizeof(ob->buf))
		outbuf_flush(ob);
	ob->buf[ob->len++] = c;
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	struct outbuf ob = { .fd = fd };
	int n;

	n = fmt_format(outbuf_putc, &ob, fmt, ap);
	outbuf_flush(&ob);
	return ob.error < 0 ? ob.error : n;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(1, fmt, ap);
	va_end(ap);
	return n;
}

/* Every number kernel/lib/errno.h defines, by number. */
static const char *const errnames[] = {
	[EPERM] = "EPERM",     [ENOENT] = "ENOENT",
	[ESRCH] = "ESRCH",     [EINTR] = "EINTR",
	[EIO] = "EIO",         [ENXIO] = "ENXIO",
	[E2BIG] = "E2BIG",     [ENOEXEC] = "ENOEXEC",
	[EBADF] = "EBADF",     [ECHILD] = "ECHILD",
	[EAGAIN] = "EAGAIN",   [ENOMEM] = "ENOMEM",
	[EACCES] = "EACCES",   [EFAULT] = "EFAULT",
	[ENOTBLK] = "ENOTBLK", [EBUSY] = "EBUSY",
	[EEXIST] = "EEXIST",   [EXDEV] = "EXDEV",
	[ENODEV] = "ENODEV",   [ENOTDIR] = "ENOTDIR",
	[EISDIR] = "EISDIR",   [EINVAL] = "EINVAL",
	[ENFILE] = "ENFILE",   [EMFILE] = "EMFILE",
	[ENOTTY] = "ENOTTY",   [ETXTBSY] = "ETXTBSY",
	[EFBIG] = "EFBIG",     [ENOSPC] = "ENOSPC",
	[ESPIPE] = "ESPIPE",   [EROFS] = "EROFS",
	[EMLINK] = "EMLINK",   [EPIPE] = "EPIPE",
	[EDOM] = "EDOM",       [ERANGE] = "ERANGE",
	[EDEADLK] = "EDEADLK", [ENAMETOOLONG] = "ENAMETOOLONG",
	[ENOLCK] = "ENOLCK",   [ENOSYS] = "ENOSYS",
};

const char *errname(int err)
{
	static char unknown[24];
	/* Negate as unsigned: -INT_MIN would overflow. */
	unsigned int e = err < 0 ? -(unsigned int)err : (unsigned int)err;

	if (e < ARRAY_SIZE(errnames) && errnames[e] != NULL)
		return errnames[e];
	ksnprintf(unknown, sizeof(unknown), "errno %u", e);
	return unknown;
}

int atoi(const char *s)
{
	unsigned int v = 0;	/* unsigned: overflow wraps, it is not UB */
	bool negative = false;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-' || *s == '+')
		negative = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (unsigned int)(*s - '0');
	return (int)(negative ? 0u - v : v);
}
