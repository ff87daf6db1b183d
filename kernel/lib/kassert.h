/*
 * kernel/lib/kassert.h - KASSERT(cond): state an invariant.
 *
 * A failed assertion reports the expression, file and line through
 * kassert_fail().  The kernel's panic module defines kassert_fail(); the
 * host unit tests define their own (tests/host/host_support.c), so code
 * that uses KASSERT compiles unchanged in both places.
 */
#ifndef KIVA_KERNEL_LIB_KASSERT_H
#define KIVA_KERNEL_LIB_KASSERT_H

__attribute__((noreturn)) void kassert_fail(const char *expr, const char *file,
                                            int line);

#define KASSERT(cond) \
	((cond) ? (void)0 : kassert_fail(#cond, __FILE__, __LINE__))

#endif
