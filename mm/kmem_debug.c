/*
 * mm/kmem_debug.c - headers, redzones and poison (see mm/kmem_debug.h).
 *
 * The checks run with no lock held: the object belongs to the caller
 * between kmalloc() and kfree(), and to nobody else while it is free.
 */
#include "mm/kmem_debug.h"

#include "kernel/lib/kprintf.h"
#include "kernel/debug/ksyms.h"
#include "mm/kmem.h"

#define STATE_LIVE 0x4c495645u		/* "LIVE" */
#define STATE_FREED 0x46524545u		/* "FREE" */
#define POISON_BYTE 0xde
#define REDZONE_BYTE 0xca

struct header {
	uintptr_t pool_link;	/* mm/pool.c's free-list link */
	uintptr_t pool_magic;	/* mm/pool.c's double-free mark */
	uint32_t size;		/* what the caller asked for */
	uint32_t type;
	uint32_t state;
	uint32_t alloc_caller;
	uint32_t free_caller;
};
_Static_assert(sizeof(struct header) <= KMEM_DEBUG_HEADER, "header fits");

bool kmem_debug_enabled;
uint64_t kmem_debug_reports;

static void report_start(const char *what, const void *user,
                         const struct header *h)
{
	kmem_debug_reports++;
	kprintf("kmem_debug: %s: %p (type %s, %u bytes, allocated by ", what,
	        user, kmem_type_name((int)h->type), (unsigned)h->size);
	ksym_print(h->alloc_caller);
}

static void report_end(const char *who, vaddr_t caller)
{
	kprintf(")\n  %s ", who);
	ksym_print(caller);
	kprintf("\n");
}

/* The offset of the first byte in [from, to) that is not `byte`, or -1. */
static long first_changed(const uint8_t *p, size_t from, size_t to,
                          uint8_t byte)
{
	for (size_t i = from; i < to; i++)
		if (p[i] != byte)
			return (long)i;
	return -1;
}

void *kmem_debug_alloc(void *obj, size_t objsize, size_t size, int type,
                       bool fresh, vaddr_t caller)
{
	struct header *h = obj;
	uint8_t *user = (uint8_t *)obj + KMEM_DEBUG_HEADER;
	long at;

	if (!fresh && h->state == STATE_FREED) {
		at = first_changed(obj, KMEM_DEBUG_HEADER, objsize, POISON_BYTE);
		if (at >= 0) {
			report_start("written after free", user, h);
			kprintf(", at offset %ld", at - KMEM_DEBUG_HEADER);
			report_end("it was freed by", h->free_caller);
		}
	}
	h->size = (uint32_t)size;
	h->type = (uint32_t)type;
	h->state = STATE_LIVE;
	h->alloc_caller = (uint32_t)caller;
	h->free_caller = 0;
	for (size_t i = 0; i < KMEM_DEBUG_REDZONE; i++)
		user[size + i] = REDZONE_BYTE;
	return user;
}

void *kmem_debug_free(void *p, size_t objsize, vaddr_t caller)
{
	uint8_t *user = p;
	uint8_t *obj = user - KMEM_DEBUG_HEADER;
	struct header *h = (struct header *)obj;
	long at;

	if (h->state == STATE_FREED) {
		report_start("double free", user, h);
		report_end("first freed by", h->free_caller);
		kprintf("  freed again by ");
		ksym_print(caller);
		kprintf("\n");
		return NULL;
	}
	if (h->state != STATE_LIVE) {
		kmem_debug_reports++;
		kprintf("kmem_debug: kfree(%p): no kmalloc header there (not from "
		        "kmalloc, or an interior pointer); called from ", p);
		ksym_print(caller);
		kprintf("\n");
		return NULL;
	}
	at = first_changed(user, h->size, h->size + KMEM_DEBUG_REDZONE,
	                   REDZONE_BYTE);
	if (at >= 0) {
		report_start("overrun past the end", user, h);
		kprintf(", byte %ld written", at);
		report_end("found by kfree from", caller);
	}
	h->state = STATE_FREED;
	h->free_caller = (uint32_t)caller;
	for (size_t i = KMEM_DEBUG_HEADER; i < objsize; i++)
		obj[i] = POISON_BYTE;
	return obj;
}

size_t kmem_debug_user_size(const void *user)
{
	const struct header *h =
		(const void *)((const uint8_t *)user - KMEM_DEBUG_HEADER);
	return h->size;
}
