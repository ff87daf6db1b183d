# tests/bench/bench.mk - host benchmarks; see tests/bench/bench_alloc.c.
#
# Optimised like the kernel and without sanitizers, which would measure
# themselves.  Included from the top-level Makefile, which defines B and
# HOSTCC; BENCHES lists the programs for a `bench` target to run.
BENCHES += bench_alloc
BENCH_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -I.

$(B)/bench/bench_alloc: tests/bench/bench_alloc.c mm/pool.c mm/vmem.c \
    mm/pool.h mm/vmem.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(BENCH_CFLAGS) -o $@ $(filter %.c,$^)

BENCHES += bench_buddy
$(B)/bench/bench_buddy: tests/bench/bench_buddy.c mm/buddy.c mm/buddy.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(BENCH_CFLAGS) -o $@ $(filter %.c,$^)
