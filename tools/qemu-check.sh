#!/bin/sh
# tools/qemu-check.sh - is this QEMU new enough for Kiva?  Run before every
# boot by the Makefile.
#
#   qemu-check.sh QEMU-BINARY
#
# Kiva is tested with QEMU 7.2 (Debian 12) and 10.0 (Debian 13); older
# ones are refused with a word on what to install, rather than left to fail
# in some odd way later.  QEMU_VERSION=X.Y.Z in the environment stands in
# for what the binary reports, to see what an old QEMU would get.
set -e
qemu=${1:-qemu-system-i386}
min_major=7
min_minor=2

if [ -z "${QEMU_VERSION:-}" ]; then
	if ! command -v "$qemu" >/dev/null 2>&1; then
		echo "Kiva: $qemu is not installed." >&2
		echo "  On Debian or Ubuntu: sudo apt-get install qemu-system-x86" >&2
		exit 1
	fi
	QEMU_VERSION=$("$qemu" --version | sed -n 's/^QEMU emulator version \([0-9][0-9.]*\).*/\1/p')
fi
major=$(echo "$QEMU_VERSION" | cut -d. -f1)
minor=$(echo "$QEMU_VERSION" | cut -d. -f2)
case "$major$minor" in
''|*[!0-9]*)
	echo "Kiva: cannot tell the version of $qemu (it said '$QEMU_VERSION')." >&2
	exit 1 ;;
esac
if [ "$major" -lt "$min_major" ] ||
   { [ "$major" -eq "$min_major" ] && [ "$minor" -lt "$min_minor" ]; }; then
	echo "Kiva: $qemu is QEMU $QEMU_VERSION; Kiva needs QEMU $min_major.$min_minor or newer." >&2
	echo "  Debian 12 and Ubuntu 24.04 have a new enough one: sudo apt-get install qemu-system-x86" >&2
	echo "  Elsewhere, install QEMU $min_major.$min_minor+ from your system's packages or qemu.org." >&2
	exit 1
fi
