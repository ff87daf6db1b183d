/*
 * kernel/proc/file.h - open files: for now, the device files a process can open
 * by name.
 *
 *   /dev/console   the console: read waits for a line (or n bytes)
 *   /dev/null      reads end at once, writes vanish
 *   /dev/zero      reads give zeros
 *
 * Every open of a device shares its one struct file, like a vnode; the
 * descriptor tables (kernel/proc/fdtable.h) hold references to it.
 */
#ifndef KIVA_KERNEL_PROC_FILE_H
#define KIVA_KERNEL_PROC_FILE_H

#include "kernel/lib/types.h"

struct file {
	const char *name;
	/* Each takes a user buffer and returns bytes moved or -errno. */
	int (*read)(struct file *f, vaddr_t ubuf, size_t n);
	int (*write)(struct file *f, vaddr_t ubuf, size_t n);
	unsigned refs;		/* descriptors referring to it */
};

/* The file called path, with a reference taken, or NULL (-ENOENT). */
struct file *file_open(const char *path);
void file_hold(struct file *f);
void file_release(struct file *f);

#endif
