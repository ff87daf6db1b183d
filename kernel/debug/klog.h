/*
 * kernel/debug/klog.h - the kernel log: the last KLOG_SIZE bytes kprintf()
 * printed, for the shell's `dmesg` and for reading after a panic, from
 * GDB, what scrolled away or never reached a screen.
 *
 * Only the kernel's own messages go in: kprintf() logs every byte it
 * prints (kernel/console.c), while the line editor's drawing (the prompt,
 * the echo of keys, the redraws) and programs' write()s to the console
 * do not, as dmesg(8) does.
 *
 * The layout, for a debugger (`dmesg` in tests/gdb/kiva.gdb reads it so):
 *
 *	char klog_buf[KLOG_SIZE];	the ring
 *	uint64_t klog_written;		bytes logged since boot
 *
 * Byte number i of everything ever logged is klog_buf[i % KLOG_SIZE],
 * and the ring holds numbers max(0, klog_written - KLOG_SIZE) up to
 * klog_written: klog_buf[0, klog_written) before the ring wraps, and
 * klog_buf[w, KLOG_SIZE) then klog_buf[0, w) after, with w =
 * klog_written % KLOG_SIZE.  The console updates both with interrupts
 * off, so a reader that has them off too sees the two agree.
 *
 * The functions below take no lock and touch no hardware (the host tests
 * run them): the caller keeps interrupts off.
 */
#ifndef KIVA_KERNEL_DEBUG_KLOG_H
#define KIVA_KERNEL_DEBUG_KLOG_H

#include "kernel/lib/types.h"

/*
 * 64 KiB: a boot prints about 1.5 KiB, a panic report about 1.5 KiB and a
 * run of every in-kernel test about 8 KiB, so the log keeps all of that
 * several times over, or some 20 s of `kmem trace` at its default rate;
 * and it takes 1/64 of the 4 MiB the kernel can run in.  A power of two
 * divides 2^64, so byte i's place stays i % KLOG_SIZE however far
 * klog_written goes.
 */
#define KLOG_SIZE (64 * 1024)

extern char klog_buf[KLOG_SIZE];
extern uint64_t klog_written;

/* Appends c to the log, overwriting the oldest byte once it is full. */
void klog_putc(char c);

/*
 * Copies up to n bytes of the log, from byte number *pos on, into dst,
 * and moves *pos past them.  A *pos older than the oldest byte the ring
 * still holds first moves up to that byte, so the bytes lost in between
 * are skipped.  Returns the number of bytes copied: 0 when *pos has
 * reached klog_written.
 */
size_t klog_read(uint64_t *pos, char *dst, size_t n);

/* The number of the oldest byte the log still holds. */
uint64_t klog_oldest(void);

#endif
