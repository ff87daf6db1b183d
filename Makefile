# Kiva - a bootable i386 PAE teaching kernel.
#
#   make            build build/kernel.elf
#   make iso        build build/kernel.iso (GRUB, serial console)
#   make qemu       boot the ISO with the serial console on this terminal
#   make test       host unit tests, QEMU boot tests, in-kernel tests, GDB
#   make help       every target and variable
#
# Everything is built out of tree in build/.  Missing Debian packages are
# installed first by tests/boot/deps.sh (it says what it installs).

CROSS    ?= i686-linux-gnu-
CC       := $(CROSS)gcc
LD       := $(CROSS)ld
NM       := $(CROSS)nm
OBJCOPY  := $(CROSS)objcopy
HOSTCC   ?= cc
QEMU     ?= qemu-system-i386
GDB      ?= gdb

B        := build
MEM      ?= 128M
CPU      ?= max
MACHINE  ?= pc
CMDLINE  ?=
# One GDB port per user, so that several students can share a machine.
GDBPORT  ?= $(shell expr 26000 + `id -u` % 5000)

CFLAGS   := -std=gnu11 -O2 -g -Wall -Wextra -ffreestanding -fno-pie -fno-pic \
            -fno-stack-protector -mgeneral-regs-only -fno-omit-frame-pointer \
            -fno-strict-aliasing -fno-asynchronous-unwind-tables -m32 -march=i686 \
            -nostdinc -isystem kernel/lib/include -I. -MMD -MP
ASFLAGS  := -m32 -g -I. -MMD -MP -D__ASSEMBLY__
LDFLAGS  := -m elf_i386 -T linker.ld -nostdlib --no-warn-rwx-segments

HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -I. -fno-omit-frame-pointer \
               -fsanitize=address,undefined -fno-sanitize-recover=all

KDIRS := boot kernel kernel/cpu kernel/lib kernel/thread kernel/proc kernel/debug \
         mm drivers tests/kernel
KSRCS := $(foreach d,$(KDIRS),$(wildcard $(d)/*.S $(d)/*.c))
KOBJS := $(patsubst %,$(B)/%.o,$(basename $(KSRCS)))

# User programs (tests/user): boot modules, found by name by the kernel.
include tests/user/user.mk
comma := ,
empty :=
space := $(empty) $(empty)
INITRD := $(subst $(space),$(comma),$(USER_ELFS))

QEMU_BASE := $(QEMU) -accel tcg -m $(MEM) -cpu $(CPU) -M $(MACHINE) \
             -device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot

.PHONY: all iso qemu qemu-nox qemu-kernel qemu-gdb gdb test host-tests \
        kernel-deps deps clean help bench sweep
all: kernel-deps $(B)/kernel.elf $(USER_ELFS)

deps:
	@sh tests/boot/deps.sh all
kernel-deps:
	@sh tests/boot/deps.sh build

$(B)/%.o: %.c | kernel-deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@
$(B)/%.o: %.S | kernel-deps
	@mkdir -p $(dir $@)
	$(CC) $(ASFLAGS) -c $< -o $@

# The kernel carries its own symbol table for panic backtraces.  Pass 1
# links with an empty table; kernel/debug/ksyms-gen.sh turns its function symbols
# into build/ksyms.S; pass 2 links that in.  The table sits after .data
# (see linker.ld), so no function moves between the passes: the check below
# regenerates the table from the final image and insists it is the same.
$(B)/ksyms-empty.S:
	@mkdir -p $(B)
	sh kernel/debug/ksyms-gen.sh < /dev/null > $@
$(B)/kernel.pass1.elf: $(KOBJS) $(B)/ksyms-empty.o linker.ld
	$(LD) $(LDFLAGS) -o $@ $(KOBJS) $(B)/ksyms-empty.o 
$(B)/ksyms.S: $(B)/kernel.pass1.elf kernel/debug/ksyms-gen.sh
	$(NM) -n $< | sh kernel/debug/ksyms-gen.sh > $@
$(B)/kernel.elf: $(KOBJS) $(B)/ksyms.o linker.ld
	$(LD) $(LDFLAGS) -o $@ $(KOBJS) $(B)/ksyms.o 
	$(NM) -n $@ | sh kernel/debug/ksyms-gen.sh | cmp -s - $(B)/ksyms.S || \
	  { echo "ksyms: function addresses moved between link passes"; rm -f $@; exit 1; }

iso: deps all $(B)/kernel.iso

# make_iso OUTPUT,COMMAND-LINE: a GRUB rescue ISO booting kernel.elf with
# every user program as a module.
GRUB_MODULES := $(foreach p,$(USER_PROGS),\tmodule /boot/$(p).elf $(p)\n)
define make_iso
	@rm -rf $@.dir && mkdir -p $@.dir/boot/grub
	cp $(B)/kernel.elf $(USER_ELFS) $@.dir/boot/
	sed -e 's|@CMDLINE@|$(2)|' -e 's|@MODULES@|$(GRUB_MODULES)|' \
	  boot/grub.cfg > $@.dir/boot/grub/grub.cfg
	grub-mkrescue -o $@ $@.dir 2> $@.log || { cat $@.log; exit 1; }
endef

$(B)/kernel.iso: $(B)/kernel.elf $(USER_ELFS) boot/grub.cfg $(B)/cmdline.stamp
	$(call make_iso,$@,$(CMDLINE))
# The ISO the tests boot: same kernel, `test` on its command line.
$(B)/test.iso: $(B)/kernel.elf $(USER_ELFS) boot/grub.cfg
	$(call make_iso,$@,test)
# The command line is baked into grub.cfg: rebuild the ISO when it changes.
$(B)/cmdline.stamp: FORCE
	@mkdir -p $(B)
	@echo '$(CMDLINE)' | cmp -s - $@ || echo '$(CMDLINE)' > $@
FORCE:

# A VGA window only when there is a display to put it on.
DISPLAY_OPT = $(if $(DISPLAY)$(WAYLAND_DISPLAY),,-display none)

qemu: deps iso
	$(QEMU_BASE) -cdrom $(B)/kernel.iso -serial mon:stdio $(DISPLAY_OPT)
qemu-nox: deps iso
	$(QEMU_BASE) -cdrom $(B)/kernel.iso -nographic
qemu-kernel: deps all
	$(QEMU_BASE) -kernel $(B)/kernel.elf -initrd '$(INITRD)' \
	  -append '$(CMDLINE)' -nographic
qemu-gdb: deps all
	@echo "*** QEMU is stopped before the first instruction, waiting for GDB."
	@echo "*** In another terminal, in this folder: make gdb"
	@echo "***   (or: $(GDB) -x tests/gdb/kiva.gdb -ex 'target remote :$(GDBPORT)')"
	$(QEMU_BASE) -kernel $(B)/kernel.elf -initrd '$(INITRD)' \
	  -append '$(CMDLINE)' -nographic -S -gdb tcp::$(GDBPORT)
gdb: deps
	$(GDB) -q -x tests/gdb/kiva.gdb -ex 'target remote :$(GDBPORT)'

# ---------------------------------------------------------------- host tests
HOST_TESTS :=
include $(wildcard tests/host/*.mk)
HOST_BINS := $(addprefix $(B)/host/,$(HOST_TESTS))

# One compiler run per test program, so its .d file would only list the
# last source's headers: depend on every project header instead.
HOST_HEADERS := $(foreach d,kernel $(wildcard kernel/*/) mm tests/host,$(wildcard $(d)/*.h))
define host_test_rule
$(B)/host/$(1): $$($(1)_SRCS) tests/host/host_support.c $$(HOST_HEADERS)
	@mkdir -p $$(dir $$@)
	$$(HOSTCC) $$(HOST_CFLAGS) $$($(1)_CFLAGS) -o $$@ $$(filter %.c,$$^) \
	  -lcmocka $$($(1)_LIBS)
endef
$(foreach t,$(HOST_TESTS),$(eval $(call host_test_rule,$(t))))

host-tests: $(HOST_BINS)

# ---------------------------------------------------------------- benchmarks
# Host builds of the allocator code, -O2, no sanitizers; every figure is
# printed as a ratio against a baseline run in the same process.
BENCHES :=
include tests/bench/bench.mk
bench: deps all $(addprefix $(B)/bench/,$(BENCHES))
	@for b in $(addprefix $(B)/bench/,$(BENCHES)); do echo "== $$b"; $$b || exit 1; done
	@echo "== in QEMU (indicative: TCG emulates the TSC)"
	@timeout 120 $(QEMU_BASE) -kernel $(B)/kernel.elf -display none -serial stdio \
	  -append 'test=kmalloc_cycles' | sed -n '/^kmalloc\/kfree pair/,/^ktest: kmalloc_cycles/p' | \
	  grep -v '^ktest:'; true

test: deps all iso $(B)/test.iso host-tests
	@bash tests/run.sh $(HOST_BINS)

# Every N of the fault-injection sweep (make test runs a sample of ten).
sweep: deps all
	@bash tests/boot/sweep.sh all

help:
	@sed -n '2,12p' Makefile | sed 's/^# \{0,1\}//'
	@echo "Variables: MEM=$(MEM) CPU=$(CPU) MACHINE=$(MACHINE) CMDLINE='...' GDBPORT=$(GDBPORT)"

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
