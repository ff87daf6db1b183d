#!/bin/bash
# tests/boot/sweep.sh - the fault-injection sweep.
#
#   tests/boot/sweep.sh all        every N from 1 to the number of
#                                  allocations a boot plus kmem_workload make
#   tests/boot/sweep.sh sample K   K values of N spread over that range
#
# Each boot runs `fail=nth:N test=kmem_workload`: exactly the Nth kmalloc
# (or stack allocation) since boot fails.  It must finish without a panic,
# exit with status 33 (kmem_workload checks that every type's bytes in use
# return to their baseline), and report that it injected that one failure.
# Sourced by tests/run.sh for the sample; `make sweep` runs it alone.
# SWEEP_SMP=N boots N CPUs (each a host thread), where a failure may hit
# a call on any of them.
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
# Run alone (make sweep) it needs the helpers; sourced, it has them.
[ -n "${LOGS:-}" ] || . tests/boot/lib.sh

SWEEP_SMP=${SWEEP_SMP:-1}
sweep_smp=$([ "$SWEEP_SMP" -gt 1 ] && echo "-smp$SWEEP_SMP-")

# sweep_qemu LOG ARGS: the sweep's boot, on $SWEEP_SMP CPUs.
sweep_qemu() {
	local log=$1
	shift
	QEMU_ACCEL=tcg,thread=multi qemu "$log" 60 -m 64M -smp "$SWEEP_SMP" \
		-kernel "$KERNEL" -append "$*"
}

sweep_one() {
	local n=$1 log=$LOGS/sweep-$sweep_smp$1.log ok=0
	sweep_qemu "$log" "fail=nth:$n test=kmem_workload"
	[ "$qemu_status" -eq 33 ] || ok=1
	expect "$log" 'panic' && ok=1
	expect "$log" "fault injection: nth:$n " || ok=1
	expect "$log" 'injected 1' || ok=1
	result $ok "sweep: fail=nth:$n ${sweep_smp:+on $SWEEP_SMP CPUs }boots, runs kmem_workload, stats back at baseline (status $qemu_status)"
}

baseline=$LOGS/sweep-${sweep_smp}baseline.log
sweep_qemu "$baseline" test=kmem_workload
total=$(sed -n 's/^kmem: \([0-9]*\) allocation calls since boot.*/\1/p' "$baseline" | tr -d '\r')
if [ "$qemu_status" -ne 33 ] || [ -z "$total" ]; then
	result 1 "sweep: the baseline boot ran kmem_workload (status $qemu_status)"
	total=0
fi

[ "$total" -gt 0 ] || set -- none
case "${1:-sample}" in
none) ;;
all)
	for n in $(seq 1 "$total"); do sweep_one "$n"; done
	echo "sweep: $total boots (every N from 1 to $total)"
	;;
sample)
	k=${2:-10}
	values=$(for i in $(seq 0 $((k - 1))); do
		echo $(( 1 + i * (total - 1) / (k - 1) ))
	done | sort -un)
	for n in $values; do sweep_one "$n"; done
	echo "sweep: $(echo "$values" | wc -w) boots sampled from N = 1..$total"
	;;
esac
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
fi
