# tests/gdb/helpers_test.sh - the kiva GDB commands (tests/gdb/kiva.py)
# checked against the kernel (sourced by tests/run.sh).
#
# QEMU waits at the first instruction with its GDB stub on; the shell is
# typed a workload over serial (fdbomb, spin in the background, kva, ps,
# kmem), and GDB runs tests/gdb/helpers_test.py, which stops the kernel
# twice (after ps, and once kmem's output is in and spin is on the CPU)
# and compares each kiva command with what the kernel printed, with
# QEMU's `info tlb`, and with corruption it plants in an arena.  Each of
# its CHECK lines is one result here; so is "all the checks ran".
HELPERS_CHECKS=46	# what helpers_test.py runs when nothing goes wrong

# type_workload LOG: the keys for the shell, each command once the one
# before it has printed (up to 30 s each; GDB stops the kernel meanwhile).
type_workload() {
	local log=$1
	wait_log() {
		for _ in $(seq 300); do
			[ "$(grep -acF -- "$1" "$log")" -ge "$2" ] && return
			sleep 0.1
		done
	}
	wait_log 'kiva> ' 1
	printf 'run fdbomb 3000 &\r'; wait_log 'fdbomb: pid' 1
	printf 'run spin &\r'; wait_log '[2] spin' 1
	printf 'kva\r'; wait_log 'region        start' 2
	printf 'ps\r'; wait_log 'processes (pid' 1
	printf 'kmem\r'; wait_log 'console input bytes dropped' 1
	# Keep the serial line open until the test is done with QEMU; exec,
	# so that killing this subshell ends the wait.
	exec sleep 90
}

test_gdb_helpers() {
	local log=$LOGS/gdb-helpers.log qlog=$LOGS/gdb-helpers-qemu.log port
	local line n
	local keys=$LOGS/gdb-helpers.keys qpid tpid
	port=$((29000 + RANDOM % 2000))
	: > "$qlog"
	rm -f "$keys" && mkfifo "$keys"
	timeout 90 qemu-system-i386 -accel tcg -m 128M -cpu max -display none \
		-serial stdio -no-reboot -kernel "$KERNEL" -initrd "$INITRD" \
		-S -gdb tcp:127.0.0.1:$port < "$keys" > "$qlog" 2> "$qlog.err" &
	qpid=$!
	type_workload "$qlog" > "$keys" &
	tpid=$!
	for _ in $(seq 100); do
		(exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
		sleep 0.1
	done
	KIVA_SERIAL_LOG=$qlog timeout 80 gdb -q -batch -nx -ex "file $KERNEL" \
		-x tests/gdb/kiva.gdb -ex "target remote 127.0.0.1:$port" \
		-x tests/gdb/helpers_test.py -ex 'kill' > "$log" 2>&1
	kill "$qpid" "$tpid" 2>/dev/null
	wait "$qpid" "$tpid" 2>/dev/null
	rm -f "$keys"
	while read -r line; do
		case $line in
		"CHECK ok "*) result 0 "gdb ${line#CHECK ok }" ;;
		"CHECK FAIL "*) result 1 "gdb ${line#CHECK FAIL } (see $log)" ;;
		esac
	done < <(grep -a '^CHECK ' "$log")
	n=$(grep -ac '^CHECK ' "$log")
	[ "$n" -eq "$HELPERS_CHECKS" ] && grep -aq "^CHECKS RUN $n" "$log"
	result $? "gdb helpers: all $HELPERS_CHECKS checks ran ($n, see $log)"
}

test_gdb_helpers
