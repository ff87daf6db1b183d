/*
 * mm/kmem_debug.h - the kmem_debug boot option: catching the memory bugs
 * that corrupt silently.
 *
 * With it on, every kmalloc block carries a header before the caller's
 * bytes and a redzone after them:
 *
 *   | header (32 B)                       | caller's size bytes | redzone |
 *   | pool link | pool magic | size | type|state | allocated by | freed by |
 *
 * kfree() checks the redzone (an overrun wrote past the end), marks the
 * header freed with the caller, and fills the rest of the object with
 * poison.  When kmalloc() hands the object out again it checks that the
 * poison is intact: if not, something wrote to it after it was freed, and
 * the report names the type, size and the caller that freed it.  A second
 * kfree() of a freed object is reported with the first one's caller.
 * The first two words stay free for the pool's own free-list link and
 * double-free magic (mm/pool.c).
 */
#ifndef KIVA_MM_KMEM_DEBUG_H
#define KIVA_MM_KMEM_DEBUG_H

#include "kernel/lib/types.h"

/*
 * The pool's two words, five 32-bit fields, rounded up so that the
 * caller's bytes stay 16-byte aligned: 32 bytes on i386 (48 on LP64, where
 * make bench builds this file for the host).
 */
#define KMEM_DEBUG_HEADER \
	ROUND_UP(2 * sizeof(uintptr_t) + 5 * sizeof(uint32_t), (size_t)16)
#define KMEM_DEBUG_REDZONE 16

extern bool kmem_debug_enabled;

/* Bytes to ask the allocator for, to give the caller `size`. */
static inline size_t kmem_debug_size(size_t size)
{
	return size + KMEM_DEBUG_HEADER + KMEM_DEBUG_REDZONE;
}

/*
 * Prepares an object of `objsize` bytes the allocator just handed out for a
 * caller who asked for `size`: checks the poison of a reused pool object
 * (`fresh` says it is new memory, with nothing to check), writes the
 * header and the redzone.  Returns the caller's pointer.
 */
void *kmem_debug_alloc(void *obj, size_t objsize, size_t size, int type,
                       bool fresh, vaddr_t caller);

/*
 * Checks and poisons a block the caller is freeing.  Returns the object
 * to give back to the allocator, or NULL when it must not be freed (it was
 * freed already, or has no header: the report says which).
 */
void *kmem_debug_free(void *user, size_t objsize, vaddr_t caller);

/* The caller's size of a live block. */
size_t kmem_debug_user_size(const void *user);

/*
 * Who holds what: the bytes live per allocating caller and type, counted
 * as blocks are handed out and freed.  kmem_debug_sites_mark() notes every
 * caller's bytes now; kmem_debug_sites_report() prints, naming `who` (the
 * work being checked), each caller of `type` that holds more than at the
 * mark, and returns how many do.  A leak found by kernel/debug/census.h
 * is named by these.  Callers beyond KMEM_DEBUG_SITES are not told apart:
 * the report says how many allocations went uncounted.
 */
#define KMEM_DEBUG_SITES 128
void kmem_debug_sites_mark(void);
int kmem_debug_sites_report(int type, const char *who);

/* Problems found so far (overruns, use after free, double frees). */
extern uint64_t kmem_debug_reports;

#endif
