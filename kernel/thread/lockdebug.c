/*
 * kernel/thread/lockdebug.c - lock-order checking (kernel/thread/lockdebug.h).
 *
 * The orders seen are a fixed table of pairs (outer, inner), each with the
 * return addresses of the acquisition that first showed it.  A new
 * acquisition of `inner` looks, for each lock its thread holds, whether
 * the opposite pair is in the table (a reversal: reported) and adds its
 * own pair if it is new.  When the table is full, new orders are no longer
 * learnt, and the first time that happens it says so.
 *
 * The table has a lock of its own, a bare flag taken with interrupts off,
 * not a struct spinlock: taking a spinlock here would call back into this
 * file.  The reports print outside it.
 */
#include "kernel/thread/lockdebug.h"

#include "kernel/cpu/cpu.h"
#include "kernel/cpu/percpu.h"
#include "kernel/cpu/smp.h"
#include "kernel/debug/ksyms.h"
#include "kernel/lib/kprintf.h"
#include "kernel/thread/spinlock.h"
#include "kernel/thread/thread.h"

#define MAX_ORDERS 256		/* lock pairs remembered */
#define STACK_FRAMES 6		/* return addresses kept per pair */

struct order {
	const struct spinlock *outer, *inner;
	const char *file;	/* where inner was first taken under outer */
	int line;
	vaddr_t stack[STACK_FRAMES];
};

bool lockdebug_enabled;
static struct order orders[MAX_ORDERS];
static unsigned norders;
static bool table_full_said;
static unsigned table_busy;	/* the table's lock: see above */
static unsigned reversals;

/* The caller's return addresses along the ebp chain, on this stack. */
static void save_stack(vaddr_t out[STACK_FRAMES])
{
	const struct kstack *ks = &curthread->kstack;
	uint32_t ebp = read_ebp();
	int n = 0;

	while (n < STACK_FRAMES && ebp >= ks->base &&
	       ebp + 2 * sizeof(uint32_t) <= ks->top) {
		const uint32_t *frame = (const uint32_t *)ebp;

		out[n++] = frame[1];
		if (frame[0] <= ebp)	/* the chain only goes up the stack */
			break;
		ebp = frame[0];
	}
	while (n < STACK_FRAMES)
		out[n++] = 0;
}

static void print_stack(const vaddr_t stack[STACK_FRAMES])
{
	for (int i = 0; i < STACK_FRAMES && stack[i] != 0; i++) {
		kprintf("    #%d  ", i);
		ksym_print(stack[i]);
		kprintf("\n");
	}
}

static void table_lock(void)
{
	while (__atomic_exchange_n(&table_busy, 1, __ATOMIC_ACQUIRE)) {
		smp_poll_tlb();		/* as a spinlock does */
		__builtin_ia32_pause();
	}
}

static void table_unlock(void)
{
	__atomic_store_n(&table_busy, 0, __ATOMIC_RELEASE);
}

static const struct order *find(const struct spinlock *outer,
                                const struct spinlock *inner)
{
	for (unsigned i = 0; i < norders; i++)
		if (orders[i].outer == outer && orders[i].inner == inner)
			return &orders[i];
	return NULL;
}

/* Called with interrupts off (the new lock is held). */
void lockdebug_acquired(const struct spinlock *lk, const char *file,
                        int line)
{
	vaddr_t now[STACK_FRAMES];
	bool saved = false;

	for (const struct spinlock *held = lk->held_next; held != NULL;
	     held = held->held_next) {
		struct order reversed;
		const struct order *o;
		bool found = false, full = false;

		if (!saved) {
			save_stack(now);
			saved = true;
		}
		table_lock();
		if ((o = find(lk, held)) != NULL) {
			reversed = *o;	/* copied: printed after the unlock */
			found = true;
			reversals++;
		}
		if (find(held, lk) == NULL) {
			if (norders < MAX_ORDERS) {
				struct order *n = &orders[norders++];

				*n = (struct order){ held, lk, file, line,
				                     { 0 } };
				for (int i = 0; i < STACK_FRAMES; i++)
					n->stack[i] = now[i];
			} else if (!table_full_said) {
				table_full_said = full = true;
			}
		}
		table_unlock();
		if (full)
			kprintf("lockdebug: %d lock orders known: no more are "
			        "learnt\n", MAX_ORDERS);
		if (found) {
			kprintf("lock order reversal: %s then %s at %s:%d\n",
			        held->name, lk->name, file, line);
			kprintf("  this order, now:\n");
			print_stack(now);
			kprintf("  %s then %s, first seen at %s:%d:\n",
			        lk->name, held->name, reversed.file,
			        reversed.line);
			print_stack(reversed.stack);
		}
	}
}

unsigned lockdebug_reversals(void)
{
	return __atomic_load_n(&reversals, __ATOMIC_RELAXED);
}
