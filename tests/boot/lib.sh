# tests/boot/lib.sh - helpers for the QEMU tests (sourced by tests/run.sh).
#
# Every QEMU run has a timeout.  Exit statuses: 33 = the kernel's tests
# passed (isa-debug-exit value 0x10), 35 = a test or the kernel failed,
# 0 = QEMU was powered off, or a triple fault under -no-reboot: never read
# 0 as success without checking the output; 124 = the timeout struck.
# KIVA_BUILD: the build to test (the Makefile passes its own: build/,
# build/llvm/ ...); the logs stay in build/test-logs/ whichever it is.
BUILD=${KIVA_BUILD:-build}
# PYTHON: the Python 3 that runs tools/*.py, with matplotlib (the Makefile
# passes its own; Debian's is the one python3-matplotlib installs into).
PYTHON=${PYTHON:-/usr/bin/python3}
LOGS=build/test-logs
mkdir -p "$LOGS"
passed=0
failed=0
KERNEL=$BUILD/kernel.elf
ISO=$BUILD/kernel.iso
# The user programs, as QEMU -kernel takes boot modules (the ISO has them).
INITRD=$(ls "$BUILD"/user/*.elf 2>/dev/null | paste -sd, -)

# result STATUS NAME: count and print one test result (0 = pass).
result() {
	if [ "$1" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok   $2"
	else
		failed=$((failed + 1))
		echo "FAIL $2"
		echo "FAIL $2" >> "$LOGS/failures.txt"
	fi
}

# qemu LOG SECONDS [QEMU ARGS...]: run QEMU, serial to LOG, stdin from
# $QEMU_INPUT (a command whose output is typed into the serial line) or
# nothing; sets $qemu_status.  -no-reboot, so that a reset (or a triple
# fault) ends the run, unless QEMU_REBOOTS=1 asks for a machine that
# really resets.  A -kernel boot gets the user programs of $INITRD, or
# those of $QEMU_INITRD when it is set.  QEMU_ACCEL replaces the
# accelerator's options (tcg,thread=multi: a host thread per CPU).
qemu() {
	local log=$1 secs=$2 modules=() reboot=(-no-reboot)
	shift 2
	case " $* " in *" -kernel "*) modules=(-initrd "${QEMU_INITRD:-$INITRD}") ;; esac
	[ "${QEMU_REBOOTS:-}" = 1 ] && reboot=()
	local cmd=(timeout "$secs" qemu-system-i386 -accel "${QEMU_ACCEL:-tcg}" -display none
	           -serial stdio "${reboot[@]}"
	           -device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@"
	           "${modules[@]}")
	if [ -n "${QEMU_INPUT:-}" ]; then
		bash -c "$QEMU_INPUT" | "${cmd[@]}" > "$log" 2>&1
		qemu_status=${PIPESTATUS[1]}
	else
		"${cmd[@]}" < /dev/null > "$log" 2>&1
		qemu_status=$?
	fi
	QEMU_INPUT= QEMU_REBOOTS= QEMU_INITRD= QEMU_ACCEL=
}

# qemu_until LOG SECONDS PATTERN INPUT [QEMU ARGS...]: runs QEMU like
# qemu above, typing what the shell command INPUT prints, and stops it
# as soon as LOG matches PATTERN (an extended regex): a kernel that panics
# at the shell halts, and would otherwise sit until the timeout.  Sets
# $qemu_status (143 when it was stopped on the pattern).
qemu_until() {
	local log=$1 secs=$2 pattern=$3 input=$4 qpid
	shift 4
	bash -c "$input" 2>/dev/null | timeout "$secs" qemu-system-i386 -accel tcg \
		-display none -serial stdio -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" \
		-initrd "$INITRD" > "$log" 2>&1 &
	qpid=$!
	while kill -0 "$qpid" 2>/dev/null; do
		grep -aqE "$pattern" "$log" && { sleep 0.3; kill "$qpid"; break; }
		sleep 0.2
	done
	wait "$qpid"
	qemu_status=$?
}

# at_prompt LOG: shell text for QEMU_INPUT that waits (up to 20 s) until
# the kernel in LOG has printed its prompt, so that typing starts only when
# the serial receive interrupt is on, however slowly QEMU starts.
at_prompt() {
	echo "for i in \$(seq 200); do grep -aqF 'kiva> ' '$1' && break; sleep 0.1; done;"
}

# expect LOG TEXT: true when the log contains TEXT (a fixed string).
expect() {
	grep -aqF -- "$2" "$1"
}

# Every in-kernel test, one result each, named with the boot it ran in.
# A failing test shows its failed checks (expression and file:line) and
# the log's path.  The run as a whole is a result of its own, which fails
# only when the run did not finish with a verdict of its own.  The run
# may take KTEST_SECONDS (default 120).
test_kernel_tests() {
	local boot=$1 log=$LOGS/ktest-$(echo "$1" | tr -c 'a-zA-Z0-9\n' -).log
	local failures=0
	shift
	qemu "$log" "${KTEST_SECONDS:-120}" "$@"
	while read -r name verdict; do
		if [ "$verdict" = ok ]; then
			result 0 "ktest [$boot]: $name"
			continue
		fi
		result 1 "ktest [$boot]: $name"
		failures=$((failures + 1))
		grep -a "^ktest: $name: FAILED" "$log" | tr -d '\r' | sed 's/^ktest: [^:]*: /       /'
		echo "       (log: $log)"
	done < <(sed -n 's/^ktest: \([A-Za-z0-9_]*\) \(ok\|FAILED\) (.*/\1 \2/p' "$log")
	local ok=0
	grep -aq '^ktest: [0-9]* passed, [0-9]* failed' "$log" || ok=1
	# The harness prints values as their types are (test_ktest.c).
	grep -aqF 'kexpect_eq_demo: FAILED: minus_one == 2 (-1 != 2)' "$log" || ok=1
	grep -aqF 'kexpect_eq_demo: FAILED: big == 2 (4000000000 != 2)' "$log" || ok=1
	case $qemu_status in
	33) ;;
	35) [ "$failures" -gt 0 ] || ok=1 ;;	# a failure no test line named
	*) ok=1 ;;
	esac
	result $ok "ktest [$boot]: the run finishes and exits QEMU with its verdict (status $qemu_status$([ $ok -ne 0 ] && echo ", log: $log"))"
}

# backtrace_has LOG REGEX...: true when the backtrace in LOG (from the
# "backtrace:" line to the memory report) has lines matching every REGEX
# (extended), in that order.
backtrace_has() {
	local log=$1 trace at=0 n
	shift
	trace=$(tr -d '\r' < "$log" | sed -n '/^backtrace:/,/^kernel memory/p')
	for re in "$@"; do
		n=$(printf '%s\n' "$trace" | tail -n +$((at + 1)) |
		    grep -n -E -m 1 -- "$re" | cut -d: -f1)
		[ -n "$n" ] || return 1
		at=$((at + n))
	done
}

# script_steps LOG STEP...: shell text for QEMU_INPUT that types a script
# into the kernel in LOG, one STEP at a time.  A step is COUNT|TEXT, or
# COUNT|TEXT|PATTERN: wait until the log holds COUNT matches of PATTERN
# (an extended regular expression; default: the prompt, "kiva> "), then
# type TEXT and a return (type_line, below).  Each wait gives up after
# $STEP_BOUND seconds (default 60), and the script stops typing there:
# the run then times out, which the test reads as a hang.
script_steps() {
	local log=$1 step count text pattern
	shift
	script_type_line "$log"
	for step in "$@"; do
		count=${step%%|*}
		text=${step#*|}
		pattern='kiva> '
		case "$text" in *'|'*) pattern=${text#*|}; text=${text%%|*} ;; esac
		# The prompts after a line typed again come one later each.
		[ "$pattern" = 'kiva> ' ] && count="$count + retyped"
		printf 'n=0; until [ "$(grep -aoE %q %q 2>/dev/null | wc -l)" -ge $((%s)) ]; do ' \
		       "$pattern" "$log" "$count"
		printf 'n=$((n + 1)); [ $n -le $((%d * 20)) ] || exit 0; ' \
		       "${STEP_BOUND:-60}"
		printf 'sleep 0.05; done; type_line %q; ' "$text"
	done
	:	# done: the end of the input is no end of the run
}

# script_type_line LOG: the definition of type_line TEXT, for the script.
# The console drops a byte it has no room for (an injected failure, a
# flood), and a script must get its line through as a person at the
# keyboard would: type_line types TEXT and a return, then waits for the
# shell to enter it, which shows in LOG as a line that ends "kiva> TEXT"
# and the return (redraws and erasures come before it on that line).
# When nothing has been entered for $RETYPE_QUIET seconds (default 5)
# and TEXT has not been:
#   - if the shell entered some line since the typing, TEXT arrived
#     without a byte and the shell took it for another command: type
#     TEXT again, whole;
#   - if it entered none, the return was lost: type a return.  A line
#     that lost a letter as well is then entered, and typed again next.
# At most $RETYPE_TRIES (default 5) times.  $retyped counts the lines
# entered that were not the script's own, each a prompt more.
script_type_line() {
	printf 'retyped=${retyped:-0}; '
	printf 'entered() { awk -v w="$1" %q %q 2>/dev/null; }; ' \
	       'BEGIN { w = "kiva> " w "\r" }
	        { if (w == "kiva> \r") { if ($0 ~ /kiva> [^\r]*\r$/) n++ }
	          else if (substr($0, length($0) - length(w) + 1) == w) n++ }
	        END { print n + 0 }' "$1"
	printf '%s\n' 'type_line() {
		local text=$1 mine base typed_at any now tries=0 quiet=0
		mine=$(entered "$text"); base=$(entered ""); typed_at=$base; any=$base
		printf %s "$text"; printf "\r"
		until [ "$(entered "$text")" -gt "$mine" ]; do
			now=$(entered "")
			[ "$now" -eq "$any" ] || { any=$now; quiet=0; }
			quiet=$((quiet + 1))
			if [ $quiet -gt $((${RETYPE_QUIET:-5} * 20)) ]; then
				tries=$((tries + 1))
				[ $tries -le ${RETYPE_TRIES:-5} ] || return 0
				# Entered since, and not the line: it, less a byte.
				[ "$any" -gt "$typed_at" ] && printf %s "$text"
				printf "\r"; typed_at=$any; quiet=0
			fi
			sleep 0.05
		done
		retyped=$((retyped + $(entered "") - base - 1))
	}'
}
