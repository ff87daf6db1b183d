#!/bin/bash
# tests/boot/pressure.sh - the interrupt side under pressure.
#
# At -m 24M kmem_map=2M, memhog takes all memory and four fdbombs run in
# the background while the serial console is flooded for $FLOOD_SECONDS
# with lines "z0123456789", as fast as QEMU takes them.  The serial
# handler allocates the console's input chunks (M_NOWAIT, in interrupt
# context) from what is left.  Then: no panic; the shell answers
# (`kmem check`); everything is back at the baseline; bytes that found no
# room were dropped and counted (`kmem`), not corrupted: every line the
# shell got is made of the flood's bytes, nothing else (drops come in
# runs, wherever the queue is full, so the order of what is left says
# little more).  Sourced by tests/run.sh.
FLOOD_SECONDS=${FLOOD_SECONDS:-10}
FLOOD_LINE=z0123456789

pressure_test() {
	local log=$LOGS/pressure.log ok=0 why= gen bad dropped
	gen="$(script_steps "$log" "1|kmem baseline" "2|run memhog &" \
	                    "3|run fdbomb &" "4|run fdbomb &" "5|run fdbomb &" \
	                    "6|run fdbomb &")"
	# The flood: blocks of lines, written as fast as QEMU reads them.
	gen="$gen end=\$((SECONDS + $FLOOD_SECONDS)); while [ \$SECONDS -lt \$end ]; do printf '$FLOOD_LINE\\r%.0s' \$(seq 100); done; "
	gen="$gen$(STEP_BOUND=120 script_steps "$log" \
	    "5|kmem check|descriptors, then|grew its heap|run: (fdbomb|memhog):" \
	    "1|kmem|kmem: check:" "1|poweroff|console input bytes dropped")"
	QEMU_INPUT=$gen qemu "$log" 240 -m 24M -kernel "$KERNEL" \
		-append 'kmem_map=2M'
	expect "$log" 'panic' && { ok=1; why="$why a panic;"; }
	expect "$log" 'Kiva: powering off' ||
		{ ok=1; why="$why the shell did not answer (status $qemu_status);"; }
	expect "$log" 'kmem: check: everything is back at the baseline' ||
		{ ok=1; why="$why not back at the baseline:$(grep -a '^census: check' "$log" | tr -d '\r' | tr '\n' ';')"; }
	# Each word the shell refused is the flood's bytes and no others.
	bad=$(tr -d '\r' < "$log" | sed -n 's/^\(kiva> \)*\([^ ]*\): unknown command.*/\2/p' |
	      grep -v '^[z0-9]*$' | head -3)
	[ -z "$bad" ] || { ok=1; why="$why corrupted input: $(echo $bad);"; }
	dropped=$(grep -a 'console input bytes dropped:' "$log" | tail -1 | tr -dc 0-9)
	result $ok "pressure: serial flood for $FLOOD_SECONDS s with memhog and four fdbombs at -m 24M kmem_map=2M: no panic, input dropped and counted (${dropped:-?} bytes), not corrupted, the shell answers, back at the baseline${why:+:$why}"
}
pressure_test
