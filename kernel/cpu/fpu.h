/*
 * kernel/cpu/fpu.h - each process's x87 and SSE registers.
 *
 * User code may use the x87 unit, and SSE where the CPU has it, so those
 * registers are part of a process's state like EAX is: a process must
 * never see another's (nor what the kernel ran before it).  The kernel
 * itself never touches them: it is compiled with -mgeneral-regs-only.
 *
 * The scheme is eager: every thread switch saves the outgoing thread's
 * registers when it runs a process, and loads the incoming one's
 * (kernel/thread/sched.c).  The lazy alternative, leaving CR0.TS set and
 * switching only at the first #NM fault, saves a few hundred cycles on a
 * switch to a process that does not compute, but it leaves the previous
 * owner's values in the registers meanwhile, and LazyFP (CVE-2018-3665)
 * showed that speculative execution reads them anyway.  Eager switching
 * also needs no fault handler and no notion of an "owner".
 *
 * With FXSR (every CPU since the Pentium II) the state is FXSAVE's 512-byte
 * image, x87 and SSE together (SDM Vol. 1, 10.5.1), and SSE is enabled for
 * user code; without it, FNSAVE's 108-byte image of the x87 alone (SDM
 * Vol. 1, 8.1.10).
 */
#ifndef KIVA_KERNEL_CPU_FPU_H
#define KIVA_KERNEL_CPU_FPU_H

#include "kernel/lib/types.h"

#define FPU_STATE_BYTES 512	/* FXSAVE's image; FNSAVE's fits too */

struct fpu_state {
	uint8_t image[FPU_STATE_BYTES];
} __attribute__((aligned(16)));	/* FXSAVE's operand must be */

/*
 * Sets CR0 and CR4 for a kernel that switches the registers eagerly, and
 * builds the image every process starts from.  Call after
 * cpu_features_detect().
 */
void fpu_init(void);
/* Only the CR0 and CR4 part, on another CPU (kernel/cpu/smp.c). */
void fpu_cpu_init(void);

/* The registers of a new process: as after FNINIT (and SSE's reset). */
void fpu_state_init(struct fpu_state *s);

/* Saves the registers into s; loads them from s. */
void fpu_save(struct fpu_state *s);
void fpu_restore(const struct fpu_state *s);

/* "FXSAVE (x87 and SSE)" or "FNSAVE (x87)": for the boot log and help. */
const char *fpu_scheme(void);

#endif
