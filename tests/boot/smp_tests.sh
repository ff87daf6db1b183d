# tests/boot/smp_tests.sh - several CPUs (sourced by tests/run.sh;
# tests/boot/repeat.sh runs it alone, N rounds).
#
# 1. Every in-kernel test at -smp 2 (under lockdebug, which must report
#    the planted lock-order reversal and nothing else) and -smp 4, with a
#    host thread per virtual CPU (-accel tcg,thread=multi), so that the
#    CPUs really run at once; the boot says how many came up.
# 2. The stress of tests/kernel/test_smp.c, 10 s under kmem_debug at
#    -smp 2: no bad object, and kmem_debug found nothing.
# 3. usertests on 2 CPUs.
# 4. The uniprocessor paths: ncpus=1 on two CPUs, and a CPU without an
#    APIC (-cpu qemu32,-apic), boot on the 8259 and the PIT and pass the
#    scheduler's tests; ncpus=3 of 4 starts 3.
SMP_ACCEL=tcg,thread=multi

# smp_boot_says LOG N: the boot started N CPUs.
smp_boot_says() {
	expect "$1" "smp: $2 CPUs running"
}

# test_smp_ktests N [OPTION]: every in-kernel test on N CPUs.
test_smp_ktests() {
	local n=$1 opt=${2:-} log
	# More virtual CPUs than the host has cores, on a host others use
	# too: a lock holder's CPU may wait for the host, so allow time.
	KTEST_SECONDS=300 QEMU_ACCEL=$SMP_ACCEL test_kernel_tests \
		"-smp $n${opt:+ $opt}" -m 256M -smp "$n" -kernel "$KERNEL" \
		-append "$opt test"
	log=$LOGS/ktest--smp-$n${opt:+-$opt}.log
	smp_boot_says "$log" "$n"
	result $? "smp: -smp $n started $n CPUs"
}

# Under lockdebug every test ran with the orders checked: the one
# reversal reported is the planted one, with both call chains.
test_smp_lockdebug() {
	local log=$LOGS/ktest--smp-2-lockdebug.log ok=0 planted
	planted='lock order reversal: test order B then test order A at tests/kernel/test_smp.c:'
	[ "$(grep -ac '^lock order reversal' "$log")" -eq 1 ] || ok=1
	expect "$log" "$planted" || ok=1
	expect "$log" 'test order A then test order B, first seen at tests/kernel/test_smp.c:' || ok=1
	[ "$(grep -ac '#0  ktest_fn_lockdebug_reports_a_planted_reversal' "$log")" -eq 2 ] || ok=1
	result $ok "smp: lockdebug through every test at -smp 2: only the planted reversal, reported with both call chains"
}

test_smp_stress() {
	local log=$LOGS/smp-stress.log ok=0
	QEMU_ACCEL=$SMP_ACCEL qemu "$log" 120 -m 128M -smp 2 -kernel "$KERNEL" \
		-append 'kmem_debug test=smp_stress_alloc_free_everywhere'
	[ "$qemu_status" -eq 33 ] || ok=1
	smp_boot_says "$log" 2 || ok=1
	expect "$log" 'kmem_debug on, 0 problems found' || ok=1
	expect "$log" ', 0 bad' || ok=1
	result $ok "smp: 10 s of kmalloc/kfree on 2 CPUs, threads and handlers, freed across CPUs, under kmem_debug: $(grep -ao '[0-9]* allocations.*bad' "$log" | head -n 1) (status $qemu_status)"
}

test_smp_usertests() {
	local log=$LOGS/smp-usertests.log ok=0
	QEMU_ACCEL=$SMP_ACCEL QEMU_INPUT="$(at_prompt "$log") printf 'run usertests\r';
		for i in \$(seq 300); do grep -aq '^usertests: [0-9]* passed' '$log' && break; sleep 0.1; done;
		printf 'poweroff\r'; sleep 2"
	qemu "$log" 60 -m 128M -smp 2 -kernel "$KERNEL"
	smp_boot_says "$log" 2 || ok=1
	grep -aqE '^usertests: [0-9]+ passed, 0 failed' "$log" || ok=1
	expect "$log" 'panic' && ok=1
	result $ok "smp: usertests on 2 CPUs: $(grep -ao '^usertests: [0-9]* passed, [0-9]* failed' "$log" | tail -n 1)"
}

# test_smp_up NAME SAYS QEMU-ARGS...: boots on one CPU (QEMU may have
# more), says SAYS, and the scheduler's tests pass.
test_smp_up() {
	local name=$1 says=$2 log=$LOGS/smp-up-$(echo "$1" | tr -c 'a-zA-Z0-9\n' -).log ok=0
	shift 2
	QEMU_ACCEL=$SMP_ACCEL qemu "$log" 60 -m 64M -kernel "$KERNEL" "$@"
	[ "$qemu_status" -eq 33 ] || ok=1
	expect "$log" "$says" || ok=1
	expect "$log" 'smp: 2 CPUs running' && ok=1
	expect "$log" 'ktest: 3 passed, 0 failed' || ok=1
	result $ok "smp: $name: one CPU, '$says' (status $qemu_status)"
}

# A panic on 4 CPUs: the others are stopped, and the report is the one
# a single CPU prints, whole.
test_smp_panic() {
	local log=$LOGS/smp-panic.log ok=0
	QEMU_ACCEL=$SMP_ACCEL qemu "$log" 30 -m 64M -smp 4 -kernel "$KERNEL" \
		-append 'test=panic_backtrace'
	smp_boot_says "$log" 4 || ok=1
	expect "$log" '(the 3 other CPUs are stopped: an NMI each)' || ok=1
	[ "$(grep -ac '^panic: deliberate panic' "$log")" -eq 1 ] || ok=1
	backtrace_has "$log" 'ktest_fn_panic_backtrace\+0x' \
		'run_one\+0x' 'kmain\+0x' || ok=1
	expect "$log" 'kernel memory at the time of the panic' || ok=1
	[ "$qemu_status" -eq 35 ] || ok=1
	result $ok "smp: a panic on 4 CPUs stops the other 3 and prints its whole report once (status $qemu_status)"
}

SMP_UP_TESTS=threads_fairness,threads_preempt_disable,smp_every_cpu_runs_threads
test_smp_ktests 2 lockdebug
test_smp_lockdebug
test_smp_ktests 4
test_smp_stress
test_smp_usertests
test_smp_panic
test_smp_up "ncpus=1 at -smp 2" 'smp: one CPU: the uniprocessor path' \
	-smp 2 -append "ncpus=1 test=$SMP_UP_TESTS"
# (One CPU: a PC without APICs has no way to run two, and QEMU given two
# such CPUs delivers the 8259's interrupts nowhere the kernel sees them.)
test_smp_up "-cpu qemu32,-apic" 'smp: this CPU has no local APIC' \
	-cpu qemu32,-apic -append "test=$SMP_UP_TESTS"
log=$LOGS/smp-ncpus3.log
QEMU_ACCEL=$SMP_ACCEL qemu "$log" 60 -m 64M -smp 4 -kernel "$KERNEL" \
	-append 'ncpus=3 test=smp_every_cpu_runs_threads'
ok=0
smp_boot_says "$log" 3 || ok=1
[ "$qemu_status" -eq 33 ] || ok=1
result $ok "smp: ncpus=3 at -smp 4 starts 3 CPUs, and threads run on all three (status $qemu_status)"
