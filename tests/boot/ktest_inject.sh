#!/bin/bash
# tests/boot/ktest_inject.sh - every in-kernel test under fault injection.
#
# One boot per spec, `test test_fail=SPEC`: each test runs with injection
# started afresh as it starts (kernel/debug/ktest.h, ktest_set_injection).
# A test may fail under injection; whether it passes is not asserted.
# What is: no panic, no hang (the summary line within the bound), and no
# leak: the runner's census of each test (kernel/debug/census.h) names
# none, and no test leaves a process behind.  every:1 is not among the
# specs: an M_WAITOK request retries until injection lets it through, so
# under every:1 the first one waits for ever (and says so).
# Sourced by tests/run.sh; boots $SWEEP_JOBS (default 3) at a time.
KTEST_SPECS="nth:1 nth:2 nth:3 nth:5 nth:8 every:2 every:3 every:7
random:10:3 random:30:7 random:50:11 nth:2,type=test every:2,type=thread
every:2,alloc=intr every:2,alloc=nointr every:2,type=frame"

ktest_inject_one() {
	local spec=$1 log=$LOGS/ktest-inject-${1//[:,=]/-}.log ok=0 why=
	qemu "$log" 300 -m 256M -kernel "$KERNEL" -append "test test_fail=$spec"
	expect "$log" 'panic' && { ok=1; why="$why a panic;"; }
	expect "$log" 'ktest: ' && grep -aq '^ktest: [0-9]* passed, ' "$log" ||
		{ ok=1; why="$why no summary (status $qemu_status);"; }
	expect "$log" 'did not leave memory' && { ok=1; why="$why a leak:$(grep -a '^census: ' "$log" | tr -d '\r' | tr '\n' ';')"; }
	expect "$log" 'nobody waited' && { ok=1; why="$why a process left behind;"; }
	result $ok "in-kernel tests under test_fail=$spec: no panic, hang or leak ($(grep -a '^ktest: [0-9]* passed' "$log" | tr -d '\r' | sed 's/ktest: //'))${why:+:$why}"
}

ktest_inject_start=$(date +%s)
export -f ktest_inject_one qemu expect result
export KERNEL INITRD LOGS
ktest_inject_out=$(echo $KTEST_SPECS | tr ' ' '\n' |
	xargs -d '\n' -P "${SWEEP_JOBS:-3}" -I{} \
		bash -c "passed=0 failed=0; ktest_inject_one '{}'")
echo "$ktest_inject_out"
passed=$((passed + $(echo "$ktest_inject_out" | grep -c '^ok ')))
failed=$((failed + $(echo "$ktest_inject_out" | grep -c '^FAIL ')))
echo "in-kernel tests under injection: $(echo $KTEST_SPECS | wc -w) specs in $(($(date +%s) - ktest_inject_start)) s"
