/*
 * kernel/proc/fdtable.h - a process's file-descriptor table.
 *
 * A table maps small integers (descriptors) to open files.  It never
 * looks inside a struct file: it holds one reference per slot, taken and
 * dropped with file_hold() and file_release() (kernel/proc/file.h).
 *
 * Why the memory comes from where it does.  In NetBSD PR kern/14721 a
 * program that opened 100,000 descriptors panicked the kernel: fdexpand()
 * grew the table with malloc(), whose memory came from kmem_map, the
 * small submap that is kept interrupt-safe, and running it dry was fatal
 * (tech-kern, "fdexpand() memory shortage check", December 2001).  The
 * fix discussed there, and done here, is twofold:
 *
 *  - A descriptor table is never touched in interrupt context, so it has
 *    no business in the interrupt-safe region.  It grows with
 *    kmalloc(bytes, M_FDESC, M_NOWAIT | M_NOINTR), i.e. in kernel_map
 *    (mm/kmem.h), and shrinks with kfree().  M_NOWAIT: a program that
 *    asks for more than there is gets an answer at once, not a sleep.
 *
 *  - Growth can fail, and failing is an answer, not a panic: the system
 *    call gets -ENOMEM and the table is exactly as it was.  Growth is also
 *    bounded by a per-process soft limit (RLIMIT_NOFILE's current value)
 *    and by a system-wide maximum, fdtable_maxfiles, that the kernel
 *    derives at boot from the size of kernel_map (see fdtable_bytes_for()),
 *    so that even root cannot ask for a table the kernel could never hold.
 *
 * Layout.  The first FD_INLINE slots live inside struct fdtable, which is
 * embedded in the process structure, so a process that never opens more
 * than FD_INLINE files never allocates.  Beyond that, the table doubles
 * (8, 16, 32, ...), but never past the effective limit, min(soft limit,
 * system maximum): a program capped at 100 descriptors gets 100 slots,
 * not 128.  A grown table is one allocation of fdtable_bytes_for(n)
 * bytes: the slots, then the two bitmaps below.  Doubling makes the cost
 * of copying amortised O(1) per descriptor, as in NetBSD and OpenBSD.
 * A table never shrinks while it is in use; fdtable_close_all() frees it.
 *
 * Finding the lowest free descriptor (POSIX requires open(), dup() and
 * friends to return it).  Two bitmaps, as in NetBSD's fd_alloc():
 * lomap has one bit per slot (set: open), himap one bit per lomap word
 * (set: those 32 slots are all open).  Plus a hint, freefile, below which
 * every slot is open (NetBSD's fd_freefile).  A search for the lowest
 * free slot >= minfd starts at max(minfd, freefile), tests that slot's
 * lomap word, then scans himap for the next word with a free bit: O(1)
 * when the hint's word has a free slot, which is the common case of
 * descriptors opened and closed near the bottom, and at worst one word
 * read per 1024 slots, 98 reads for 100,000 descriptors.  Allocating at
 * the hint moves it just past the new descriptor; closing below it moves
 * it down.  Everything else (get, install, close) is O(1) apart from
 * growth.  fdtable_close_all() is O(capacity).
 *
 * The module does no locking: the owner serialises every call on one
 * table (in Kiva only the process's one thread uses its table).  Nothing
 * here sleeps: growth is M_NOWAIT.
 * struct fdtable points into itself (the inline slots), so it is
 * initialised in place and never copied or moved.
 */
#ifndef KIVA_KERNEL_PROC_FDTABLE_H
#define KIVA_KERNEL_PROC_FDTABLE_H

#include "kernel/lib/types.h"

struct file;	/* opaque: the table only stores and compares pointers */

/* Slots inside struct fdtable: a process this small never allocates. */
#define FD_INLINE 8

/* The largest system maximum: descriptors must fit in an int. */
#define FD_MAXFILES_MAX 0x7fffffffu

/* Words of each bitmap for a table of n slots. */
#define FD_MAPBITS 32u
#define FD_LOMAP_WORDS(n) (((n) + FD_MAPBITS - 1) / FD_MAPBITS)
#define FD_HIMAP_WORDS(n) \
	(((n) + FD_MAPBITS * FD_MAPBITS - 1) / (FD_MAPBITS * FD_MAPBITS))

/*
 * The system maximum of descriptors per table, at most FD_MAXFILES_MAX.
 * The kernel sets it at boot, before the first table, from kernel_map's
 * capacity (proc_init()).  Every table obeys a new value at once, so it
 * could also change at run time (a sysctl, say).
 */
void fdtable_set_maxfiles(unsigned maxfiles);
unsigned fdtable_maxfiles(void);

struct fdtable {
	struct file **fdt_files;	/* fdt_nfiles slots: inline or grown */
	uint32_t *fdt_lomap;		/* bit per slot: open */
	uint32_t *fdt_himap;		/* bit per lomap word: word all open */
	unsigned fdt_nfiles;		/* capacity, in slots */
	unsigned fdt_nopen;		/* open descriptors */
	unsigned fdt_freefile;		/* every slot below it is open */
	unsigned fdt_limit;		/* soft limit (RLIMIT_NOFILE) */
	size_t fdt_bytes;		/* size of the grown block, or 0 */
	struct file *fdt_inline[FD_INLINE];
	uint32_t fdt_inline_lomap[FD_LOMAP_WORDS(FD_INLINE)];
	uint32_t fdt_inline_himap[FD_HIMAP_WORDS(FD_INLINE)];
};

/*
 * Makes t an empty table of FD_INLINE slots; allocates nothing.  limit is
 * the soft limit; it must not exceed the system maximum (asserted: the
 * caller copies it from a limit that fdtable_set_limit() accepted).
 */
void fdtable_init(struct fdtable *t, unsigned limit);

/*
 * Opens the lowest free descriptor >= minfd on f (open, dup, F_DUPFD)
 * and calls file_hold(f).  Returns the descriptor, or:
 *   -EMFILE  it would be at or above the effective limit
 *   -ENOMEM  the table had to grow and kmalloc() failed
 * On failure nothing has changed and file_hold() was not called.
 * f != NULL.
 */
int fdtable_alloc(struct fdtable *t, unsigned minfd, struct file *f);

/*
 * Puts f at descriptor fd (dup2): file_hold(f), then file_release() of
 * the file that was there, if any.  Grows the table if fd is beyond it.
 * Returns fd, or:
 *   -EBADF   fd is at or above the effective limit
 *   -ENOMEM  the table had to grow and kmalloc() failed
 * On failure nothing has changed.  Installing the file already at fd is
 * allowed: its reference count goes up and back down.  f != NULL.
 */
int fdtable_install(struct fdtable *t, unsigned fd, struct file *f);

/* The file open at fd, or NULL if fd is not open. */
struct file *fdtable_get(const struct fdtable *t, unsigned fd);

/*
 * Closes fd: empties the slot, then calls file_release() on its file.
 * Returns 0, or -EBADF if fd is not open.
 */
int fdtable_close(struct fdtable *t, unsigned fd);

/*
 * Closes every descriptor, calling file_release() once per open slot, and
 * frees a grown block: the table is back to its FD_INLINE inline slots,
 * with the same limit, ready for use (exit, or exec of a new image).
 */
void fdtable_close_all(struct fdtable *t);

/*
 * Sets the soft limit (setrlimit(RLIMIT_NOFILE)).  Returns 0, or -EINVAL
 * if limit is above the system maximum (the limit is then unchanged).
 * Lowering it below open descriptors is allowed, as POSIX allows: they
 * stay open and usable, but no new descriptor at or above the limit is
 * made.
 */
int fdtable_set_limit(struct fdtable *t, unsigned limit);

/* Counters. */
static inline unsigned fdtable_nopen(const struct fdtable *t)
{
	return t->fdt_nopen;
}

static inline unsigned fdtable_capacity(const struct fdtable *t)
{
	return t->fdt_nfiles;
}

/* Bytes taken from kmalloc() for this table now; 0 while it is inline. */
static inline size_t fdtable_bytes(const struct fdtable *t)
{
	return t->fdt_bytes;
}

static inline unsigned fdtable_limit(const struct fdtable *t)
{
	return t->fdt_limit;
}

/*
 * The size of a grown table of n slots: what the kernel divides its
 * kernel_map budget by to pick the system maximum.  Returns 0 if it does
 * not fit in a size_t (only possible on i386, for n near FD_MAXFILES_MAX).
 */
size_t fdtable_bytes_for(unsigned n);

/*
 * Checks every invariant (bitmaps against slots, the count, the hint,
 * nothing open beyond the capacity).  Returns false, after printing what
 * is wrong, if one does not hold.  O(capacity), for tests and debugging.
 */
bool fdtable_check(const struct fdtable *t);

#endif
