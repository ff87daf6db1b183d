# tests/gdb/gdb_test.sh - a scripted GDB session (sourced by tests/run.sh):
# QEMU waits at the first instruction; gdb breaks at kmain, the backtrace
# names kmain with its file and line, and CR4 shows PAE (bit 5).
test_gdb_session() {
	local log=$LOGS/gdb.log qlog=$LOGS/gdb-qemu.log ok=0 port
	port=$((27000 + RANDOM % 2000))
	timeout 60 qemu-system-i386 -accel tcg -m 64M -display none \
		-serial file:"$qlog" -no-reboot -kernel "$KERNEL" \
		-S -gdb tcp:127.0.0.1:$port 2>/dev/null &
	local qpid=$!
	# Wait until QEMU's GDB stub listens (up to 10 s).
	for _ in $(seq 100); do
		(exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
		sleep 0.1
	done
	timeout 50 gdb -q -batch -nx -ex "file $KERNEL" -x tests/gdb/kiva.gdb \
		-ex "target remote 127.0.0.1:$port" \
		-ex 'break kmain' -ex 'continue' -ex 'bt' \
		-ex 'monitor info registers' -ex 'kill' > "$log" 2>&1
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	grep -aqE '#0 +kmain \(.*\) at kernel/kmain.c:[0-9]+' "$log" || ok=1
	# CR4 from QEMU's monitor: PAE is bit 5 (0x20).
	local cr4
	cr4=$(grep -ao 'CR4=[0-9a-f]*' "$log" | head -n 1 | cut -d= -f2)
	[ -n "$cr4" ] && [ $(( 0x$cr4 & 0x20 )) -ne 0 ] || ok=1
	result $ok "gdb: break kmain, backtrace names kernel/kmain.c:LINE, CR4=${cr4:-?} has PAE"
}

test_gdb_session
