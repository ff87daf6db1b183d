/*
 * kernel/proc/usercopy.h - moving bytes across the user/kernel boundary.
 *
 * A user pointer is a claim, not a fact: it may point into the kernel, at
 * nothing, or run off the end of user space.  These functions check the
 * range first (user space only, no wrap-around) and then copy with a
 * catcher armed (kernel/debug/catch.h), like BSD's copyin(9) with pcb_onfault,
 * so a page fault on an unmapped or read-only user page becomes -EFAULT
 * instead of a kernel panic.  They run in the process's own address space.
 * They are the only kernel code that touches user pages: with SMAP on,
 * they open the way for the copy alone (user_access_begin/end in
 * kernel/cpu/cpufeatures.h), and a fault in the middle leaves it shut,
 * since every trap entry clears EFLAGS.AC (kernel/cpu/trapentry.S).
 */
#ifndef KIVA_KERNEL_PROC_USERCOPY_H
#define KIVA_KERNEL_PROC_USERCOPY_H

#include "kernel/lib/types.h"

/* Each returns 0, or -EFAULT when any byte of the user range is bad. */
int copyin(void *dst, vaddr_t usrc, size_t n);
int copyout(vaddr_t udst, const void *src, size_t n);

/*
 * Copies a NUL-terminated string of at most max bytes (NUL included).
 * Returns its length, -EFAULT for a bad pointer, or -ENAMETOOLONG (36)
 * when no NUL came within max bytes.
 */
int copyinstr(char *dst, vaddr_t usrc, size_t max);

#endif
