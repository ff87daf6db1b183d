HOST_TESTS += test_failinject
test_failinject_SRCS := tests/host/test_failinject.c mm/failinject.c \
    kernel/lib/cmdline.c
