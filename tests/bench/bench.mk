# tests/bench/bench.mk - host benchmarks; see tests/bench/bench_alloc.c.
#
# Optimised like the kernel and without sanitizers, which would measure
# themselves.  Included from the top-level Makefile, which defines B and
# HOSTCC; BENCHES lists the programs for a `bench` target to run.
BENCHES += bench_alloc
BENCH_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -I.
# kassert_fail() and kprintf() for the kernel code, in every benchmark.
BENCH_SUPPORT := tests/bench/bench_support.c kernel/lib/kassert.h \
    kernel/lib/kprintf.h

$(B)/bench/bench_alloc: tests/bench/bench_alloc.c $(BENCH_SUPPORT) \
    mm/pool.c mm/vmem.c mm/pool.h mm/vmem.h tests/host/test_rng.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(BENCH_CFLAGS) -o $@ $(filter %.c,$^)

BENCHES += bench_buddy
$(B)/bench/bench_buddy: tests/bench/bench_buddy.c $(BENCH_SUPPORT) \
    mm/buddy.c mm/buddy.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(BENCH_CFLAGS) -o $@ $(filter %.c,$^)
