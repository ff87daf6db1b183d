/*
 * kernel/debug/kmemtrace.c - the trace thread and its line
 * (kernel/debug/kmemtrace.h; the format is in docs/plots.md).
 *
 * A sample reads every figure with interrupts off, so that on one CPU
 * they all describe one moment: nothing else runs meanwhile, and kmem's
 * lock, which its functions take, nests inside.  With several CPUs the
 * others go on allocating between two reads, so a line is then one
 * moment only to within those few calls.  The line is
 * built in a buffer and printed with one kprintf(), so that no other
 * output lands inside it.
 */
#include "kernel/debug/kmemtrace.h"

#include "drivers/pit.h"
#include "kernel/console.h"
#include "kernel/cpu/cpu.h"
#include "kernel/lib/cmdline.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"
#include "kernel/thread/sched.h"
#include "kernel/thread/spinlock.h"
#include "kernel/thread/thread.h"
#include "mm/kmem.h"
#include "mm/pmm.h"

#define MS_PER_S 1000
/*
 * A line is about 310 bytes at 128 MiB, some 450 with every figure at 32
 * bits' widest; field() KASSERTs that it fits.
 */
#define LINE_MAX 640
#define QUOTE(x) #x
#define NUMBER(x) QUOTE(x)

_Static_assert(KMEMTRACE_MIN_MS * HZ >= MS_PER_S, "the shortest is a tick");
_Static_assert((uint64_t)KMEMTRACE_MAX_MS * HZ <= UINT32_MAX, "32-bit ticks");

static struct {
	struct thread *thread;	/* the tracer while it runs, or NULL */
	unsigned period_ms;	/* under lock */
	bool stopping;		/* under lock: the tracer is to end */
} trace;
static struct spinlock trace_lock = SPINLOCK_INIT("kmemtrace");

bool kmemtrace_parse_period(const char *s, unsigned *ms, const char **why)
{
	uint64_t v;

	if (*s == '\0') {
		*ms = KMEMTRACE_DEFAULT_MS;
		return true;
	}
	if (!parse_u64(&s, &v) || *s != '\0') {
		*why = "the period is a number of milliseconds";
		return false;
	}
	if (v < KMEMTRACE_MIN_MS || v > KMEMTRACE_MAX_MS) {
		*why = "the period must be from " NUMBER(KMEMTRACE_MIN_MS)
		       " to " NUMBER(KMEMTRACE_MAX_MS) " ms";
		return false;
	}
	*ms = (unsigned)v;
	return true;
}

/* Appends to line[*len..]: one "name=value" field and a blank. */
static void field(char *line, size_t *len, const char *prefix,
                  const char *name, uint64_t value)
{
	int n = ksnprintf(line + *len, LINE_MAX - *len, " %s%s=%llu", prefix,
	                  name, (unsigned long long)value);

	KASSERT(n >= 0 && (size_t)n < LINE_MAX - *len);
	*len += (size_t)n;
}

static void region_fields(char *line, size_t *len, const char *name,
                          const struct kmem_allocator_stats *r)
{
	char prefix[16];

	ksnprintf(prefix, sizeof(prefix), "%s.", name);
	field(line, len, prefix, "size", r->size);
	field(line, len, prefix, "used", r->used);
	field(line, len, prefix, "free", r->free);
}

static void print_sample(void)
{
	char line[LINE_MAX];
	struct kmem_allocator_stats intr, nointr;
	struct kmem_type_stats types[M_NTYPES];
	struct pmm_reserve_stats reserve;
	uint64_t failures = 0, drops, t;
	uint32_t flags = irq_save();
	size_t len;

	t = ticks() * MS_PER_S / HZ;
	kmem_allocator_usage(false, &intr);
	kmem_allocator_usage(true, &nointr);
	for (int i = 0; i < M_NTYPES; i++)
		kmem_type_stats(i, &types[i]);
	pmm_reserve_stats(&reserve);
	drops = console_input_dropped();
	irq_restore(flags);

	len = (size_t)ksnprintf(line, sizeof(line), "kmemtrace t=%llu",
	                        (unsigned long long)t);
	region_fields(line, &len, "kmem_map", &intr);
	region_fields(line, &len, "kernel_map", &nointr);
	for (int i = 0; i < M_NTYPES; i++) {
		field(line, &len, "type.", kmem_type_name(i), types[i].inuse);
		failures += types[i].failures;
	}
	field(line, &len, "", "failures", failures);
	field(line, &len, "", "drops", drops);
	field(line, &len, "reserve.", "used", reserve.target - reserve.frames);
	field(line, &len, "reserve.", "target", reserve.target);
	kprintf("%s\n", line);
}

static unsigned ms_to_ticks(unsigned ms)
{
	return (ms * HZ + MS_PER_S - 1) / MS_PER_S;
}

static void tracer(void *arg)
{
	(void)arg;
	spin_lock(&trace_lock);
	while (!trace.stopping) {
		unsigned period = ms_to_ticks(trace.period_ms);

		spin_unlock(&trace_lock);
		print_sample();
		spin_lock(&trace_lock);
		if (!trace.stopping)
			(void)sleep_timeout(&trace, &trace_lock, "kmemtrace",
			                    period);
	}
	spin_unlock(&trace_lock);
}

int kmemtrace_start(unsigned ms)
{
	struct thread *t;

	spin_lock(&trace_lock);
	trace.period_ms = ms;
	trace.stopping = false;
	if (trace.thread != NULL)
		wakeup(&trace);	/* a line now, then the new period */
	spin_unlock(&trace_lock);
	if (trace.thread != NULL)
		return 0;
	t = thread_create("kmemtrace", tracer, NULL);
	if (t == NULL)
		return -ENOMEM;
	trace.thread = t;
	return 0;
}

void kmemtrace_stop(void)
{
	if (trace.thread == NULL)
		return;
	spin_lock(&trace_lock);
	trace.stopping = true;
	wakeup(&trace);
	spin_unlock(&trace_lock);
	thread_join(trace.thread);
	trace.thread = NULL;
}

bool kmemtrace_running(void)
{
	return trace.thread != NULL;
}
