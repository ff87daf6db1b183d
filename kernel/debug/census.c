/*
 * kernel/debug/census.c - counting what the kernel holds (census.h).
 */
#include "kernel/debug/census.h"

#include "kernel/console.h"
#include "drivers/pit.h"
#include "kernel/lib/kprintf.h"
#include "kernel/proc/proc.h"
#include "kernel/thread/kstack.h"
#include "kernel/thread/sched.h"
#include "mm/kmem.h"
#include "mm/kmem_debug.h"
#include "mm/paging.h"
#include "mm/pmm.h"

static void take(struct census *c)
{
	struct kmem_type_stats ts;
	struct pmm_reserve_stats rs;

	console_input_trim();
	/*
	 * What the allocators cache is not in use: give it all back, and top
	 * the interrupt reserve up, so that the free frames are all there are.
	 */
	kmem_reclaim();
	pmm_reserve_refill();
	c->calls = kmem_calls();
	c->failures = c->sleeps = 0;
	for (int type = 0; type < M_NTYPES; type++) {
		kmem_type_stats(type, &ts);
		c->inuse[type] = ts.inuse;
		c->failures += ts.failures;
		c->sleeps += ts.sleeps;
	}
	pmm_reserve_stats(&rs);
	c->frames_free = pmm_free_pages(ZONE_LOW) + pmm_free_pages(ZONE_HIGH) +
	                 rs.frames + paging_stats.grown_tables +
	                 kmem_tag_frames();
	c->stack_slots = kstack_slots_used();
	c->proc_slots = proc_slots_in_use();
}

void census_begin(struct census *c)
{
	take(c);
	if (kmem_debug_enabled)
		kmem_debug_sites_mark();
}

void census_take(struct census *c)
{
	take(c);
}

bool census_equal(const struct census *a, const struct census *b)
{
	for (int type = 0; type < M_NTYPES; type++)
		if (a->inuse[type] != b->inuse[type])
			return false;
	return a->frames_free == b->frames_free &&
	       a->stack_slots == b->stack_slots &&
	       a->proc_slots == b->proc_slots;
}

void census_settle(const struct census *before, struct census *after,
                   unsigned wait_ticks)
{
	uint64_t deadline = ticks() + wait_ticks;

	take(after);
	while (!census_equal(before, after) && ticks() < deadline) {
		sleep_ticks(1);
		take(after);
	}
}

int census_compare(const struct census *before, const struct census *after,
                   const char *who)
{
	int differ = 0;

	for (int type = 0; type < M_NTYPES; type++) {
		if (after->inuse[type] == before->inuse[type])
			continue;
		kprintf("census: %s: type %s: %llu bytes in use, %llu before\n",
		        who, kmem_type_name(type),
		        (unsigned long long)after->inuse[type],
		        (unsigned long long)before->inuse[type]);
		if (kmem_debug_enabled)
			kmem_debug_sites_report(type, who);
		differ++;
	}
	if (after->frames_free != before->frames_free) {
		kprintf("census: %s: %llu frames free, %llu before\n", who,
		        (unsigned long long)after->frames_free,
		        (unsigned long long)before->frames_free);
		differ++;
	}
	if (after->stack_slots != before->stack_slots) {
		kprintf("census: %s: %u thread stacks, %u before\n", who,
		        after->stack_slots, before->stack_slots);
		differ++;
	}
	if (after->proc_slots != before->proc_slots) {
		kprintf("census: %s: %d process slots in use, %d before\n", who,
		        after->proc_slots, before->proc_slots);
		differ++;
	}
	return differ;
}

void census_print(const struct census *c)
{
	kprintf("census:");
	for (int type = 0; type < M_NTYPES; type++)
		kprintf(" %s=%llu", kmem_type_name(type),
		        (unsigned long long)c->inuse[type]);
	kprintf(" frames_free=%llu stacks=%u procs=%d (calls=%llu failures=%llu "
	        "sleeps=%llu)\n", (unsigned long long)c->frames_free,
	        c->stack_slots, c->proc_slots, (unsigned long long)c->calls,
	        (unsigned long long)c->failures, (unsigned long long)c->sleeps);
}
