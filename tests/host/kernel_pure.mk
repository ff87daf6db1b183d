# Host unit tests of pure kernel logic: the printf-style formatter, the
# boot command line parser, the kernel VA layout and PAE page-table editing.
HOST_TESTS += test_fmt
test_fmt_SRCS := tests/host/test_fmt.c kernel/fmt.c
HOST_TESTS += test_cmdline
test_cmdline_SRCS := tests/host/test_cmdline.c kernel/cmdline.c
HOST_TESTS += test_kva
test_kva_SRCS := tests/host/test_kva.c mm/kva.c
HOST_TESTS += test_pagetable
test_pagetable_SRCS := tests/host/test_pagetable.c mm/pagetable.c
