#!/usr/bin/env python3
"""tools/grade.py - make grade LAB=N: run a lab's graded tests, with points.

    tools/grade.py --lab N [--extra DIR] [--jobs J] [--tree PATH]

The tests of lab N are described in labs/labN-NAME/grade.toml (the format
is in labs/README.md); --extra adds every *.toml of DIR, an instructor's
hidden tests.  Each test has points and a time limit; one line each:

    name: OK (1.2 s)
    name: FAIL (reason; log: path)
    name: SKIP (needs build, which failed)

then "Score: N/M".  The results also go to build/grade-labN.json.  The
exit status is 0 only with every point.

Kinds of test:
    build   make all (and the host tests the lab uses); fails on any
            compiler warning
    host    a host unit-test program (cmocka, under ASan and UBSan):
            every case, or the named ones, must pass
    ktest   one QEMU boot running in-kernel tests (the `test=` option)
    shell   one QEMU boot driven through the serial console: send lines,
            wait for output, check what was printed
    gdb     one QEMU boot stopped for GDB, which runs commands

Every QEMU test checks the kernel's per-type kmalloc statistics: a ktest
run is wrapped in kmem_baseline ... kmem_back_at_baseline
(tests/kernel/test_grade.c), a shell run compares `kmem` at the first
prompt with `kmem` at the end.  A test that leaves any type's bytes in
use above or below where they were fails, with the type named.

A test may list `sweep`, boot options to try one by one (fault-injection
specs, say): each becomes a test of its own, named with its option, so
every seed is printed and a failure can be replayed with the command its
line gives.  QEMU runs go `--jobs` at a time (default 2, or make's -jN up
to 3), each GDB stub on a port of its own.
"""
import argparse
import glob
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

try:
    import tomllib
except ImportError:		# Python before 3.11
    tomllib = None

QEMU = os.environ.get("QEMU", "qemu-system-i386")
EXIT_PASS, EXIT_FAIL = 33, 35	# isa-debug-exit (kernel/debug/ktest.h)
MAX_JOBS = 3			# QEMU runs at once: the machine has 2 cores
PROMPT = "kiva> "
CMDLINE_VALUE_MAX = 128		# kernel/lib/cmdline.h: an option's value
HALTED = re.compile(r"^halted\.$", re.M)	# panic's last words (panic.c)


class Test:
    """One line of the report."""

    def __init__(self, spec, source, index):
        self.spec = spec
        self.source = source
        self.index = index
        self.name = spec["name"]
        self.kind = spec["kind"]
        self.points = int(spec.get("points", 0))
        self.timeout = float(spec.get("timeout", 60))
        self.needs = list(spec.get("needs", []))
        self.independent = bool(spec.get("independent", False))
        self.hidden = bool(spec.get("hidden", False))
        self.status = None	# "ok", "fail", "skip"
        self.reason = ""
        self.log = None
        self.seconds = 0.0
        self.done = threading.Event()

    def line(self):
        if self.status == "ok":
            return f"{self.name}: OK ({self.seconds:.1f} s)"
        if self.status == "skip":
            return f"{self.name}: SKIP ({self.reason})"
        where = f"; log: {self.log}" if self.log else ""
        return f"{self.name}: FAIL ({self.reason}{where})"


def plural(n, word):
    return f"{n} {word}" + ("" if n == 1 else "s")


def fail(why):
    raise GradeError(why)


class GradeError(Exception):
    pass


# ------------------------------------------------------------------ loading

def load_toml(path):
    if tomllib is None:
        fail("make grade needs Python 3.11 or newer (tomllib)")
    with open(path, "rb") as f:
        return tomllib.load(f)


KINDS = {"build", "host", "ktest", "shell", "gdb"}
EXTRA_BUILD = "build: the kernel with the hidden tests"


def expand(spec):
    """A test with `sweep` becomes one test per option."""
    if "sweep" not in spec:
        return [spec]
    tests = []
    for opt in spec["sweep"]:
        t = dict(spec)
        del t["sweep"]
        t["name"] = f"{spec['name']} [{opt}]"
        t["append"] = (spec.get("append", "") + " " + opt).strip()
        tests.append(t)
    return tests


def load_tests(tree, lab, extra):
    dirs = glob.glob(os.path.join(tree, "labs", f"lab{lab}-*"))
    if len(dirs) != 1:
        fail(f"no labs/lab{lab}-* folder (is LAB right?)")
    files = [(os.path.join(dirs[0], "grade.toml"), False)]
    if extra:
        hidden = sorted(glob.glob(os.path.join(extra, "*.toml")))
        if not hidden:
            fail(f"EXTRA={extra}: no *.toml test files there")
        files += [(h, True) for h in hidden]
    tests, title, boot = [], "", re.escape(PROMPT)
    for path, is_hidden in files:
        desc = load_toml(path)
        if not is_hidden:
            title = desc.get("title", "")
            boot = desc.get("handout_boots_to", boot)
        for spec in desc.get("test", []):
            if spec.get("kind") not in KINDS or "name" not in spec:
                fail(f"{path}: a test needs a name and a kind in {sorted(KINDS)}")
            spec = dict(spec, hidden=is_hidden or spec.get("hidden", False))
            spec["_dir"] = os.path.dirname(os.path.abspath(path))
            for s in expand(spec):
                tests.append(Test(s, path, len(tests)))
    for t in tests:		# what the kernel's command line can take
        if t.kind == "ktest":
            words = ["kmem_baseline", "kmem_back_at_baseline"] * \
                t.spec.get("leak_check", True) + list(t.spec["ktests"])
            if len(",".join(words)) >= CMDLINE_VALUE_MAX:
                fail(f"'{t.name}': the test= list is longer than the kernel "
                     f"takes ({CMDLINE_VALUE_MAX - 1} characters): split it")
    # Hidden in-kernel tests with sources of their own are linked into a
    # second kernel, built (after the lab's build) in build/extra/.
    sources = []
    for t in tests:
        if t.kind == "ktest" and t.spec.get("sources"):
            sources += [find_source(t.spec["_dir"], tree, f)
                        for f in t.spec["sources"]]
            t.spec["build_dir"] = os.path.join("build", "extra")
            t.needs.append(EXTRA_BUILD)
    if sources:
        at = max([i for i, t in enumerate(tests) if t.kind == "build"],
                 default=-1) + 1
        extra = Test({"name": EXTRA_BUILD, "kind": "build_extra",
                      "points": 0, "timeout": 600, "sources": sources,
                      "hidden": True}, "EXTRA", at)
        tests.insert(at, extra)
        for i, t in enumerate(tests):
            t.index = i
    names = [t.name for t in tests]
    for t in tests:
        if names.count(t.name) > 1:
            fail(f"two tests are called '{t.name}'")
        for n in t.needs:
            if n not in names or names.index(n) >= t.index:
                fail(f"'{t.name}' needs '{n}', which is not a test above it")
    # Everything needs the build, if the lab has one.
    builds = [t.name for t in tests if t.kind == "build"]
    for t in tests:
        if t.kind != "build":
            t.needs = builds + [n for n in t.needs if n not in builds]
    return title, tests, boot


# ------------------------------------------------------------------ helpers

def find_source(folder, tree, name):
    """A hidden test's source: beside its .toml file, else in the tree."""
    for base in (folder, tree):
        path = os.path.join(base, name)
        if os.path.isfile(path):
            return os.path.abspath(path)
    fail(f"no file {name} beside {folder} or in the tree")


class Context:
    def __init__(self, tree, build, lab, jobs, logs):
        self.tree = tree
        self.build = build
        self.lab = lab
        self.jobs = jobs
        self.logs = logs
        self.ports = PortPool()

    def kernel(self, build=None):
        return os.path.join(build or self.build, "kernel.elf")

    def initrd(self, build=None):
        return ",".join(sorted(glob.glob(os.path.join(build or self.build,
                                                      "user", "*.elf"))))


class PortPool:
    """Distinct TCP ports for the GDB stubs of QEMU runs at the same time."""

    def __init__(self):
        self.lock = threading.Lock()
        self.base = 30000 + (os.getuid() % 1000) * 16
        self.used = set()

    def take(self):
        with self.lock:
            for port in range(self.base, self.base + 16):
                if port in self.used:
                    continue
                with socket.socket() as s:
                    try:
                        s.bind(("127.0.0.1", port))
                    except OSError:
                        continue
                self.used.add(port)
                return port
        fail("no free port for GDB")

    def give(self, port):
        with self.lock:
            self.used.discard(port)


def safe_name(name):
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:80]


def screen(text):
    """Output as a terminal shows it: the line editor rubs out its prompt
    with a carriage return before others' output, so keep what follows the
    last one on each line."""
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n".join(line.rsplit("\r", 1)[-1] for line in lines)


def parse_kmem(text):
    """{type: bytes in use} from the last `kmem` table in text."""
    tables = text.split("type    inuse(bytes)")
    if len(tables) < 2:
        return None
    inuse = {}
    for line in tables[-1].split("\n")[1:]:
        m = re.match(r"^(\w+)\s+(\d+)\s+\d+\s+\d+\s+\d+\s+\d+\s*$", line)
        if not m:
            break
        inuse[m.group(1)] = int(m.group(2))
    return inuse


def kmem_diff(before, after):
    return [f"type {k} holds {after.get(k, 0)} bytes, {v} before"
            for k, v in before.items() if after.get(k, 0) != v]


class Qemu:
    """A QEMU run with its serial console on a pipe, logged to a file."""

    def __init__(self, ctx, log, mem, append, extra_args=(), build=None):
        if build is not None:
            build = os.path.join(ctx.tree, build)
        cmd = [QEMU, "-accel", "tcg", "-m", mem, "-display", "none",
               "-serial", "stdio", "-no-reboot",
               "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
               "-kernel", ctx.kernel(build), "-initrd", ctx.initrd(build),
               "-append", append, *extra_args]
        self.cmd = cmd
        self.logf = open(log, "wb")
        self.logf.write(("# " + shlex.join(cmd) + "\n").encode())
        self.text = ""
        self.lock = threading.Lock()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            chunk = self.proc.stdout.read1(4096)
            if not chunk:
                break
            self.logf.write(chunk)
            self.logf.flush()
            with self.lock:
                self.text += chunk.decode("latin-1")

    def output(self):
        with self.lock:
            return screen(self.text)

    def send(self, line):
        try:
            self.proc.stdin.write((line + "\r").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def wait_for(self, pattern, deadline, start=0, count=1):
        """Waits until pattern matches `count` times after offset start;
        returns the offset just past the last match, or None: at the
        deadline, when QEMU ends, or when the kernel has halted after a
        panic (its last line), since nothing more will come."""
        rx = re.compile(pattern, re.M)
        while True:
            out = self.output()
            found = list(rx.finditer(out, start))
            if len(found) >= count:
                return found[count - 1].end()
            if self.proc.poll() is not None or time.monotonic() > deadline \
                    or HALTED.search(out, start):
                self.reader.join(1)
                out = self.output()
                found = list(rx.finditer(out, start))
                return found[count - 1].end() if len(found) >= count else None
            time.sleep(0.05)

    def wait_exit(self, deadline):
        try:
            return self.proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.reader.join(2)
        self.logf.close()


def replay(append, mem):
    return f"replay: make qemu-kernel MEM={mem} CMDLINE='{append}'"


# ------------------------------------------------------------------ kinds

def run_build(t, ctx):
    hosts = [f"build/host/{p}" for p in ctx.host_programs]	# as make names them
    t.log = os.path.join(ctx.logs, "build.log")
    make_output(t, ["make", "--no-print-directory", "-j2", "all"] + hosts,
                ctx, "make all")


def make_env():
    """The environment for a make of our own: not a part of the make that
    runs us (whose jobserver it would not reach: Python closes its pipes)."""
    env = dict(os.environ)
    for var in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"):
        env.pop(var, None)
    return env


def make_output(t, cmd, ctx, what):
    """Runs a build command into t.log; fails on an error or a compiler
    or linker warning (make's own notes are not the code's)."""
    with open(t.log, "wb") as f:
        r = subprocess.run(cmd, cwd=ctx.tree, stdout=f, env=make_env(),
                           stderr=subprocess.STDOUT, timeout=t.timeout)
    with open(t.log, encoding="utf-8", errors="replace") as f:
        out = f.read()
    warnings = [l for l in out.split("\n")
                if "warning:" in l and not re.match(r"^make(\[\d+\])?: ", l)]
    if r.returncode != 0:
        errors = [l for l in out.split("\n") if "error" in l]
        fail(f"{what} failed" + (f": {errors[0].strip()}" if errors else ""))
    if warnings:
        fail(f"{plural(len(warnings), 'compiler warning')}, the first: "
             f"{warnings[0].strip()}")


def run_build_extra(t, ctx):
    """The kernel with the hidden tests' sources, in build/extra/."""
    src = os.path.join(ctx.logs, "extra-src")
    os.makedirs(src, exist_ok=True)
    names = []
    for path in t.spec["sources"]:
        dst = os.path.join(src, os.path.basename(path))
        with open(path, "rb") as fi, open(dst, "wb") as fo:
            fo.write(fi.read())
        names.append(os.path.relpath(dst, ctx.tree))
    t.log = os.path.join(ctx.logs, "build-extra.log")
    make_output(t, ["make", "--no-print-directory", "-j2",
                    "EXTRA_KTESTS=" + " ".join(names), "all"], ctx,
                "the kernel with the hidden tests")
    if not os.path.isfile(os.path.join(ctx.build, "extra", "kernel.elf")):
        fail("no build/extra/kernel.elf: does the Makefile know EXTRA_KTESTS?")


def host_program(t, ctx):
    """The program a host test runs; a hidden test's own sources are
    compiled here, as the Makefile compiles the others."""
    if not t.spec.get("sources"):
        return os.path.join(ctx.build, "host", t.spec["program"])
    out = os.path.join(ctx.logs, "extra", t.spec["program"])
    os.makedirs(os.path.dirname(out), exist_ok=True)
    flags = subprocess.run(["make", "-s", "--no-print-directory",
                            "print-HOST_CFLAGS"], cwd=ctx.tree, env=make_env(),
                           capture_output=True, text=True).stdout.split()
    if "-I." not in flags:
        fail("make print-HOST_CFLAGS gave no flags: is the Makefile too old?")
    srcs = [find_source(t.spec["_dir"], ctx.tree, f)
            for f in t.spec["sources"]] + ["tests/host/host_support.c"]
    t.log = out + ".build.log"
    make_output(t, [os.environ.get("HOSTCC", "cc"), *flags, "-o", out,
                    *srcs, "-lcmocka"], ctx, "compiling the hidden test")
    return out


def run_host(t, ctx):
    prog = host_program(t, ctx)
    t.log = os.path.join(ctx.logs, f"host-{t.spec['program']}.log")
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
    with open(t.log, "wb") as f:
        try:
            r = subprocess.run([prog], cwd=ctx.tree, stdout=f,
                               stderr=subprocess.STDOUT, env=env,
                               timeout=t.timeout)
        except subprocess.TimeoutExpired:
            fail(f"took longer than {t.timeout:.0f} s")
    with open(t.log, encoding="utf-8", errors="replace") as f:
        out = f.read()
    ok = set(re.findall(r"^ok \d+ - (\S+)", out, re.M))
    bad = re.findall(r"^not ok \d+ - (\S+)", out, re.M)
    cases = t.spec.get("cases")
    if cases:
        missing = [c for c in cases if c not in ok]
        if missing:
            fail(f"{len(missing)} of {len(cases)} named cases failed or did "
                 f"not run, the first: {missing[0]}")
        return
    if bad:
        fail(f"{plural(len(bad), 'case')} failed, the first: {bad[0]}")
    if r.returncode != 0 or not ok:
        crash = re.search(r"ERROR: (AddressSanitizer|LeakSanitizer).*", out)
        fail(crash.group(0) if crash else f"exit status {r.returncode}")


def run_ktest(t, ctx):
    names = t.spec["ktests"]
    leak = t.spec.get("leak_check", True)
    mem = t.spec.get("mem", "128M")
    run = (["kmem_baseline"] if leak else []) + names + \
          (["kmem_back_at_baseline"] if leak else [])
    append = (t.spec.get("append", "") + " test=" + ",".join(run)).strip()
    t.log = os.path.join(ctx.logs, safe_name(t.name) + ".log")
    q = Qemu(ctx, t.log, mem, append, build=t.spec.get("build_dir"))
    deadline = time.monotonic() + t.timeout
    status = q.wait_exit(deadline)
    q.stop()
    out = q.output()
    if status is None:
        fail(f"no verdict within {t.timeout:.0f} s; {replay(append, mem)}")
    panic = re.search(r"^panic: .*", out, re.M)
    for n in names:
        if not re.search(rf"^ktest: {re.escape(n)} ok ", out, re.M):
            if re.search(rf"^ktest: {re.escape(n)} skipped", out, re.M):
                fail(f"{n} was skipped")
            first = re.search(rf"^ktest: {re.escape(n)}: FAILED: (.*)", out, re.M)
            why = first.group(1) if first else \
                (panic.group(0) if panic else "did not finish")
            fail(f"{n}: {why}; {replay(append, mem)}")
    if leak and not re.search(r"^ktest: kmem_back_at_baseline ok ", out, re.M):
        leaks = re.findall(r"^  kmem: (type .*)", out, re.M)
        fail("kmem not back at baseline: " + ("; ".join(leaks) or
             (panic.group(0) if panic else "the check did not run")) +
             f"; {replay(append, mem)}")
    if status != EXIT_PASS:
        fail(f"QEMU exit status {status}; {replay(append, mem)}")


def run_shell(t, ctx):
    mem = t.spec.get("mem", "128M")
    append = t.spec.get("append", "")
    leak = t.spec.get("leak_check", True)
    t.log = os.path.join(ctx.logs, safe_name(t.name) + ".log")
    q = Qemu(ctx, t.log, mem, append)
    deadline = time.monotonic() + t.timeout
    try:
        pos = 0
        if t.spec.get("prompt", True):
            pos = q.wait_for(re.escape(PROMPT), deadline)
            if pos is None:
                fail("no prompt: " + last_words(q.output()))
        before = None
        if leak:
            q.send("kmem")
            pos = q.wait_for(r"^refused frees", deadline, pos)
            before = parse_kmem(q.output()[:pos])
            if before is None:
                fail("kmem printed no table")
        for step in t.spec.get("steps", []):
            if "send" in step:
                q.send(step["send"])
                if "pause" in step:
                    time.sleep(float(step["pause"]))
            if "wait" in step:
                end = q.wait_for(step["wait"], deadline, pos,
                                 int(step.get("count", 1)))
                if end is None:
                    fail(f"never printed /{step['wait']}/"
                         + (f" {step['count']} times" if "count" in step else "")
                         + ": " + last_words(q.output()))
                pos = end
        if leak:
            after = None
            for _ in range(int(t.spec.get("settle", 10))):
                q.send("kmem")
                end = q.wait_for(r"^refused frees", deadline, pos)
                if end is None:
                    fail("no answer to kmem: " + last_words(q.output()))
                after = parse_kmem(q.output()[pos:end])
                pos = end
                if after == before:
                    break
                time.sleep(1)
            if after != before:
                fail("kmem not back at baseline: " +
                     "; ".join(kmem_diff(before, after or {})))
        if "status" in t.spec:
            q.send("poweroff")
            status = q.wait_exit(deadline)
            if status not in t.spec["status"]:
                fail(f"QEMU exit status {status}, not {t.spec['status']}")
    finally:
        q.stop()
    out = q.output()
    for rx in t.spec.get("expect", []):
        if not re.search(rx, out, re.M):
            fail(f"never printed /{rx}/")
    for rx in t.spec.get("reject", []):
        m = re.search(rx, out, re.M)
        if m:
            fail(f"printed '{m.group(0).strip()}'")


def last_words(out):
    lines = [l for l in out.strip().split("\n") if l.strip()]
    return "last line: " + (lines[-1].strip()[:100] if lines else "nothing")


def run_gdb(t, ctx):
    mem = t.spec.get("mem", "64M")
    append = t.spec.get("append", "")
    port = ctx.ports.take()
    t.log = os.path.join(ctx.logs, safe_name(t.name) + ".log")
    q = Qemu(ctx, t.log + ".qemu", mem, append,
             ["-S", "-gdb", f"tcp:127.0.0.1:{port}"])
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        cmd = ["gdb", "-q", "-batch", "-nx", "-ex", f"file {ctx.kernel()}",
               "-x", os.path.join(ctx.tree, "tests/gdb/kiva.gdb"),
               "-ex", f"target remote 127.0.0.1:{port}"]
        for c in t.spec["gdb"]:
            cmd += ["-ex", c]
        cmd += ["-ex", "kill"]
        with open(t.log, "wb") as f:
            try:
                subprocess.run(cmd, cwd=ctx.tree, stdout=f,
                               stderr=subprocess.STDOUT, timeout=t.timeout)
            except subprocess.TimeoutExpired:
                fail(f"GDB took longer than {t.timeout:.0f} s")
    finally:
        q.stop()
        ctx.ports.give(port)
    with open(t.log, encoding="utf-8", errors="replace") as f:
        out = f.read()
    for rx in t.spec.get("expect", []):
        if not re.search(rx, out, re.M):
            fail(f"GDB never printed /{rx}/")


RUNNERS = {"build": run_build, "host": run_host, "ktest": run_ktest,
           "shell": run_shell, "gdb": run_gdb, "build_extra": run_build_extra}


# ------------------------------------------------------------------ running

def run_one(t, tests_by_name, ctx, printer):
    for n in t.needs:
        tests_by_name[n].done.wait()
    failed = [n for n in t.needs if tests_by_name[n].status != "ok"]
    if failed:
        t.status = "skip"
        dep = tests_by_name[failed[0]]
        t.reason = f"needs {dep.name}, which " + \
            ("failed" if dep.status == "fail" else "was skipped")
    else:
        start = time.monotonic()
        try:
            RUNNERS[t.kind](t, ctx)
            t.status = "ok"
        except GradeError as e:
            t.status, t.reason = "fail", str(e)
        except Exception as e:		# a bug here must not hide the others
            t.status, t.reason = "fail", f"grader error: {e!r}"
        t.seconds = time.monotonic() - start
    t.done.set()
    printer()


def jobs_from_make():
    for word in os.environ.get("MAKEFLAGS", "").split():
        m = re.match(r"^-j(\d+)$", word)
        if m:
            return int(m.group(1))
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lab", required=True)
    ap.add_argument("--extra", help="a folder of hidden tests (*.toml)")
    ap.add_argument("--tree", default=".", help="the tree to grade")
    ap.add_argument("--jobs", type=int, help="QEMU runs at once (max 3)")
    ap.add_argument("--json", help="where the results go "
                    "(default TREE/build/grade-labN.json)")
    ap.add_argument("--quiet", action="store_true",
                    help="print only the score line")
    ap.add_argument("--expect-handout", action="store_true",
                    help="make test: the tree is a handout, so exactly the "
                    "tests marked independent must pass")
    a = ap.parse_args()
    if not a.lab.isdigit():
        ap.error("make grade LAB=N, with N a lab in labs/")
    tree = os.path.abspath(a.tree)
    jobs = a.jobs or int(os.environ.get("JOBS", 0)) or jobs_from_make() or 2
    jobs = max(1, min(jobs, MAX_JOBS))
    try:
        title, tests, boot_pattern = load_tests(tree, a.lab, a.extra)
    except (GradeError, OSError, ValueError) as e:
        print(f"make grade: {e}", file=sys.stderr)
        return 2
    build = os.path.join(tree, "build")
    logs = os.path.join(build, f"grade-lab{a.lab}")
    os.makedirs(logs, exist_ok=True)
    ctx = Context(tree, build, a.lab, jobs, logs)
    ctx.host_programs = sorted({t.spec["program"] for t in tests
                                if t.kind == "host" and not t.spec.get("sources")})
    by_name = {t.name: t for t in tests}
    if not a.quiet:
        print(f"Lab {a.lab}: {title} ({len(tests)} tests, "
              f"{sum(t.points for t in tests)} points, {jobs} QEMU at a time)")

    printed = [0]
    plock = threading.Lock()

    def printer():	# in the order of the file, as soon as possible
        with plock:
            while printed[0] < len(tests) and tests[printed[0]].done.is_set():
                if not a.quiet:
                    print(tests[printed[0]].line(), flush=True)
                printed[0] += 1

    start = time.monotonic()
    # The build first; then everything else, `jobs` at a time, in the order
    # of the file: a test waits only for tests above it, which are running
    # or done, so waiting never stops the pool.
    builds = [t for t in tests if t.kind in ("build", "build_extra")]
    for t in builds:
        run_one(t, by_name, ctx, printer)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for t in tests:
            if t not in builds:
                pool.submit(run_one, t, by_name, ctx, printer)
    score = sum(t.points for t in tests if t.status == "ok")
    total = sum(t.points for t in tests)
    elapsed = time.monotonic() - start
    result = {
        "lab": int(a.lab), "title": title, "score": score, "max": total,
        "seconds": round(elapsed, 1), "extra": a.extra,
        "tests": [{"name": t.name, "kind": t.kind, "points": t.points,
                   "earned": t.points if t.status == "ok" else 0,
                   "status": t.status, "reason": t.reason, "log": t.log,
                   "seconds": round(t.seconds, 2), "hidden": t.hidden,
                   "independent": t.independent} for t in tests],
    }
    out = a.json or os.path.join(build, f"grade-lab{a.lab}.json")
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(f"Score: {score}/{total}" + ("" if a.quiet else
          f" ({elapsed:.1f} s; results in {os.path.relpath(out)})"))
    if a.expect_handout:
        return check_handout(tests, ctx, boot_pattern)
    return 0 if score == total else 1


def check_handout(tests, ctx, boot_pattern):
    """A handout passes exactly its independent tests (the others need the
    lab's code, which it does not have), and boots as far as the lab says:
    to the prompt, or to the panic its missing code leads to."""
    wrong = [t for t in tests if (t.status == "ok") != t.independent]
    for t in wrong:
        print(f"handout check: {t.name}: {t.status}, expected "
              f"{'ok' if t.independent else 'to fail'}")
    log = os.path.join(ctx.logs, "handout-boot.log")
    q = Qemu(ctx, log, "128M", "")
    seen = q.wait_for(boot_pattern, time.monotonic() + 30)
    q.stop()
    if seen is None:
        print(f"handout check: the kernel did not boot to /{boot_pattern}/ "
              f"(log: {log})")
    return 1 if wrong or seen is None else 0


if __name__ == "__main__":
    sys.exit(main())
