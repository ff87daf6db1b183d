# Host unit tests of pure kernel logic: the printf-style formatter, 64-bit
# division, the intrusive list, the boot command line parser, the kernel VA
# layout, PAE page-table editing, the backtrace's address search and the
# kernel log's ring.
HOST_TESTS += test_fmt
test_fmt_SRCS := tests/host/test_fmt.c kernel/lib/fmt.c
HOST_TESTS += test_cmdline
test_cmdline_SRCS := tests/host/test_cmdline.c kernel/lib/cmdline.c
HOST_TESTS += test_kva
test_kva_SRCS := tests/host/test_kva.c mm/kva.c
HOST_TESTS += test_pagetable
test_pagetable_SRCS := tests/host/test_pagetable.c mm/pagetable.c
HOST_TESTS += test_div64
test_div64_SRCS := tests/host/test_div64.c kernel/lib/div64.c
HOST_TESTS += test_list
test_list_SRCS := tests/host/test_list.c
HOST_TESTS += test_lineedit
test_lineedit_SRCS := tests/host/test_lineedit.c kernel/lineedit.c
HOST_TESTS += test_addrtab
test_addrtab_SRCS := tests/host/test_addrtab.c kernel/debug/addrtab.c
HOST_TESTS += test_klog
test_klog_SRCS := tests/host/test_klog.c kernel/debug/klog.c
