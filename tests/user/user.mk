# tests/user/user.mk - Kiva's user programs, build/user/NAME.elf.
#
# Included from the top-level Makefile, which defines CC, LD, B, OPT and
# TARGET_CFLAGS for the toolchain in use.
#
# Each program is one C file, tests/user/NAME.c, linked statically with
# the user library build/user/lib/*.o: crt0 (the entry point), the
# system-call stubs, ulib.c, utest.c (checks for test programs), and the
# kernel's own kernel/lib/fmt.c, kernel/lib/kstring.c and kernel/lib/div64.c
# (64-bit division) compiled a second time, for ring 3, into
# build/user/lib.  Like the kernel, the programs see only Kiva's
# freestanding headers (-nostdinc, see kernel/lib/include/stdint.h) and
# link with no library but their own.
# tests/user/user.ld lays each program out at 4 MiB in two segments (text
# R-X, data RW-).
#
# The flags are the kernel's, minus what only a kernel wants: programs are
# freestanding (no C library), not position-independent (the kernel loads
# each at the address it was linked for), use no SSE/x87 registers
# (-mgeneral-regs-only: the kernel need not save them) and no stack
# protector (there is no __stack_chk_guard).

USER_PROGS := fdbomb memhog usertests hello isolation spin
USER_ELFS  := $(patsubst %,$(B)/user/%.elf,$(USER_PROGS))

USER_LIB_OBJS := $(addprefix $(B)/user/lib/, \
                   crt0.o syscall.o ulib.o utest.o fmt.o kstring.o \
                   div64.o)
USER_PROG_OBJS := $(patsubst %,$(B)/user/%.o,$(USER_PROGS))

USER_CFLAGS  := -std=gnu11 $(OPT) -g -Wall -Wextra -ffreestanding -fno-pie \
                -fno-pic -fno-stack-protector -mgeneral-regs-only \
                -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
                $(TARGET_CFLAGS) -march=i686 -nostdinc -isystem kernel/lib/include \
                -I. -I tests/user/lib -MMD -MP
USER_ASFLAGS := $(TARGET_CFLAGS) -march=i686 -g -I. -I tests/user/lib \
                -D__ASSEMBLY__ -MMD -MP
USER_LDFLAGS := -m elf_i386 -T tests/user/user.ld -nostdlib \
                -z max-page-size=4096 --build-id=none

$(if $(B),,$(error tests/user/user.mk: include it from the Makefile))

.PHONY: user
user: $(USER_ELFS)

$(USER_ELFS): $(B)/user/%.elf: $(B)/user/%.o $(USER_LIB_OBJS) tests/user/user.ld
	$(LD) $(USER_LDFLAGS) -o $@ $(filter %.o,$^) 

$(USER_PROG_OBJS): $(B)/user/%.o: tests/user/%.c | toolchain
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(B)/user/lib/%.o: tests/user/lib/%.c | toolchain
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@
$(B)/user/lib/%.o: tests/user/lib/%.S | toolchain
	@mkdir -p $(dir $@)
	$(CC) $(USER_ASFLAGS) -c $< -o $@
# kernel/lib/fmt.c, kstring.c and div64.c, again, for user space.
$(B)/user/lib/%.o: kernel/lib/%.c | toolchain
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

-include $(wildcard $(B)/user/*.d $(B)/user/lib/*.d)
