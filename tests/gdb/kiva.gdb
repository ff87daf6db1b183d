# tests/gdb/kiva.gdb - the project's GDB setup: `make gdb` loads it with -x.
#
# Loading it explicitly with -x means no auto-load permission is needed.
# To have gdb pick up a .gdbinit from this folder by itself instead, allow
# it once in ~/.gdbinit:  add-auto-load-safe-path /path/to/kiva/.gdbinit
# (see "info auto-load" and the gdb manual, "Auto-loading safe path").
set pagination off
set confirm off
set architecture i386
file build/kernel.elf
# The kernel runs in the higher half; the first instructions of _start run
# at its physical address (paging is off), so break at C code, not _start.
echo Kiva: symbols loaded. Try: break kmain, continue, next, bt, info registers\n
