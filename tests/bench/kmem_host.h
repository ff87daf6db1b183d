/*
 * tests/bench/kmem_host.h - kmalloc on the host (tests/bench/kmem_host.c).
 */
#ifndef KIVA_TESTS_BENCH_KMEM_HOST_H
#define KIVA_TESTS_BENCH_KMEM_HOST_H

#include "kernel/lib/types.h"

/*
 * Sets up host memory for kmem_map (8 MiB) and kernel_map (64 MiB) and
 * their frames, and kmem_init()s over them, with or without magazines.
 */
void kmem_host_init(bool magazines);

#endif
