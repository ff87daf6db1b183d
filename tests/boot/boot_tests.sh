# tests/boot/boot_tests.sh - boot tests (sourced by tests/run.sh).

# The -kernel path: warnings for bad options, the prompt, line editing,
# unknown commands, an overlong line, control bytes, and a clean poweroff.
test_kernel_shell() {
	local log=$LOGS/kernel-shell.log long
	long=$(printf 'x%.0s' $(seq 1 300))
	QEMU_INPUT="$(at_prompt "$log") printf 'helx\bp\r'; sleep 0.3;
		printf 'mem\r'; sleep 0.3; printf 'frobnicate\r'; sleep 0.3;
		printf '$long\r'; sleep 0.3; printf 'up\007\016\033[20~time\r';
		sleep 0.3; printf 'kva\r'; sleep 0.3; printf 'ps\r'; sleep 0.3;
		printf 'kmem\r'; sleep 0.3; printf 'poweroff\r'; sleep 3"
	qemu "$log" 20 -m 128M -kernel "$KERNEL" -append 'bogus=1 kmem_map=lots'
	local ok=0
	expect "$log" "unknown option 'bogus'" || ok=1
	expect "$log" "'kmem_map' needs a size" || ok=1
	expect "$log" 'kiva> ' || ok=1
	expect "$log" 'switch the machine off' || ok=1	# help ran
	expect "$log" 'frobnicate: unknown command' || ok=1
	expect "$log" 'at most 127 characters: not run' || ok=1
	expect "$log" 'xxx: unknown command' && ok=1	# not run, not cut
	expect "$log" 'ticks at 100 Hz' || ok=1		# uptime despite junk
	expect "$log" 'kmem_map' || ok=1
	grep -aq '^usable ' "$log" || ok=1
	grep -aqE '^ +0 +shell +running' "$log" || ok=1	# ps
	grep -aqE '^ +1 +idle ' "$log" || ok=1
	grep -aqE '^thread +16384 ' "$log" || ok=1	# kmem: the idle stack
	expect "$log" 'powering off' || ok=1
	expect "$log" 'did not work' && ok=1
	[ "$qemu_status" -eq 0 ] || ok=1
	result $ok "boot: -kernel reaches kiva>, shell edits lines, ps and kmem answer, poweroff exits QEMU (status $qemu_status)"
}

# dmesg: the kernel's messages since boot, oldest first, and not the
# prompt or the echo of keys; then, once over 64 KiB were printed, a
# wrapped log that says so and still ends with the newest messages.
test_dmesg() {
	local log=$LOGS/dmesg.log ok=0 kmem_runs=100
	QEMU_INPUT="$(at_prompt "$log") printf 'uptime\r'; sleep 0.3;
		printf 'dmesg\r'; sleep 1;
		for i in \$(seq $kmem_runs); do printf 'kmem\r'; sleep 0.05; done;
		sleep 1; printf 'uptime\r'; sleep 0.3; printf 'dmesg\r'; sleep 2;
		printf 'poweroff\r'; sleep 2"
	qemu "$log" 60 -m 128M -kernel "$KERNEL"
	# Each dmesg's output: from its command line to the next prompt.
	tr -d '\r' < "$log" | awk -v out="$log" '
		/^kiva> / { on = 0 }
		on { print > (out "." n) }
		/^kiva> dmesg$/ { on = 1; n++ }'
	# The first: the boot banner and uptime's line, and no prompt.
	[ "$(grep -c 'Kiva: an i386 PAE teaching kernel' "$log.1")" -eq 1 ] || ok=1
	grep -q 'ticks at 100 Hz' "$log.1" || ok=1
	grep -q 'kiva>' "$log.1" && ok=1
	grep -q 'the log wrapped' "$log.1" && ok=1
	# The second: over 64 KiB later, wrapped, the banner gone, the
	# kmem tables and the second uptime at the end.
	head -n 1 "$log.2" | grep -qE '^dmesg: the log wrapped: the [0-9]+ bytes before these are lost$' || ok=1
	grep -q 'Kiva: an i386 PAE teaching kernel' "$log.2" && ok=1
	grep -q '^kmem_map ' "$log.2" || ok=1
	tail -n 1 "$log.2" | grep -q 'ticks at 100 Hz' || ok=1
	grep -q 'kiva>' "$log.2" && ok=1
	[ "$qemu_status" -eq 0 ] || ok=1
	result $ok "boot: dmesg shows the kernel's messages from boot on, without the prompt, and says when the log wrapped (status $qemu_status)"
}

# The line editor on a real serial line: the keys a terminal sends, and
# the prompt and the half-typed line drawn again after a background
# program's output (tests/host/test_lineedit.c covers every key).
test_line_editor() {
	local log=$LOGS/line-editor.log ok=0
	QEMU_INPUT="$(at_prompt "$log") printf 'uptime\033[D\033[D\033[DX\r'; sleep 0.3;
		printf '\033[A\033[H\033[3~\033[F\r'; sleep 0.3;
		printf 'up\t\r'; sleep 0.3; printf 'uptime extra\r'; sleep 0.3;
		printf 'run hello&\r'; sleep 0.5; printf 'run\r'; sleep 0.3;
		printf 'run fdbomb 20000 &\r'; sleep 0.1; printf 'kv';
		for i in \$(seq 200); do grep -aq 'descriptors, then' '$log' && break; sleep 0.1; done;
		sleep 0.5; printf 'a\r'; sleep 0.5; printf 'poweroff\r'; sleep 2"
	qemu "$log" 40 -m 128M -kernel "$KERNEL"
	expect "$log" 'uptXime: unknown command' || ok=1		# Left x3
	expect "$log" 'ptXime: unknown command' || ok=1		# Up, Home, Delete
	[ "$(grep -ac 'ticks at 100 Hz' "$log")" -eq 1 ] || ok=1	# Tab: uptime once
	expect "$log" 'uptime: too many words (usage: uptime)' || ok=1
	expect "$log" 'hello from pid' || ok=1			# run hello&
	expect "$log" 'programs: fdbomb' || ok=1			# run, no name
	# After fdbomb's line: the prompt and "kv" again, then kva's table.
	tr -d '\r' < "$log" | grep -a -A1 'descriptors, then EMFILE' | grep -aq '^kiva> kv' || ok=1
	expect "$log" 'direct map    c0000000' || ok=1
	expect "$log" 'powering off' || ok=1
	[ "$qemu_status" -eq 0 ] || ok=1
	result $ok "boot: the line editor's keys on serial (arrows, history, Home, Delete, Tab), run hello&, the prompt redrawn after background output (status $qemu_status)"
}

test_iso_shell() {
	local log=$LOGS/iso-shell.log
	QEMU_INPUT="$(at_prompt "$log") printf 'uptime\r'; sleep 0.5; printf 'poweroff\r'; sleep 3"
	qemu "$log" 25 -m 128M -cdrom "$ISO"
	local ok=0
	expect "$log" 'boot loader: GRUB' || ok=1
	expect "$log" 'kiva> ' || ok=1
	expect "$log" 'ticks at 100 Hz' || ok=1
	[ "$qemu_status" -eq 0 ] || ok=1
	result $ok "boot: GRUB ISO reaches kiva> and powers off (status $qemu_status)"
}

# A CPU without PAE must get the message and halt: no C code, no reboot.
test_no_pae() {
	local cpu=$1 log=$LOGS/no-pae-$1.log ok=0
	qemu "$log" 6 -m 64M -cpu "$cpu" -kernel "$KERNEL"
	expect "$log" 'lacks PAE' || ok=1
	expect "$log" 'Kiva: an i386' && ok=1
	[ "$(grep -ac 'lacks PAE' "$log")" -eq 1 ] || ok=1	# no reboot loop
	[ "$qemu_status" -eq 124 ] || ok=1			# still halted
	result $ok "boot: -cpu $cpu (no PAE) is told so and halts"
}

# source_line FILE TEXT: the number of the line of FILE that contains
# TEXT (a fixed string), for checking the backtrace's file:line.
source_line() {
	grep -nF -- "$2" "$1" | head -n 1 | cut -d: -f1
}

# panic(): message, registers, a backtrace with names and the source
# line of each call, exit status 35.
test_panic_path() {
	local log=$LOGS/panic.log ok=0 line
	line=$(source_line tests/kernel/test_panic.c 'panic("deliberate panic from test')
	qemu "$log" 20 -m 64M -kernel "$KERNEL" -append 'test=panic_backtrace'
	expect "$log" 'panic: deliberate panic' || ok=1
	expect "$log" 'cr3 ' || ok=1
	backtrace_has "$log" \
		"ktest_fn_panic_backtrace\+0x[0-9a-f]+ \(tests/kernel/test_panic.c:$line\)" \
		'run_one\+0x[0-9a-f]+ \(kernel/debug/ktest.c:[0-9]+\)' \
		'kmain\+0x[0-9a-f]+ \(kernel/kmain.c:[0-9]+\)' || ok=1
	[ "$qemu_status" -eq 35 ] || ok=1
	result $ok "boot: panic prints registers and a backtrace with names and file:line (test_panic.c:$line), exits 35 (got $qemu_status)"
}

# A panic in an interrupt handler (a timer tick hook): the backtrace goes
# through the handler, crosses the interrupt's trap frame, and names the
# function the tick interrupted and its callers.
test_panic_in_interrupt() {
	local log=$LOGS/panic-in-interrupt.log ok=0
	qemu "$log" 20 -m 64M -kernel "$KERNEL" -append 'test=panic_in_interrupt'
	expect "$log" 'panic: deliberate panic from a timer tick hook' || ok=1
	backtrace_has "$log" 'panic_on_tick\+0x' 'pit_irq\+0x' \
		'^  --- interrupt 32 \(IRQ 0\) at eip [0-9a-f]{8} ---$' \
		'wait_for_the_tick\+0x' 'ktest_fn_panic_in_interrupt\+0x' \
		'run_one\+0x' || ok=1
	[ "$qemu_status" -eq 35 ] || ok=1
	result $ok "boot: a panic in a timer interrupt: the backtrace crosses the trap frame into the interrupted function (status $qemu_status)"
}

test_kernel_shell
test_dmesg
test_line_editor
test_iso_shell
test_no_pae pentium
test_no_pae 486
test_kernel_tests "-kernel, 256M" -m 256M -cpu max -kernel "$KERNEL" -append test
test_kernel_tests "GRUB ISO, 1G" -m 1G -cdrom "$BUILD/test.iso"
test_panic_path
test_panic_in_interrupt

# kmem_debug: its own test sees the three reports; then every test again
# with headers, redzones and poison on.
test_kmem_debug() {
	local log=$LOGS/kmem-debug.log ok=0
	qemu "$log" 30 -m 128M -kernel "$KERNEL" -append 'kmem_debug test=kmem_debug_reports'
	expect "$log" 'kmem_debug: overrun past the end' || ok=1
	expect "$log" 'kmem_debug: written after free' || ok=1
	expect "$log" 'kmem_debug: double free' || ok=1
	[ "$qemu_status" -eq 33 ] || ok=1
	result $ok "boot: kmem_debug reports an overrun, a use after free, a double free (status $qemu_status)"
}

# A thread that overflows its stack hits its guard page: the panic names
# the thread, and the backtrace of its stack (from the ebp the double
# fault saved) names the function that recursed, then the thread's start.
test_stack_overflow() {
	local log=$LOGS/stack-overflow.log ok=0
	qemu "$log" 30 -m 128M -kernel "$KERNEL" -append 'test=thread_stack_overflow'
	expect "$log" 'panic: stack overflow in thread overflow' || ok=1
	backtrace_has "$log" \
		'^  #0 +[0-9a-f]{8} recurse[.a-z0-9]*\+0x[0-9a-f]+ \(tests/kernel/test_threads.c:[0-9]+\)' \
		'^  \.\.\. the same frame [0-9]+ more times$' \
		'thread_start\+0x' 'thread_trampoline\+0x' || ok=1
	[ "$qemu_status" -eq 35 ] || ok=1
	result $ok "boot: a stack overflow panics naming the thread and, in its backtrace, the recursing function (status $qemu_status)"
}

# The console's receive path drops (and counts) bytes when kmalloc fails.
test_console_drops() {
	local log=$LOGS/console-drops.log
	qemu "$log" 30 -m 64M -kernel "$KERNEL" -append 'test=console_input_drops_when_kmalloc_fails'
	expect "$log" 'ktest: 1 passed, 0 failed' && [ "$qemu_status" -eq 33 ]
	result $? "boot: console input drops bytes when kmalloc fails, then recovers (status $qemu_status)"
}

test_kmem_debug
test_console_drops
test_kernel_tests "-kernel, kmem_debug" -m 256M -kernel "$KERNEL" -append 'kmem_debug test'
# Every test again with magazines=off: the comparison mode must be right too.
test_kernel_tests "-kernel, magazines=off" -m 128M -kernel "$KERNEL" -append 'magazines=off test'
test_stack_overflow

# An uncaught kernel page fault explains itself, then panics.  The
# faulting test function has no frame of its own with gcc, so the
# backtrace must take its caller, the runner, from the top of the stack.
test_page_fault_report() {
	local log=$LOGS/page-fault.log ok=0 line
	line=$(source_line tests/kernel/test_panic.c 'kva_start(KVA_GUARD_LOW) = 1')
	qemu "$log" 20 -m 128M -kernel "$KERNEL" -append 'test=page_fault_report'
	expect "$log" 'write to an unmapped page in kernel mode' || ok=1
	expect "$log" 'the address is in: a guard gap' || ok=1
	expect "$log" 'panic: page fault (exception 14)' || ok=1
	expect "$log" "at ktest_fn_page_fault_report+0x" || ok=1
	backtrace_has "$log" 'trap\+0x[0-9a-f]+ \(kernel/cpu/trap.c:[0-9]+\)' \
		'^  --- page fault \(exception 14\) at eip [0-9a-f]{8} ---$' \
		"ktest_fn_page_fault_report\+0x[0-9a-f]+ \(tests/kernel/test_panic.c:$line\)" \
		'run_one\+0x[0-9a-f]+ \(kernel/debug/ktest.c:[0-9]+\)' \
		'ktest_run\+0x' || ok=1
	[ "$qemu_status" -eq 35 ] || ok=1
	result $ok "boot: a kernel page fault names its address, error and region; the backtrace crosses the fault to the test and its caller run_one (status $qemu_status)"
}

# reboot resets the machine; under -no-reboot QEMU then exits.
# reboot really resets, as in `make qemu` (no -no-reboot there): the
# kernel boots a second time, to a second prompt, which powers off.
test_reboot() {
	local log=$LOGS/reboot.log ok=0
	QEMU_INPUT="$(at_prompt "$log") printf 'reboot\r';
		for i in \$(seq 200); do [ \$(grep -ac 'kiva> ' '$log') -ge 2 ] && break; sleep 0.1; done;
		printf 'poweroff\r'; sleep 3"
	QEMU_REBOOTS=1 qemu "$log" 40 -m 64M -kernel "$KERNEL"
	expect "$log" 'Kiva: rebooting' || ok=1
	[ "$(grep -ac 'Kiva: an i386' "$log")" -eq 2 ] || ok=1
	expect "$log" 'powering off' || ok=1
	[ "$qemu_status" -eq 0 ] || ok=1
	result $ok "boot: reboot resets the machine, which boots again to the prompt (status $qemu_status)"
}

# At -m 4M, 4 MiB of M_WAITOK memory fits kernel_map's VA but not the
# machine's frames: kmalloc must say NULL rather than sleep for ever.
test_waitok_small_machine() {
	local log=$LOGS/waitok-4M.log ok=0
	qemu "$log" 30 -m 4M -kernel "$KERNEL" -append 'test=waitok_refuses_more_than_all_frames'
	expect "$log" 'ktest: 1 passed, 0 failed' || ok=1
	[ "$qemu_status" -eq 33 ] || ok=1
	result $ok "boot: at -m 4M, M_WAITOK for more than all the frames is NULL at once (status $qemu_status)"
}

test_page_fault_report
test_reboot
test_waitok_small_machine

# usertests: every system call and its bad inputs, run from the shell.
test_usertests() {
	local log=$LOGS/usertests.log ok=0
	QEMU_INPUT="$(at_prompt "$log") printf 'run usertests\r';
		for i in \$(seq 300); do grep -aq '^usertests: [0-9]* passed' '$log' && break; sleep 0.1; done;
		printf 'poweroff\r'; sleep 2"
	qemu "$log" 60 -m 128M -kernel "$KERNEL"
	grep -aqE '^usertests: [0-9]+ passed, 0 failed' "$log" || ok=1
	expect "$log" 'panic' && ok=1
	result $ok "user: usertests passes: $(grep -ao '^usertests: [0-9]* passed, [0-9]* failed' "$log" | tail -n 1)"
}

# The 2003 failure, from the shell: four fdbombs in the background, the
# shell still answering meanwhile, and every M_FDESC byte back after.
test_fdbombs_from_shell() {
	local log=$LOGS/fdbombs.log ok=0
	QEMU_INPUT="$(at_prompt "$log") printf 'run fdbomb &\r'; printf 'run fdbomb &\r';
		printf 'run fdbomb &\r'; printf 'run fdbomb &\r'; sleep 0.2; printf 'uptime\r';
		for i in \$(seq 300); do [ \$(grep -ac 'descriptors, then' '$log') -ge 4 ] && break; sleep 0.1; done;
		sleep 0.5; printf 'kmem\r'; sleep 0.5; printf 'poweroff\r'; sleep 2"
	qemu "$log" 60 -m 128M -kernel "$KERNEL"
	[ "$(grep -ac 'got 99997 descriptors, then EMFILE' "$log")" -eq 4 ] || ok=1
	expect "$log" 'ticks at 100 Hz' || ok=1
	grep -aqE '^fdesc +0 ' "$log" || ok=1
	expect "$log" 'panic' && ok=1
	result $ok "user: four fdbombs in the background get EMFILE, the shell answers, M_FDESC back to 0"
}

# The allocators over time: kmemtrace=50 from boot, a background program
# that opens descriptors and holds them for 1.5 s (so that 50 ms samples
# see them, however fast the host), then `kmem trace on 20` and `kmem trace
# off`.  The plotting tool reads every line back and checks the kernel's
# invariants (time goes on, used + free = size, the types fit in what is
# used); the two periods show in the times; nothing comes once `off` is
# done.  A line with a field cut out must be refused, naming its place; a
# panic in the log is found, and the three plots are drawn.
test_kmemtrace() {
	local log=$LOGS/kmemtrace.log gap gaps plots=$LOGS/kmemtrace-plots why=""
	QEMU_INPUT="$(at_prompt "$log") sleep 0.3; printf 'run fdbomb 20000 1500 &\r';
		for i in \$(seq 300); do grep -aq 'descriptors, then' '$log' && break; sleep 0.1; done;
		sleep 0.3; printf 'kmem trace on 20\r'; sleep 0.5; printf 'kmem trace off\r';
		sleep 0.3; printf 'uptime\r'; sleep 0.5; printf 'poweroff\r'; sleep 2"
	qemu "$log" 60 -m 128M -kernel "$KERNEL" -append 'kmemtrace=50'
	"$PYTHON" tools/plot_kmemtrace.py check "$log" > "$log.check" 2>&1 || why+="; the check refused the trace"
	grep -qE '^kmemtrace: [0-9]+ samples, t=[0-9]+ to [0-9]+ ms, 8 types: ok$' "$log.check" || why+="; no summary line"
	# The gaps between samples: 50 ms, then 20 ms (when no thread delayed them).
	gaps=$(grep -ao 'kmemtrace t=[0-9]*' "$log" | cut -d= -f2 |
	       awk 'NR > 1 { print $1 - last } { last = $1 }' | sort -n | uniq | paste -sd' ' -)
	for gap in 20 50; do
		case " $gaps " in *" $gap "*) ;; *) why+="; no $gap ms gap" ;; esac
	done
	# A sample already being printed may finish after `off`; none after uptime.
	tr -d '\r' < "$log" | sed -n '/kiva> uptime/,$p' | grep -q 'kmemtrace t=' && why+="; samples after off"
	grep -aq 'type.fdesc=[1-9]' "$log" || why+="; no sample saw the descriptors"
	# A malformed line: the first trace line without its drops field.
	sed '0,/kmemtrace t=/s/ drops=[0-9]*//' "$log" > "$log.bad"
	"$PYTHON" tools/plot_kmemtrace.py check "$log.bad" > "$log.bad.check" 2>&1 && why+="; a malformed line passed"
	grep -qE "^plot_kmemtrace.py: $log.bad:[0-9]+: malformed kmemtrace line: missing drops" "$log.bad.check" || why+="; the malformed line's report is wrong"
	# A panic after the trace is found, and marked on the plots.
	{ cat "$log"; printf 'panic: deliberate, for the plot\n'; } > "$log.panicked"
	"$PYTHON" tools/plot_kmemtrace.py check "$log.panicked" | grep -q 'then panic: deliberate' || why+="; the panic was not found"
	rm -rf "$plots"
	"$PYTHON" tools/plot_kmemtrace.py plot "$log.panicked" "$plots" test > "$log.plot" 2>&1 || why+="; plotting failed ($log.plot)"
	for p in regions types failures; do	# PNG's signature (RFC 2083, 3.1)
		head -c 8 "$plots/test-$p.png" 2>/dev/null |
			cmp -s - <(printf '\211PNG\r\n\032\n') || why+="; $p is no PNG"
	done
	expect "$log" 'panic' && why+="; the kernel panicked"
	result "$([ -z "$why" ]; echo $?)" "kmemtrace: a boot's trace reads back and keeps the invariants ($(head -n 1 "$log.check")); gaps $gaps ms; off stops it; a malformed line is refused; plots drawn${why:+ - FAILED: ${why#; }} (QEMU status $qemu_status, log: $log)"
}

test_usertests
test_fdbombs_from_shell
test_kmemtrace

# fail=every:1 refuses every allocation: the kernel must say which one it
# could not make and that it stops, not sit silent or panic.
test_boot_under_total_failure() {
	local log=$LOGS/fail-every-1.log ok=0
	qemu "$log" 15 -m 64M -kernel "$KERNEL" -append 'fail=every:1'
	expect "$log" 'panic' && ok=1
	expect "$log" 'thread_init: no stack for the idle thread (kmalloc type thread' || ok=1
	expect "$log" 'Kiva cannot run without an idle thread' || ok=1
	expect "$log" 'Halted.' || ok=1
	result $ok "boot under fail=every:1 names the allocation it could not make, retries, then halts saying so"
}
test_boot_under_total_failure
