/*
 * kernel/cpu/smp.c - the processors (kernel/cpu/smp.h): finding them,
 * starting them, per-CPU records, cross-calls and TLB shootdown.
 *
 * Starting a CPU (the MP initialization protocol, SDM Vol. 3A, 8.4.4.1,
 * with the local APIC's ICR, 10.6.1): the boot CPU copies the real-mode
 * trampoline (boot/ap_start.S) below 1 MiB, gives the CPU an idle thread
 * whose stack it will run on, and sends INIT, waits 10 ms, then two
 * startup IPIs (SIPI) whose vector names the trampoline's page.  The SDM
 * asks for 200 us between the SIPIs; the clock's resolution is a tick
 * (10 ms), which is longer, and longer is allowed.  A CPU that has not
 * said it is online (ap_main) within AP_START_TIMEOUT_MS is reported and
 * left out; Kiva goes on with the ones that came.
 *
 * Cross-calls and shootdowns.  Each CPU has, per other CPU, one mailbox
 * for a call (call_slots[target][source]) and one for a TLB flush
 * (flush_slots[target][source]); only the source writes a slot, and only
 * once its last request there is done, so no lock is needed.  The source
 * fills its slots, sends each target the call IPI and waits for every
 * slot to be emptied.  A target empties them in the IPI's handler; with
 * its interrupts off, it still empties the flush slots wherever it waits:
 * spinning for a spinlock (kernel/thread/spinlock.c) or for its own call
 * or shootdown to be done.  So a shootdown finishes even when the sender
 * holds a lock the target spins on, or two CPUs shoot down at each
 * other.  A call runs arbitrary code, which may take locks, so it runs
 * only where the target holds none: in the IPI's handler (interrupts were
 * on) and while the target waits for a call of its own (whose caller,
 * by smp_call_others()'s rule, holds no spinlock).
 */
#include "kernel/cpu/smp.h"

#include "drivers/ioapic.h"
#include "drivers/lapic.h"
#include "drivers/pic.h"
#include "drivers/mpconfig.h"
#include "drivers/pit.h"
#include "kernel/cpu/apstart.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/cpufeatures.h"
#include "kernel/cpu/fpu.h"
#include "kernel/cpu/gdt.h"
#include "kernel/cpu/percpu.h"
#include "kernel/cpu/trap.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/kassert.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/kstring.h"
#include "kernel/thread/sched.h"
#include "kernel/thread/spinlock.h"
#include "kernel/thread/thread.h"
#include "mm/kmap.h"
#include "mm/kva.h"
#include "mm/paging.h"

#define PHYS_4G 0x100000000ull	/* the tables' 32-bit addresses */
#define CPUID_1_EDX_APIC (1u << 9)	/* SDM Vol. 2A, CPUID */
#define INIT_DELAY_MS 10		/* SDM Vol. 3A, 8.4.4.1 */
#define AP_START_TIMEOUT_MS 2000	/* generous: TCG on a busy host */
#define CALIBRATE_TICKS 10		/* 100 ms against the PIT */
/* The IMCR, which MP-table firmware may start in PIC mode (MP spec 3.6.2.1). */
#define IMCR_SELECT_PORT 0x22
#define IMCR_DATA_PORT 0x23
#define IMCR_REGISTER 0x70
#define IMCR_APIC_MODE 0x01
#define MS_TO_TICKS(ms) (((ms) * HZ + 999) / 1000)

struct call_slot {
	void (*fn)(void *arg);
	void *arg;
	bool pending;		/* set by the source, cleared by the target */
};

struct flush_slot {
	uint32_t cr3;		/* SMP_TLB_KERNEL or an address space */
	vaddr_t va;
	bool pending;
};

struct cpu cpus[SMP_MAX_CPUS];
static struct mp_config config;	/* the firmware's; ioapic.c keeps a pointer */
static unsigned ncpus_online = 1;
static struct call_slot call_slots[SMP_MAX_CPUS][SMP_MAX_CPUS];
static struct flush_slot flush_slots[SMP_MAX_CPUS][SMP_MAX_CPUS];
static bool lapic_ticks;

void ap_main(struct cpu *c);

unsigned cpu_index(void)
{
	KASSERT(!(read_eflags() & EFLAGS_IF));
	return cpu_self()->index;
}

unsigned smp_ncpus(void)
{
	return __atomic_load_n(&ncpus_online, __ATOMIC_ACQUIRE);
}

bool smp_lapic_ticks(void)
{
	return lapic_ticks;
}

void smp_boot_cpu_init(void)
{
	struct cpu *c = &cpus[0];

	c->index = 0;
	c->thread = thread_boot();
	c->online = true;
	gdt_init(c);
}

void smp_poll_tlb(void)
{
	unsigned me = cpu_self()->index;

	for (unsigned src = 0; src < SMP_MAX_CPUS; src++) {
		struct flush_slot *f = &flush_slots[me][src];

		if (__atomic_load_n(&f->pending, __ATOMIC_ACQUIRE)) {
			if (f->cr3 == SMP_TLB_KERNEL || read_cr3() == f->cr3)
				invlpg(f->va);
			__atomic_store_n(&f->pending, false, __ATOMIC_RELEASE);
		}
	}
}

/* The calls waiting for this CPU; it holds no spinlock. */
static void poll_calls(void)
{
	unsigned me = cpu_self()->index;

	for (unsigned src = 0; src < SMP_MAX_CPUS; src++) {
		struct call_slot *s = &call_slots[me][src];

		if (__atomic_load_n(&s->pending, __ATOMIC_ACQUIRE)) {
			s->fn(s->arg);
			__atomic_store_n(&s->pending, false, __ATOMIC_RELEASE);
		}
	}
}

/* Waits until the target emptied *pending, doing what others ask meanwhile. */
static void wait_done(const bool *pending, bool take_calls)
{
	while (__atomic_load_n(pending, __ATOMIC_ACQUIRE)) {
		smp_poll_tlb();
		if (take_calls)
			poll_calls();
		__builtin_ia32_pause();
	}
}

void smp_call_others(void (*fn)(void *arg), void *arg)
{
	unsigned n = smp_ncpus(), me;

	if (n == 1)
		return;
	KASSERT(curthread->spin_held == NULL);	/* the rule above */
	spinlock_enter();
	me = cpu_self()->index;
	for (unsigned i = 0; i < n; i++) {
		struct call_slot *s = &call_slots[i][me];

		if (i == me)
			continue;
		s->fn = fn;
		s->arg = arg;
		__atomic_store_n(&s->pending, true, __ATOMIC_RELEASE);
		lapic_send_ipi(cpus[i].apic_id, IPI_CALL_VECTOR);
	}
	for (unsigned i = 0; i < n; i++)
		if (i != me)
			wait_done(&call_slots[i][me].pending, true);
	spinlock_exit();
}

void smp_tlb_shootdown(uint32_t cr3, vaddr_t va)
{
	unsigned n = smp_ncpus(), me;

	if (n == 1)
		return;
	spinlock_enter();
	me = cpu_self()->index;
	cpu_self()->shootdowns++;
	for (unsigned i = 0; i < n; i++) {
		struct flush_slot *f = &flush_slots[i][me];

		if (i == me)
			continue;
		f->cr3 = cr3;
		f->va = va;
		__atomic_store_n(&f->pending, true, __ATOMIC_RELEASE);
		lapic_send_ipi(cpus[i].apic_id, IPI_CALL_VECTOR);
	}
	for (unsigned i = 0; i < n; i++)
		if (i != me)
			wait_done(&flush_slots[i][me].pending, false);
	spinlock_exit();
}

void smp_reschedule(unsigned index)
{
	lapic_send_ipi(cpus[index].apic_id, IPI_RESCHEDULE_VECTOR);
}

void smp_stop_others(void)
{
	unsigned n = smp_ncpus();

	if (n == 1)
		return;
	lapic_send_nmi_others();
	kprintf("(the %u other CPU%s stopped: an NMI each)\n", n - 1,
	        n == 2 ? " is" : "s are");
}

/* The APIC's own interrupts, in interrupt context (kernel/cpu/trap.c). */
static void timer_interrupt(struct trapframe *tf)
{
	(void)tf;
	cpu_self()->ticks++;
	sched_cpu_tick();
}

static void reschedule_interrupt(struct trapframe *tf)
{
	(void)tf;	/* need_resched is set: trap() switches after it */
}

static void call_interrupt(struct trapframe *tf)
{
	(void)tf;
	smp_poll_tlb();
	poll_calls();
}

/*
 * The firmware's tables lie below 4 GiB, in RAM the direct map may not
 * cover (ACPI's ranges are not usable RAM): read a page at a time
 * through a kmap_atomic window.
 */
static bool read_phys(paddr_t pa, void *dst, size_t n, void *arg)
{
	char *out = dst;

	(void)arg;
	if (pa + n < pa || pa + n > PHYS_4G)
		return false;
	while (n > 0) {
		paddr_t page = ROUND_DOWN(pa, (paddr_t)PAGE_SIZE);
		size_t off = (size_t)(pa - page);
		size_t chunk = MIN(n, PAGE_SIZE - off);
		const char *w = kmap_atomic_phys(page);

		memcpy(out, w + off, chunk);
		kunmap_atomic((void *)w);
		out += chunk;
		pa += chunk;
		n -= chunk;
	}
	return true;
}

static bool discover(struct mp_config *cfg)
{
	struct phys_reader r = { read_phys, NULL };
	uint32_t a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	if (!(d & CPUID_1_EDX_APIC)) {
		kprintf("smp: this CPU has no local APIC: one CPU, 8259\n");
		return false;
	}
	if (!acpi_read_madt(&r, cfg) && !mptable_read(&r, cfg)) {
		kprintf("smp: no MADT and no MP table: one CPU, 8259\n");
		return false;
	}
	kprintf("smp: %s: %u CPU%s (%u listed), local APIC at %08x, "
	        "%u I/O APIC%s\n", cfg->source, cfg->ncpus,
	        cfg->ncpus == 1 ? "" : "s", cfg->ncpus_seen, cfg->lapic_phys,
	        cfg->nioapics, cfg->nioapics == 1 ? "" : "s");
	return true;
}

static void busy_wait_ticks(uint64_t n)
{
	uint64_t start = ticks();

	while (ticks() - start < n)
		halt();
}

/*
 * Moves the ISA lines from the 8259s to the I/O APIC, all to this CPU,
 * with interrupts off so that no line fires half moved.
 */
static void route_through_ioapic(uint8_t boot_id)
{
	uint32_t flags;

	if (config.nioapics == 0 || !ioapic_init(&config, boot_id)) {
		kprintf("smp: no I/O APIC: device interrupts stay on the "
		        "8259, to CPU 0\n");
		return;
	}
	flags = irq_save();
	if (config.imcr_present) {
		outb(IMCR_SELECT_PORT, IMCR_REGISTER);
		outb(IMCR_DATA_PORT, IMCR_APIC_MODE);
	}
	pic_mask_all();
	trap_set_irq_chip(&ioapic_irq_chip);
	irq_restore(flags);
	kprintf("smp: device interrupts through the I/O APIC, to CPU 0\n");
}

/* Starts the CPU of cpus[index]; false if it did not come online in time. */
static bool start_ap(unsigned index)
{
	struct cpu *c = &cpus[index];
	struct ap_start_params *p =
		P2V(AP_START_PHYS + (paddr_t)(ap_start_params - ap_start));
	extern char early_pdpt[];	/* boot/boot.S */
	uint64_t start;

	p->early_cr3 = (uint32_t)(early_pdpt - (char *)KERNBASE);
	p->kernel_cr3 = paging_kernel_cr3();
	p->efer_nxe = paging_nx_bit() != 0;
	p->stack_top = c->idle->kstack.top;
	p->cpu = (uint32_t)c;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	lapic_send_init(c->apic_id);
	busy_wait_ticks(MS_TO_TICKS(INIT_DELAY_MS));
	for (int sipi = 0; sipi < 2 && !c->online; sipi++) {
		lapic_send_startup(c->apic_id, AP_START_VECTOR);
		busy_wait_ticks(1);
	}
	start = ticks();
	while (!c->online && ticks() - start < MS_TO_TICKS(AP_START_TIMEOUT_MS))
		halt();
	return c->online;
}

void smp_init(unsigned max_cpus)
{
	struct mp_config *cfg = &config;
	unsigned want, next = 1;
	uint8_t boot_id;
	char name[THREAD_NAME_MAX];

	if (!discover(cfg))
		return;
	want = cfg->ncpus;
	if (max_cpus != 0 && max_cpus < want)
		want = max_cpus;
	if (want > SMP_MAX_CPUS)
		want = SMP_MAX_CPUS;
	if (want == 1) {
		kprintf("smp: one CPU: the uniprocessor path (8259, PIT)\n");
		return;
	}
	if (!lapic_map(cfg->lapic_phys)) {
		kprintf("smp: cannot map the local APIC: one CPU, 8259\n");
		return;
	}
	lapic_enable(true);
	boot_id = lapic_id();
	cpus[0].apic_id = boot_id;
	trap_set_apic_handler(LAPIC_TIMER_VECTOR, timer_interrupt, "timer");
	trap_set_apic_handler(IPI_RESCHEDULE_VECTOR, reschedule_interrupt,
	                      "resched");
	trap_set_apic_handler(IPI_CALL_VECTOR, call_interrupt, "call");
	lapic_timer_calibrate(CALIBRATE_TICKS, HZ);
	route_through_ioapic(boot_id);
	memcpy(P2V(AP_START_PHYS), ap_start,
		       (size_t)(ap_start_end - ap_start));
	for (unsigned i = 0; i < cfg->ncpus && next < want; i++) {
		struct cpu *c = &cpus[next];

		if (cfg->apic_ids[i] == boot_id)
			continue;
		ksnprintf(name, sizeof(name), "idle%u", next);
		c->index = next;
		c->apic_id = cfg->apic_ids[i];
		c->idle = thread_create_idle(name);
		if (c->idle == NULL) {
			kprintf("smp: no stack for CPU %u's idle thread; "
			        "%u CPUs\n", next, next);
			break;
		}
		c->idle->cpu = next;
		c->thread = c->idle;
		if (!start_ap(next)) {
			/*
			 * It may still start later and run on that stack:
			 * the idle thread is left to it, never freed.
			 */
			kprintf("smp: CPU %u (APIC id %u) did not start within "
			        "%u ms; going on with %u CPUs\n", next,
			        c->apic_id, AP_START_TIMEOUT_MS, next);
			break;
		}
		next++;
	}
	/* Every CPU's timer, the boot CPU's last, counts the turns. */
	lapic_timer_start(HZ);
	lapic_ticks = true;
	kprintf("smp: %u CPU%s running; APIC timer %u Hz input, %u Hz ticks\n",
	        smp_ncpus(), smp_ncpus() == 1 ? "" : "s", lapic_timer_bus_hz(),
	        HZ);
}

/*
 * An AP's first C, from boot/ap_start.S: on its idle thread's stack, the
 * kernel's page tables loaded, interrupts off.  The same per-CPU setup as
 * the boot CPU's in kmain, then it is online and idles; the scheduler
 * takes it from there.
 */
void ap_main(struct cpu *c)
{
	gdt_init(c);
	trap_cpu_init();
	trap_init_double_fault();
	paging_cpu_init();
	fpu_cpu_init();
	cpu_protection_enable();
	lapic_enable(false);
	lapic_timer_start(HZ);
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	__atomic_fetch_add(&ncpus_online, 1, __ATOMIC_ACQ_REL);
	thread_idle_loop();
}

void smp_print(void)
{
	unsigned n = smp_ncpus();

	kprintf("cpu  apic  thread               ticks  switches  interrupts  "
	        "shootdowns\n");
	for (unsigned i = 0; i < n; i++) {
		const struct cpu *c = &cpus[i];
		const struct thread *t = __atomic_load_n(&c->thread,
		                                         __ATOMIC_RELAXED);
		uint64_t intr = 0;

		for (int k = 0; k < CPU_NINTR; k++)
			intr += c->intr_count[k];
		kprintf("%3u  %4u  %-16s  %8llu  %8llu  %10llu  %10llu\n", i,
		        c->apic_id, t->name, (unsigned long long)c->ticks,
		        (unsigned long long)c->switches,
		        (unsigned long long)intr,
		        (unsigned long long)c->shootdowns);
	}
	kprintf("%u CPU%s; scheduler ticks from the %s\n", n,
	        n == 1 ? "" : "s", lapic_ticks ? "local APIC timers" : "PIT");
}
