/*
 * tests/kernel/test_proc.c - user processes against the kernel's memory:
 * the scenario of the 2003 failure (descriptor tables must live in
 * kernel_map and come back), a heap that runs out of memory, a program
 * that faults.  The programs are the boot modules from tests/user.
 */
#include "drivers/pit.h"
#include "kernel/lib/kprintf.h"
#include "kernel/debug/ktest.h"
#include "kernel/proc/proc.h"
#include "kernel/thread/sched.h"
#include "mm/kmem.h"
#include "mm/pmm.h"

static uint64_t inuse(int type)
{
	struct kmem_type_stats s;

	kmem_type_stats(type, &s);
	return s.inuse;
}

static size_t kmem_map_used(void)
{
	struct kmem_allocator_stats s;

	kmem_allocator_usage(false, &s);
	return s.used;
}

static uint64_t free_frames(void)
{
	return pmm_free_pages(ZONE_LOW) + pmm_free_pages(ZONE_HIGH);
}

/*
 * Four fdbombs at once, each after 100,000 descriptors: they get an error,
 * the kernel does not fall over, their tables are M_FDESC memory in
 * kernel_map (kmem_map does not grow), and every byte comes back.
 */
KTEST(four_fdbombs_leave_kmem_map_alone)
{
	char *argv[] = { "fdbomb", "100000" };
	uint64_t before[M_NTYPES], fdesc_peak = 0;
	size_t kmem_before = kmem_map_used(), kmem_peak = 0;
	int pids[4], status, n = 0;

	for (int t = 0; t < M_NTYPES; t++)
		before[t] = inuse(t);
	for (int i = 0; i < 4; i++) {
		pids[i] = proc_spawn("fdbomb", 2, argv, NULL, false);
		if (!KEXPECT(t, pids[i] > 0)) {
			/* Fault injection, perhaps: wait for those started. */
			while (--i >= 0)
				proc_wait(pids[i], NULL, &status);
			return;
		}
	}
	/* Watch while they run: until their tables have come and gone. */
	for (int i = 0; i < 20 * HZ; i++) {
		uint64_t f = inuse(M_FDESC);
		fdesc_peak = MAX(fdesc_peak, f);
		kmem_peak = MAX(kmem_peak, kmem_map_used());
		if (fdesc_peak > before[M_FDESC] && f == before[M_FDESC])
			break;
		sleep_ticks(1);
	}
	for (int i = 0; i < 4; i++) {
		KEXPECT_EQ(t, proc_wait(pids[i], NULL, &status), pids[i]);
		KEXPECT_EQ(t, status, 0);
		n++;
	}
	kprintf("  %d fdbombs; M_FDESC peaked at %llu KiB; kmem_map used "
	        "%u KiB before, at most %u KiB during\n", n,
	        (unsigned long long)(fdesc_peak >> 10),
	        (unsigned)(kmem_before >> 10), (unsigned)(kmem_peak >> 10));
	KEXPECT(t, fdesc_peak > 0);
	KEXPECT(t, kmem_peak <= kmem_before + 4 * PAGE_SIZE);
	for (int type = 0; type < M_NTYPES; type++)
		if (!KEXPECT_EQ(t, inuse(type), before[type]))
			kprintf("  type %s did not come back\n",
			        kmem_type_name(type));
}

/* memhog's heap grows until the frames run out: an error, not a panic. */
KTEST(memhog_gets_an_error)
{
	char *argv[] = { "memhog" };
	uint64_t frames = free_frames();
	int pid, status;

	pid = proc_spawn("memhog", 1, argv, NULL, false);
	if (!KEXPECT(t, pid > 0))
		return;
	KEXPECT_EQ(t, proc_wait(pid, NULL, &status), pid);
	KEXPECT_EQ(t, status, 0);
	/* Everything it had is back (the interrupt reserve may have
	 * refilled). */
	KEXPECT(t, free_frames() + 64 >= frames);
}

/*
 * Processes the kernel started and nobody waits for (a test that ended
 * early) are disowned: zombies free their slots at once, so every slot is
 * there for the next user.
 */
KTEST(abandoned_kernel_children_are_reaped)
{
	char *argv[] = { "hello" };
	int slots = proc_slots_in_use(), first = proc_next_pid();
	int pids[2], status;

	for (int i = 0; i < 2; i++) {
		pids[i] = proc_spawn("hello", 1, argv, NULL, false);
		if (!KEXPECT(t, pids[i] > 0)) {
			/* Fault injection, perhaps: wait for the one started. */
			while (--i >= 0)
				proc_wait(pids[i], NULL, &status);
			return;
		}
	}
	/* Running or exited, nobody has waited: both hold their slots. */
	KEXPECT_EQ(t, proc_slots_in_use(), slots + 2);
	KEXPECT_EQ(t, proc_disown_kernel_children(first), 2);
	/* A zombie goes at once, one still running when it exits. */
	for (int i = 0; i < 5 * HZ && proc_slots_in_use() != slots; i++)
		sleep_ticks(1);
	KEXPECT_EQ(t, proc_slots_in_use(), slots);
	KEXPECT_EQ(t, proc_disown_kernel_children(first), 0);
}
