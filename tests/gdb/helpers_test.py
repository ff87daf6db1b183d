# tests/gdb/helpers_test.py - checks the kiva commands (tests/gdb/kiva.py)
# against what the kernel itself printed, inside one GDB session.
#
# tests/gdb/helpers_test.sh boots the kernel under QEMU's GDB stub, types
# a workload into the shell (fdbomb, spin in the background, kva, ps,
# kmem) and runs GDB with kiva.gdb and this file.  KIVA_SERIAL_LOG names
# the file the serial output goes to.  Two stops:
#
#   1. `ps`: at proc_print_all(), then `finish`: the shell has printed
#      both tables, and nothing has run since but the shell itself.
#   2. after `kmem`: at the timer interrupt once the log shows kmem's last
#      line and the next prompt, the shell sleeps on the console and spin
#      is on the CPU (so CR3, and QEMU's `info tlb`, are spin's).
#
# Every check prints one line, "CHECK ok NAME" or "CHECK FAIL NAME: why";
# helpers_test.sh turns each into a result and counts them.

import os
import re
import time

import gdb

LOG = os.environ["KIVA_SERIAL_LOG"]
checks = 0


def check(ok, name, why=""):
    global checks
    checks += 1
    ok = bool(ok)
    print("CHECK %s %s%s" % ("ok" if ok else "FAIL", name,
                             "" if ok else ": " + why))


def run(cmd, echo=True):
    """A command's output; a command that fails gives its error message.
    The log shows the command and its output too, for whoever reads it."""
    try:
        out = gdb.execute(cmd, to_string=True)
    except gdb.error as e:
        out = "ERROR %s\n" % e
    print("(gdb) %s" % cmd)
    print(out if echo else "[%d lines]\n" % len(out.splitlines()), end="")
    return out


def serial():
    with open(LOG, "rb") as f:
        text = f.read().decode("latin-1")
    return text.replace("\r", "").split("\n")


def table(lines, header, nrows):
    """The header line and the nrows lines after its last occurrence."""
    starts = [i for i, l in enumerate(lines) if l.startswith(header)]
    if not starts:
        return []
    return [l.rstrip() for l in lines[starts[-1]:starts[-1] + 1 + nrows]]


def same_table(name, helper_cmd, header, nrows):
    ours = [l.rstrip() for l in run(helper_cmd).splitlines()]
    ours = table(ours, header, nrows)
    kernel = table(serial(), header, nrows)
    diff = [("kernel: %r, %s: %r" % (k, helper_cmd, o))
            for k, o in zip(kernel, ours) if k != o]
    check(kernel and ours == kernel, name,
          "; ".join(diff) or "kernel %d lines, %s %d" % (
              len(kernel), helper_cmd, len(ours)))


# ---------------------------------------------------------------- stop 1: ps

def check_ps():
    gdb.execute("break proc_print_all")
    gdb.execute("continue")
    gdb.execute("finish")
    gdb.execute("delete")
    lines = serial()
    start = max(i for i, l in enumerate(lines)
                if l.startswith("threads (tid: thread id):"))
    kthreads, kprocs, i = [], {}, start + 2
    while lines[i].startswith(" "):
        # tid name state cpu wchan "used of size"
        kthreads.append(lines[i].split()[:5])
        i += 1
    while not lines[i].startswith("  pid  name"):
        i += 1
    i += 1
    while i < len(lines) and re.match(r" +\d+ ", lines[i]):
        pid, name = lines[i].split()[:2]
        kprocs[pid] = name
        i += 1
    ours = [l.split() for l in run("kiva ps").splitlines()[1:]]
    check([o[:5] for o in ours] == kthreads and kthreads,
          "kiva ps: tid, name, state, cpu, wchan as the shell's ps printed "
          "them", "ps %s, kiva ps %s" % (kthreads, [o[:5] for o in ours]))
    procs = {o[5]: o[6] for o in ours if o[5] != "-"}
    check(procs == kprocs and procs,
          "kiva ps: each thread's process (pid, name) as ps's process table",
          "ps %s, kiva ps %s" % (kprocs, procs))


# --------------------------------------------------------- stop 2: quiet

class QuietPoint(gdb.Breakpoint):
    """The timer interrupt, once the shell printed kmem and the prompt and
    sleeps again, with a process on the CPU."""

    def stop(self):
        text = "\n".join(serial()[-40:])
        done = re.search(r"console input bytes dropped: \d+\n(.|\n)*kiva> ",
                         text)
        return bool(done) and \
            str(gdb.parse_and_eval("'thread.c'::threads[0].state")) == \
            "THREAD_SLEEPING" and \
            int(gdb.parse_and_eval("(int)$curthread()->proc")) != 0


def check_tables():
    same_table("kiva kva equals the shell's kva", "kiva kva",
               "region        start", 9)
    ntypes = int(gdb.parse_and_eval("M_NTYPES"))
    same_table("kiva malloc equals kmem's types", "kiva malloc",
               "type    inuse(bytes)", ntypes)
    same_table("kiva regions equals kmem's regions, with the reserve",
               "kiva regions", "region      size(KiB)", 2)
    out = run("kiva pool")
    check("pools: consistent" in out,
          "kiva pool: objects and whole pages add up to each type's inuse",
          out.strip().splitlines()[-1] if out.strip() else "no output")


def check_vmem():
    for region in ("kmem_map", "kernel_map"):
        out = run("kiva vmem %s" % region)
        check(out.strip().endswith("vmem %s: consistent" % region),
              "kiva vmem %s: a healthy arena is consistent" % region,
              out.strip().splitlines()[-1])
    # Plant corruption in kernel_map's arena: the first free segment with
    # an allocated one after it loses a page (a gap opens), then the free
    # count is off by one.  Each must be reported; restored, all is well.
    segs, _, _ = vmem_walk(find_allocator("kernel_map")["arena"])
    free = gdb.parse_and_eval("VMEM_SEG_FREE")
    victim = next((a for a, b in zip(segs, segs[1:])
                   if a["bt_type"] == free and b["bt_type"] != free), None)
    if victim is None:
        check(False, "kiva vmem: a free segment to corrupt", "none found")
        return
    addr = int(victim.address)
    size = int(victim["bt_size"])
    gdb.execute("set var ((struct vmem_btag *)%#x)->bt_size = %d"
                % (addr, size - 4096))
    out = run("kiva vmem kernel_map check")
    check("PROBLEM: vmem kernel_map: gap: %#x" % (int(victim["bt_start"])
                                                  + size - 4096) in out,
          "kiva vmem: a free segment shrunk by a page is reported as a gap",
          out.strip())
    gdb.execute("set var ((struct vmem_btag *)%#x)->bt_size = %d"
                % (addr, size))
    nfree = "'kmem.c'::allocators[1].arena.vm_nfree"
    gdb.execute("set var %s = %s + 1" % (nfree, nfree))
    out = run("kiva vmem kernel_map check")
    check("segments on the free lists, vm_nfree says" in out and
          "free segments: " in out,
          "kiva vmem: vm_nfree off by one is reported", out.strip())
    gdb.execute("set var %s = %s - 1" % (nfree, nfree))
    out = run("kiva vmem kernel_map check")
    check(out.strip() == "vmem kernel_map: consistent",
          "kiva vmem: consistent again once restored", out.strip())


# ------------------------------------------------------------ kiva pte

# QEMU's `info tlb` letters (target/i386/monitor.c, print_pte()) and the
# kiva flag names they stand for.
TLB_LETTERS = [("X", "NX"), ("G", "G"), ("P", "PS"), ("D", "D"), ("A", "A"),
               ("C", "PCD"), ("T", "PWT"), ("U", "US"), ("W", "RW")]


def tlb_map():
    """va -> (pa, letters) of every page `info tlb` lists (current CR3)."""
    out = run("monitor info tlb", echo=False)
    pages = {}
    for line in out.splitlines():
        m = re.match(r"([0-9a-f]+): ([0-9a-f]+) (\S+)$", line.strip())
        if m:
            pages[int(m.group(1), 16)] = (int(m.group(2), 16)
                                          & 0x000FFFFFFFFFF000, m.group(3))
    return pages


def kiva_leaf(out):
    """(pa of the page, letters) from `kiva pte`'s output, or None."""
    pa = re.search(r"^  pa (0x[0-9a-f]+),", out, re.M)
    if pa is None:
        return None
    leaf = [l for l in out.splitlines()
            if l.strip().startswith(("PTE", "PDE 2M"))][-1]
    flags = leaf.split(":", 1)[1].split()[1:]
    flags = flags[:flags.index("->")] if "->" in flags else flags
    letters = "".join(c if n in flags else "-" for c, n in TLB_LETTERS)
    return int(pa.group(1), 16) & ~0xFFF, letters


def samples():
    """(name, va) pairs: every region of the layout, and spin's space."""
    ev = lambda e: int(gdb.parse_and_eval(e)) & 0xFFFFFFFF
    layout = "kva_layout"
    s = [("direct map: kernel text", ev("&kmain")),
         ("direct map: kernel rodata", ev("kva_layout[0].name")),
         ("direct map: kernel data", ev("&kva_layout")),
         ("direct map: 100 MiB up", ev("%s[0].start + 100 * 1024 * 1024"
                                       % layout)),
         ("direct map: the VGA page", ev("%s[0].start + 0xb8000" % layout))]
    for name in ("kmem_map", "kernel_map"):
        # A pool page (no owner cookie): a thread stack starts with its
        # unmapped guard page.
        a = find_allocator(name)
        segs, _, _ = vmem_walk(a["arena"])
        used = [int(b["bt_start"]) for b in segs
                if segment_type_of(a, b).startswith("pool ")]
        free = [int(b["bt_start"]) for b in segs
                if str(b["bt_type"]) == "VMEM_SEG_FREE"]
        s.append(("%s: a pool page" % name, used[0]))
        s.append(("%s: a free page" % name, free[-1]))
    spin = "$curthread()->kstack.base"
    s += [("kernel_map: spin's stack", ev(spin)),
          ("kernel_map: the guard page below spin's stack",
           ev(spin + " - 4096"))]
    for i in range(int(gdb.parse_and_eval("KVA_NREGIONS"))):
        name = str(gdb.parse_and_eval("%s[%d].name" % (layout, i)).string())
        if name in ("guard", "kmap", "kmap_atomic"):
            s.append(("%s at %d" % (name, i), ev("%s[%d].start" % (layout,
                                                                   i))))
    # mm/uvm.h: programs are linked at 4 MiB (tests/user/user.ld), the
    # stack ends a guard page below KERNBASE, page 0 is never mapped.
    stack_top = ev("%s[0].start" % layout) - 4096
    s += [("user: spin's text", 0x400000),
          ("user: spin's stack", stack_top - 4),
          ("user: the guard above spin's stack", stack_top),
          ("user: page 0", 0)]
    return s


def check_pte():
    pages = tlb_map()
    check(len(pages) > 1000, "monitor info tlb lists the pages",
          "%d pages" % len(pages))
    pid = int(gdb.parse_and_eval("$curthread()->proc->pid"))
    for name, va in samples():
        out = run("kiva pte %#x" % va)
        leaf = kiva_leaf(out)
        tlb = pages.get(va & ~0xFFF)
        show = lambda m: "%#x %s" % m if m else "not mapped"
        why = "kiva %s, info tlb %s; kiva said:\n%s" % (show(leaf), show(tlb),
                                                       out)
        check(leaf == tlb and not out.startswith("ERROR"),
              "kiva pte %#x (%s) agrees with info tlb (%s)" % (
                  va, name, show(tlb)), why)
        if va < 0xC0000000:
            by_pid = run("kiva pte %#x %d" % (va, pid))
            check(kiva_leaf(by_pid) == leaf,
                  "kiva pte %#x %d (spin's uvm) walks as CR3 does" % (va, pid),
                  by_pid)


# -------------------------------------------------------- bt, page, help

def check_bt():
    out = run("kiva bt 0")
    want = ["sleep_at", "console_getc", "shell_run"]
    check(all(re.search(r"\b%s \(\)" % f, out) for f in want),
          "kiva bt 0: the sleeping shell is in %s" % ", ".join(want), out)
    check(bool(re.search(r"sleep_at \(\) at kernel/thread/sched\.c:\d+", out)),
          "kiva bt 0: frames have file:line", out)


def check_page():
    va = dict(samples())["kmem_map: a pool page"]
    pa = kiva_leaf(run("kiva pte %#x" % va))[0]
    out = run("kiva page %#x" % (pa >> 12))
    check("head of an allocated block of order 0" in out and
          "zone " in out,
          "kiva page: the frame behind kmem_map's page is allocated", out)
    head = int(gdb.parse_and_eval("'pmm.c'::zones[0].free_head[10]"))
    out = run("kiva page %d" % (head + 3))
    check("frame 3 of the free block of order 10 at pfn %#x" % head in out,
          "kiva page: a tail frame names its free block's head", out)
    out = run("kiva page 'pmm.c'::reserve.frames[0]")
    check("in the interrupt reserve" in out,
          "kiva page: a reserve frame says so", out)
    va = int(gdb.parse_and_eval("(unsigned)&kva_layout"))
    base = int(gdb.parse_and_eval("kva_layout[0].start"))
    out = run("kiva page %#x" % va)
    check("PG_RESERVED" in out and "-> pa %#x" % (va - base) in out,
          "kiva page VA: kernel data, through the direct map, is reserved",
          out)


def check_dmesg():
    """The boot messages, as the serial line showed them, are in kiva
    dmesg in the same order (the prompt and the echo of keys are not in
    the log, so only the lines before the first prompt are compared)."""
    lines = serial()
    first = next((i for i, l in enumerate(lines)
                  if l.startswith("Kiva: an i386")), None)
    last = next((i for i, l in enumerate(lines) if l.startswith("Type `help`")),
                None)
    boot = lines[first:last + 1] if first is not None and last else []
    out = run("kiva dmesg", echo=False).replace("\r", "").split("\n")
    found = [l for l in out if l in boot]
    check(boot and found[:len(boot)] == boot,
          "kiva dmesg: the %d boot lines of the serial log, in order"
          % len(boot), "missing %s" % [l for l in boot if l not in out][:3])


def check_help():
    out = run("help kiva")
    names = ["kva", "pte", "malloc", "regions", "pool", "vmem", "ps", "cpus",
             "bt", "page", "dmesg"]
    # "kiva dmesg, dmesg -- ..." for the one with an alias.
    missing = [n for n in names
               if not re.search(r"^kiva %s(, \S+)* -- " % n, out, re.M)]
    check(not missing, "help kiva lists all eleven commands",
          "missing %s" % missing)


def check_cpus():
    """kiva cpus: one row per running CPU, the selected one's thread as
    $curthread() (the thread whose process spin is on the CPU)."""
    n = int(gdb.parse_and_eval("'smp.c'::ncpus_online"))
    rows = [l for l in run("kiva cpus").splitlines()[1:]]
    name = gdb.parse_and_eval("$curthread()->name").string()
    tid = int(gdb.parse_and_eval("$curthread()->tid"))
    mine = [r.split() for r in rows if r.startswith("*")]
    check(len(rows) == n and n >= 1 and len(mine) == 1 and
          mine[0][3] == str(tid) and mine[0][4] == name,
          "kiva cpus: %d CPU row(s), the selected CPU's thread is "
          "$curthread()" % n, "\n".join(rows))


check_ps()
QuietPoint("pit_irq")
gdb.execute("continue")
gdb.execute("delete")
check_help()
check_dmesg()
check_cpus()
check_tables()
check_bt()
check_pte()
check_page()
check_vmem()
print("CHECKS RUN %d" % checks)
