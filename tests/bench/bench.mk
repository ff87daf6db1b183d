# tests/bench/bench.mk - host benchmarks; see tests/bench/bench_alloc.c.
#
# Optimised like the kernel and without sanitizers, which would measure
# themselves.  Not vectorised either, as the kernel is not (its
# -mgeneral-regs-only): the host compiler would otherwise merge kmalloc's
# two 8-byte statistics updates into one 16-byte load and store, and that
# load cannot take its data from the previous kfree's 8-byte store still
# in the store buffer, so the pair's time would jump between runs by half
# as much again.  Included from the top-level Makefile, which defines B and
# HOSTCC; BENCHES lists the programs for a `bench` target to run.
BENCHES += bench_alloc
BENCH_CFLAGS := -std=gnu11 -O2 -fno-tree-vectorize -g -Wall -Wextra -I.
# kassert_fail() and kprintf() for the kernel code, and the timing, in
# every benchmark.
BENCH_SUPPORT := tests/bench/bench_support.c tests/bench/bench_measure.c \
    tests/bench/bench_measure.h kernel/lib/kassert.h kernel/lib/kprintf.h

$(B)/bench/bench_alloc: tests/bench/bench_alloc.c $(BENCH_SUPPORT) \
    mm/pool.c mm/vmem.c mm/pool.h mm/vmem.h tests/host/test_rng.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(BENCH_CFLAGS) -o $@ $(filter %.c,$^)

BENCHES += bench_buddy
$(B)/bench/bench_buddy: tests/bench/bench_buddy.c $(BENCH_SUPPORT) \
    mm/buddy.c mm/buddy.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(BENCH_CFLAGS) -o $@ $(filter %.c,$^)

# The real kmalloc: mm/kmem.c and what it calls in mm/, unchanged, over
# tests/bench/kmem_host.c; tests/bench/host/ comes first in the include
# path for its kernel/cpu/cpu.h (the interrupt flag) and percpu.h
# (curthread).  trap.h's
# trapframe_esp() casts a pointer to 32 bits, which only i386 means.
BENCHES += bench_kmalloc
BENCH_KMEM := mm/kmem.c mm/kmem_allocator.c mm/kmem_debug.c mm/pool.c \
    mm/vmem.c mm/magazine.c mm/failinject.c kernel/lib/cmdline.c
$(B)/bench/bench_kmalloc: tests/bench/bench_kmalloc.c tests/bench/kmem_host.c \
    tests/bench/kmem_host.h tests/bench/host/kernel/cpu/cpu.h \
    tests/bench/host/kernel/cpu/percpu.h \
    $(BENCH_SUPPORT) $(BENCH_KMEM) $(wildcard mm/*.h kernel/*/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) -Itests/bench/host $(BENCH_CFLAGS) -Wno-pointer-to-int-cast \
	  -o $@ $(filter %.c,$^)
