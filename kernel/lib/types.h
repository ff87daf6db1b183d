/*
 * kernel/lib/types.h - the few integer types every subsystem shares.
 *
 * With PAE a physical address is wider than a pointer (Intel SDM Vol. 3A,
 * 4.4: up to MAXPHYADDR bits, at least 36), so physical addresses are always
 * 64-bit and never stored in a pointer.  A frame number fits 32 bits up to
 * 16 TiB of RAM.  This header is freestanding, so it compiles in the kernel
 * and in the host unit tests alike.
 */
#ifndef KIVA_KERNEL_LIB_TYPES_H
#define KIVA_KERNEL_LIB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;   /* physical address (PAE: up to 52 bits)      */
typedef uintptr_t vaddr_t;  /* kernel or user virtual address             */
typedef uint32_t pfn_t;     /* physical frame number: paddr >> PAGE_SHIFT */

#define PAGE_SHIFT 12
#define PAGE_SIZE (1u << PAGE_SHIFT)
#define PAGE_MASK (PAGE_SIZE - 1)

#define ROUND_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ROUND_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

#endif
