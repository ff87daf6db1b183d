#!/bin/bash
# tools/plot-scenario.sh - `make plot SCENARIO=NAME`: boot the kernel in
# QEMU with the kmemtrace boot option, drive one scenario, and plot the
# trace lines of its serial log with tools/plot_kmemtrace.py into
# build/plots/ (the log stays there too, as NAME.log).
#
#   fdbombs    four `run fdbomb &` at the prompt: the 2003 failure, now
#              in kernel_map; until all four get EMFILE and exit
#   memhog     `run memhog`: a heap grown until ENOMEM, in user pages
#   workload   the fault-injection workload (test=kmem_workload) nine
#              times over, with fail=random:10:1 failing one kmalloc in ten
#   fdbombs2003
#              four `run fdbomb 3000000 &` under kmem_design=2003, the
#              design of 2003 (every kmalloc in kmem_map): to its panic
#
# docs/plots.md shows the four and explains how to read them.  The
# environment, as for the tests (tests/boot/lib.sh): KIVA_BUILD (the build
# to boot, default build/), PYTHON (one with matplotlib).
cd "$(dirname "$0")/.." || exit 1
. tests/boot/lib.sh

name=${1:-}
out=build/plots
log=$out/$name.log
mkdir -p "$out" || exit 1

# wait_for TEXT COUNT: shell text for QEMU_INPUT that waits (up to 60 s)
# until the log has COUNT lines with TEXT.
wait_for() {
	echo "for i in \$(seq 600); do [ \$(grep -ac '$1' '$log') -ge $2 ] && break; sleep 0.1; done;"
}

case $name in
fdbombs)
	QEMU_INPUT="$(at_prompt "$log") sleep 0.3;
		for i in 1 2 3 4; do printf 'run fdbomb &\r'; sleep 0.1; done;
		$(wait_for 'descriptors, then' 4) sleep 0.5; printf 'poweroff\r'; sleep 2"
	options='kmemtrace=50' ;;
memhog)
	QEMU_INPUT="$(at_prompt "$log") sleep 0.3; printf 'run memhog\r';
		$(wait_for 'memhog: pid' 1) sleep 0.5; printf 'poweroff\r'; sleep 2"
	options='kmemtrace=50' ;;
workload)
	QEMU_INPUT=
	options="kmemtrace=10 fail=random:10:1 test=$(printf 'kmem_workload,%.0s' $(seq 9))" ;;
fdbombs2003)
	# Halted after its panic: stopped once the statistics that follow
	# the panic message are printed (their last line, "refused frees").
	QEMU_INPUT="$(at_prompt "$log") sleep 0.3;
		for i in 1 2 3 4; do printf 'run fdbomb 3000000 &\r'; sleep 0.2; done"
	stop_at='refused frees'
	options='kmemtrace=50 kmem_design=2003' ;;
*)
	echo "make plot: SCENARIO must be fdbombs, memhog, workload or fdbombs2003, not '$name'" >&2
	exit 2 ;;
esac

echo "plot: booting scenario $name (kernel options: $options)"
if [ -n "${stop_at:-}" ]; then
	qemu_until "$log" 120 "$stop_at" "$QEMU_INPUT" -m 128M -kernel "$KERNEL" -append "$options"
	grep -aqE "$stop_at" "$log" && qemu_status=0
else
	qemu "$log" 120 -m 128M -kernel "$KERNEL" -append "$options"
fi
case $qemu_status in
0|33|35) ;;	# powered off (or stopped after a panic); the tests' verdicts, or a panic
*) echo "plot: QEMU ended with status $qemu_status (log: $log)" >&2; exit 1 ;;
esac
exec "$PYTHON" tools/plot_kmemtrace.py plot "$log" "$out" "$name"
