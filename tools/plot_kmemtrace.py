#!/usr/bin/env python3
"""tools/plot_kmemtrace.py - read the kernel's kmemtrace lines back from a
serial log, check them, and plot the allocators over time.

    plot_kmemtrace.py check LOG              check every line, print a summary
    plot_kmemtrace.py plot LOG OUTDIR NAME   write OUTDIR/NAME-*.png

kernel/debug/kmemtrace.c prints the lines; docs/plots.md gives their format
and explains the plots.  A line that starts like a trace line but does not
parse is refused with its place in the log and what is wrong with it, never
skipped: a plot drawn from a misread trace would tell a wrong story.  The
rest of the log is the kernel's other output and is ignored, except a
panic, which the plots mark.  Checking needs only Python; plotting needs
matplotlib (Debian's python3-matplotlib).
"""

import sys

MARKER = "kmemtrace "
REGIONS = ("kmem_map", "kernel_map")
REGION_FIELDS = ("size", "used", "free")
# Every field of a line, in order; the type.NAME fields come between the
# regions and these, one per malloc type, the same in every line.
LEADING = ("t",) + tuple(f"{r}.{f}" for r in REGIONS for f in REGION_FIELDS)
TRAILING = ("failures", "drops", "reserve.used", "reserve.target")
TYPE_PREFIX = "type."
PANIC = "panic: "
KIB = 1024
MS_PER_S = 1000


class TraceError(Exception):
    """A malformed trace line, or a trace that breaks an invariant."""


def terminal_text(raw):
    """What a terminal shows of one line of output: the console erases the
    prompt with a carriage return before a trace line, so only the text
    after the last one counts."""
    return raw.rstrip("\r\n").split("\r")[-1]


def parse_line(text, where):
    """The fields of one trace line (text from MARKER on) as a dict of
    ints, with "types" the type.NAME fields in order.  Raises TraceError,
    naming `where`, for anything that is not exactly the format."""
    words = text.split()
    if words[0] != MARKER.strip():
        raise TraceError(f"{where}: not a kmemtrace line: {text!r}")
    fields, types = {}, {}
    for word in words[1:]:
        key, eq, value = word.partition("=")
        if not eq or not key:
            raise TraceError(f"{where}: malformed kmemtrace line: "
                             f"{word!r} is not NAME=VALUE: {text!r}")
        if not value.isdigit():
            raise TraceError(f"{where}: malformed kmemtrace line: "
                             f"{key} is {value!r}, not a decimal number: "
                             f"{text!r}")
        if key in fields or key in types:
            raise TraceError(f"{where}: malformed kmemtrace line: "
                             f"{key} twice: {text!r}")
        if key.startswith(TYPE_PREFIX) and len(key) > len(TYPE_PREFIX):
            types[key[len(TYPE_PREFIX):]] = int(value)
        else:
            fields[key] = int(value)
    order = [k for k in fields]
    expected = list(LEADING) + list(TRAILING)
    if order != expected:
        missing = [k for k in expected if k not in fields]
        unknown = [k for k in order if k not in expected]
        why = (f"missing {', '.join(missing)}" if missing else
               f"unknown {', '.join(unknown)}" if unknown else
               f"fields out of order (want {' '.join(expected)})")
        raise TraceError(f"{where}: malformed kmemtrace line: {why}: "
                         f"{text!r}")
    if not types:
        raise TraceError(f"{where}: malformed kmemtrace line: no "
                         f"type.NAME fields: {text!r}")
    fields["types"] = types
    return fields


def read_trace(path):
    """The samples of the log at path, in order, and the panic, if one is
    there: (message, time in ms of the last sample before it or 0)."""
    samples, panic = [], None
    with open(path, encoding="latin-1") as log:
        for number, raw in enumerate(log, 1):
            text = terminal_text(raw)
            at = text.find(MARKER + "t=")
            if at >= 0:
                samples.append(parse_line(text[at:], f"{path}:{number}"))
            elif text.startswith(PANIC) and panic is None:
                panic = (text[len(PANIC):],
                         samples[-1]["t"] if samples else 0)
    return samples, panic


def check(samples, path):
    """Raises TraceError unless the samples keep the kernel's invariants:
    time never goes back, each region's used and free add up to its size,
    the types' bytes fit in what the regions have in use, the reserve's
    use fits in it, and every line has the same types."""
    if len(samples) < 2:
        raise TraceError(f"{path}: {len(samples)} kmemtrace lines; a trace "
                         f"needs at least 2")
    names = list(samples[0]["types"])
    for i, s in enumerate(samples):
        where = f"{path}: sample {i + 1} (t={s['t']} ms)"
        if i > 0 and s["t"] < samples[i - 1]["t"]:
            raise TraceError(f"{where}: time went back from "
                             f"{samples[i - 1]['t']} ms")
        for r in REGIONS:
            used, free, size = (s[f"{r}.used"], s[f"{r}.free"],
                                s[f"{r}.size"])
            if used + free != size:
                raise TraceError(f"{where}: {r} used {used} + free {free} "
                                 f"!= size {size}")
        inuse = sum(s["types"].values())
        used = sum(s[f"{r}.used"] for r in REGIONS)
        if inuse > used:
            raise TraceError(f"{where}: the types have {inuse} bytes in use, "
                             f"more than the regions' {used}")
        if s["reserve.used"] > s["reserve.target"]:
            raise TraceError(f"{where}: reserve.used {s['reserve.used']} > "
                             f"reserve.target {s['reserve.target']}")
        if list(s["types"]) != names:
            raise TraceError(f"{where}: types {' '.join(s['types'])}, not "
                             f"{' '.join(names)} as in the first line")


def mark_panic(axes, panic):
    """A red dotted line at the panic, labelled; the message itself goes
    once into the figure's title (title_with_panic), where it fits."""
    if panic is not None:
        t = panic[1]
        axes.axvline(t / MS_PER_S, color="red", linestyle=":")
        axes.annotate("panic", (t / MS_PER_S, 0.98),
                      xycoords=("data", "axes fraction"), color="red",
                      fontsize=8, ha="right", va="top", rotation=90)


def title_with_panic(fig, title, panic):
    if panic is not None:
        title += f"\npanic: {panic[0]}"
    fig.suptitle(title)


def plot(samples, panic, outdir, name):
    """Writes NAME-regions.png, NAME-types.png, NAME-failures.png."""
    import os
    import matplotlib
    matplotlib.use("Agg")		# files only, no display needed
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    os.makedirs(outdir, exist_ok=True)
    seconds = [s["t"] / MS_PER_S for s in samples]
    written = []

    fig, axes = plt.subplots(len(REGIONS), 1, sharex=True, figsize=(8, 6))
    for ax, r in zip(axes, REGIONS):
        used = [s[f"{r}.used"] / KIB for s in samples]
        size = [s[f"{r}.size"] / KIB for s in samples]
        peak = max(used)
        ax.fill_between(seconds, used, step="post", alpha=0.4)
        ax.step(seconds, used, where="post",
                label=f"used (peak {peak:.0f} KiB, "
                      f"{100 * peak / max(size):.1f}% of the size)")
        ax.step(seconds, size, where="post", linestyle="--", color="gray",
                label="size")
        ax.set_ylim(0, max(size) * 1.05)
        ax.set_ylabel(f"{r} (KiB)")
        ax.legend(loc="center right")
        mark_panic(ax, panic)
    axes[-1].set_xlabel("time since boot (s)")
    title_with_panic(fig, f"{name}: kmem_map (interrupt-safe) and "
                     f"kernel_map (M_NOINTR) in use", panic)
    written.append(save(fig, outdir, name, "regions"))

    fig, ax = plt.subplots(figsize=(8, 4.5))
    # A type with nothing in use all along would only crowd the legend.
    types = [t for t in samples[0]["types"]
             if any(s["types"][t] for s in samples)]
    ax.stackplot(seconds, [[s["types"][t] / KIB for s in samples]
                           for t in types], labels=types, step="post")
    ax.set_xlabel("time since boot (s)")
    ax.set_ylabel("in use (KiB)")
    ax.legend(loc="upper left", fontsize=8, ncol=2)
    mark_panic(ax, panic)
    title_with_panic(fig, f"{name}: bytes in use per malloc type, stacked "
                     f"(types never used left out)", panic)
    written.append(save(fig, outdir, name, "types"))

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for key, label in (("failures", "kmalloc failures (since boot)"),
                       ("drops", "console input bytes dropped"),
                       ("reserve.used", "interrupt reserve frames in use")):
        ax.step(seconds, [s[key] for s in samples], where="post",
                label=label)
    top = max(max(s[k] for s in samples)
              for k in ("failures", "drops", "reserve.used"))
    ax.set_ylim(0, max(1, top) * 1.1)		# counts: from 0, whole
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel("time since boot (s)")
    ax.set_ylabel("count")
    ax.legend(loc="upper left", fontsize=8)
    mark_panic(ax, panic)
    title_with_panic(fig, f"{name}: failures, dropped input, interrupt "
                     f"reserve", panic)
    written.append(save(fig, outdir, name, "failures"))
    plt.close("all")
    return written


def save(fig, outdir, name, what):
    import os
    path = os.path.join(outdir, f"{name}-{what}.png")
    fig.tight_layout()
    # No metadata: the same trace gives the same file.
    fig.savefig(path, dpi=90, metadata={"Software": None})
    return path


def main(argv):
    usage = ("usage: plot_kmemtrace.py check LOG\n"
             "       plot_kmemtrace.py plot LOG OUTDIR NAME")
    if len(argv) < 3 or (argv[1], len(argv)) not in (("check", 3),
                                                     ("plot", 5)):
        print(usage, file=sys.stderr)
        return 2
    path = argv[2]
    try:
        samples, panic = read_trace(path)
        check(samples, path)
    except TraceError as e:
        print(f"plot_kmemtrace.py: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"plot_kmemtrace.py: {e}", file=sys.stderr)
        return 1
    span = f"t={samples[0]['t']} to {samples[-1]['t']} ms"
    if argv[1] == "check":
        print(f"kmemtrace: {len(samples)} samples, {span}, "
              f"{len(samples[0]['types'])} types: ok"
              + (f"; then panic: {panic[0]}" if panic else ""))
        return 0
    for written in plot(samples, panic, argv[3], argv[4]):
        print(f"wrote {written} ({len(samples)} samples, {span})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
