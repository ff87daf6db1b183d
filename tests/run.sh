#!/bin/bash
# tests/run.sh - every test Kiva has, one line each, then "N passed, N failed".
#
#   tests/run.sh [HOST_TEST_BINARY...]
#
# 1. host unit tests (cmocka, under ASan and UBSan): one result per test case
# 2. QEMU boot tests: both boot paths, the shell, no-PAE CPUs, panics; the
#    LLVM and DEBUG=1 kernels, make help, the QEMU version check;
#    isolation (DF, SMEP/SMAP/UMIP, x87/SSE state), kill and ^C; the
#    kmem_design=2003 switch
# 3. in-kernel tests (`test` boot option), counted per test; again at
#    -smp 2 and 4, the SMP stress, the uniprocessor paths on SMP machines
# 4. the boot matrix: memory sizes x machines x CPU models
# 5. a sample of the fault-injection sweep over the shell's workloads, the
#    first and last N of each (all of it: make sweep); every in-kernel test
#    under a spread of fail= specs; booting under fail=every:1; the serial
#    console flooded while memhog and four fdbombs run; the sample on 2
#    CPUs; the labs, the tree's and the handouts' scores (tests/boot/labs.sh)
# 6. scripted GDB sessions: break at kmain; the kiva commands against the
#    kernel's own output, QEMU's page tables and a planted corruption
# Logs of every QEMU run are kept in build/test-logs/.
cd "$(dirname "$0")/.." || exit 1
. tests/boot/lib.sh
: > "$LOGS/failures.txt"	# what result() records, for the recap

for bin in "$@"; do
	log=$LOGS/host-$(basename "$bin").log
	CMOCKA_MESSAGE_OUTPUT=TAP "$bin" > "$log" 2>&1
	status=$?
	ok=$(grep -c '^ok ' "$log")
	bad=$(grep -c '^not ok ' "$log")
	grep '^not ok ' "$log" | while read -r line; do
		echo "FAIL host $(basename "$bin"): $line"
	done
	passed=$((passed + ok))
	failed=$((failed + bad))
	if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ] || [ "$ok" -eq 0 ]; then
		result 1 "host $(basename "$bin") (exit $status, see $log)"
	else
		echo "ok   host $(basename "$bin"): $ok cases"
	fi
done

. tests/boot/boot_tests.sh
. tests/boot/smp_tests.sh
. tests/boot/build_tests.sh
. tests/boot/isolation_tests.sh
. tests/boot/kmem_design.sh
. tests/boot/matrix.sh
. tests/boot/sweep.sh sample 4
SWEEP_SMP=2 . tests/boot/sweep.sh sample 4
. tests/boot/ktest_inject.sh
. tests/boot/pressure.sh
[ -f tests/boot/labs.sh ] && . tests/boot/labs.sh	# not in student trees
. tests/gdb/gdb_test.sh
. tests/gdb/helpers_test.sh

# The failures again at the end, where a reader of only the last lines
# (CI, fresh-machine) sees them.
if [ "$failed" -gt 0 ] && [ -s "$LOGS/failures.txt" ]; then
	echo "the failures, again:"
	cat "$LOGS/failures.txt"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
