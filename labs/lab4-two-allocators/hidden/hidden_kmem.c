/*
 * labs/lab4-two-allocators/hidden/hidden_kmem.c - a hidden in-kernel test
 * (an example): M_NOINTR blocks of every size class, and larger, come
 * from kernel_map, the others from kmem_map, and kfree() takes each back
 * by its address alone.
 */
#include "kernel/debug/ktest.h"
#include "mm/kmem.h"
#include "mm/kva.h"

KTEST(hidden_nointr_sizes)
{
	static const size_t sizes[] = { 16, 48, 256, 1000, 4096, 12000, 70000 };

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		void *n = kmalloc(sizes[i], M_TEST, M_NOWAIT | M_NOINTR);
		void *k = kmalloc(sizes[i], M_TEST, M_NOWAIT);

		KEXPECT(t, n != NULL && kva_in(KVA_KERNEL_MAP, (vaddr_t)n));
		KEXPECT(t, k != NULL && kva_in(KVA_KMEM_MAP, (vaddr_t)k));
		KEXPECT(t, kmalloc_size(n) >= sizes[i]);
		kfree(n);
		kfree(k);
	}
}
