# tests/boot/labs.sh - the labs cannot rot (sourced by tests/run.sh).
#
# Every lab in both directions: the tree, with the solutions, scores every
# point of `make grade LAB=N`; the handout made from it (make handout)
# builds without a warning (with gcc, and the files the lab changed with
# clang too), boots as far as the lab says (labs/*/grade.toml:
# handout_boots_to), and scores exactly the points of the tests marked
# independent, the ones that do not need the lab's code.
#
# To stay quick, each handout is built from a copy of the tree's objects:
# only the files where the lab's code was taken out are compiled again
# (tools/handout.py keeps the others' times: they are the tree's code, less
# other labs' markers, which the tree's own builds compiled), and two
# handouts and trees are checked three at a time; a handout's QEMU tests
# fail at once without the lab's code.  Not in the
# student trees (tools/handout.py leaves it out).

labs_seed_build() {	# copies the gcc build's objects, keeping their times
	local dst=$1/build f
	mkdir -p "$dst"
	for f in build/*; do
		case ${f#build/} in
		llvm|debug|extra|test-logs|labs|grade-*|*.iso|*.iso.*|handin-*) continue ;;
		esac
		cp -a "$f" "$dst/"
	done
}

# Makes lab $1's handout in build/labs/lab$1 and builds it, then compiles
# the files the lab changed with clang as well.
labs_build_handout() {
	local n=$1 dir=build/labs/lab$1 f
	python3 tools/handout.py --lab "$n" --out "$dir" --changed "$dir.changed" || return 1
	labs_seed_build "$dir"
	make -C "$dir" --no-print-directory -j1 all || return 1
	make -C "$dir" --no-print-directory TOOLCHAIN=llvm \
		$(sed -n 's|^\(.*\)\.c$|build/llvm/\1.o|p' "$dir.changed")
}

# Builds lab $1's handout and grades it as a handout: the logs in
# build/test-logs/, the status in build/labs/labN.status (0: both right).
labs_check_handout() {
	local n=$1 log=$LOGS/lab$1-handout-grade.log
	rm -rf "build/labs/lab$n"
	if ! labs_build_handout "$n" > "$LOGS/lab$n-handout-build.log" 2>&1 ||
	   grep -q 'warning:' "$LOGS/lab$n-handout-build.log"; then
		echo "the handout did not build warning-free: see $LOGS/lab$n-handout-build.log" > "$log"
		echo 1 > "build/labs/lab$n.status"
		return
	fi
	python3 tools/grade.py --lab "$n" --tree "build/labs/lab$n" --jobs 1 \
		--expect-handout > "$log" 2>&1
	echo $? > "build/labs/lab$n.status"
}

# Grades the tree as lab $1: the log, and the status in build/labs/.
labs_check_tree() {
	python3 tools/grade.py --lab "$1" --jobs 1 > "$LOGS/lab$1-tree-grade.log" 2>&1
	echo $? > "build/labs/tree$1.status"
}

# make grade EXTRA=: the example hidden tests of lab 4, on the tree.
labs_check_extra() {
	python3 tools/grade.py --lab 4 --jobs 1 --extra labs/lab4-two-allocators/hidden \
		--json build/labs/grade-lab4-extra.json > "$LOGS/lab4-extra-grade.log" 2>&1
	echo $? > build/labs/extra.status
}

# make handin in a handout: refused while work is uncommitted, then a
# tarball of the commit, answers.md included.
test_handin() {
	local dir=build/labs/lab5 ok=0 log=$LOGS/handin.log
	{
		echo "# answers" > "$dir/labs/lab5-graceful-failure/answers.md"
		make -C "$dir" --no-print-directory handin && ok=1
		git -C "$dir" add -A &&
		git -C "$dir" -c user.name=s -c user.email=s@localhost commit -qm answers &&
		make -C "$dir" --no-print-directory handin || ok=1
		tar tzf "$dir/build/handin-lab5.tar.gz" | grep -qx 'kiva-lab5/labs/lab5-graceful-failure/answers.md' || ok=1
		tar tzf "$dir/build/handin-lab5.tar.gz" | grep -q '^kiva-lab5/build/' && ok=1
		make --no-print-directory handin && ok=1	# the master tree: refused
	} > "$log" 2>&1
	result $ok "labs: make handin refuses uncommitted work and the master tree, packs the commit with answers.md (log: $log)"
}

test_labs() {
	local n log score job running=0 labs jobs
	labs=$(ls -d labs/lab[0-9]*-* | sed 's|^labs/lab\([0-9]*\)-.*|\1|' | sort -n)
	python3 tools/handout.py --check > "$LOGS/labs-markers.log" 2>&1
	result $? "labs: the solution markers are well formed ($(tail -n 1 "$LOGS/labs-markers.log"))"
	mkdir -p build/labs
	# Every lab's handout and tree, and the hidden-test example, three at a
	# time (each with one QEMU at a time at most); the longest first.
	jobs=("labs_check_extra")
	for n in $labs; do
		jobs+=("labs_check_handout $n" "labs_check_tree $n")
	done
	for job in "${jobs[@]}"; do
		if [ $running -ge 3 ]; then
			wait -n
			running=$((running - 1))
		fi
		$job &
		running=$((running + 1))
	done
	wait
	for n in $labs; do
		log=$LOGS/lab$n-tree-grade.log
		score=$(grep -o '^Score: [0-9]*/[0-9]*' "$log")
		result "$(cat "build/labs/tree$n.status")" "labs: lab $n, the tree: ${score:-no score} (make grade LAB=$n; $(grep -c ': OK' "$log") tests OK, log: $log)"
	done
	for n in $labs; do
		log=$LOGS/lab$n-handout-grade.log
		score=$(grep -o '^Score: [0-9]*/[0-9]*' "$log")
		result "$(cat "build/labs/lab$n.status")" "labs: lab $n, the handout: builds warning-free (gcc and clang: files where its code was taken out: $(wc -l < "build/labs/lab$n.changed")), boots as far as it should, ${score:-no score}, exactly its independent tests (log: $log)"
	done
	log=$LOGS/lab4-extra-grade.log
	result "$(cat build/labs/extra.status)" "labs: make grade LAB=4 EXTRA=labs/lab4-two-allocators/hidden: $(grep -o '^Score: [0-9]*/[0-9]*' "$log") with the hidden host, kernel and shell tests (log: $log)"
	test_handin
}
test_labs
