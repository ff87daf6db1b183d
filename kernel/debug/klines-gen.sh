#!/bin/sh
# kernel/debug/klines-gen.sh - turn the kernel's DWARF line table (on stdin)
# into build/klines.S: sorted address ranges, each with a source file and
# line, that kernel/debug/ksyms.c searches to print "(file.c:line)" in
# backtraces.  Built like the symbol table (kernel/debug/ksyms-gen.sh):
# from the pass-1 kernel, linked back in after .data, so no code moves.
#
#   objdump --wide --dwarf=decodedline kernel.elf | klines-gen.sh gnu
#   llvm-dwarfdump --debug-line kernel.elf | klines-gen.sh llvm
#
# Each tool prints the line-number matrix (DWARF 5, 6.2) in words of its
# own, so a reader for each turns its rows into "ADDRESS KIND FILE LINE":
# KIND 1 is a row, the start of code from FILE:LINE; KIND 0 is a place
# where no line is known from there on (the end of a sequence, or a row
# for line 0, which compilers use for code of no line).  One writer then
# sorts them by address, keeps the last row at each address (DWARF's rule
# when several rows share one), merges neighbours with the same file and
# line, and writes three parallel arrays and the file names, in the order
# of first use.  The output depends only on the input, so pass 2 can check
# it is unchanged.  An empty input gives an empty table, for pass 1.
set -e
case "$1" in
gnu|llvm) format=$1 ;;
*) echo "usage: $0 gnu|llvm < line-table-dump > klines.S" >&2; exit 2 ;;
esac

# read_gnu: binutils' decoded lines.  "CU: path:" and "path:" lines name
# the file of the rows after them (the rows themselves only give its last
# component); a row is "name line address [view] [x]", and "-" for the
# line marks the end of a sequence.  A CU whose first rows come from a
# header (an inline function, such as P2V) starts with no "path:" line for
# it: a row whose name is not the current file's is given the path that
# name has elsewhere in the dump, when only one path has it.  So the rows
# are kept until the end, when every path is known.
read_gnu() {
	awk '
	function hex8(s) {
		s = tolower(substr(s, 3))
		while (length(s) < 8) s = "0" s
		return substr(s, length(s) - 7)
	}
	function base(s) { sub(/^.*\//, "", s); return s }
	function set_file(s) {
		sub(/:$/, "", s); sub(/^\.\//, "", s); file = s
		b = base(s)
		if (!(b in path_of)) path_of[b] = s
		else if (path_of[b] != s) path_of[b] = ""	# two paths: unknown
	}
	/^CU: .*:$/ { set_file(substr($0, 5)); next }
	NF == 1 && /:$/ { set_file($1); next }
	NF >= 3 && $3 ~ /^0x[0-9a-fA-F]+$/ {
		n++
		addr[n] = hex8($3); line[n] = $2; name[n] = $1; in_file[n] = file
	}
	END {
		for (i = 1; i <= n; i++) {
			f = in_file[i]
			if (name[i] != base(f) && path_of[name[i]] != "")
				f = path_of[name[i]]
			if (line[i] == "-" || line[i] == "0")
				print addr[i], 0, "-", 0
			else if (line[i] ~ /^[0-9]+$/)
				print addr[i], 1, f, line[i]
		}
	}'
}

# read_llvm: llvm-dwarfdump's line tables.  Each table's prologue lists
# include_directories[N] and file_names[N] (name, dir_index); rows are
# "0xADDRESS line column file ..." with flags such as end_sequence.  The
# column of the file index is read from the header, which has grown
# columns across LLVM versions.  Directory 0 is the compilation
# directory: a name in it is already relative to the tree.
read_llvm() {
	awk '
	function hex8(s) {
		s = tolower(substr(s, 3))
		while (length(s) < 8) s = "0" s
		return substr(s, length(s) - 7)
	}
	function quoted(s) {
		sub(/^[^"]*"/, "", s); sub(/".*$/, "", s); return s
	}
	function bracket(s) {
		sub(/^[^[]*\[ */, "", s); sub(/\].*$/, "", s); return s + 0
	}
	function path(i,   p) {
		p = names[i]
		if (dirof[i] != 0 && p !~ /^\//) p = dirs[dirof[i]] "/" p
		sub(/^\.\//, "", p)
		return p
	}
	/^debug_line\[/ { split("", dirs); split("", names); split("", dirof) }
	/^include_directories\[/ { dirs[bracket($0)] = quoted($0); next }
	/^file_names\[/ { current = bracket($0); next }
	/^ +name: "/ { names[current] = quoted($0); next }
	/^ +dir_index: / { dirof[current] = $2 + 0; next }
	/^Address +Line +Column +File/ {
		for (i = 1; i <= NF; i++) if ($i == "File") filecol = i
		next
	}
	/^0x[0-9a-fA-F]+ / {
		if ($0 ~ /end_sequence/ || $2 == 0)
			print hex8($1), 0, "-", 0
		else
			print hex8($1), 1, path($filecol), $2
	}'
}

# write_table: sorted "ADDRESS KIND FILE LINE" lines to the assembly.
write_table() {
	LC_ALL=C sort -s -k1,1 -k2,2n | awk '
	BEGIN { n = 0; nfiles = 0; MAX_LINE = 65535 }
	{
		# The last entry at an address wins: it replaces the previous.
		if (n > 0 && $1 == addr[n - 1]) n--
		addr[n] = $1; file[n] = ($2 == 1) ? $3 : ""; line[n] = $4 + 0
		n++
	}
	END {
		m = 0
		for (i = 0; i < n; i++) {
			if (m == 0 && file[i] == "") continue	# nothing yet
			if (m > 0 && file[i] == kfile[m - 1] && line[i] == kline[m - 1])
				continue			# same line goes on
			if (line[i] > MAX_LINE) {
				print "klines-gen.sh: line " line[i] " of " file[i] \
				      " does not fit in 16 bits" > "/dev/stderr"
				exit 1
			}
			kaddr[m] = addr[i]; kfile[m] = file[i]; kline[m] = line[i]
			if (file[i] != "" && !(file[i] in index_of)) {
				index_of[file[i]] = nfiles; fname[nfiles++] = file[i]
			}
			m++
		}
		print "/* generated by kernel/debug/klines-gen.sh: do not edit */"
		print "\t.section .klines, \"a\""
		print "\t.balign 4"
		print "\t.globl klines_count"
		print "klines_count:\t.long " m
		print "\t.globl klines_nfiles"
		print "klines_nfiles:\t.long " nfiles
		print "\t.globl klines_starts"
		print "klines_starts:"
		for (i = 0; i < m; i++) print "\t.long 0x" kaddr[i]
		print "\t.globl klines_files"
		print "klines_files:"
		for (i = 0; i < m; i++)
			print "\t.short " (kfile[i] == "" ? "0xffff" : index_of[kfile[i]])
		print "\t.globl klines_lines"
		print "klines_lines:"
		for (i = 0; i < m; i++) print "\t.short " kline[i]
		print "\t.balign 4"
		print "\t.globl klines_names"
		print "klines_names:"
		for (i = 0; i < nfiles; i++) print "\t.long .Lfile" i
		for (i = 0; i < nfiles; i++) print ".Lfile" i ":\t.asciz \"" fname[i] "\""
		print "\t.section .note.GNU-stack, \"\", @progbits"
	}'
}

if [ "$format" = gnu ]; then
	read_gnu | write_table
else
	read_llvm | write_table
fi
