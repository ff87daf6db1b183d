# tests/boot/matrix.sh - boot across memory sizes, machines, CPU models and
# CPU counts (sourced by tests/run.sh).  Each boot runs the in-kernel test mem_report,
# which checks the frame accounting inside the kernel and prints the
# firmware map and `mem`; here the usable total the kernel reports must
# equal the sum of the firmware's usable entries (trimmed to whole pages)
# and lie within 2 MiB below the -m size.

# The firmware map's usable bytes, in KiB, from the kernel's printout.
firmware_usable_kib() {
	local base dash last size type total=0 b e
	while read -r base dash last size type; do
		[ "$dash" = - ] && [ "$type" = usable ] || continue
		b=$(( (0x$base + 4095) / 4096 * 4096 ))
		e=$(( (0x$last + 1) / 4096 * 4096 ))
		[ "$e" -gt "$b" ] && total=$(( total + (e - b) / 1024 ))
	done < <(tr -d '\r' < "$1")
	echo "$total"
}

to_kib() {
	case $1 in
	*G) echo $(( ${1%G} * 1024 * 1024 )) ;;
	*M) echo $(( ${1%M} * 1024 )) ;;
	esac
}

# test_matrix_boot MEM MACHINE CPU [NCPUS]: NCPUS (default 1) virtual
# CPUs, each a host thread; with more than one, all must start.
test_matrix_boot() {
	local mem=$1 machine=$2 cpu=$3 n=${4:-1}
	local log=$LOGS/matrix-$mem-$machine-$cpu-smp$n.log ok=0 fw kernel want
	QEMU_ACCEL=tcg,thread=multi qemu "$log" 60 -m "$mem" -M "$machine" \
		-cpu "$cpu" -smp "$n" -kernel "$KERNEL" -append 'test=mem_report'
	fw=$(firmware_usable_kib "$log")
	kernel=$(awk '$1 == "usable" { print $2 }' "$log" | head -n 1)
	want=$(to_kib "$mem")
	[ "$qemu_status" -eq 33 ] || ok=1
	[ -n "$kernel" ] && [ "$kernel" -eq "$fw" ] || ok=1
	[ -n "$kernel" ] && [ "$kernel" -le "$want" ] &&
		[ "$kernel" -ge $((want - 2048)) ] || ok=1
	[ "$n" -eq 1 ] || expect "$log" "smp: $n CPUs running" || ok=1
	result $ok "matrix: -m $mem -M $machine -cpu $cpu -smp $n: usable ${kernel:-?} KiB = firmware $fw KiB (status $qemu_status)"
}

for mem in 32M 128M 1G 3G 5G 16G; do
	for machine in pc q35; do
		for cpu in qemu32 pentium3 max; do
			test_matrix_boot "$mem" "$machine" "$cpu"
		done
	done
done
# Several CPUs: on both machines, below and above 4 GiB.
for mem in 128M 5G; do
	for machine in pc q35; do
		for n in 2 4; do
			test_matrix_boot "$mem" "$machine" max "$n"
		done
	done
done
