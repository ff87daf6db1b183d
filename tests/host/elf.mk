# ELF32 executable checking (kernel/elf.c): header rules, truncation,
# and random mutations under AddressSanitizer.
HOST_TESTS += test_elf
test_elf_SRCS := tests/host/test_elf.c kernel/elf.c
