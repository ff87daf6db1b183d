# tests/gdb/kiva.gdb - the project's GDB setup: `make gdb` loads it with -x,
# which GDB's auto-load safety check does not apply to.  The commands it
# adds are the kiva ones of kiva.py (help kiva), and dmesg, short for
# kiva dmesg.
set pagination off
set confirm off
set architecture i386
# The kernel's symbols: `make gdb` loads them first (-ex 'file ...'), from
# the build it made (build/kernel.elf, or build/debug/... for DEBUG=1).
# The kernel runs in the higher half; the first instructions of _start run
# at its physical address (paging is off), so break at C code, not _start.
# The kiva commands (help kiva), in Python; the path is from the top of the
# tree, where make gdb and the tests run GDB.
source tests/gdb/kiva.py
alias dmesg = kiva dmesg

echo Kiva: symbols loaded. Try: break kmain, continue, next, bt, info registers, kiva dmesg, help kiva\n
