/*
 * kernel/proc/file.c - the device files (kernel/proc/file.h).
 *
 * Data moves through a small kernel buffer, a chunk at a time, so a huge
 * count with a bad user pointer ends at the first bad byte with -EFAULT
 * and never makes the kernel allocate anything.
 */
#include "kernel/proc/file.h"

#include "kernel/console.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/kstring.h"
#include "kernel/thread/spinlock.h"
#include "kernel/proc/usercopy.h"
#include "mm/uvm.h"

#define CHUNK 128

static struct spinlock files_lock = SPINLOCK_INIT("files");

static int console_write_user(struct file *f, vaddr_t ubuf, size_t n)
{
	char buf[CHUNK];

	(void)f;
	if (!uvm_range_ok(ubuf, n))
		return -EFAULT;
	for (size_t done = 0; done < n;) {
		size_t k = MIN(n - done, sizeof(buf));
		if (copyin(buf, ubuf + done, k) != 0)
			return done > 0 ? (int)done : -EFAULT;
		console_write(buf, k);
		done += k;
	}
	return (int)MIN(n, (size_t)INT32_MAX);
}

/* A line, or n bytes, whichever comes first; waits for the first byte. */
static int console_read_user(struct file *f, vaddr_t ubuf, size_t n)
{
	char buf[CHUNK];
	size_t len = 0;

	(void)f;
	if (n == 0)
		return 0;
	if (!uvm_range_ok(ubuf, n))
		return -EFAULT;
	n = MIN(n, sizeof(buf));
	while (len < n) {
		int c = console_getc_intr();
		if (c < 0)
			return c;	/* killed while waiting: -EINTR */
		buf[len++] = c == '\r' ? '\n' : (char)c;
		if (c == '\r' || c == '\n')
			break;
	}
	return copyout(ubuf, buf, len) == 0 ? (int)len : -EFAULT;
}

static int null_read(struct file *f, vaddr_t ubuf, size_t n)
{
	(void)f;
	return uvm_range_ok(ubuf, n) ? 0 : -EFAULT;
}

static int null_write(struct file *f, vaddr_t ubuf, size_t n)
{
	(void)f;
	if (!uvm_range_ok(ubuf, n))
		return -EFAULT;
	return (int)MIN(n, (size_t)INT32_MAX);
}

static int zero_read(struct file *f, vaddr_t ubuf, size_t n)
{
	static const char zeros[CHUNK];

	(void)f;
	if (!uvm_range_ok(ubuf, n))
		return -EFAULT;
	n = MIN(n, (size_t)INT32_MAX);
	for (size_t done = 0; done < n; done += CHUNK)
		if (copyout(ubuf + done, zeros, MIN(n - done, CHUNK)) != 0)
			return done > 0 ? (int)done : -EFAULT;
	return (int)n;
}

static struct file devices[] = {
	{ "/dev/console", console_read_user, console_write_user, 0 },
	{ "/dev/null", null_read, null_write, 0 },
	{ "/dev/zero", zero_read, null_write, 0 },
};

struct file *file_open(const char *path)
{
	for (size_t i = 0; i < ARRAY_SIZE(devices); i++) {
		if (strcmp(devices[i].name, path) == 0) {
			file_hold(&devices[i]);
			return &devices[i];
		}
	}
	return NULL;
}

void file_hold(struct file *f)
{
	spin_lock(&files_lock);
	f->refs++;
	spin_unlock(&files_lock);
}

void file_release(struct file *f)
{
	spin_lock(&files_lock);
	f->refs--;
	spin_unlock(&files_lock);
}
