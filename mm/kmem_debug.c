/*
 * mm/kmem_debug.c - headers, redzones and poison (see mm/kmem_debug.h).
 *
 * The checks run with no lock held: the object belongs to the caller
 * between kmalloc() and kfree(), and to nobody else while it is free.
 */
#include "mm/kmem_debug.h"

#include "kernel/lib/kprintf.h"
#include "kernel/debug/ksyms.h"
#include "kernel/thread/spinlock.h"
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

/* The bytes one caller holds of one type (kmem_debug_sites_mark()). */
struct site {
	uint32_t caller;
	uint32_t type;
	uint64_t live;		/* bytes allocated there and not yet freed */
	uint64_t marked;	/* live at the last mark */
};

/*
 * Sites are added, never removed: a caller's figures stay comparable with
 * its mark.  Allocations and frees come from any context, interrupts too.
 */
static struct spinlock sites_lock = SPINLOCK_INIT("kmem_debug sites");
static struct site sites[KMEM_DEBUG_SITES];
static size_t nsites;
static uint64_t untracked;	/* allocations with no site left for them */

/* The site of (caller, type), added if `add` and there is room; locked. */
static struct site *site_of(uint32_t caller, uint32_t type, bool add)
{
	for (size_t i = 0; i < nsites; i++)
		if (sites[i].caller == caller && sites[i].type == type)
			return &sites[i];
	if (!add || nsites == KMEM_DEBUG_SITES)
		return NULL;
	sites[nsites] = (struct site){ .caller = caller, .type = type };
	return &sites[nsites++];
}

static void site_count(const struct header *h, bool allocated)
{
	struct site *s;

	spin_lock(&sites_lock);
	s = site_of(h->alloc_caller, h->type, allocated);
	if (s == NULL && allocated)
		untracked++;
	else if (s != NULL && allocated)
		s->live += h->size;
	else if (s != NULL)
		s->live -= MIN(s->live, (uint64_t)h->size);
	spin_unlock(&sites_lock);
}

void kmem_debug_sites_mark(void)
{
	spin_lock(&sites_lock);
	for (size_t i = 0; i < nsites; i++)
		sites[i].marked = sites[i].live;
	spin_unlock(&sites_lock);
}

int kmem_debug_sites_report(int type, const char *who)
{
	struct site s;
	int grown = 0;
	uint64_t lost;

	/*
	 * A site at a time, copied under the lock and printed without it:
	 * printing is slow.  Sites are never removed, so indexes stay put.
	 */
	for (size_t i = 0;; i++) {
		spin_lock(&sites_lock);
		if (i == nsites) {
			lost = untracked;
			spin_unlock(&sites_lock);
			break;
		}
		s = sites[i];
		spin_unlock(&sites_lock);
		if (s.type != (uint32_t)type || s.live <= s.marked)
			continue;
		kprintf("census: %s: type %s: %llu bytes more than before, "
		        "allocated by ", who, kmem_type_name(type),
		        (unsigned long long)(s.live - s.marked));
		ksym_print(s.caller);
		kprintf("\n");
		grown++;
	}
	if (lost > 0)
		kprintf("census: %s: %llu allocations came from callers past "
		        "the first %d and are not named\n", who,
		        (unsigned long long)lost, KMEM_DEBUG_SITES);
	return grown;
}

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
	site_count(h, true);
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
	site_count(h, false);
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
