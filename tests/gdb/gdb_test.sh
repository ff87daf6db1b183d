# tests/gdb/gdb_test.sh - scripted GDB sessions (sourced by tests/run.sh).
#
# 1. QEMU waits at the first instruction; gdb breaks at kmain, the
#    backtrace names kmain with its file and line, and CR4 shows PAE.
# 2. At the prompt, `bt` from the timer handler and from kmalloc called by
#    the serial handler goes through the interrupt (trapentry.S's CFI)
#    into the code it interrupted, down to the bottom of that stack.
# 3. After a kernel page fault, `bt` from panic_trap names the faulting
#    test function and its caller, and once the panic report is printed,
#    kiva.gdb's `dmesg` reads it back from the kernel log.

# gdb_start_qemu PORTVAR INPUT QEMU-ARGS...: starts QEMU in the background
# with its GDB stub on a free-looking port (stored in the variable
# PORTVAR) and its standard input from the file INPUT (a background
# command's would be /dev/null otherwise), and sets $gdb_qemu_pid.
gdb_start_qemu() {
	local -n port_ref=$1
	local input=$2
	shift 2
	port_ref=$((27000 + RANDOM % 2000))
	timeout 90 qemu-system-i386 -accel tcg -m 64M -display none -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-gdb tcp:127.0.0.1:$port_ref "$@" < "$input" 2>/dev/null &
	gdb_qemu_pid=$!
}

# gdb_wait_stub PORT: waits until QEMU's GDB stub listens (up to 10 s).
# Only for a QEMU started with -S: a connection stops the machine, which
# would then stay stopped wherever the probe found it.
gdb_wait_stub() {
	for _ in $(seq 100); do
		(exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && break
		sleep 0.1
	done
}

gdb_stop_qemu() {
	kill "$gdb_qemu_pid" 2>/dev/null
	wait "$gdb_qemu_pid" 2>/dev/null
}

# gdb_run LOG PORT GDB-ARGS...: a batch GDB session on the kernel.
gdb_run() {
	local log=$1 port=$2
	shift 2
	timeout 60 gdb -q -batch -nx -ex "file $KERNEL" -x tests/gdb/kiva.gdb \
		-ex "target remote 127.0.0.1:$port" "$@" -ex 'kill' > "$log" 2>&1
}

# bt_frames LOG FIRST: the function of each frame of the backtrace that
# starts at the frame of function FIRST ("#0  FIRST (...)"), one a line;
# "<signal handler called>" is how GDB shows the interrupt's frame.
bt_frames() {
	awk -v first="$2" '
		$1 == "#0" { on = ($2 == first) }
		on && /^#[0-9]+ / {
			if ($0 ~ /<signal handler called>/) { print "<interrupt>"; next }
			sub(/^#[0-9]+ +(0x[0-9a-f]+ in )?/, ""); sub(/ .*/, ""); print
		}' "$1"
}

test_gdb_session() {
	local log=$LOGS/gdb.log ok=0 port cr4
	gdb_start_qemu port /dev/null -serial file:"$LOGS/gdb-qemu.log" -kernel "$KERNEL" -S
	gdb_wait_stub "$port"
	gdb_run "$log" "$port" -ex 'break kmain' -ex 'continue' -ex 'bt' \
		-ex 'monitor info registers'
	gdb_stop_qemu
	grep -aqE '#0 +kmain \(.*\) at kernel/kmain.c:[0-9]+' "$log" || ok=1
	# CR4 from QEMU's monitor: PAE is bit 5 (0x20).
	cr4=$(grep -ao 'CR4=[0-9a-f]*' "$log" | head -n 1 | cut -d= -f2)
	[ -n "$cr4" ] && [ $(( 0x$cr4 & 0x20 )) -ne 0 ] || ok=1
	result $ok "gdb: break kmain, backtrace names kernel/kmain.c:LINE, CR4=${cr4:-?} has PAE"
}

# A stack GDB walked through an interrupt: FRAMES (from bt_frames) has
# the interrupt's frame (GDB's "<signal handler called>", or trap_common
# where the assembler dropped .cfi_signal_frame), then the interrupted
# function INTERRUPTED, and ends at the bottom of a stack with no frame
# GDB could not name.
crossed_interrupt() {
	local frames=$1 interrupted=$2
	printf '%s\n' "$frames" | sed -n '/^\(<interrupt>\|trap_common\)$/,$p' |
		sed 1d | grep -qxE "$interrupted" || return 1
	printf '%s\n' "$frames" | tail -n 1 | grep -qxE 'thread_trampoline|higher_half' || return 1
	! printf '%s\n' "$frames" | grep -qx '??'
}

# At the prompt the shell sleeps, so a tick or a key interrupts the idle
# thread (or, now and then, the shell itself).  The first key into the
# empty input queue makes the serial handler kmalloc a chunk for it (one
# CPU here: the interrupt depth to break on is CPU 0's).
test_gdb_bt_through_interrupts() {
	local log=$LOGS/gdb-interrupts.log qlog=$LOGS/gdb-interrupts-qemu.log
	local fifo=$LOGS/gdb-interrupts.fifo ok=0 port frames
	rm -f "$fifo" && mkfifo "$fifo"
	exec 7<>"$fifo"		# held open, so QEMU never reads an end of file
	gdb_start_qemu port "$fifo" -serial stdio -kernel "$KERNEL" > "$qlog"
	# Its stub listens from the start; attach once the prompt is there.
	for _ in $(seq 200); do grep -aqF 'kiva> ' "$qlog" && break; sleep 0.1; done
	gdb_run "$log" "$port" -ex 'break pit_irq' -ex 'continue' -ex 'bt' \
		-ex 'delete' -ex 'break kmalloc if cpus[0].irq_depth > 0' \
		-ex "shell printf x > $fifo" -ex 'continue' -ex 'bt'
	gdb_stop_qemu
	exec 7>&-
	rm -f "$fifo"
	local interrupted='thread_idle_loop|irq_enable_and_halt|shell_run|console_getc'
	frames=$(bt_frames "$log" pit_irq)
	crossed_interrupt "$frames" "$interrupted" || ok=1
	result $ok "gdb: bt from the timer handler crosses the interrupt: $(printf '%s\n' "$frames" | paste -sd' ' -)"
	ok=0
	frames=$(bt_frames "$log" kmalloc)
	printf '%s\n' "$frames" | grep -qx console_input || ok=1
	printf '%s\n' "$frames" | grep -qx serial_irq || ok=1
	crossed_interrupt "$frames" "$interrupted" || ok=1
	result $ok "gdb: bt from kmalloc in the serial handler: $(printf '%s\n' "$frames" | paste -sd' ' -)"
}

# After a kernel page fault: bt from panic_trap goes back through trap()
# and the fault into the test function that faulted, and on to its caller.
# At qemu_exit() the report is printed: dmesg must find it, and the boot
# messages before it, in the kernel log.  (The serial output goes to a
# file of its own, so what the GDB log shows came from memory.)
test_gdb_bt_after_page_fault() {
	local log=$LOGS/gdb-page-fault.log ok=0 port frames
	gdb_start_qemu port /dev/null -serial file:"$LOGS/gdb-page-fault-qemu.log" \
		-kernel "$KERNEL" -append 'test=page_fault_report' -S
	gdb_wait_stub "$port"
	gdb_run "$log" "$port" -ex 'break panic_trap' -ex 'continue' -ex 'bt' \
		-ex 'break qemu_exit' -ex 'continue' -ex 'echo ==== dmesg\n' \
		-ex 'dmesg'
	gdb_stop_qemu
	frames=$(bt_frames "$log" panic_trap)
	# Between the fault and run_one: the test (after any inlined callee).
	printf '%s\n' "$frames" | sed -n '/^\(<interrupt>\|trap_common\)$/,/^run_one$/p' |
		grep -qx ktest_fn_page_fault_report || ok=1
	printf '%s\n' "$frames" | grep -qx run_one || ok=1
	printf '%s\n' "$frames" | tail -n 1 | grep -qx higher_half || ok=1
	result $ok "gdb: bt from panic after a page fault: $(printf '%s\n' "$frames" | paste -sd' ' -)"
	ok=0
	sed -n '/^==== dmesg$/,$p' "$log" > "$log.dmesg"
	expect "$log.dmesg" 'Kiva: an i386 PAE teaching kernel' || ok=1
	expect "$log.dmesg" 'panic: page fault (exception 14)' || ok=1
	grep -aqE '^  #[0-9]+ +[0-9a-f]{8} run_one\+0x' "$log.dmesg" || ok=1
	expect "$log.dmesg" 'kernel memory at the time of the panic' || ok=1
	result $ok "gdb: after the panic, dmesg reads the boot messages and the whole panic report back from the kernel log"
}

test_gdb_session
test_gdb_bt_through_interrupts
test_gdb_bt_after_page_fault
