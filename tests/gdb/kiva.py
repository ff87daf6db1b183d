# tests/gdb/kiva.py - GDB commands that show Kiva's kernel data structures.
#
# Usage: `make gdb` loads this file (tests/gdb/kiva.gdb sources it), or by
# hand, from the top of the tree:  (gdb) source tests/gdb/kiva.py
#
#   (gdb) help kiva              the commands, one line each
#   (gdb) kiva kva               the VA layout, as the shell's `kva`
#   (gdb) kiva pte VA [PID]      the PAE walk of one address
#   (gdb) kiva malloc            per-type statistics, as `kmem`'s first table
#   (gdb) kiva regions           per-allocator VA, as `kmem`'s second table
#   (gdb) kiva pool [TYPE]       the pools of each allocator: pages, objects
#   (gdb) kiva vmem REGION [check]  an arena's segments, free lists, check
#   (gdb) kiva ps                threads, what they wait on, their process
#   (gdb) kiva bt TID            a thread's backtrace off the CPU
#   (gdb) kiva page PFN|VA [PID] a frame's record in the frame database
#
# Every command only reads kernel memory, by symbol name and with the
# struct layouts of the kernel's DWARF, so it works on a kernel stopped
# anywhere, a panicked one included, and changes nothing.  Nothing here
# calls a kernel function.  The figures are computed the way the kernel
# computes the ones it prints (mm/kva.c kva_print, mm/kmem.c kmem_print,
# kernel/thread/thread.c thread_print_all), so the two can be compared.
#
# Layout of this file: helpers for reading memory, symbols and lists;
# the decoding each command shares (PAE walk, arenas); one class per
# command, registered under the `kiva` prefix at the end.  Constants that
# the DWARF does not carry (C macros) are repeated here with the header
# they come from; everything else (enums, array lengths, offsets) is read
# from the kernel's debug information.

import struct

import gdb

PAGE_SIZE = 4096  # kernel/lib/types.h
PAGE_SHIFT = 12

# PAE entry bits: mm/pagetable.h (Intel SDM Vol. 3A, 4.4, Tables 4-8 to 4-11).
PTE_P, PTE_W, PTE_U = 0x001, 0x002, 0x004
PTE_PWT, PTE_PCD, PTE_A, PTE_D = 0x008, 0x010, 0x020, 0x040
PTE_PS, PTE_G, PTE_NX = 0x080, 0x100, 1 << 63
PTE_ADDR_MASK = 0x000FFFFFFFFFF000
PDPT_SHIFT, PD_SHIFT, PT_ENTRIES = 30, 21, 512

# The flags each level defines, in the order they are printed (bits not
# listed are reserved or ignored at that level: a PAE PDPTE has only P,
# PWT and PCD; bit 7 of a PTE is PAT, not PS).
FLAG_NAMES = [(PTE_P, "P"), (PTE_W, "RW"), (PTE_U, "US"), (PTE_PWT, "PWT"),
              (PTE_PCD, "PCD"), (PTE_A, "A"), (PTE_D, "D"), (PTE_PS, "PS"),
              (PTE_G, "G"), (PTE_NX, "NX")]
LEVEL_FLAGS = {
    "PDPTE": PTE_P | PTE_PWT | PTE_PCD,
    "PDE": PTE_P | PTE_W | PTE_U | PTE_PWT | PTE_PCD | PTE_A | PTE_PS | PTE_NX,
    "PDE 2M": (PTE_P | PTE_W | PTE_U | PTE_PWT | PTE_PCD | PTE_A | PTE_D
               | PTE_PS | PTE_G | PTE_NX),
    "PTE": (PTE_P | PTE_W | PTE_U | PTE_PWT | PTE_PCD | PTE_A | PTE_D
            | PTE_G | PTE_NX),
}

PFN_NONE = 0xFFFFFFFF  # mm/buddy.h: "no frame", ends a free list


class KivaError(Exception):
    """A problem reading the kernel: reported as the command's error."""


# ------------------------------------------------------------ reading memory

def sym(name, file=None):
    """The kernel variable `name`, a static of `file` if given (gdb.Value)."""
    expr = "'%s'::%s" % (file, name) if file else name
    try:
        return gdb.parse_and_eval(expr)
    except gdb.error as e:
        raise KivaError("cannot read %s: %s (is kernel.elf loaded?)"
                        % (expr, e))


def const(name):
    """An enum constant of the kernel, as an int."""
    return int(gdb.parse_and_eval(name))


def nelems(array):
    """The number of elements of a C array value."""
    lo, hi = array.type.range()
    return hi - lo + 1


def u32(v):
    """A pointer or integer value as an unsigned 32-bit int."""
    return int(v) & 0xFFFFFFFF


def cstr(ptr, default="-"):
    """The C string at ptr (a char * or a char array), or default for NULL
    or unreadable memory."""
    if ptr.type.strip_typedefs().code == gdb.TYPE_CODE_ARRAY:
        return ptr.string()
    if u32(ptr) == 0:
        return default
    try:
        return ptr.string()
    except gdb.MemoryError:
        return "<unreadable %#x>" % u32(ptr)


def read_bytes(addr, n):
    return bytes(gdb.selected_inferior().read_memory(addr, n))


def read_u32(addr):
    return struct.unpack("<I", read_bytes(addr, 4))[0]


def read_u64(addr):
    return struct.unpack("<Q", read_bytes(addr, 8))[0]


def field_offset(type_, name):
    """Byte offset of member `name` in struct type_, looking inside
    anonymous unions and structs (struct vmem_btag's bt_freelink)."""
    for f in type_.strip_typedefs().fields():
        if f.name == name:
            return f.bitpos // 8
        if f.name is None and f.type.strip_typedefs().code in (
                gdb.TYPE_CODE_UNION, gdb.TYPE_CODE_STRUCT):
            try:
                return f.bitpos // 8 + field_offset(f.type, name)
            except KeyError:
                pass
    raise KeyError(name)


def at(addr, type_name):
    """The object of type `type_name` at addr (a gdb.Value lvalue)."""
    return gdb.Value(addr).cast(gdb.lookup_type(type_name).pointer()) \
        .dereference()


class ListWalkError(Exception):
    """A kernel/lib/list.h list that does not come back to its head."""


def list_nodes(lst, limit=1 << 20):
    """The addresses of the nodes on `lst` (a struct list value), first to
    last.  Raises ListWalkError after `limit` nodes (a loop) or at a node
    that cannot be read."""
    head = u32(lst["head"].address)
    node = u32(lst["head"]["next"])
    count = 0
    while node != head:
        if count >= limit:
            raise ListWalkError("more than %d nodes: the list loops" % limit)
        yield node
        try:
            node = read_u32(node + 4)  # struct list_node { prev, next }
        except gdb.MemoryError:
            raise ListWalkError("node %#x cannot be read" % node)
        count += 1


def list_entries(lst, type_name, member, limit=1 << 20):
    """The objects on `lst` linked through `member` (list_entry())."""
    off = field_offset(gdb.lookup_type(type_name), member)
    for node in list_nodes(lst, limit):
        yield at(node - off, type_name)


def symbolize(addr):
    """'name+off' for an address, from gdb's symbols, or its hex."""
    out = gdb.execute("info symbol %#x" % addr, to_string=True).strip()
    if out.startswith("No symbol"):
        return "%#x" % addr
    # "sleep_queue in section .bss" or "trap_common + 27 in section .text"
    return out.split(" in section ")[0].replace(" + ", "+")


# ----------------------------------------------------------------- the layout

def kva_regions():
    """The rows of kva_layout (mm/kva.h) as dicts."""
    layout = sym("kva_layout")
    rows = []
    for i in range(nelems(layout)):
        r = layout[i]
        # kva_tables_name(): KVA_TABLES_AT_BOOT -> "at boot".
        tables = str(r["tables"]).replace("KVA_TABLES_", "")
        rows.append({"id": i, "name": cstr(r["name"]),
                     "start": u32(r["start"]), "end": u32(r["end"]),
                     "use": cstr(r["use"]),
                     "tables": tables.lower().replace("_", " ")})
    return rows


def kernbase():
    """KERNBASE (mm/kva.h): where the direct map, row 0, starts."""
    return u32(sym("kva_layout")[const("KVA_DIRECT")]["start"])


def region_of(va):
    """The name and use of the region va lies in (kva_region_of())."""
    if va < kernbase():
        return "user space", "below KERNBASE"
    rows = kva_regions()
    for r in rows:
        if r["start"] <= va < r["end"]:
            return r["name"], r["use"]
    top = rows[const("KVA_GUARD_TOP")]  # only 0xffffffff itself
    return top["name"], top["use"]


def direct_bytes():
    """Bytes of physical memory the direct map covers (kva_direct_bytes())."""
    r = sym("kva_layout")[const("KVA_DIRECT")]
    return u32(r["end"]) - u32(r["start"])


def read_phys_u64(pa):
    """A 64-bit word of low physical memory, through the direct map."""
    if pa >= direct_bytes():
        raise KivaError("physical %#x is beyond the direct map" % pa)
    return read_u64(kernbase() + pa)


# ------------------------------------------------------------ the PAE walk

def decode_flags(entry, level):
    """The names of the flags set in entry that `level` defines."""
    defined = LEVEL_FLAGS[level]
    return " ".join(n for bit, n in FLAG_NAMES if entry & bit & defined)


def current_cr3():
    """CR3 from QEMU's monitor, or None when there is no such monitor."""
    try:
        out = gdb.execute("monitor info registers", to_string=True)
    except gdb.error:
        return None
    for word in out.split():
        if word.startswith("CR3="):
            return int(word[4:], 16)
    return None


def find_proc(pid):
    """The struct proc of a live or zombie process pid (procs[])."""
    procs = sym("procs", "proc.c")
    free = const("PROC_FREE")
    for i in range(nelems(procs)):
        p = procs[i]
        if int(p["state"]) != free and int(p["pid"]) == pid:
            return p
    raise KivaError("no process with pid %d" % pid)


def address_space(pid):
    """(PDPT physical address, words saying whose it is) for a walk."""
    if pid is not None:
        p = find_proc(pid)
        return (int(p["vm"]["pdpt_pa"]),
                "pid %d (%s): its uvm's PDPT" % (pid, cstr(p["name"])))
    cr3 = current_cr3()
    if cr3 is not None:
        return (cr3 & ~0x1F,
                "CR3 from QEMU's monitor: the current address space")
    # No monitor: the address space the thread on the CPU runs in (a
    # thread's cr3 is 0 for the kernel's own).
    cr3 = u32(curthread()["cr3"])
    if cr3:
        return cr3 & ~0x1F, "curthread->cr3 (no QEMU monitor)"
    pdpt = u32(sym("kernel_pdpt", "paging.c").address)
    return pdpt - kernbase(), "the kernel's kernel_pdpt (no QEMU monitor)"


def pae_walk(va, pdpt_pa):
    """The walk of Intel SDM Vol. 3A, 4.4.2 for va.  Returns a list of
    (level, index, entry address, entry) and the physical address, or None
    when a level is not present."""
    steps = []
    table, index = pdpt_pa, (va >> PDPT_SHIFT) & 3
    entry = read_phys_u64(table + 8 * index)
    steps.append(("PDPTE", index, table + 8 * index, entry))
    if not entry & PTE_P:
        return steps, None
    table, index = entry & PTE_ADDR_MASK, (va >> PD_SHIFT) & (PT_ENTRIES - 1)
    entry = read_phys_u64(table + 8 * index)
    if entry & PTE_P and entry & PTE_PS:  # a 2 MiB page: no table
        steps.append(("PDE 2M", index, table + 8 * index, entry))
        return steps, (entry & PTE_ADDR_MASK & ~0x1FFFFF) | (va & 0x1FFFFF)
    steps.append(("PDE", index, table + 8 * index, entry))
    if not entry & PTE_P:
        return steps, None
    table, index = entry & PTE_ADDR_MASK, (va >> PAGE_SHIFT) & (PT_ENTRIES - 1)
    entry = read_phys_u64(table + 8 * index)
    steps.append(("PTE", index, table + 8 * index, entry))
    if not entry & PTE_P:
        return steps, None
    return steps, (entry & PTE_ADDR_MASK) | (va & (PAGE_SIZE - 1))


def effective_rights(steps):
    """The rights of the whole walk (SDM Vol. 3A, 4.6.1): writable and
    user only if every PDE and PTE says so, NX if any does."""
    levels = [e for lvl, _, _, e in steps if lvl != "PDPTE"]
    rw = all(e & PTE_W for e in levels)
    us = all(e & PTE_U for e in levels)
    nx = any(e & PTE_NX for e in levels)
    return "%s, %s, %s" % ("read/write" if rw else "read-only",
                           "user" if us else "supervisor",
                           "no-execute" if nx else "executable")


def translate(va, pid=None):
    """The physical address of va (direct map arithmetic, or a walk), or
    None when it is not mapped."""
    if pid is None and kernbase() <= va < kernbase() + direct_bytes():
        return va - kernbase()
    if pid is None and va >= kernbase():
        # The kernel's quarter is one page directory in every address
        # space (mm/kva.h): walk the kernel's own PDPT.
        pdpt_pa = u32(sym("kernel_pdpt", "paging.c").address) - kernbase()
    else:
        pdpt_pa, _ = address_space(pid)
    return pae_walk(va, pdpt_pa)[1]


# ------------------------------------------------------------------ arenas

def allocators():
    """kmem.c's allocators[]: {name: struct kmem_allocator value}."""
    arr = sym("allocators", "kmem.c")
    return [(cstr(arr[i]["name"]), arr[i]) for i in range(nelems(arr))]


def find_allocator(name):
    for n, a in allocators():
        if n == name:
            return a
    raise KivaError("no allocator %r: use %s" % (
        name, " or ".join(n for n, _ in allocators())))


def log2_floor(n):
    return n.bit_length() - 1


def type_names():
    names = sym("type_names", "kmem.c")
    return [cstr(names[i], "?") for i in range(nelems(names))]


def segment_type_of(a, bt):
    """For an allocated segment: what it holds, in words."""
    owner = u32(bt["bt_owner"])
    if owner:
        cookies = u32(sym("type_cookies", "kmem_allocator.c").address)
        t = owner - cookies
        names = type_names()
        return names[t] if 0 <= t < len(names) else "owner %#x" % owner
    rs = a["records"]
    page = (u32(bt["bt_start"]) - u32(rs["rs_base"])) >> PAGE_SHIFT
    if 0 <= page < int(rs["rs_npages"]):
        pool = rs["rs_pages"][page]["pg_pool"]
        if u32(pool):
            return "pool %s/%s" % (pool_type_name(a, u32(pool)),
                                   cstr(pool.dereference()["pr_name"]))
    return "-"


def pool_type_name(a, pool_addr):
    """The malloc type of the pool at pool_addr (kmem_allocator.c's
    pool_type(): pools are [type][class])."""
    first = u32(a["pools"][0][0].address)
    per_type = nelems(a["pools"][0]) * gdb.lookup_type("struct pool").sizeof
    t = (pool_addr - first) // per_type
    names = type_names()
    return names[t] if 0 <= t < len(names) else "?"


def vmem_walk(vm):
    """Everything kiva vmem shows and checks about one arena: the segments
    in list order, the free lists and the problems found, mirroring
    vmem_check() in mm/vmem.c but reporting every broken invariant."""
    problems = []
    qshift = int(vm["vm_qshift"])
    quantum = 1 << qshift
    base, size = u32(vm["vm_base"]), u32(vm["vm_size"])
    free_t, alloc_t, spare_t = (const("VMEM_SEG_FREE"),
                                const("VMEM_SEG_ALLOC"),
                                const("VMEM_SEG_SPARE"))
    ntags = int(vm["vm_ntags"])
    limit = ntags + 16  # more nodes than tags: a loop
    btag = "struct vmem_btag"

    def walk(lst, member, what):
        """The tags on a list, or None (a problem) if it cannot be walked."""
        try:
            return list(list_entries(lst, btag, member, limit))
        except ListWalkError as e:
            problems.append("%s: %s" % (what, e))
            return None

    # The spare list, and the tag count (vmem_check()).
    spares = walk(vm["vm_spare"], "bt_seglink", "spare list")
    for bt in spares or []:
        if int(bt["bt_type"]) != spare_t:
            problems.append("segment %#x on the spare list"
                            % u32(bt["bt_start"]))
    if spares is not None and len(spares) != int(vm["vm_nspare"]):
        problems.append("spare list has %d tags, vm_nspare says %d"
                        % (len(spares), int(vm["vm_nspare"])))
    counted = int(vm["vm_nalloc"]) + int(vm["vm_nfree"]) + int(vm["vm_nspare"])
    if counted != ntags:
        problems.append("a tag is lost: vm_nalloc + vm_nfree + vm_nspare = "
                        "%d, vm_ntags = %d" % (counted, ntags))

    # The free lists: each segment on the list of floor(log2(quanta)).
    freelists = []
    freemap = int(vm["vm_freemap"])
    on_lists = 0
    for i in range(nelems(vm["vm_freelist"])):
        lst = vm["vm_freelist"][i]
        fl = walk(lst, "bt_freelink", "free list %d" % i) or []
        freelists.append(fl)
        if bool(fl) != bool((freemap >> i) & 1):
            problems.append("free bitmap bit %d is %d but list %d has %d "
                            "segments" % (i, (freemap >> i) & 1, i, len(fl)))
        prev = u32(lst["head"].address)
        link = field_offset(gdb.lookup_type(btag), "bt_freelink")
        for bt in fl:
            start, bsize = u32(bt["bt_start"]), u32(bt["bt_size"])
            node = u32(bt.address) + link
            if int(bt["bt_type"]) != free_t:
                problems.append("segment %#x on free list %d is not free"
                                % (start, i))
            elif bsize >> qshift == 0 or log2_floor(bsize >> qshift) != i:
                problems.append("free segment %#x of %d KiB is on list %d, "
                                "not %s" % (start, bsize >> 10, i,
                                            log2_floor(bsize >> qshift)
                                            if bsize >> qshift else "any"))
            if read_u32(node) != prev:  # bt_freelink.prev
                problems.append("free list %d: back link of %#x is broken"
                                % (i, start))
            prev = node
            on_lists += 1
    if on_lists != int(vm["vm_nfree"]):
        problems.append("%d segments on the free lists, vm_nfree says %d"
                        % (on_lists, int(vm["vm_nfree"])))
    free_ids = {u32(bt.address) for fl in freelists for bt in fl}

    # The segment list: address order, no gap, no overlap, coalesced.
    segs = walk(vm["vm_segs"], "bt_seglink", "segment list")
    walked = segs is not None
    segs = segs or []
    end, prev_free, prev = base, False, u32(vm["vm_segs"]["head"].address)
    nalloc = nfree = inuse = 0
    index = u32(vm["vm_index"])
    for bt in segs:
        start, bsize, btype = (u32(bt["bt_start"]), u32(bt["bt_size"]),
                               int(bt["bt_type"]))
        if read_u32(u32(bt.address)) != prev:  # bt_seglink.prev
            problems.append("segment %#x: back link is broken" % start)
        prev = u32(bt.address)
        if start > end:
            problems.append("gap: %#x - %#x is in no segment" % (end, start))
        elif start < end:
            problems.append("overlap: segment %#x starts inside the one "
                            "before, which ends at %#x" % (start, end))
        if bsize == 0 or bsize % quantum or start + bsize > base + size:
            problems.append("segment %#x has a bad size, %#x bytes"
                            % (start, bsize))
        if btype == free_t:
            if prev_free:
                problems.append("free segments touch at %#x: not coalesced"
                                % start)
            if u32(bt.address) not in free_ids:
                problems.append("free segment %#x is on no free list" % start)
            nfree += 1
        elif btype == alloc_t:
            slot = index + ((start - base) >> qshift) * 4
            if not base <= start < base + size or read_u32(slot) != \
                    u32(bt.address):
                problems.append("index slot of allocated %#x does not point "
                                "at its tag" % start)
            nalloc += 1
            inuse += bsize
        else:
            problems.append("spare tag on the segment list at %#x" % start)
        prev_free = btype == free_t
        end = max(end, start + bsize)
    if walked and end != base + size:
        problems.append("segments end at %#x, the arena at %#x"
                        % (end, base + size))
    for what, found, field in (("allocated segments", nalloc, "vm_nalloc"),
                               ("free segments", nfree, "vm_nfree"),
                               ("bytes in use", inuse, "vm_inuse")):
        if walked and found != int(vm[field]):
            problems.append("%s: %d on the segment list, %s says %d"
                            % (what, found, field, int(vm[field])))
    # Only an allocation's first quantum has an index slot set.
    slots = read_bytes(index, (size >> qshift) * 4)
    used = sum(1 for (v,) in struct.iter_unpack("<I", slots) if v)
    if used != nalloc:
        problems.append("%d index slots are set for %d allocated segments"
                        % (used, nalloc))
    return segs, freelists, problems


def largest_free(vm):
    """vmem_stats()'s vs_largest: the largest segment on the highest
    non-empty free list."""
    freemap = int(vm["vm_freemap"])
    if freemap == 0:
        return 0
    lst = vm["vm_freelist"][log2_floor(freemap)]
    return max(u32(bt["bt_size"]) for bt in
               list_entries(lst, "struct vmem_btag", "bt_freelink",
                            int(vm["vm_ntags"]) + 16))


# ----------------------------------------------------------------- the CPUs

def selected_cpu():
    """The index of the CPU GDB has selected: QEMU's GDB stub shows each
    virtual CPU as a thread, numbered from 1 (`info threads`)."""
    t = gdb.selected_thread()
    return t.num - 1 if t is not None else 0


def cpu_record(i):
    """cpus[i] (kernel/cpu/percpu.h)."""
    return sym("cpus")[i]


def curthread():
    """The thread on the selected CPU: its struct cpu's thread, as the
    kernel's curthread macro reads it through %fs."""
    return cpu_record(selected_cpu())["thread"].dereference()


class CurthreadFunction(gdb.Function):
    """$curthread(): the thread on the CPU GDB has selected (a struct
    thread *), for expressions: p $curthread()->name."""

    def __init__(self):
        super().__init__("curthread")

    def invoke(self):
        return cpu_record(selected_cpu())["thread"]


# --------------------------------------------------------------- commands

class KivaPrefix(gdb.Command):
    """Kiva's kernel structures, read from memory (tests/gdb/kiva.py).

They work on a kernel stopped anywhere, or panicked, and change nothing.
Each prints what the shell's command of the same name prints where there
is one (kva, kmem, ps), computed from the same fields."""

    def __init__(self):
        super().__init__("kiva", gdb.COMMAND_DATA, prefix=True)


class KivaCommand(gdb.Command):
    """Base of the kiva commands: parses arguments, reports errors."""

    name = None   # "kva" for `kiva kva`

    def __init__(self):
        super().__init__("kiva " + self.name, gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        # Words split at blanks, quotes kept: an argument may be an
        # expression such as 'pmm.c'::reserve.frames[0].
        try:
            self.run(arg.split())
        except (KivaError, ListWalkError, gdb.MemoryError) as e:
            raise gdb.GdbError("kiva %s: %s" % (self.name, e))

    def usage(self):
        # The docstring's last line is "Usage: kiva ...".
        raise KivaError(self.__doc__.splitlines()[-1].strip())

    @staticmethod
    def number(word):
        """A number or an expression (`$esp`, `&threads`, `0x1000`)."""
        try:
            return int(gdb.parse_and_eval(word)) & 0xFFFFFFFF
        except gdb.error as e:
            raise KivaError("%s: %s" % (word, e))


class KivaKva(KivaCommand):
    """The kernel VA layout, as the shell's `kva` prints it.
Usage: kiva kva"""

    name = "kva"

    def run(self, argv):
        if argv:
            self.usage()
        top = const("KVA_GUARD_TOP")
        print("region        start      end        size(KiB)  page tables  "
              "use")
        for r in reversed(kva_regions()):
            # kva_print(): the top guard's end is 0xffffffff, inclusive.
            size = r["end"] - r["start"] + (r["id"] == top)
            last = r["end"] - (r["id"] != top)
            print("%-12s  %08x - %08x  %9d  %-11s  %s" % (
                r["name"], r["start"], last, size >> 10, r["tables"],
                r["use"]))


class KivaPte(KivaCommand):
    """The PAE walk of a virtual address: entries, flags, physical address.
The walk of Intel SDM Vol. 3A, 4.4: each level's entry (PDPTE, PDE, PTE)
with the flags that level defines, the physical address, the rights of
the whole walk, and the region (mm/kva.h, or user space).  Without PID,
the current address space (CR3 from QEMU's monitor); with PID, that
process's (its struct uvm's PDPT).  Tables are read through the direct
map.
Usage: kiva pte VA [PID]"""

    name = "pte"

    def run(self, argv):
        if len(argv) not in (1, 2):
            self.usage()
        va = self.number(argv[0])
        pid = self.number(argv[1]) if len(argv) == 2 else None
        pdpt_pa, whose = address_space(pid)
        steps, pa = pae_walk(va, pdpt_pa)
        region, use = region_of(va)
        print("va %#010x: PDPT index %d, PD index %d, PT index %d, offset %#x"
              % (va, (va >> PDPT_SHIFT) & 3, (va >> PD_SHIFT) & 511,
                 (va >> PAGE_SHIFT) & 511, va & (PAGE_SIZE - 1)))
        print("  PDPT at %#010x: %s" % (pdpt_pa, whose))
        for level, index, where, entry in steps:
            target = entry & PTE_ADDR_MASK
            what = {"PDPTE": "page directory", "PDE": "page table",
                    "PDE 2M": "2 MiB page", "PTE": "page"}[level]
            print("  %-6s [%3d] at %#010x: %#018x  %-22s %s" % (
                level, index, where, entry, decode_flags(entry, level),
                "-> %s at %#x" % (what, target) if entry & PTE_P
                else "not present"))
        if pa is None:
            print("  not mapped; region %s (%s)" % (region, use))
        else:
            print("  pa %#x, %s; region %s (%s)" % (
                pa, effective_rights(steps), region, use))


def kmem_cpus():
    """mm/kmem.c's per-CPU data, every slot (a CPU never started has only
    zeros and no magazines)."""
    cpus = sym("kmem_cpus", "kmem.c")
    return [cpus[i] for i in range(nelems(cpus))]


def type_sums():
    """Per type, every CPU's counters summed as kmem_type_stats() does:
    {type name: {inuse, requests, failures, sleeps}}, inuse modulo 2^64."""
    sums = {}
    for t, name in enumerate(type_names()):
        sums[name] = {f: 0 for f in ("inuse", "requests", "failures",
                                     "sleeps")}
        for c in kmem_cpus():
            for f in sums[name]:
                sums[name][f] += int(c["types"][t][f])
        for f in sums[name]:
            sums[name][f] %= 1 << 64
    return sums


def magazine_list(m, limit=1 << 16):
    """The magazines on a list linked through m_next, from pointer m."""
    out = []
    while u32(m) and len(out) < limit:
        out.append(m.dereference())
        m = m["m_next"]
    return out


def allocator_magazines(ai):
    """Allocator ai's magazines: {type index: rounds} and, per CPU, its
    (rounds, magazines), plus the depot's (full, empty) and how many
    magazines were found."""
    rounds, per_cpu, found = {}, [], 0
    for c in kmem_cpus():
        cr, cm = 0, 0
        for t in range(nelems(c["caches"][ai])):
            for k in range(nelems(c["caches"][ai][t])):
                cache = c["caches"][ai][t][k]
                for which, count in (("loaded", "rounds"),
                                     ("previous", "prounds")):
                    if u32(cache[which]):
                        n = int(cache[count])
                        rounds[t] = rounds.get(t, 0) + n * (16 << k)
                        cr += n
                        cm += 1
        per_cpu.append((cr, cm))
        found += cm
    # Magazines a reclaim has taken from the CPUs and not given back yet
    # (only while GDB stops one): rounds of any type, so not counted.
    found += len(magazine_list(sym("flushed", "kmem.c")[ai]))
    depots = sym("depots", "kmem.c")[ai]
    full = empty = 0
    for t in range(nelems(depots)):
        for k in range(nelems(depots[t])):
            for m in magazine_list(depots[t][k]["full"]):
                rounds[t] = rounds.get(t, 0) + \
                    int(m["m_rounds"]) * (16 << k)
                full += 1
            empty += len(magazine_list(depots[t][k]["empty"]))
    return rounds, per_cpu, (full, empty), found + full + empty


class KivaMalloc(KivaCommand):
    """Per-type kmalloc statistics, as the first table of the shell's kmem.
Like ddb's `show malloc`: per malloc type, the bytes in use, the
high-water mark, requests, failures and sleeps (mm/kmem.c's kmem_cpus,
summed over the CPUs, and its highwater).
Usage: kiva malloc"""

    name = "malloc"

    def run(self, argv):
        if argv:
            self.usage()
        sums = type_sums()
        high = sym("highwater", "kmem.c")
        print("type    inuse(bytes)  highwater(bytes)  requests  failures  "
              "sleeps")
        for t, name in enumerate(type_names()):
            s = sums[name]
            print("%-7s %12d  %16d  %8d  %8d  %6d" % (
                name, s["inuse"], int(high[t]), s["requests"],
                s["failures"], s["sleeps"]))


class KivaRegions(KivaCommand):
    """Each allocator's VA and the reserve, as the second table of kmem.
Size, used, free and largest free extent of each allocator's arena, and
for kmem_map the interrupt reserve: frames kept for handlers (mm/pmm.h).
Usage: kiva regions"""

    name = "regions"

    def run(self, argv):
        if argv:
            self.usage()
        reserve = sym("reserve", "pmm.c")
        print("region      size(KiB)  used(KiB)  free(KiB)  largest(KiB)  "
              "reserve for handlers")
        for name, a in allocators():
            vm = a["arena"]
            size, used = u32(vm["vm_size"]), u32(vm["vm_inuse"])
            line = "%-10s  %9d  %9d  %9d  %12d  " % (
                name, size >> 10, used >> 10, (size - used) >> 10,
                largest_free(vm) >> 10)
            if bool(a["nointr"]):
                line += "-"
            else:
                line += "%d/%d frames (%d used by handlers)" % (
                    int(reserve["nframes"]), int(reserve["target"]),
                    int(reserve["used"]))
            print(line)


class KivaPool(KivaCommand):
    """Pages and objects of each size class of each allocator.
For every pool (type and size class) that has had pages: its pages
(full, partial, the one kept empty) and objects (used, free), counted on
its partial list; then each CPU's magazines and the depot; then per type,
the bytes in objects (less the free ones in magazines, and the magazines
themselves) and in whole-page allocations, against kmem's inuse.  Ends
"pools: consistent" or with the problems found.
Usage: kiva pool [TYPE]"""

    name = "pool"

    def run(self, argv):
        if len(argv) > 1:
            self.usage()
        names = type_names()
        if argv and argv[0] not in names:
            raise KivaError("no type %r: one of %s" % (argv[0],
                                                       " ".join(names)))
        sums = type_sums()
        bytes_in = {t: 0 for t in names}
        problems = []
        for ai, (aname, a) in enumerate(allocators()):
            print("%s:" % aname)
            print("  type    size(bytes)  pages  full  partial  empty  "
                  "objects   used   free      gets      puts")
            shown = 0
            for t, tname in enumerate(names):
                if argv and tname != argv[0]:
                    continue
                for c in range(nelems(a["pools"][t])):
                    used = self.pool_line(a["pools"][t][c], tname, problems)
                    if used is not None:
                        bytes_in[tname] += used
                        shown += 1
            if not shown:
                print("  (no pool has had a page)")
            self.magazines(ai, aname, names, bytes_in, problems)
            # Whole-page allocations carry their type's cookie (vmem owner).
            segs, _, _ = vmem_walk(a["arena"])
            for bt in segs:
                if int(bt["bt_type"]) == const("VMEM_SEG_ALLOC"):
                    what = segment_type_of(a, bt)
                    if what in bytes_in:
                        bytes_in[what] += self.page_bytes(bt)
        print("per type: bytes in pool objects and whole pages, both "
              "allocators")
        print("  type    counted(bytes)  kmem inuse(bytes)")
        for t, tname in enumerate(names):
            if argv and tname != argv[0]:
                continue
            inuse = sums[tname]["inuse"]
            print("  %-7s %14d  %17d%s" % (tname, bytes_in[tname], inuse,
                                           "" if inuse == bytes_in[tname]
                                           else "  MISMATCH"))
            if inuse != bytes_in[tname]:
                problems.append("type %s: %d bytes counted, inuse %d"
                                % (tname, bytes_in[tname], inuse))
        for p in problems:
            print("PROBLEM: " + p)
        print("pools: %s" % ("consistent" if not problems else
                             "problems found: %d" % len(problems)))

    @staticmethod
    def magazines(ai, aname, names, bytes_in, problems):
        """Prints allocator ai's magazines per CPU and its depot, and
        takes their free rounds, and the magazines (pool objects of
        malloc type vmem that kmem counts apart), out of bytes_in."""
        rounds, per_cpu, (full, empty), found = allocator_magazines(ai)
        allocated = int(sym("magazines_allocated", "kmem.c")[ai])
        for cpu, (r, m) in enumerate(per_cpu):
            if m:
                print("  cpu %d: %d magazines, %d rounds" % (cpu, m, r))
        print("  magazines: %d (depot: %d full, %d empty)" % (
            allocated, full, empty))
        for t, b in rounds.items():
            bytes_in[names[t]] -= b
        magazine = gdb.lookup_type("struct magazine")
        size = 16
        while size < magazine.sizeof:
            size *= 2
        bytes_in["vmem"] -= allocated * size
        if found != allocated:
            problems.append("%s: %d magazines found, %d allocated" % (
                aname, found, allocated))

    @staticmethod
    def pool_line(pp, tname, problems):
        """Prints one pool and returns its used bytes, or None for a pool
        that never had a page."""
        npages, perpage = int(pp["pr_npages"]), int(pp["pr_perpage"])
        gets, puts = int(pp["pr_nget"]), int(pp["pr_nput"])
        if npages == 0 and gets == 0:
            return None
        size = int(pp["pr_size"])
        partial = list(list_entries(pp["pr_partial"], "struct pool_page",
                                    "pg_link", npages + 1))
        free = sum(int(pg["pg_nfree"]) for pg in partial)
        empty = 1 if u32(pp["pr_empty"]) else 0
        if empty:
            free += int(pp["pr_empty"].dereference()["pg_nfree"])
        full = npages - len(partial) - empty
        used = npages * perpage - free
        print("  %-7s %11d  %5d  %4d  %7d  %5d  %7d  %5d  %5d  %8d  %8d" % (
            tname, size, npages, full, len(partial), empty, npages * perpage,
            used, free, gets, puts))
        if used != gets - puts or full < 0:
            problems.append("pool %s/%d: %d objects used on its pages, "
                            "gets - puts = %d" % (tname, size, used,
                                                  gets - puts))
        return used * size

    @staticmethod
    def page_bytes(bt):
        """Bytes kmem counts for a whole-page allocation: all of it, but
        for a guarded one (a thread stack) the unmapped guard page below."""
        start = u32(bt["bt_start"])
        if translate(start) is None:
            return u32(bt["bt_size"]) - PAGE_SIZE
        return u32(bt["bt_size"])


class KivaVmem(KivaCommand):
    """An arena's segments and free lists, and a consistency check.
The check, that of vmem_check() (mm/vmem.c) reporting every problem:
each free segment on its power-of-two list, segments in address order
with no gap or overlap, no two free neighbours left uncoalesced, the
counters (vm_nalloc, vm_nfree, vm_inuse, tags) and the index.  Ends
"consistent" or with the problems.  With `check`, only the check.
Usage: kiva vmem kmem_map|kernel_map [check]"""

    name = "vmem"

    def run(self, argv):
        if len(argv) not in (1, 2) or (len(argv) == 2 and argv[1] != "check"):
            self.usage()
        a = find_allocator(argv[0])
        vm = a["arena"]
        segs, freelists, problems = vmem_walk(vm)
        if len(argv) == 1:
            print("vmem %s: %#x - %#x, quantum %d bytes; %d allocated, %d "
                  "free segments, %d KiB in use; %d tags, %d spare" % (
                      argv[0], u32(vm["vm_base"]),
                      u32(vm["vm_base"]) + u32(vm["vm_size"]),
                      1 << int(vm["vm_qshift"]), int(vm["vm_nalloc"]),
                      int(vm["vm_nfree"]), u32(vm["vm_inuse"]) >> 10,
                      int(vm["vm_ntags"]), int(vm["vm_nspare"])))
            print("  start       end         size(KiB)  state  holds")
            for bt in segs:
                start, size = u32(bt["bt_start"]), u32(bt["bt_size"])
                free = int(bt["bt_type"]) == const("VMEM_SEG_FREE")
                print(("  %#010x  %#010x  %9d  %-5s  %s" % (
                    start, start + size, size >> 10,
                    "free" if free else "alloc",
                    "" if free else segment_type_of(a, bt))).rstrip())
            print("  free lists (list i: 2^i to 2^(i+1)-1 pages):")
            for i, fl in enumerate(freelists):
                if fl:
                    print("    %2d: %s" % (i, " ".join(
                        "%#x+%dK" % (u32(bt["bt_start"]),
                                     u32(bt["bt_size"]) >> 10) for bt in fl)))
        for p in problems:
            print("PROBLEM: vmem %s: %s" % (argv[0], p))
        if problems:
            print("vmem %s: problems found: %d" % (argv[0], len(problems)))
        else:
            print("vmem %s: consistent" % argv[0])


def thread_table():
    """The used records of threads[] (kernel/thread/thread.c)."""
    threads = sym("threads", "thread.c")
    free = const("THREAD_FREE")
    return [threads[i] for i in range(nelems(threads))
            if int(threads[i]["state"]) != free]


def thread_state(t):
    """A state's name as `ps` prints it (thread.c's state_names[])."""
    names = sym("state_names", "thread.c")
    return cstr(names[int(t["state"])], "?")


class KivaPs(KivaCommand):
    """Every thread: id, name, state, CPU, wait channel, process.
The columns of the shell's `ps` thread table (wchan is the wmesg), then
the process the thread runs (pid, name) and the wait channel's symbol.
Usage: kiva ps"""

    name = "ps"

    def run(self, argv):
        if argv:
            self.usage()
        print("  tid  name              state     cpu  wchan           "
              "pid  process           channel")
        for t in thread_table():
            proc = t["proc"]
            pid, pname = "-", "-"
            if u32(proc):
                pid, pname = int(proc["pid"]), cstr(proc["name"])
            chan = u32(t["wchan"])
            print("%5d  %-16s  %-8s  %3d  %-12s  %5s  %-16s  %s" % (
                int(t["tid"]), cstr(t["name"]), thread_state(t),
                int(t["cpu"]), cstr(t["wmesg"]), pid, pname,
                symbolize(chan) if chan else "-"))


class KivaCpus(KivaCommand):
    """Every running CPU: its record, its thread, what it is inside.
For each CPU of cpus[] that is online (kernel/cpu/percpu.h): its index,
local APIC id, the thread on it (tid, name; `idle` when it is its idle
thread), its interrupt depth, whether a switch is due, its kmap_atomic
windows in use, and its scheduler ticks.  `*` marks the CPU GDB has
selected (`info threads`, `thread N`: QEMU's CPU N - 1).
Usage: kiva cpus"""

    name = "cpus"

    def run(self, argv):
        if argv:
            self.usage()
        n = int(sym("ncpus_online", "smp.c"))
        print("  cpu  apic  tid  thread            irq  resched  kmap  "
              "ticks")
        for i in range(n):
            c = cpu_record(i)
            t = c["thread"].dereference()
            idle = u32(c["thread"]) == u32(c["idle"])
            print("%s %3d  %4d  %3d  %-16s  %3d  %-7s  %4d  %d" % (
                "*" if i == selected_cpu() else " ", i, int(c["apic_id"]),
                int(t["tid"]), cstr(t["name"]) + (" (idle)" if idle
                                                  else ""),
                int(c["irq_depth"]), "yes" if bool(c["need_resched"])
                else "no", int(c["kmap_atomic_depth"]), int(c["ticks"])))


class KivaBt(KivaCommand):
    """Backtrace of a thread off the CPU, from its saved context.
For a sleeping, ready or zombie thread: the frame switch_context() left
on its stack (EFLAGS, edi, esi, ebx, ebp, then the return eip;
kernel/thread/switch.S), then the ebp chain, each return address named
with gdb's symbols and lines.  It stops at trap entry code: trap frames
are not unwound here.
Usage: kiva bt TID"""

    name = "bt"
    MAX_FRAMES = 64

    def run(self, argv):
        if len(argv) != 1:
            self.usage()
        tid = self.number(argv[0])
        t = next((t for t in thread_table() if int(t["tid"]) == tid), None)
        if t is None:
            raise KivaError("no thread with tid %d" % tid)
        if int(t["state"]) == const("THREAD_RUNNING"):
            raise KivaError("thread %d is running: its registers are the "
                            "CPU's, use bt" % tid)
        esp = u32(t["esp"])
        lo, hi = u32(t["kstack"]["base"]), u32(t["kstack"]["top"])
        eflags, edi, esi, ebx, ebp, eip = struct.unpack(
            "<6I", read_bytes(esp, 24))
        print("thread %d (%s), %s%s; saved context at esp %#x:" % (
            tid, cstr(t["name"]), thread_state(t),
            " on " + cstr(t["wmesg"]) if u32(t["wmesg"]) else "", esp))
        print("#0  switch_context: eflags %#x edi %#x esi %#x ebx %#x "
              "ebp %#x" % (eflags, edi, esi, ebx, ebp))
        # Frame n returns to pc; ebp is the frame pointer of the function
        # pc is in: [ebp] is its caller's ebp, [ebp + 4] its return address.
        # The chain ends at ebp 0 (a new thread's first frame), outside
        # the stack, or where it stops going up the stack.
        pc, n = eip, 1
        trampoline = u32(sym("thread_trampoline").address)
        if eip == trampoline:
            # thread_alloc()'s first frame: not a return address.
            print("#1  %#010x in thread_trampoline: it has never run" % eip)
            return
        while True:
            print("#%-2d %#010x in %s" % (n, pc, self.describe(pc)))
            if symbolize(pc).startswith("trap_common"):
                print("    (trap entry: the frames below are the "
                      "interrupted context's, in its trap frame)")
                break
            if n + 1 >= self.MAX_FRAMES or not lo <= ebp <= hi - 8:
                break
            next_ebp, pc = struct.unpack("<2I", read_bytes(ebp, 8))
            ebp = next_ebp if next_ebp > ebp else 0
            n += 1

    @staticmethod
    def describe(pc):
        """'fn () at file:line', with the functions inlined there.  pc is
        a return address, so pc - 1 is inside the call instruction."""
        block = gdb.block_for_pc(pc - 1)
        funcs = []
        while block is not None:
            if block.function is not None and (
                    not funcs or funcs[-1] != block.function.print_name):
                funcs.append(block.function.print_name)
            block = block.superblock
        if not funcs:
            return symbolize(pc)
        sal = gdb.find_pc_line(pc - 1)
        where = ""
        if sal.symtab is not None:
            where = " at %s:%d" % (sal.symtab.filename, sal.line)
        text = "%s ()%s" % (funcs[0], where)
        if len(funcs) > 1:
            text += ", inlined into " + ", inlined into ".join(
                f + " ()" for f in funcs[1:])
        return text


class KivaPage(KivaCommand):
    """A frame's record in the frame database (struct page).
Zone, the buddy block it is part of (head, order, free or allocated),
the fields of its struct page (mm/buddy.h), and whether it is in the
interrupt reserve.  The argument is a PFN if it is a number below the
number of frames, the record itself if it is a struct page *, and
otherwise a VA (any other pointer too), translated first: the direct
map, or a walk (with PID, in that process's address space).
Usage: kiva page PFN|VA [PID]"""

    name = "page"

    def run(self, argv):
        if len(argv) not in (1, 2):
            self.usage()
        nframes = int(sym("nframes", "pmm.c"))
        value = self.number(argv[0])
        pid = self.number(argv[1]) if len(argv) == 2 else None
        frames = sym("frames", "pmm.c")
        type_ = gdb.parse_and_eval(argv[0]).type.strip_typedefs()
        is_ptr = type_.code == gdb.TYPE_CODE_PTR
        if is_ptr and type_.target().strip_typedefs() == \
                gdb.lookup_type("struct page"):
            # A struct page * (reserve.frames[0]): the record itself.
            pfn = (value - u32(frames)) // type_.target().sizeof
        elif value < nframes and not is_ptr and pid is None:
            pfn = value
        else:
            pa = translate(value, pid)
            if pa is None:
                raise KivaError("va %#x is not mapped" % value)
            print("va %#x -> pa %#x" % (value, pa))
            pfn = pa >> PAGE_SHIFT
        if not 0 <= pfn < nframes:
            raise KivaError("pfn %#x is beyond the frame database (%d frames)"
                            % (pfn, nframes))
        zones = sym("zones", "pmm.c")
        p = frames[pfn]
        flags = int(p["flags"])
        pg_free, pg_alloc, pg_reserved = (const("PG_FREE"),
                                          const("PG_ALLOCATED"),
                                          const("PG_RESERVED"))
        zone = int(p["zone"])
        zname = cstr(zones[zone]["name"]) if zone < nelems(zones) else "?"
        print("pfn %#x (pa %#x), zone %s; struct page at %#x:" % (
            pfn, pfn << PAGE_SHIFT, zname, u32(p.address)))
        names = [n for bit, n in ((pg_free, "PG_FREE"),
                                  (pg_alloc, "PG_ALLOCATED"),
                                  (pg_reserved, "PG_RESERVED"))
                 if flags & bit]
        print("  next %s, prev %s, order %d, flags %#x (%s), zone %d, "
              "spare %d" % (self.pfn_str(int(p["next"])),
                            self.pfn_str(int(p["prev"])), int(p["order"]),
                            flags, " ".join(names) or "none", zone,
                            int(p["spare"])))
        print("  " + self.block_of(frames, pfn, flags, zones[zone]
                                   if zone < nelems(zones) else None))
        reserve = sym("reserve", "pmm.c")
        held = [u32(reserve["frames"][i]) for i in
                range(int(reserve["nframes"]))]
        if u32(p.address) in held:
            print("  in the interrupt reserve (mm/pmm.c), kept for handlers")

    @staticmethod
    def pfn_str(v):
        return "PFN_NONE" if v == PFN_NONE else "%#x" % v

    @staticmethod
    def block_of(frames, pfn, flags, zone):
        """In words: the block of the buddy allocator pfn belongs to."""
        heads = const("PG_FREE") | const("PG_ALLOCATED")
        if flags & const("PG_RESERVED"):
            return "reserved: never managed (a hole, the kernel, boot data)"
        if flags & heads:
            order = int(frames[pfn]["order"])
            return "head of %s block of order %d (%d frame%s)" % (
                "a free" if flags & const("PG_FREE") else "an allocated",
                order, 1 << order, "s" if order else "")
        # A tail: its head is the aligned frame below with a large order.
        start = int(zone["start"]) if zone is not None else 0
        max_order = nelems(zone["free_head"]) - 1 if zone is not None else 10
        for order in range(1, max_order + 1):  # BUDDY_MAX_ORDER
            head = pfn & ~((1 << order) - 1)
            if head < start:
                break
            hp = frames[head]
            if int(hp["flags"]) & heads and int(hp["order"]) >= order:
                return "frame %d of the %s block of order %d at pfn %#x" % (
                    pfn - head, "free" if int(hp["flags"]) & const("PG_FREE")
                    else "allocated", int(hp["order"]), head)
        return "no flags and no block covers it"


class KivaDmesg(KivaCommand):
    """The kernel log, oldest first, as the shell's `dmesg` prints it.
Read from the ring of kernel/debug/klog.h, so it works after a panic, when
the shell cannot run.  Byte i of all that was logged is
klog_buf[i % sizeof(klog_buf)], and the last klog_written bytes, at most
sizeof(klog_buf), are kept.
Usage: kiva dmesg"""

    name = "dmesg"

    def run(self, argv):
        if argv:
            self.usage()
        size = int(gdb.parse_and_eval("sizeof(klog_buf)"))
        written = int(gdb.parse_and_eval("klog_written"))
        base = int(gdb.parse_and_eval("(unsigned long)&klog_buf"))
        start = max(0, written - size)
        text = bytearray()
        pos = start
        while pos < written:
            offset = pos % size
            run = min(written - pos, size - offset)
            text += read_bytes(base + offset, run)
            pos += run
        if start > 0:
            # The oldest line is cut: start at the next whole one, as the
            # shell's dmesg does.
            cut = text.find(b"\n") + 1
            text = text[cut:]
            print("dmesg: the log wrapped: the %d bytes before these are lost"
                  % (start + cut))
        gdb.write(text.decode("latin-1"))


KivaPrefix()
CurthreadFunction()
for command in (KivaKva, KivaPte, KivaMalloc, KivaRegions, KivaPool,
                KivaVmem, KivaPs, KivaCpus, KivaBt, KivaPage, KivaDmesg):
    command()
