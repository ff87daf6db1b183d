/*
 * kernel/lib/errno.h - the error numbers of the kernel and its system calls.
 *
 * The numbering is Linux i386's (include/uapi/asm-generic/errno-base.h for
 * 1 to 34, include/uapi/asm-generic/errno.h for 35 to 38), so the values a
 * system call returns mean what a Linux/i386 C library expects, and host
 * unit tests on Linux see the same numbers as <errno.h>.  The names are
 * POSIX's.
 *
 * Convention: a kernel function that can fail returns 0 or a non-negative
 * result on success and a negated number from this list on failure
 * (return -ENOMEM), and its comment names the numbers it can return.
 * Only the numbers up to ENOSYS are defined; add the next ones from the
 * same Linux files, in order, when the kernel first needs them.
 */
#ifndef KIVA_KERNEL_LIB_ERRNO_H
#define KIVA_KERNEL_LIB_ERRNO_H

#define EPERM		1	/* operation not permitted */
#define ENOENT		2	/* no such file or directory */
#define ESRCH		3	/* no such process */
#define EINTR		4	/* interrupted system call */
#define EIO		5	/* input/output error */
#define ENXIO		6	/* no such device or address */
#define E2BIG		7	/* argument list too long */
#define ENOEXEC		8	/* exec format error */
#define EBADF		9	/* bad file descriptor */
#define ECHILD		10	/* no child processes */
#define EAGAIN		11	/* resource temporarily unavailable */
#define EWOULDBLOCK	EAGAIN	/* the same number, as on Linux */
#define ENOMEM		12	/* cannot allocate memory */
#define EACCES		13	/* permission denied */
#define EFAULT		14	/* bad address */
#define ENOTBLK		15	/* block device required */
#define EBUSY		16	/* device or resource busy */
#define EEXIST		17	/* file exists */
#define EXDEV		18	/* invalid cross-device link */
#define ENODEV		19	/* no such device */
#define ENOTDIR		20	/* not a directory */
#define EISDIR		21	/* is a directory */
#define EINVAL		22	/* invalid argument */
#define ENFILE		23	/* too many open files in system */
#define EMFILE		24	/* too many open files (per process) */
#define ENOTTY		25	/* inappropriate ioctl for device */
#define ETXTBSY		26	/* text file busy */
#define EFBIG		27	/* file too large */
#define ENOSPC		28	/* no space left on device */
#define ESPIPE		29	/* illegal seek */
#define EROFS		30	/* read-only file system */
#define EMLINK		31	/* too many links */
#define EPIPE		32	/* broken pipe */
#define EDOM		33	/* numerical argument out of domain */
#define ERANGE		34	/* numerical result out of range */
#define EDEADLK		35	/* resource deadlock avoided */
#define ENAMETOOLONG	36	/* file name too long */
#define ENOLCK		37	/* no locks available */
#define ENOSYS		38	/* function not implemented */
#define EOPNOTSUPP	95	/* operation not supported */

#ifndef __ASSEMBLY__
/* "EMFILE" for EMFILE (24), ...; "E?" for a number without a name here. */
const char *errno_name(int e);
#endif

#endif
