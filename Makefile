# Kiva - a bootable i386 PAE teaching kernel.
#
# `make help` lists every target and variable, from the `##` comments in
# this file.  Everything is built out of tree, in build/ (and build/llvm/
# for TOOLCHAIN=llvm).  Missing Debian/Ubuntu packages are installed first
# by tools/deps.sh, which says what it installs.

# Plain `make` is `make all`, whatever the included makefiles define first.
.DEFAULT_GOAL := all

# The variables a user sets (make VAR=value ...); `make help` shows the
# `## NAME:` lines.  (A comment on the assignment line itself would leave
# the blanks before it in the value.)
## TOOLCHAIN: gcc (the i686-linux-gnu cross compiler, default) or llvm (clang, ld.lld)
TOOLCHAIN ?= gcc
## DEBUG: 1 builds with -Og, so that GDB shows arguments and locals (default -O2)
DEBUG ?=
## MEM: RAM for QEMU (default 128M)
MEM ?= 128M
## CPU: QEMU CPU model: max (default), qemu32, pentium3; pentium and 486 lack PAE
CPU ?= max
## MACHINE: QEMU machine: pc (default) or q35
MACHINE ?= pc
## CMDLINE: the kernel command line, e.g. CMDLINE='test kmem_map=8M' (README: Boot options)
CMDLINE ?=
## WORKLOAD: what make sweep sweeps: boot, usertests, fdbomb, fdbombs, memhog or burst (default: all)
WORKLOAD ?=
## SOAK_SECONDS: how long make soak runs (default 600)
SOAK_SECONDS ?= 600
## SCENARIO: what make plot boots: fdbombs (default), memhog, workload or fdbombs2003 (docs/plots.md)
SCENARIO ?= fdbombs
## PYTHON: a Python 3 with matplotlib, for make plot and the tests (default Debian's /usr/bin/python3)
PYTHON ?= /usr/bin/python3
## GDBPORT: the port of qemu-gdb's GDB stub (default 26000 + uid % 5000, one per user)
GDBPORT ?= $(shell expr 26000 + `id -u` % 5000)
## LAB: the lab for make handout and make grade (1-6; labs/README.md)
LAB ?=
## DIR: where make handout writes the student tree (a new folder)
DIR ?=
## EXTRA: make grade EXTRA=folder adds an instructor's hidden tests (labs/README.md)
EXTRA ?=
## QEMU: the QEMU binary (default qemu-system-i386)
QEMU ?= qemu-system-i386
GDB ?= gdb
HOSTCC ?= cc

# Each kind of build has a folder of its own, so that none reuses another's
# objects: build/ (gcc, -O2), build/debug/, build/llvm/, build/llvm/debug/.
ifeq ($(TOOLCHAIN),gcc)
CROSS   := i686-linux-gnu-
CC      := $(CROSS)gcc
LD      := $(CROSS)ld
NM      := $(CROSS)nm
LINES_DUMP   := $(CROSS)objdump --wide --dwarf=decodedline
LINES_FORMAT := gnu
B       := build
TARGET_CFLAGS := -m32
NO_SHRINK_WRAP := -fno-shrink-wrap
LD_WARNINGS   := --no-warn-rwx-segments
else ifeq ($(TOOLCHAIN),llvm)
CC      := clang --target=i686-unknown-none-elf
LD      := ld.lld
NM      := llvm-nm
LINES_DUMP   := llvm-dwarfdump --debug-line
LINES_FORMAT := llvm
B       := build/llvm
TARGET_CFLAGS :=
NO_SHRINK_WRAP := -mllvm -enable-shrink-wrap=false
LD_WARNINGS   :=
else
$(error TOOLCHAIN must be gcc or llvm, not '$(TOOLCHAIN)')
endif
ifneq ($(DEBUG),)
B       := $(B)/debug
endif
# make grade EXTRA=dir links an instructor's hidden in-kernel tests into a
# kernel of its own, in build/extra/ (tools/grade.py).
EXTRA_KTESTS ?=
ifneq ($(EXTRA_KTESTS),)
B       := $(B)/extra
endif

OPT := $(if $(DEBUG),-Og,-O2)
# Freestanding: no C library, and no header but Kiva's own (-nostdinc;
# kernel/lib/include/stdint.h says why).  -mgeneral-regs-only: the kernel
# never touches the x87/SSE registers, which belong to processes
# (kernel/cpu/fpu.h).  Frame pointers, and no shrink-wrapping, for the
# panic backtrace (kernel/debug/panic.c): every function that has a frame
# sets it up in its first instructions, rather than after an early return
# path, so the interrupted eip alone tells whether the frame is linked yet.
CFLAGS   := -std=gnu11 $(OPT) -g -Wall -Wextra -ffreestanding -fno-pie -fno-pic \
            -fno-stack-protector -mgeneral-regs-only -fno-omit-frame-pointer \
            $(NO_SHRINK_WRAP) -fno-strict-aliasing -fno-asynchronous-unwind-tables \
            $(TARGET_CFLAGS) -march=i686 -nostdinc -isystem kernel/lib/include \
            -I. -MMD -MP
ASFLAGS  := $(TARGET_CFLAGS) -march=i686 -g -I. -MMD -MP -D__ASSEMBLY__
LDFLAGS  := -m elf_i386 -T $(B)/linker.ld -nostdlib $(LD_WARNINGS)

HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -I. -fno-omit-frame-pointer \
               -fsanitize=address,undefined -fno-sanitize-recover=all

KDIRS := boot kernel kernel/cpu kernel/lib kernel/thread kernel/proc kernel/debug \
         mm drivers tests/kernel
KSRCS := $(foreach d,$(KDIRS),$(wildcard $(d)/*.S $(d)/*.c)) $(EXTRA_KTESTS)
KOBJS := $(patsubst %,$(B)/%.o,$(basename $(KSRCS)))

# User programs (tests/user): boot modules, found by name by the kernel.
include tests/user/user.mk
comma := ,
empty :=
space := $(empty) $(empty)
INITRD := $(subst $(space),$(comma),$(USER_ELFS))

# The interactive runs: QEMU as the README describes it.  `reboot` resets
# the machine; only the tests add -no-reboot (tests/boot/lib.sh), so that a
# reset there ends the run.  isa-debug-exit lets the `test` option end QEMU
# with a status (kernel/debug/ktest.h).
QEMU_BASE := $(QEMU) -accel tcg -m $(MEM) -cpu $(CPU) -M $(MACHINE) \
             -device isa-debug-exit,iobase=0xf4,iosize=0x04

.PHONY: all iso qemu qemu-nox qemu-kernel qemu-gdb gdb test host-tests llvm debug \
        deps run-deps toolchain clean help bench sweep soak plot handout handin grade
all: toolchain $(B)/kernel.elf $(USER_ELFS)	## build the kernel and the user programs

# What each target needs installed (tools/deps.sh says what it installs).
toolchain:
	@sh tools/deps.sh $(TOOLCHAIN)
run-deps:
	@sh tools/deps.sh $(TOOLCHAIN) run
deps:	## install every package make test uses (Debian/Ubuntu)
	@sh tools/deps.sh all

$(B)/%.o: %.c | toolchain
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@
$(B)/%.o: %.S | toolchain
	@mkdir -p $(dir $@)
	$(CC) $(ASFLAGS) -c $< -o $@

# linker.ld takes KERNBASE from mm/kva.h, through the C preprocessor
# (-undef: no predefined macros, or "i386" in OUTPUT_ARCH would become 1).
$(B)/linker.ld: linker.ld mm/kva.h Makefile | toolchain
	@mkdir -p $(B)
	$(CC) -E -P -undef -x assembler-with-cpp -D__ASSEMBLY__ -I. linker.ld -o $@

# The kernel carries its own symbol and line tables for panic backtraces.
# Pass 1 links with empty tables; kernel/debug/ksyms-gen.sh turns its
# function symbols into build/ksyms.S, and kernel/debug/klines-gen.sh its
# DWARF line table (read with the toolchain's own tool) into
# build/klines.S; pass 2 links those in.  The tables sit after .data (see
# linker.ld), so no code moves between the passes: the check below
# regenerates both from the final image and insists they are the same.
$(B)/ksyms-empty.S:
	@mkdir -p $(B)
	sh kernel/debug/ksyms-gen.sh < /dev/null > $@
$(B)/klines-empty.S:
	@mkdir -p $(B)
	sh kernel/debug/klines-gen.sh $(LINES_FORMAT) < /dev/null > $@
$(B)/kernel.pass1.elf: $(KOBJS) $(B)/ksyms-empty.o $(B)/klines-empty.o $(B)/linker.ld
	$(LD) $(LDFLAGS) -o $@ $(KOBJS) $(B)/ksyms-empty.o $(B)/klines-empty.o
$(B)/ksyms.S: $(B)/kernel.pass1.elf kernel/debug/ksyms-gen.sh
	$(NM) -n $< | sh kernel/debug/ksyms-gen.sh > $@
$(B)/klines.S: $(B)/kernel.pass1.elf kernel/debug/klines-gen.sh
	$(LINES_DUMP) $< | sh kernel/debug/klines-gen.sh $(LINES_FORMAT) > $@
$(B)/kernel.elf: $(KOBJS) $(B)/ksyms.o $(B)/klines.o $(B)/linker.ld
	$(LD) $(LDFLAGS) -o $@ $(KOBJS) $(B)/ksyms.o $(B)/klines.o
	$(NM) -n $@ | sh kernel/debug/ksyms-gen.sh | cmp -s - $(B)/ksyms.S || \
	  { echo "ksyms: function addresses moved between link passes"; rm -f $@; exit 1; }
	$(LINES_DUMP) $@ | sh kernel/debug/klines-gen.sh $(LINES_FORMAT) | \
	  cmp -s - $(B)/klines.S || \
	  { echo "klines: code moved between link passes"; rm -f $@; exit 1; }

iso: run-deps all $(B)/kernel.iso	## build build/kernel.iso, a GRUB rescue ISO with the user programs

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

# run_qemu COMMAND: runs QEMU and turns its exit status into make's.  The
# `test` option ends QEMU through isa-debug-exit with 33 (every test
# passed) or 35 (some failed or the kernel panicked); poweroff gives 0.
define run_qemu
	@sh tools/qemu-check.sh $(QEMU)
	@$(1); status=$$?; case $$status in \
	  0) ;; \
	  33) echo "make: QEMU exit status 33: the kernel's tests passed" ;; \
	  35) echo "make: QEMU exit status 35: a test failed or the kernel panicked"; exit 1 ;; \
	  *) echo "make: QEMU exit status $$status"; exit $$status ;; \
	esac
endef

qemu: run-deps iso	## boot the ISO; serial console on this terminal (Ctrl-A x quits), VGA window if there is a display
	$(call run_qemu,$(QEMU_BASE) -cdrom $(B)/kernel.iso -serial mon:stdio $(DISPLAY_OPT))
qemu-nox: run-deps iso	## boot the ISO with no window at all
	$(call run_qemu,$(QEMU_BASE) -cdrom $(B)/kernel.iso -nographic)
qemu-kernel: run-deps all	## boot build/kernel.elf directly with QEMU's -kernel (fastest)
	$(call run_qemu,$(QEMU_BASE) -kernel $(B)/kernel.elf -initrd '$(INITRD)' \
	  -append '$(CMDLINE)' -nographic)
qemu-gdb: run-deps all	## like qemu-kernel, stopped before the first instruction, GDB stub on GDBPORT
	@echo "*** QEMU is stopped before the first instruction, waiting for GDB."
	@echo "*** In another terminal, in this folder: make gdb"
	@echo "***   (or: $(GDB) -ex 'file $(B)/kernel.elf' -x tests/gdb/kiva.gdb -ex 'target remote :$(GDBPORT)')"
	$(call run_qemu,$(QEMU_BASE) -kernel $(B)/kernel.elf -initrd '$(INITRD)' \
	  -append '$(CMDLINE)' -nographic -S -gdb tcp::$(GDBPORT))
gdb: run-deps	## GDB with tests/gdb/kiva.gdb, attached to a running make qemu-gdb
	@bash -c '</dev/tcp/127.0.0.1/$(GDBPORT)' 2>/dev/null || { \
	  echo "make gdb: nothing listens on port $(GDBPORT)."; \
	  echo "  Start the kernel under QEMU first, in another terminal in this folder:"; \
	  echo "    make qemu-gdb"; \
	  echo "  then run make gdb again (same user, same GDBPORT)."; exit 1; }
	$(GDB) -q -ex 'file $(B)/kernel.elf' -x tests/gdb/kiva.gdb \
	  -ex 'target remote :$(GDBPORT)'

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

host-tests: $(HOST_BINS)	## build the host unit tests only (build/host/)

# ---------------------------------------------------------------- benchmarks
# Host builds of the allocator code, -O2, no sanitizers; every figure is
# printed as a ratio against a baseline run in the same process.
BENCHES :=
include tests/bench/bench.mk
bench: deps all $(addprefix $(B)/bench/,$(BENCHES))	## allocator benchmarks on the host, and kmalloc cycles in QEMU
	@for b in $(addprefix $(B)/bench/,$(BENCHES)); do echo "== $$b"; $$b || exit 1; done
	@echo "== in QEMU (indicative: TCG emulates the TSC)"
	@sh tools/qemu-check.sh $(QEMU)
	@for m in on off; do echo "-- magazines=$$m"; \
	  timeout 120 $(QEMU_BASE) -no-reboot -kernel $(B)/kernel.elf -display none \
	  -serial stdio -append "test=kmalloc_cycles magazines=$$m" | \
	  sed -n '/^kmalloc\/kfree pair/,/^ktest: kmalloc_cycles/p' | grep -v '^ktest:'; \
	  done; true

# The same kernel built with LLVM (build/llvm/) and with DEBUG=1
# (build/debug/), which make test boots too.
llvm:	## build the kernel and user programs with TOOLCHAIN=llvm as well
	@$(MAKE) --no-print-directory TOOLCHAIN=llvm all
debug:	## build the kernel and user programs with DEBUG=1 as well
	@$(MAKE) --no-print-directory DEBUG=1 all

test: deps all iso $(B)/test.iso host-tests llvm debug	## every test: host unit tests, boots, in-kernel tests, boot matrix, GDB; ends "N passed, N failed"
	@sh tools/qemu-check.sh $(QEMU)
	@KIVA_BUILD=$(B) PYTHON=$(PYTHON) bash tests/run.sh $(HOST_BINS)

sweep: deps all	## the whole fault-injection sweep: a boot per N with fail=nth:N, per workload (WORKLOAD=); make test runs a sample
	@KIVA_BUILD=$(B) bash tests/boot/sweep.sh all $(WORKLOAD)

soak: deps all	## random:P:SEED boots over every workload for SOAK_SECONDS, each seed printed for replaying
	@KIVA_BUILD=$(B) bash tests/boot/sweep.sh soak $(SOAK_SECONDS)

# The allocators over time: tools/plot-scenario.sh boots SCENARIO with the
# kmemtrace option and plots its trace (tools/plot_kmemtrace.py); the
# plots in docs/plots/ were made this way.
plot: deps all	## boot SCENARIO with kmemtrace on, plot kmalloc's figures over time into build/plots/ (docs/plots.md)
	@sh tools/qemu-check.sh $(QEMU)
	@KIVA_BUILD=$(B) PYTHON=$(PYTHON) bash tools/plot-scenario.sh $(SCENARIO)

# ---------------------------------------------------------------- labs
# labs/README.md says how to hand out, collect and grade.
handout:	## write lab LAB's student tree to DIR: a git repository of one commit
	@python3 tools/handout.py --lab '$(LAB)' --out '$(DIR)'
handin:	## pack what you committed (git archive) into build/handin-labN.tar.gz
	@sh tools/handin.sh
grade: deps	## run lab LAB's graded tests: one line each, Score: N/M, build/grade-labLAB.json
	@python3 tools/grade.py --lab '$(LAB)' $(if $(EXTRA),--extra '$(EXTRA)')

# `make print-VAR` prints a variable (tools/grade.py asks for HOST_CFLAGS).
print-%:
	@echo '$($*)'

help:	## this list
	@echo "Targets:"
	@sed -n 's/^\([a-z][a-z-]*\):[^#]*## \(.*\)/\1\t\2/p' Makefile | \
	  awk -F '\t' '{ printf "  make %-12s %s\n", $$1, $$2 }'
	@echo "Variables (make VAR=value TARGET):"
	@sed -n 's/^## \([A-Z]*\): \(.*\)/\1\t\2/p' Makefile | \
	  awk -F '\t' '{ printf "  %-10s %s\n", $$1, $$2 }'

clean:	## remove build/
	rm -rf build

# This build's dependency files, not those of the builds nested in it.
-include $(shell find $(B) -name '*.d' -not -path '$(B)/llvm/*' \
           -not -path '$(B)/debug/*' -not -path '$(B)/extra/*' \
           -not -path '$(B)/labs/*' 2>/dev/null)
