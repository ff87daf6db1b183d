# Host unit tests of the firmware-table parsers: ACPI's MADT and the Intel
# MP table (drivers/acpi.c, drivers/mptable.c, drivers/mpconfig.c).
HOST_TESTS += test_mpconfig
test_mpconfig_SRCS := tests/host/test_mpconfig.c drivers/acpi.c \
    drivers/mptable.c drivers/mpconfig.c
