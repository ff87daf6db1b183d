# tests/boot/lib.sh - helpers for the QEMU tests (sourced by tests/run.sh).
#
# Every QEMU run has a timeout.  Exit statuses: 33 = the kernel's tests
# passed (isa-debug-exit value 0x10), 35 = a test or the kernel failed,
# 0 = QEMU was powered off, or a triple fault under -no-reboot: never read
# 0 as success without checking the output; 124 = the timeout struck.
LOGS=build/test-logs
mkdir -p "$LOGS"
passed=0
failed=0
KERNEL=build/kernel.elf
ISO=build/kernel.iso
# The user programs, as QEMU -kernel takes boot modules (the ISO has them).
INITRD=$(ls build/user/*.elf 2>/dev/null | paste -sd, -)

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
# nothing; sets $qemu_status.
qemu() {
	local log=$1 secs=$2 modules=()
	shift 2
	# A -kernel boot gets the user programs as modules, like the ISO.
	case " $* " in *" -kernel "*) modules=(-initrd "$INITRD") ;; esac
	local cmd=(timeout "$secs" qemu-system-i386 -accel tcg -display none
	           -serial stdio -no-reboot
	           -device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@"
	           "${modules[@]}")
	if [ -n "${QEMU_INPUT:-}" ]; then
		bash -c "$QEMU_INPUT" | "${cmd[@]}" > "$log" 2>&1
		qemu_status=${PIPESTATUS[1]}
	else
		"${cmd[@]}" < /dev/null > "$log" 2>&1
		qemu_status=$?
	fi
	QEMU_INPUT=
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
