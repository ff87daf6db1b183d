#!/bin/bash
# tests/boot/repeat.sh - the SMP tests, N rounds in a row (a test that
# involves several CPUs must pass 20 in a row: flaky is broken).
#
#   tests/boot/repeat.sh [N]	(default 20; after make all)
#
# Each round is tests/boot/smp_tests.sh whole, with its logs kept in
# build/repeat-logs/round-R/, so that a round that failed can be read
# afterwards.  A round fails if any of its tests does; its failing lines
# are printed with the round number and its log directory.  The last line
# is "repeat: R of N rounds passed".
cd "$(dirname "$0")/../.." || exit 1
rounds=${1:-20}
good=0
rm -rf build/repeat-logs
for round in $(seq "$rounds"); do
	logs=build/repeat-logs/round-$round
	out=$(ROUND_LOGS=$logs bash -c '. tests/boot/lib.sh
		LOGS=$ROUND_LOGS; mkdir -p "$LOGS"
		. tests/boot/smp_tests.sh
		echo "round: $passed passed, $failed failed"')
	summary=$(printf '%s\n' "$out" | tail -n 1)
	printf '%s\n' "$out" | grep '^FAIL' | sed "s|^|round $round ($logs): |"
	echo "round $round: ${summary#round: }"
	case $summary in *", 0 failed") good=$((good + 1)) ;; esac
done
echo "repeat: $good of $rounds rounds passed"
[ "$good" -eq "$rounds" ]
