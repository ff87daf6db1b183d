#!/bin/sh
# tests/boot/deps.sh - install the Debian packages Kiva needs, if missing.
#
#   deps.sh build   the cross compiler and binutils
#   deps.sh all     also QEMU, GRUB, xorriso, gdb, cmocka and clang
#
# It says what it installs and uses sudo when not run as root.
set -e
build_pkgs="gcc-i686-linux-gnu binutils-i686-linux-gnu make"
all_pkgs="$build_pkgs qemu-system-x86 grub-pc-bin grub-common xorriso mtools \
gdb libcmocka-dev gcc libc6-dev clang"

case "${1:-all}" in
build) want=$build_pkgs ;;
all) want=$all_pkgs ;;
*) echo "usage: $0 build|all" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
echo "Kiva needs these Debian packages, installing them now:$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
