# Host unit tests of the machine-independent allocator cores:
# the vmem arena (kernel_map, kmem_map) and the object pools.
HOST_TESTS += test_vmem
test_vmem_SRCS := tests/host/test_vmem.c mm/vmem.c
HOST_TESTS += test_pool
test_pool_SRCS := tests/host/test_pool.c mm/pool.c
