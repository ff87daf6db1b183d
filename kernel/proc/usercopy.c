/*
 * kernel/proc/usercopy.c - copyin, copyout, copyinstr (kernel/proc/usercopy.h).
 */
#include "kernel/proc/usercopy.h"

#include "kernel/cpu/cpufeatures.h"
#include "kernel/debug/catch.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/kstring.h"
#include "mm/uvm.h"

struct copy {
	void *dst;
	const void *src;
	size_t n;
};

static void do_copy(void *arg)
{
	struct copy *c = arg;

	user_access_begin();
	memcpy(c->dst, c->src, c->n);
	user_access_end();
}

/* Copies with a catcher armed; returns -EFAULT if a page fault hit it. */
static int guarded_copy(void *dst, const void *src, size_t n)
{
	struct copy c = { dst, src, n };
	struct caught what;

	return catch_run(CATCH_FAULT, do_copy, &c, &what) ? -EFAULT : 0;
}

int copyin(void *dst, vaddr_t usrc, size_t n)
{
	if (!uvm_range_ok(usrc, n))
		return -EFAULT;
	return guarded_copy(dst, (const void *)usrc, n);
}

int copyout(vaddr_t udst, const void *src, size_t n)
{
	if (!uvm_range_ok(udst, n))
		return -EFAULT;
	return guarded_copy((void *)udst, src, n);
}

struct strcopy {
	char *dst;
	const char *src;
	size_t max;
	size_t len;
	bool terminated;
};

static void do_strcopy(void *arg)
{
	struct strcopy *c = arg;

	user_access_begin();
	for (c->len = 0; c->len < c->max; c->len++) {
		c->dst[c->len] = c->src[c->len];
		if (c->dst[c->len] == '\0') {
			c->terminated = true;
			break;
		}
	}
	user_access_end();
}

int copyinstr(char *dst, vaddr_t usrc, size_t max)
{
	struct strcopy c = { dst, (const char *)usrc, 0, 0, false };
	struct caught what;

	if (max == 0 || usrc < USER_BASE || usrc >= USER_TOP)
		return -EFAULT;
	/* Never read past the end of user space, whatever max says. */
	c.max = MIN(max, (size_t)(USER_TOP - usrc));
	if (catch_run(CATCH_FAULT, do_strcopy, &c, &what))
		return -EFAULT;
	if (!c.terminated)
		return c.max < max ? -EFAULT : -ENAMETOOLONG;
	return (int)c.len;
}
