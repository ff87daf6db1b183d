# Host unit tests of the file-descriptor table (kernel/proc/fdtable.c): lowest
# free descriptor, growth by doubling through a counting allocator, limits,
# failure atomicity, the fdbomb of NetBSD PR kern/14721, a random model.
HOST_TESTS += test_fdtable
test_fdtable_SRCS := tests/host/test_fdtable.c kernel/proc/fdtable.c
