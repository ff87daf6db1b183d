#!/bin/sh
# tools/deps.sh - install the Debian/Ubuntu packages Kiva needs, if missing.
#
#   deps.sh gcc     the GNU cross toolchain (the default build)
#   deps.sh llvm    clang, ld.lld and the LLVM tools (make TOOLCHAIN=llvm)
#   deps.sh run     QEMU, GRUB and xorriso (make qemu), and gdb (make gdb)
#   deps.sh all     all of these, cmocka and the host compiler for the
#                   host unit tests, and matplotlib for make plot (which
#                   make test tries too): everything `make test` uses
#
# Several may be given at once: deps.sh gcc run.
#
# It says what it installs, and uses sudo when not run as root.  On a
# system without apt-get it names what to install instead (the README
# lists the packages for other systems).
set -e
gcc_pkgs="gcc-i686-linux-gnu binutils-i686-linux-gnu make"
llvm_pkgs="clang lld llvm make"
run_pkgs="qemu-system-x86 grub-pc-bin grub-common xorriso mtools gdb"
test_pkgs="libcmocka-dev gcc libc6-dev python3"
plot_pkgs="python3-matplotlib"

want=""
for set in "${@:-all}"; do
	case "$set" in
	gcc) want="$want $gcc_pkgs" ;;
	llvm) want="$want $llvm_pkgs" ;;
	run) want="$want $run_pkgs" ;;
	all) want="$want $gcc_pkgs $llvm_pkgs $run_pkgs $test_pkgs $plot_pkgs" ;;
	*) echo "usage: $0 gcc|llvm|run|all ..." >&2; exit 2 ;;
	esac
done

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "Kiva: this is not a Debian or Ubuntu system, so nothing is"
	echo "installed automatically. See \"Other systems\" in README.md for the"
	echo "packages to install, then run make again."
	exit 1
fi

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "Kiva needs these packages:$missing"
	echo "Install them as root (apt-get install$missing), then run make again."
	exit 1
fi
echo "Kiva needs these Debian packages, installing them now:$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
