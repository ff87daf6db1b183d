/*
 * tests/bench/host/kernel/cpu/percpu.h - curthread for the host build of
 * kmalloc (tests/bench/bench.mk puts this folder before the tree's).  In
 * the kernel it is the running CPU's record, found through %fs, which a
 * host process cannot set; here it is a plain variable that
 * tests/bench/kmem_host.c points at the benchmark's one struct thread.
 * What mm/kmem.c calls per CPU is kernel/cpu/smp.h's, which
 * kmem_host.c answers.
 */
#ifndef KIVA_KERNEL_CPU_PERCPU_H
#define KIVA_KERNEL_CPU_PERCPU_H

#include "kernel/cpu/smp.h"
#include "kernel/lib/types.h"

struct thread;

extern struct thread *curthread;

#endif
