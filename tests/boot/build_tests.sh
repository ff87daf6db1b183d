# tests/boot/build_tests.sh - the other builds and the build's own
# promises (sourced by tests/run.sh): plain `make`, the LLVM kernel, the
# DEBUG=1 kernel under GDB, `make help` against the Makefile, and the QEMU
# version check.

# TOOLCHAIN=llvm: the same kernel from clang and ld.lld boots to the
# prompt, runs a user program, and passes every in-kernel test.
test_llvm_kernel() {
	local log=$LOGS/llvm-shell.log ok=0 kernel=build/llvm/kernel.elf
	local modules
	modules=$(ls build/llvm/user/*.elf 2>/dev/null | paste -sd, -)
	QEMU_INPUT="$(at_prompt "$log") printf 'run usertests\r';
		for i in \$(seq 300); do grep -aq '^usertests: [0-9]* passed' '$log' && break; sleep 0.1; done;
		printf 'poweroff\r'; sleep 2"
	QEMU_INITRD=$modules qemu "$log" 60 -m 128M -kernel "$kernel"
	expect "$log" 'kiva> ' || ok=1
	grep -aqE '^usertests: [0-9]+ passed, 0 failed' "$log" || ok=1
	expect "$log" 'panic' && ok=1
	[ "$qemu_status" -eq 0 ] || ok=1
	result $ok "build: the LLVM kernel (clang, ld.lld) boots to kiva> and runs usertests (status $qemu_status)"

	log=$LOGS/llvm-ktest.log
	QEMU_INITRD=$modules qemu "$log" 120 -m 256M -kernel "$kernel" -append test
	expect "$log" 'ktest: ' && expect "$log" ' 0 failed' && [ "$qemu_status" -eq 33 ]
	result $? "build: the LLVM kernel passes the in-kernel tests: $(grep -ao 'ktest: [0-9]* passed, [0-9]* failed' "$log" | tail -n 1) (status $qemu_status)"
}

# DEBUG=1 (-Og): every in-kernel test passes, and in GDB kmain's
# arguments are still there after a `next` (at -O2 they are optimized out).
test_debug_kernel() {
	local log=$LOGS/debug-ktest.log kernel=build/debug/kernel.elf ok=0
	local modules port qpid
	modules=$(ls build/debug/user/*.elf 2>/dev/null | paste -sd, -)
	QEMU_INITRD=$modules qemu "$log" 150 -m 256M -kernel "$kernel" -append test
	expect "$log" 'ktest: ' && expect "$log" ' 0 failed' && [ "$qemu_status" -eq 33 ]
	result $? "build: the DEBUG=1 kernel passes the in-kernel tests: $(grep -ao 'ktest: [0-9]* passed, [0-9]* failed' "$log" | tail -n 1) (status $qemu_status)"

	log=$LOGS/debug-gdb.log
	port=$((29000 + RANDOM % 2000))
	timeout 60 qemu-system-i386 -accel tcg -m 64M -display none \
		-serial file:"$LOGS/debug-gdb-qemu.log" -no-reboot -kernel "$kernel" \
		-S -gdb tcp:127.0.0.1:$port 2>/dev/null &
	qpid=$!
	for _ in $(seq 100); do
		(exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
		sleep 0.1
	done
	timeout 50 gdb -q -batch -nx -ex "file $kernel" -x tests/gdb/kiva.gdb \
		-ex "target remote 127.0.0.1:$port" -ex 'break kmain' \
		-ex 'continue' -ex 'next' -ex 'next' -ex 'info args' -ex 'kill' \
		> "$log" 2>&1
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	grep -aq 'magic = 732803074' "$log" || ok=1	# 0x2badb002 (Multiboot)
	expect "$log" 'optimized out' && ok=1
	result $ok "build: DEBUG=1: in GDB, kmain's arguments survive two nexts (info args: $(grep -ao 'magic = [0-9a-z <>]*' "$log" | head -n 1))"
}

# The line table's generator reads two tools' dumps: binutils' objdump
# (TOOLCHAIN=gcc) and llvm-dwarfdump (TOOLCHAIN=llvm).  Both read the
# same DWARF, so on the same kernel the two readers must write the same
# table, the one linked into build/kernel.elf; and the image must carry it.
test_klines_readers_agree() {
	local log=$LOGS/klines.log ok=0 entries
	llvm-dwarfdump --debug-line build/kernel.pass1.elf 2> "$log" |
		sh kernel/debug/klines-gen.sh llvm > "$log.llvm" || ok=1
	cmp "$log.llvm" build/klines.S >> "$log" 2>&1 || ok=1
	entries=$(sed -n 's/^klines_count:\t\.long //p' build/klines.S)
	[ "${entries:-0}" -gt 1000 ] || ok=1
	for k in build/kernel.elf build/llvm/kernel.elf; do
		readelf -S "$k" | grep -q ' \.klines ' || ok=1
	done
	result $ok "build: the line table (${entries:-no} ranges) is the same from objdump and from llvm-dwarfdump, and both kernels carry it"
}

# `make help` lists every target the Makefile declares phony, with words.
test_make_help() {
	local log=$LOGS/make-help.log ok=0 t missing=""
	make --no-print-directory help > "$log" 2>&1 || ok=1
	for t in $(sed -n '/^\.PHONY:/,/[^\\]$/p' Makefile | tr -d '\\' |
	           sed 's/^\.PHONY://' | tr ' ' '\n' | grep -v '^$'); do
		case $t in toolchain|run-deps) continue ;; esac	# internal steps
		grep -qE "^  make $t +[^ ]" "$log" || missing="$missing $t"
	done
	[ -z "$missing" ] || ok=1
	grep -q '^  TOOLCHAIN ' "$log" && grep -q '^  DEBUG ' "$log" || ok=1
	result $ok "build: make help lists every target of the Makefile${missing:+ (missing:$missing)}"
}

# The QEMU version check, fed pretend versions (QEMU_VERSION).
test_qemu_version_check() {
	local log=$LOGS/qemu-check.log ok=0
	QEMU_VERSION=6.2.0 sh tools/qemu-check.sh > "$log" 2>&1 && ok=1
	grep -q 'Kiva needs QEMU 7.2 or newer' "$log" || ok=1
	grep -q 'apt-get install qemu-system-x86' "$log" || ok=1
	QEMU_VERSION=7.2.0 sh tools/qemu-check.sh || ok=1
	QEMU_VERSION=10.0.2 sh tools/qemu-check.sh || ok=1
	sh tools/qemu-check.sh qemu-system-i386 || ok=1	# the real one
	result $ok "build: the QEMU check refuses 6.2 with what to install, takes 7.2, 10.0 and this machine's"
}

# make bench's host programs build warning-free: they compile the real
# mm/ code over host stand-ins (tests/bench/kmem_host.c), which a change
# to the kernel's headers can break without any other test noticing.
test_benches_build() {
	local log=$LOGS/bench-build.log ok=0
	make -s "$BUILD"/bench/bench_alloc "$BUILD"/bench/bench_buddy \
		"$BUILD"/bench/bench_kmalloc > "$log" 2>&1 || ok=1
	grep -qi 'warning' "$log" && ok=1
	result $ok "build: make bench's host programs build warning-free (log: $log)"
}

# Plain `make` is `make all`: a newcomer's first command builds the
# kernel, not only what the first included makefile happens to define.
test_make_default_goal() {
	local goal
	goal=$(make -p -n -q 2>/dev/null | sed -n 's/^\.DEFAULT_GOAL := //p' | head -n 1)
	[ "$goal" = all ]
	result $? "build: plain make builds everything (its default goal: ${goal:-none})"
}

test_make_default_goal
test_llvm_kernel
test_debug_kernel
test_klines_readers_agree
test_make_help
test_qemu_version_check
test_benches_build
