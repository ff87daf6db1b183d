#!/bin/sh
# tools/handin.sh - make handin: pack a student's work for submission.
#
# Packs what is committed (git archive of HEAD, so nothing half-saved and
# no build output goes in) into build/handin-labN.tar.gz, with the commit
# it came from in the file name's companion line below.  Uncommitted
# changes are refused rather than silently left out: commit them first.
# labs/README.md says how the instructor unpacks and grades it.
set -e
cd "$(dirname "$0")/.."

labs=$(ls -d labs/lab[0-9]*-* 2>/dev/null || true)
if [ "$(echo "$labs" | grep -c .)" -ne 1 ]; then
	echo "make handin: this is not a student tree (it has $(echo "$labs" | grep -c .) lab folders);"
	echo "  make handout LAB=N DIR=path writes one, and make handin runs there."
	exit 1
fi
lab=$(basename "$labs")
n=$(echo "$lab" | sed 's/^lab\([0-9]*\)-.*/\1/')

if ! git rev-parse --verify -q HEAD >/dev/null; then
	echo "make handin: not a git repository with a commit: nothing to pack."
	exit 1
fi
if [ -n "$(git status --porcelain)" ]; then
	echo "make handin: these changes are not committed, so they would not be handed in:"
	git status --short | sed 's/^/  /'
	echo "  Commit them (git add -A && git commit -m 'lab $n'), then make handin again."
	exit 1
fi
if ! git cat-file -e "HEAD:labs/$lab/answers.md" 2>/dev/null; then
	echo "make handin: warning: labs/$lab/answers.md is not committed; the questions in"
	echo "  labs/$lab/README.md ask for it."
fi

mkdir -p build
out=build/handin-lab$n.tar.gz
git archive --format=tar.gz --prefix="kiva-lab$n/" -o "$out" HEAD
echo "make handin: $out ($(wc -c < "$out") bytes) holds commit $(git rev-parse --short HEAD):"
echo "  $(git log -1 --format=%s)"
echo "  Submit that file as your course asks (it is the only file to hand in)."
