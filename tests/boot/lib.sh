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
	fi
}

# qemu LOG SECONDS [QEMU ARGS...]: run QEMU, serial to LOG, stdin from
# $QEMU_INPUT (a command whose output is typed into the serial line) or
# nothing; sets $qemu_status.  -no-reboot, so that a reset (or a triple
# fault) ends the run, unless QEMU_REBOOTS=1 asks for a machine that
# really resets.  A -kernel boot gets the user programs of $INITRD, or
# those of $QEMU_INITRD when it is set.
qemu() {
	local log=$1 secs=$2 modules=() reboot=(-no-reboot)
	shift 2
	case " $* " in *" -kernel "*) modules=(-initrd "${QEMU_INITRD:-$INITRD}") ;; esac
	[ "${QEMU_REBOOTS:-}" = 1 ] && reboot=()
	local cmd=(timeout "$secs" qemu-system-i386 -accel tcg -display none
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
	QEMU_INPUT= QEMU_REBOOTS= QEMU_INITRD=
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

# script_steps LOG STEP...: shell text for QEMU_INPUT that types a script
# into the kernel in LOG, one STEP at a time.  A step is COUNT|TEXT, or
# COUNT|TEXT|PATTERN: wait until the log holds COUNT matches of PATTERN
# (an extended regular expression; default: the prompt, "kiva> "), then
# type TEXT and a return.  Each wait
# gives up after $STEP_BOUND seconds (default 60), and the script stops
# typing there: the run then times out, which the test reads as a hang.
script_steps() {
	local log=$1 step count text pattern
	shift
	for step in "$@"; do
		count=${step%%|*}
		text=${step#*|}
		pattern='kiva> '
		case "$text" in *'|'*) pattern=${text#*|}; text=${text%%|*} ;; esac
		printf 'n=0; until [ "$(grep -aoE %q %q 2>/dev/null | wc -l)" -ge %d ]; do ' \
		       "$pattern" "$log" "$count"
		printf 'n=$((n + 1)); [ $n -le $((%d * 20)) ] || exit 0; ' \
		       "${STEP_BOUND:-60}"
		printf 'sleep 0.05; done; printf %%s %q; printf "\\r"; ' "$text"
	done
	:	# done: the end of the input is no end of the run
}
