/*
 * tests/kernel/test_console.c - console input under memory pressure: the
 * interrupt path drops and counts bytes when kmalloc(M_NOWAIT) fails, and
 * works again when memory is back.  It feeds and reads the console queue,
 * which a shell must not be reading at the same time: it runs at boot
 * (the `test` option), and the shell's `test` command skips it.
 */
#include "drivers/pit.h"
#include "kernel/console.h"
#include "kernel/debug/ktest.h"
#include "kernel/thread/sched.h"
#include "mm/kmem.h"

static volatile unsigned fed, dropped;
static volatile bool feeding_done;

/* From the timer interrupt, as the serial handler would. */
static void tick_feed(void)
{
	for (int i = 0; i < 100; i++) {
		fed++;
		if (!console_input('x'))
			dropped++;
	}
	feeding_done = true;
	pit_remove_tick_hook(tick_feed);
}

KTEST_NEEDING(console_input_drops_when_kmalloc_fails, KTEST_OWN_CONSOLE)
{
	struct kmem_type_stats before, after;
	const char *why;

	kmem_type_stats(M_TTY, &before);
	KEXPECT(t, kmem_fail_set("every:1,type=tty", &why));
	fed = dropped = 0;
	feeding_done = false;
	KEXPECT(t, pit_add_tick_hook(tick_feed));
	while (!feeding_done)
		sleep_ticks(1);
	KEXPECT(t, kmem_fail_set("off", &why));
	kmem_type_stats(M_TTY, &after);
	KEXPECT_EQ(t, fed, 100);
	KEXPECT_EQ(t, dropped, 100);	/* the queue was empty: no chunk */
	KEXPECT(t, after.failures > before.failures);

	/* Memory is back: input flows again, in order. */
	KEXPECT(t, console_input('o'));
	KEXPECT(t, console_input('k'));
	KEXPECT_EQ(t, console_getc(), 'o');
	KEXPECT_EQ(t, console_getc(), 'k');
	kmem_type_stats(M_TTY, &after);
	KEXPECT_EQ(t, after.requests, before.requests + 1);	/* one chunk */
}
