# tests/boot/kmem_design.sh - the kmem_design=2003 switch (sourced by
# tests/run.sh): the design of the two threads the kernel is built on,
# rebuilt inside it, fails as it did; without the switch the same
# scenario passes.
#
#   Terry Lambert, "panic: kmem_map too small: the downside of FreeBSD 5",
#   freebsd-current, 13 June 2003, <3EEA04BD.9E06ED0@mindspring.com>
#   Chuck Silvers, "Re: fdexpand() memory shortage check (Re: kern/14721)",
#   NetBSD tech-kern, 14 December 2001
#
# Why 3,000,000 descriptors, not 2,000,000.  At -m 128M, FreeBSD 5's
# formula makes kmem_map 42 MiB (RAM / 3, rounded down to 2 MiB), and a
# descriptor table of n slots takes 4.13 bytes a slot (the slots and the
# two bitmaps, kernel/proc/fdtable.h): 7.9 MiB for 2,000,000, 11.8 MiB for
# 3,000,000.  Four tables of 2,000,000 hold 31.5 MiB; they add up to
# "about 51 MiB" only if all four are in the middle of a growth at once,
# holding the old table and the new one.  A table grows inside one system
# call and the old one is freed at once, so that happens only when the
# scheduler happens to preempt the copies: some runs panic, some do not.
# Four tables of 3,000,000 hold 47 MiB when they are done, more than
# kmem_map, whatever the timing: the panic is certain.  In practice it
# comes a little earlier, when the tables grow to 2,097,152 slots (8.3 MiB
# each) and kmem_map's free space is in pieces too small for one: some
# 8 million dup()s in all, about 25 s in QEMU on the development machine.

# Types four `run fdbomb N &` at the prompt of the kernel logging to $1;
# once all four have printed their result (or the kernel its panic), types
# `kmem` every second until M_FDESC is back to 0 (an exiting fdbomb takes a
# moment to close two million descriptors).  QEMU is stopped from outside.
four_fdbombs_input() {
	echo "$(at_prompt "$1") for i in 1 2 3 4; do printf 'run fdbomb $2 &\r'; sleep 0.2; done;
		for i in \$(seq 1200); do [ \$(grep -ac 'descriptors, then' '$1') -ge 4 ] && break;
		grep -aq 'refused frees' '$1' && break; sleep 0.1; done;
		for i in \$(seq 20); do printf 'kmem\r'; sleep 1; grep -aqE 'fdesc +0 ' '$1' && break; done"
}

# The log as a terminal shows it: the line editor rubs out the prompt with
# a carriage return before others' output, so keep what follows the last.
screen() {
	sed 's/\r$//; s/.*\r//' "$1"
}

# -m 128M with the switch: four fdbombs end in FreeBSD 5's panic, in its
# exact words, with the kmem statistics printed after it.
check_2003_panic() {
	local log=$1 ok=0 text
	text=$(screen "$log")
	grep -qE '^panic: kmem_malloc\([0-9]+\): kmem_map too small: [0-9]+ total allocated$' <<< "$text" || ok=1
	grep -qF 'kernel memory at the time of the panic:' <<< "$text" || ok=1
	grep -qE '^fdesc +[0-9]{7,} ' <<< "$text" || ok=1	# megabytes of tables
	grep -qF 'design: kmem_design=2003' <<< "$text" || ok=1
	grep -qF 'descriptors, then' <<< "$text" && ok=1	# none finished
	result $ok "2003: -m 128M, kmem_design=2003: four fdbombs of 3,000,000 end in '$(grep -m1 -oE 'kmem_malloc\([0-9]+\): kmem_map too small: [0-9]+ total allocated' <<< "$text")', kmem statistics printed (log: $log)"
}

# Without the switch, four fdbombs of N: each ends with an error (EMFILE,
# or ENOMEM), the kernel stays up, and every M_FDESC byte comes back.
check_default_fdbombs() {
	local log=$1 n=$2 ok=0 text
	text=$(screen "$log")
	[ "$(grep -cE 'fdbomb: pid [0-9]+ got [0-9]+ descriptors, then (EMFILE|ENOMEM)' <<< "$text")" -eq 4 ] || ok=1
	grep -qE '^fdesc +0 ' <<< "$text" || ok=1
	grep -qF 'panic' <<< "$text" && ok=1
	result $ok "2003: -m 128M, no switch: four fdbombs of $n each get an error ($(grep -oE 'got [0-9]+ descriptors, then [A-Z]+' <<< "$text" | sort | uniq -c | sed 's/^ *//' | paste -sd';' -)), M_FDESC back to 0 (log: $log)"
}

test_kmem_design_2003() {
	local panic_log=$LOGS/kmem2003-panic.log big_log=$LOGS/kmem2003-default-2M.log
	local same_log=$LOGS/kmem2003-default-3M.log log ok pid
	# The two long runs at once: each QEMU is one busy thread, and the
	# rest of make test runs one QEMU at a time.
	(qemu_until "$big_log" 90 'fdesc +0 ' "$(four_fdbombs_input "$big_log" 2000000)" \
		-m 128M -kernel "$KERNEL") &
	pid=$!
	qemu_until "$panic_log" 90 'refused frees' "$(four_fdbombs_input "$panic_log" 3000000)" \
		-m 128M -kernel "$KERNEL" -append kmem_design=2003
	check_2003_panic "$panic_log"
	wait "$pid"
	check_default_fdbombs "$big_log" 2,000,000

	# The same command as the panic, without the switch: setrlimit refuses
	# what kernel_map could never hold (Silvers' fix), each goes on with 64.
	qemu_until "$same_log" 30 'fdesc +0 ' "$(four_fdbombs_input "$same_log" 3000000)" \
		-m 128M -kernel "$KERNEL"
	check_default_fdbombs "$same_log" 3,000,000
	ok=0
	[ "$(grep -ac 'setrlimit(RLIMIT_NOFILE, 3000000): EINVAL' "$same_log")" -eq 4 ] || ok=1
	result $ok "2003: no switch: setrlimit(RLIMIT_NOFILE, 3000000) is refused at -m 128M (EINVAL), four times"

	# -m 5G with the switch: FreeBSD 5's sizes ask for more than the
	# kernel's 1 GiB; the boot says so before touching a page table, and a
	# test run exits QEMU with the failure status.
	log=$LOGS/kmem2003-5G.log ok=0
	qemu "$log" 30 -m 5G -kernel "$KERNEL" -append 'kmem_design=2003 test'
	expect "$log" 'panic: kmem_suballoc: bad status return of 3' || ok=1
	expect "$log" 'asks for 1644 MiB of kernel VA' || ok=1
	expect "$log" 'a 32-bit kernel has 1024 MiB' || ok=1
	expect "$log" 'ktest:' && ok=1		# stopped before anything ran
	[ "$qemu_status" -eq 35 ] || ok=1
	result $ok "2003: -m 5G, kmem_design=2003: 'panic: kmem_suballoc: bad status return of 3', halted before paging, QEMU status $qemu_status"
	# Not in test mode it halts, and stays halted (no reset loop).
	log=$LOGS/kmem2003-5G-halt.log ok=0
	qemu "$log" 5 -m 5G -kernel "$KERNEL" -append kmem_design=2003
	[ "$(grep -ac 'kmem_suballoc: bad status' "$log")" -eq 1 ] || ok=1
	[ "$qemu_status" -eq 124 ] || ok=1
	result $ok "2003: -m 5G, kmem_design=2003, no test option: halts and stays halted"
	# Up to 2640 MiB of RAM the 2003 sizes fit (mm/kva.c) and it boots;
	# from 2641 MiB on they do not.
	log=$LOGS/kmem2003-2640M.log ok=0
	qemu "$log" 60 -m 2640M -kernel "$KERNEL" -append 'kmem_design=2003 test=kexpect_eq_prints_signed_values'
	expect "$log" 'kmem_map 320 MiB, kernel_map 660 MiB' || ok=1
	[ "$qemu_status" -eq 33 ] || ok=1
	log=$LOGS/kmem2003-2641M.log
	qemu "$log" 60 -m 2641M -kernel "$KERNEL" -append 'kmem_design=2003 test'
	expect "$log" 'kmem_suballoc: bad status return of 3' || ok=1
	result $ok "2003: the 2003 sizes boot at -m 2640M and stop at -m 2641M"
	# An unknown design is a warning, and the default.
	log=$LOGS/kmem2003-bad.log ok=0
	qemu "$log" 30 -m 64M -kernel "$KERNEL" -append 'kmem_design=1999 test=kexpect_eq_prints_signed_values'
	expect "$log" 'kmem_design=1999: not 2003 or kiva; using kiva' || ok=1
	expect "$log" 'kmem_design=2003: every' && ok=1
	[ "$qemu_status" -eq 33 ] || ok=1
	result $ok "2003: kmem_design=1999 is warned about and ignored"
}

test_kmem_design_2003
