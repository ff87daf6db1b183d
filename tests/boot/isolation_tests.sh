# tests/boot/isolation_tests.sh - what a program's CPU state can do to the
# kernel, and the shell's controls over programs (sourced by tests/run.sh).
#
# tests/user/isolation.c at three CPU models: `-cpu max` has SMEP, SMAP,
# UMIP and SSE, `qemu32` none of the protections, and `qemu32,-fxsr` makes
# the kernel save the x87 registers with FNSAVE.  Then tests/user/spin.c
# with DF set, in the background, under kill and ^C; and the boot options
# and line editing fixed with them.
#
# Commands are typed only once the output they wait for is in the log
# (wait_log), so a slow or loaded machine only makes a run longer.

# wait_log LOG TEXT [SECONDS] [COUNT]: shell text for QEMU_INPUT that waits
# (up to SECONDS, default 30) until LOG has COUNT (default 1) lines with
# TEXT, a fixed string without single quotes.
wait_log() {
	echo "for i in \$(seq $((${3:-30} * 10))); do [ \$(grep -acF -- '$2' '$1') -ge ${4:-1} ] && break; sleep 0.1; done;"
}

# isolation passes at -cpu $1, with the cpu line saying $2 and $3.
test_isolation() {
	local cpu=$1 protection=$2 fpu=$3 log=$LOGS/isolation-$1.log ok=0
	QEMU_INPUT="$(at_prompt "$log") printf 'run isolation\r';
		for i in \$(seq 1200); do grep -aqE '^isolation: [0-9]+ passed' '$log' && break; sleep 0.1; done;
		printf 'poweroff\r'; sleep 3"
	qemu "$log" 180 -m 128M -cpu "$cpu" -kernel "$KERNEL"
	grep -aqE '^isolation: [0-9]+ passed, 0 failed' "$log" || ok=1
	grep -aq "^cpu: .*; $protection; FPU state saved with $fpu" "$log" || ok=1
	# The kernel's side of the checks: the faults it reported.
	grep -aq 'x87 floating-point error at eip' "$log" || ok=1
	case $protection in
	*"UMIP on"*)
		[ "$(grep -ac 'general protection at eip' "$log")" -eq 5 ] || ok=1
		[ "$(grep -ac 'the CPU stopped the kernel' "$log")" -eq 2 ] || ok=1 ;;
	*)
		expect "$log" 'general protection' && ok=1
		expect "$log" 'the CPU stopped the kernel' && ok=1 ;;
	esac
	expect "$log" 'panic' && ok=1
	expect "$log" 'PWNED' && ok=1
	expect "$log" 'powering off' || ok=1
	[ "$qemu_status" -eq 0 ] || ok=1
	result $ok "isolation: -cpu $cpu ($protection; $fpu): $(grep -ao '^isolation: [0-9]* passed, [0-9]* failed' "$log" | tail -n 1) (status $qemu_status)"
}

test_isolation max 'SMEP on, SMAP on, UMIP on' 'FXSAVE (x87 and SSE)'
test_isolation qemu32 'SMEP absent, SMAP absent, UMIP absent' 'FXSAVE (x87 and SSE)'
test_isolation qemu32,-fxsr 'SMEP absent, SMAP absent, UMIP absent' 'FNSAVE (x87)'

# A program looping with DF set, in the background, for 5 s and more: the
# timer interrupts it all along (this used to triple-fault within 3 s),
# and the shell must answer meanwhile; then kill ends it.
test_spin_std_background() {
	local log=$LOGS/spin-std.log ok=0 rounds=6 first last last_ps
	QEMU_INPUT="$(at_prompt "$log") printf 'run spin std &\r'; $(wait_log "$log" '] spin')
		for n in \$(seq $rounds); do
			printf 'uptime\r'; $(wait_log "$log" 'ticks at 100 Hz' 30 "\$n")
			printf 'ps\r'; $(wait_log "$log" 'stack slots:' 30 "\$n")
			printf 'mem\r'; $(wait_log "$log" 'frame database ' 30 "\$n")
			sleep 1
		done
		pid=\$(sed -n 's/^\[\([0-9]*\)\] spin.*/\1/p' '$log' | head -n 1)
		printf 'kill %s\r' \"\$pid\"; $(wait_log "$log" '(spin): killed')
		printf 'ps\r'; $(wait_log "$log" 'stack slots:' 30 $((rounds + 1)))
		printf 'poweroff\r'; sleep 3"
	qemu "$log" 120 -m 128M -kernel "$KERNEL"
	grep -aqE '^\[[0-9]+\] spin' "$log" || ok=1
	[ "$(grep -ac 'ticks at 100 Hz' "$log")" -eq $rounds ] || ok=1
	[ "$(grep -ac 'stack slots:' "$log")" -eq $((rounds + 1)) ] || ok=1
	[ "$(grep -ac '^frame database ' "$log")" -eq $rounds ] || ok=1
	# The rounds spanned at least 5 s of the kernel's own time.
	first=$(sed -n 's/^up \([0-9]*\)\..*/\1/p' "$log" | head -n 1)
	last=$(sed -n 's/^up \([0-9]*\)\..*/\1/p' "$log" | tail -n 1)
	[ -n "$first" ] && [ -n "$last" ] && [ $((last - first)) -ge 5 ] || ok=1
	# spin ran meanwhile (ps lists its thread), and the last ps, after the
	# kill, lists it no more.  The killed process's message may come
	# after the next prompt, which the console then erases and draws
	# again below it.
	grep -aqE '^ +[0-9]+ +spin +(ready|running)' "$log" || ok=1
	grep -aqE 'pid [0-9]+ \(spin\): killed' "$log" || ok=1
	last_ps=$(awk '/^(kiva> )?ps\r?$/ { buf = ""; on = 1; next }
		on && /kiva> / { on = 0 } on { buf = buf $0 "\n" }
		END { printf "%s", buf }' "$log")
	grep -aq 'pid  name' <<< "$last_ps" || ok=1
	grep -aq spin <<< "$last_ps" && ok=1
	expect "$log" 'panic' && ok=1
	expect "$log" 'powering off' || ok=1
	[ "$qemu_status" -eq 0 ] || ok=1
	result $ok "shell: spin with DF set runs in the background for $((last - first)) s while uptime, ps and mem answer ${rounds}x each; kill ends it, ps shows it gone, poweroff (status $qemu_status)"
}

# ^C (byte 0x03 on the serial line) ends the program `run` waits for.
test_ctrl_c() {
	local log=$LOGS/ctrl-c.log ok=0
	QEMU_INPUT="$(at_prompt "$log") printf 'run spin\r'; $(wait_log "$log" 'kiva> run spin')
		sleep 1; printf '\003'; $(wait_log "$log" 'exited with status')
		printf 'uptime\r'; $(wait_log "$log" 'ticks at 100 Hz')
		printf 'poweroff\r'; sleep 3"
	qemu "$log" 60 -m 128M -kernel "$KERNEL"
	expect "$log" '^C' || ok=1
	grep -aqE '(^|kiva> )pid [0-9]+ \(spin\): killed' "$log" || ok=1
	grep -aqE '^\[[0-9]+\] spin exited with status -1' "$log" || ok=1
	expect "$log" 'ticks at 100 Hz' || ok=1
	expect "$log" 'panic' && ok=1
	[ "$qemu_status" -eq 0 ] || ok=1
	result $ok "shell: ^C kills the foreground program (run spin), the prompt comes back and uptime answers (status $qemu_status)"
}

test_kill_errors() {
	local log=$LOGS/kill-errors.log ok=0
	QEMU_INPUT="$(at_prompt "$log") printf 'kill 4242\r'; $(wait_log "$log" 'no such process')
		printf 'kill\r'; $(wait_log "$log" 'usage: kill')
		printf 'poweroff\r'; sleep 3"
	qemu "$log" 30 -m 128M -kernel "$KERNEL"
	expect "$log" 'kill: 4242: no such process' || ok=1
	expect "$log" 'usage: kill PID' || ok=1
	[ "$qemu_status" -eq 0 ] || ok=1
	result $ok "shell: kill 4242 says no such process, kill alone prints the usage (status $qemu_status)"
}

test_spin_std_background
test_ctrl_c
test_kill_errors

# Too little RAM for the boot modules: said, not panicked, and halted.
test_too_little_ram() {
	local log=$LOGS/ram-2M.log ok=0
	qemu "$log" 10 -m 2M -kernel "$KERNEL"
	expect "$log" 'Kiva needs at least' || ok=1
	grep -aq 'needs at least [0-9]* MiB' "$log" || ok=1
	expect "$log" 'panic' && ok=1
	[ "$qemu_status" -eq 124 ] || ok=1			# still halted
	result $ok "boot: -m 2M says how much RAM Kiva needs and halts, no panic (status $qemu_status)"
}

# boot_to_prompt LOG QEMU-ARGS...: boot, wait for the prompt, type the
# command $TYPE if it is set and wait for its output $TYPE_WAIT, power off.
boot_to_prompt() {
	local log=$1 typing=
	shift
	if [ -n "${TYPE:-}" ]; then
		typing="printf '$TYPE\r'; $(wait_log "$log" "$TYPE_WAIT")"
	fi
	QEMU_INPUT="$(at_prompt "$log") $typing printf 'poweroff\r'; sleep 3"
	qemu "$log" 30 "$@"
}

test_kmem_map_zero() {
	local log=$LOGS/kmem-map-0.log ok=0
	boot_to_prompt "$log" -m 128M -kernel "$KERNEL" -append 'kmem_map=0'
	expect "$log" 'kmem_map=0K is outside' || ok=1
	expect "$log" 'kiva> ' || ok=1
	expect "$log" 'panic' && ok=1
	[ "$qemu_status" -eq 0 ] || ok=1
	result $ok "boot: kmem_map=0 is refused with a message, the automatic size is used (status $qemu_status)"
}

test_kmem_map_above_quarter() {
	local log=$LOGS/kmem-map-4M.log ok=0
	boot_to_prompt "$log" -m 4M -kernel "$KERNEL" -append 'kmem_map=2M'
	expect "$log" 'kmem_map=2048K is refused' || ok=1
	expect "$log" 'kiva> ' || ok=1
	expect "$log" 'panic' && ok=1
	[ "$qemu_status" -eq 0 ] || ok=1
	result $ok "boot: at -m 4M, kmem_map=2M (above RAM/4) is refused with a message (status $qemu_status)"
}

test_fail_nth_max() {
	local log=$LOGS/fail-nth-max.log ok=0
	TYPE=fail TYPE_WAIT='fault injection:' \
	boot_to_prompt "$log" -m 128M -kernel "$KERNEL" -append 'fail=nth:18446744073709551615'
	expect "$log" 'warning' && ok=1
	expect "$log" 'fault injection: nth:18446744073709551615' || ok=1
	[ "$qemu_status" -eq 0 ] || ok=1
	result $ok "boot: fail=nth:18446744073709551615 (2^64 - 1) is accepted without a warning, and fail shows it (status $qemu_status)"
}

test_long_cmdline() {
	local log=$LOGS/long-cmdline.log ok=0 words
	words=$(printf 'kmem_debug %.0s' $(seq 400))	# 4400 bytes
	TYPE=uptime TYPE_WAIT='ticks at 100 Hz' \
	boot_to_prompt "$log" -m 128M -kernel "$KERNEL" -append "$words"
	expect "$log" 'longer than 511 characters' || ok=1
	expect "$log" 'ticks at 100 Hz' || ok=1
	expect "$log" 'panic' && ok=1
	[ "$qemu_status" -eq 0 ] || ok=1
	result $ok "boot: a ${#words}-byte command line is cut with a warning, and the shell works (status $qemu_status)"
}

# A lone ESC is no escape sequence: the Enter after it still ends the line.
test_esc_enter() {
	local log=$LOGS/esc-enter.log ok=0
	QEMU_INPUT="$(at_prompt "$log") printf 'uptime\033\r'; $(wait_log "$log" 'ticks at 100 Hz' 10)
		printf 'poweroff\r'; sleep 3"
	qemu "$log" 30 -m 128M -kernel "$KERNEL"
	expect "$log" 'ticks at 100 Hz' || ok=1
	[ "$qemu_status" -eq 0 ] || ok=1
	result $ok "shell: uptime, ESC, Enter runs uptime (status $qemu_status)"
}

test_too_little_ram
test_kmem_map_zero
test_kmem_map_above_quarter
test_fail_nth_max
test_long_cmdline
test_esc_enter
