# Host unit tests of the machine-independent allocator cores:
# the vmem arena (kernel_map, kmem_map), the object pools and the
# per-CPU magazines in front of them.
HOST_TESTS += test_vmem
test_vmem_SRCS := tests/host/test_vmem.c mm/vmem.c
HOST_TESTS += test_pool
test_pool_SRCS := tests/host/test_pool.c mm/pool.c
HOST_TESTS += test_magazine
test_magazine_SRCS := tests/host/test_magazine.c mm/magazine.c
