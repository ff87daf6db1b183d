HOST_TESTS += test_memmap
test_memmap_SRCS := tests/host/test_memmap.c mm/memmap.c

HOST_TESTS += test_buddy
test_buddy_SRCS := tests/host/test_buddy.c mm/buddy.c
