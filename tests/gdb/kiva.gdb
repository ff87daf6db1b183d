# tests/gdb/kiva.gdb - the project's GDB setup: `make gdb` loads it with -x,
# which GDB's auto-load safety check does not apply to.  It defines one
# command of its own, dmesg (below).
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

# dmesg: the kernel log (kernel/debug/klog.h), oldest first, read from the
# kernel's memory; it works after a panic, when the shell cannot run.  The
# layout: byte i of all that was logged is klog_buf[i % sizeof(klog_buf)],
# and the last klog_written bytes, at most sizeof(klog_buf), are kept.
python
class KivaDmesg(gdb.Command):
    """Print the kernel log (kernel/debug/klog.h), oldest first."""

    def __init__(self):
        super().__init__("dmesg", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        size = int(gdb.parse_and_eval("sizeof(klog_buf)"))
        written = int(gdb.parse_and_eval("klog_written"))
        base = int(gdb.parse_and_eval("(unsigned long)&klog_buf"))
        memory = gdb.selected_inferior()
        start = max(0, written - size)
        text = bytearray()
        pos = start
        while pos < written:
            at = pos % size
            run = min(written - pos, size - at)
            text += memory.read_memory(base + at, run).tobytes()
            pos += run
        if start > 0:
            # The oldest line is cut: start at the next whole one, as the
            # shell's dmesg does.
            cut = text.find(b"\n") + 1
            text = text[cut:]
            print("dmesg: the log wrapped: the %d bytes before these are lost"
                  % (start + cut))
        gdb.write(text.decode("latin-1"))

KivaDmesg()
end
echo Kiva: symbols loaded. Try: break kmain, continue, next, bt, info registers, dmesg, help kiva\n
