# ELF32 executable checking (kernel/proc/elf.c): header rules, truncation,
# and random mutations under AddressSanitizer.
HOST_TESTS += test_elf
test_elf_SRCS := tests/host/test_elf.c kernel/proc/elf.c
