#!/bin/bash
# tests/boot/sweep.sh - the whole-system fault-injection sweep and soak.
#
#   tests/boot/sweep.sh all [WORKLOAD]   every N from 1 to the workload's
#                                        allocation count (all workloads,
#                                        or the one named)
#   tests/boot/sweep.sh sample K         K values of N per workload, spread
#                                        over the range, first and last too
#   tests/boot/sweep.sh soak SECONDS     random:P:SEED boots over every
#                                        workload until SECONDS have gone
#   tests/boot/sweep.sh one WORKLOAD SPEC   one boot, for replaying
#
# The workloads are the shell's: booting to the prompt (boot), then, each
# in a boot of its own, `run usertests`, `run fdbomb`, four fdbombs at
# once in the background, `run memhog`, and a burst of console input.
# A workload boot types, one line per prompt (lib.sh, script_steps):
#
#   kmem baseline        count what the kernel holds (kernel/debug/census.h)
#   fail SPEC            from here on, inject (mm/failinject.h)
#   ...the workload...   and the exit and reaping of its processes
#   fail                 how many allocations matched, how many failed
#   fail off
#   kmem check           the count again: every malloc type's bytes, the
#                        frames, stacks and process slots back at the
#                        baseline, or each difference named
#   kmem                 the failures, sleeps and dropped input
#   poweroff
#
# A reference boot of each workload with a spec that never fires
# (every:2^64-1) counts the workload's allocations; the sweep then boots
# once per N with fail=nth:N.  Each boot must show no panic; no hang: each
# prompt within STEP_BOUND seconds (60 by default: a whole usertests run
# is one step); everything back at the baseline; and the failure injected
# and seen: retried (an M_WAITOK sleep), dropped (console input, counted)
# or reported (an error in the workload's output).  The boot workload
# puts fail=nth:N on the command line and compares the prompt's census
# with a boot without it.  Boots run $SWEEP_JOBS (default 3) at a time.
# Sourced by tests/run.sh for the sample; `make sweep` and `make soak`
# run it alone.
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
# Run alone (make sweep) it needs the helpers; sourced, it has them.
[ -n "${LOGS:-}" ] || . tests/boot/lib.sh

SWEEP_JOBS=${SWEEP_JOBS:-3}
# A spec that matches everything and fails nothing: an N no workload
# reaches, as wide as the sweep's (nth_spec), so that the typed lines are
# as long and the console takes its input chunks at the same places.
NEVER=nth:9999999999
nth_spec() {
	printf 'nth:%010d\n' "$1"
}
BURST=$(printf 'burst%.0s-x7' $(seq 15))	# 120 bytes, an unknown command
WORKLOADS="boot usertests fdbomb fdbombs memhog burst"

# The typed lines of a workload, as script_steps steps from prompt 3 on
# (1 and 2 took kmem baseline and fail SPEC); its last step types `kmem`
# once the workload is over.  One step a line.
workload_steps() {
	case $1 in
	usertests) printf '%s\n' "3|run usertests" "4|kmem" ;;
	fdbomb) printf '%s\n' "3|run fdbomb" "4|kmem" ;;
	memhog) printf '%s\n' "3|run memhog" "4|kmem" ;;
	burst) printf '%s\n' "3|$BURST" "4|$BURST" "5|kmem" ;;
	fdbombs)
		# Their output redraws the prompt, so no more prompt counts:
		# four ended or failed to start, and their output is done.
		printf '%s\n' "3|run fdbomb &" "4|run fdbomb &" \
		       "5|run fdbomb &" "6|run fdbomb &" \
		       "4|kmem|descriptors, then|run: [a-z]*: "
		;;
	esac
}

# After the workload's `kmem`, each line waits for the end of the output
# of the one before: a prompt count could be off by the redraws.
after_workload_steps() {
	printf '%s\n' "1|fail|console input bytes dropped" \
	       "2|fail off|matched [0-9]+, injected" \
	       "1|kmem check|injection: off [(]" "1|kmem|kmem: check:" \
	       "2|poweroff|console input bytes dropped"
}

# SWEEP_SMP=N boots N CPUs (each a host thread: -accel tcg,thread=multi),
# where an injected failure may hit a call on any of them.
SWEEP_SMP=${SWEEP_SMP:-1}
SWEEP_LOG_TAG=$([ "$SWEEP_SMP" -gt 1 ] && echo "smp$SWEEP_SMP-")
SWEEP_ACCEL=$([ "$SWEEP_SMP" -gt 1 ] && echo tcg,thread=multi || echo tcg)

# sweep_boot WORKLOAD SPEC LOG [OPTION]: one boot, the boot workload's
# with OPTION on its command line too; sets $qemu_status.
sweep_boot() {
	local w=$1 spec=$2 log=$3 option=${4:-} steps=()
	if [ "$w" = boot ]; then
		# An empty line first: a byte the console drops for want of a
		# chunk (the first input's) is then no letter of a command.
		# It may be gone, so the next line waits for no prompt; a
		# line that loses a byte is typed again (lib.sh, type_line).
		steps=("1|" "1|kmem baseline" "1|kmem|^census: temp="
		       "3|poweroff")
		QEMU_INPUT=$(script_steps "$log" "${steps[@]}") \
		QEMU_ACCEL=$SWEEP_ACCEL \
			qemu "$log" "$BOOT_BOUND_S" -m 64M -smp "$SWEEP_SMP" \
			     -kernel "$KERNEL" -append "fail=$spec${option:+ $option}"
		return
	fi
	mapfile -t steps < <(echo "1|kmem baseline"; echo "2|fail $spec"
	                     workload_steps "$w"; after_workload_steps)
	QEMU_INPUT=$(script_steps "$log" "${steps[@]}") QEMU_ACCEL=$SWEEP_ACCEL \
		qemu "$log" "$BOOT_BOUND_S" -m "$(workload_memory "$w")" \
		     -smp "$SWEEP_SMP" -kernel "$KERNEL"
}

# RAM for a workload's boots.  memhog takes every frame, one allocation
# each: at 8 MiB that is a sweep of some 1,300 boots instead of 16,000.
workload_memory() {
	case $1 in memhog) echo 8M ;; *) echo 64M ;; esac
}
STEP_BOUND_S=${STEP_BOUND:-60}
# A whole boot: the longest step, and the rest, under load.
BOOT_BOUND_S=$((STEP_BOUND_S + 90))

# census_line LOG: the census a boot's `kmem baseline` printed, its
# compared figures only.
census_line() {
	grep -a -m1 '^census: temp=' "$1" | tr -d '\r' | sed 's/ (calls=.*//'
}

# injection_window WORKLOAD LOG: the part of the log in which a boot's
# failure is injected and seen: from `fail SPEC` to `fail`, or for the
# boot workload (fail= on the command line) up to its first command.
injection_window() {
	tr -d '\r' < "$2" | awk -v w="$1" '
		w == "boot" { if (/kiva> kmem baseline$/) exit; print; next }
		/kiva> fail [^ ]+$/ && !on { on = 1; next }
		/kiva> fail$/ { exit }
		on'
}

# The error lines of a boot's injection window.  Some are the
# workload's own, with or without injection (usertests checks that a
# huge sbrk fails): errors_beyond_reference drops those the reference
# boot (count, above) printed too.  memhog is the exception: it runs
# until a frame is refused and says so, and its last allocation is the
# one refused anyway, so its own "then ENOMEM" is its report.
ERROR_WORDS='ENOMEM|FAIL |exited with status|unknown command|no stack|no memory'
errors_in_window() {	# WORKLOAD LOG
	injection_window "$1" "$2" | grep -aE "$ERROR_WORDS" | sort -u
}
errors_beyond_reference() {	# WORKLOAD LOG
	[ "$1" = memhog ] &&
		errors_in_window "$1" "$2" | grep -a 'memhog: .*, then ENOMEM'
	comm -23 <(errors_in_window "$1" "$2") \
	         <(errors_in_window "$1" "$LOGS/sweep-$SWEEP_LOG_TAG$1-count.log")
}

# How a boot saw its one injected failure: retried, dropped, reported (an
# error the reference boot did not print, in the injection's window) or
# silent (none of those: a caller that neither said nor retried).
outcome() {
	local w=$1 log=$2
	local drops sleeps
	drops=$(grep -a 'console input bytes dropped:' "$log" | tail -1 |
	        tr -dc 0-9)
	sleeps=$(grep -a '^census: temp=' "$log" | tail -1 |
	         sed 's/.*sleeps=\([0-9]*\)).*/\1/' | tr -d '\r')
	if [ "${sleeps:-0}" -gt 0 ]; then
		echo retried
	elif [ "${drops:-0}" -gt 0 ]; then
		echo dropped
	elif [ -n "$(errors_beyond_reference "$w" "$log")" ]; then
		echo reported
	else
		echo silent
	fi
}

# check_boot WORKLOAD SPEC LOG: judges a boot; prints its result line and
# "outcome: WORD" for the tally.
check_boot() {
	local w=$1 spec=$2 log=$3 status=$4 ok=0 why= cpus reference
	expect "$log" 'panic' && { ok=1; why="$why panic;"; }
	expect "$log" 'Kiva: powering off' || { ok=1; why="$why no prompt within ${STEP_BOUND_S} s of a step (status $status);"; }
	if [ "$w" = boot ]; then
		# A CPU whose start failed stays off: compare with a clean
		# boot of as many CPUs as came up.
		cpus=$(grep -aoE -m1 '^smp: [0-9]+ CPUs? running' "$log" | tr -dc 0-9)
		reference=BOOT_CENSUS
		[ "${cpus:-$SWEEP_SMP}" -lt "$SWEEP_SMP" ] && reference=BOOT_CENSUS_CPUS_$cpus
		[ "$(census_line "$log")" = "${!reference}" ] ||
			{ ok=1; why="$why census at the prompt differs from a clean boot's${cpus:+ on $cpus CPU(s)};"; }
	else
		expect "$log" 'kmem: check: everything is back at the baseline' ||
			{ ok=1; why="$why not back at the baseline:$(grep -a '^census: check' "$log" | tr -d '\r' | tr '\n' ';')"; }
	fi
	case $spec in
	nth:*)
		if expect "$log" "injected 1"; then
			o=$(outcome "$w" "$log")
			[ "$o" = silent ] && { ok=1; why="$why the failure was neither retried, dropped nor reported;"; }
			echo "outcome: $o"
		else
			echo "outcome: missed"	# the run made fewer calls
		fi
		;;
	esac
	result $ok "sweep $w$([ "$SWEEP_SMP" -gt 1 ] && echo " on $SWEEP_SMP CPUs"): fail=$spec${why:+:$why} (log $log)"
}

# One boot and its verdict; for xargs, which runs $SWEEP_JOBS of them.
sweep_job() {
	local w=$1 spec=$2 log=$LOGS/sweep-$SWEEP_LOG_TAG$1-$2.log
	sweep_boot "$w" "$spec" "$log"
	check_boot "$w" "$spec" "$log" "$qemu_status"
}

# count WORKLOAD: the allocations it makes (the reference boot's).
count() {
	local log=$LOGS/sweep-$SWEEP_LOG_TAG$1-count.log
	sweep_boot "$1" "$NEVER" "$log"
	grep -a "fault injection: $NEVER" "$log" |
		sed -n 's/.*matched \([0-9]*\),.*/\1/p' | tail -1
}

# The boot workload's allocations, BOOT_TOTAL, and the census at a clean
# boot's prompt, BOOT_CENSUS, for the boot workload's boots;
# on SMP also at each smaller CPU count (ncpus=K), BOOT_CENSUS_CPUS_K,
# for a boot in which an injected failure kept a CPU from starting.
count_boot() {
	local k log
	BOOT_TOTAL=$(count boot)
	BOOT_CENSUS=$(census_line "$LOGS/sweep-${SWEEP_LOG_TAG}boot-count.log")
	for k in $(seq 1 $((SWEEP_SMP - 1))); do
		log=$LOGS/sweep-${SWEEP_LOG_TAG}boot-count-ncpus$k.log
		sweep_boot boot "$NEVER" "$log" "ncpus=$k"
		export "BOOT_CENSUS_CPUS_$k=$(census_line "$log")"
	done
}

# run_specs WORKLOAD SPEC...: the boots, in parallel, then the tally.
run_specs() {
	local w=$1 out
	shift
	export -f sweep_boot sweep_job check_boot outcome injection_window \
		errors_in_window errors_beyond_reference census_line \
		workload_steps after_workload_steps workload_memory qemu script_steps \
		script_type_line expect result
	export KERNEL INITRD LOGS BURST ERROR_WORDS STEP_BOUND_S BOOT_BOUND_S BOOT_CENSUS \
		SWEEP_SMP SWEEP_ACCEL SWEEP_LOG_TAG
	out=$(printf '%s\n' "$@" | xargs -d '\n' -P "$SWEEP_JOBS" -I{} \
		bash -c "passed=0 failed=0; sweep_job $w '{}'")
	echo "$out" | grep -v '^outcome:'
	passed=$((passed + $(echo "$out" | grep -c '^ok ')))
	failed=$((failed + $(echo "$out" | grep -c '^FAIL ')))
	tally=$(echo "$out" | sed -n 's/^outcome: //p' | sort | uniq -c |
	        awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}')
}

# spread K TOTAL: K values from 1 to TOTAL, first and last always.
spread() {
	for i in $(seq 0 $(($1 - 1))); do
		echo $((1 + i * ($2 - 1) / ($1 - 1)))
	done | sort -un
}

sweep_workload() {	# WORKLOAD MODE [K]
	local w=$1 total start specs
	start=$(date +%s)
	if [ "$w" = boot ]; then
		count_boot
		total=$BOOT_TOTAL
	else
		total=$(count "$w")
	fi
	if [ -z "$total" ] || [ "$total" -eq 0 ]; then
		result 1 "sweep $w: the reference boot counted its allocations (see $LOGS/sweep-$SWEEP_LOG_TAG$w-count.log)"
		return
	fi
	if [ "$2" = all ]; then
		specs=$(seq 1 "$total")
	else
		specs=$(spread "$3" "$total")
	fi
	run_specs "$w" $(for n in $specs; do nth_spec "$n"; done)
	echo "sweep $w: $total allocations; $(echo "$specs" | wc -w) boots" \
	     "(fail=nth:N, N from $(echo "$specs" | head -1) to" \
	     "$(echo "$specs" | tail -1)) in $(($(date +%s) - start)) s;" \
	     "the failure: $tally"
}

# soak SECONDS: random:P:SEED over every workload, P from 1 to 50.
soak() {
	local end=$(($(date +%s) + $1)) round=0 specs w
	count_boot
	while [ "$(date +%s)" -lt "$end" ]; do
		for w in $WORKLOADS; do
			specs=$(for j in $(seq "$SWEEP_JOBS"); do
				echo "random:$((RANDOM % 50 + 1)):$((RANDOM * 32768 + RANDOM))"
			done)
			echo "soak: $w: $(echo $specs)  (replay: tests/boot/sweep.sh one $w SPEC)"
			run_specs "$w" $specs
			round=$((round + SWEEP_JOBS))
		done
	done
	echo "soak: $round boots in $1 s"
}

BOOT_CENSUS=${BOOT_CENSUS:-}
case "${1:-sample}" in
all)
	[ "$2" = boot ] || [ -z "$2" ] || count_boot
	for w in ${2:-$WORKLOADS}; do sweep_workload "$w" all; done
	;;
sample)
	for w in $WORKLOADS; do sweep_workload "$w" sample "${2:-4}"; done
	;;
soak)
	soak "${2:-600}"
	;;
one)
	[ "$2" = boot ] && count_boot
	run_specs "$2" "$3"
	;;
esac
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
fi
