#!/usr/bin/env python3
"""tools/handout.py - write a lab's student tree from the master tree.

    tools/handout.py --lab N --out DIR     (make handout LAB=N DIR=DIR)
    tools/handout.py --check               check every marker in the tree

There is one tree, with the solutions in it.  Around each piece of code a
lab asks the students to write, the source carries markers (C, and
assembler files run through the C preprocessor):

    /* LAB 4: BEGIN SOLUTION */
    ...the code as it is in the kernel...
    /* LAB 4: END SOLUTION */
    /* LAB 4: BEGIN HANDOUT
    ...what the students get instead: a stub and a YOUR CODE HERE note...
       END HANDOUT */

The handout block is one C comment, so the master tree compiles as it is.
A comment cannot hold a comment, so inside a handout block a comment is
written /+ like this +/ and becomes /* like this */ in the student tree.
Each marker is a line of its own; a solution is always followed at once
by its handout block (which may be empty: the students get nothing, as
for a planted bug, where the handout is the wrong code and the solution
the right one).  Markers do not nest.

For lab N the student tree has lab N's solutions replaced by their handout
blocks; every other lab's solution stays, and no marker is left anywhere.
Left out: labs/README.md (the instructor's notes), every labs/*/hidden/
folder (tests kept from students), the other labs' folders, and
tests/boot/labs.sh (make test's checks of the handouts, which need the
markers).  DIR becomes a git repository with one commit.

Files keep their modification time unless the lab's own code changed
in them (other labs' markers taken out leave the same code), so that make
test can build a handout from the tree's objects, compiling only what the
lab changed (tests/boot/labs.sh).
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys

MARKED_SUFFIXES = (".c", ".h", ".S")
BEGIN_SOL = re.compile(r"^\s*/\* LAB (\d+): BEGIN SOLUTION \*/\s*$")
END_SOL = re.compile(r"^\s*/\* LAB (\d+): END SOLUTION \*/\s*$")
BEGIN_HO = re.compile(r"^\s*/\* LAB (\d+): BEGIN HANDOUT\s*$")
END_HO = re.compile(r"^\s*END HANDOUT \*/\s*$")
ANY_MARKER = re.compile(r"LAB \d+: (BEGIN|END) (SOLUTION|HANDOUT)|END HANDOUT")


class MarkerError(Exception):
    pass


def lab_dirs(tree):
    """{lab number: folder} for every labs/labN-NAME folder."""
    found = {}
    for d in sorted(glob.glob(os.path.join(tree, "labs", "lab*-*"))):
        m = re.match(r"lab(\d+)-", os.path.basename(d))
        if m and os.path.isdir(d):
            found[int(m.group(1))] = d
    return found


def transform(lines, lab, path, known_labs):
    """The lines of a file as lab `lab`'s students get it (lab None: the
    solutions everywhere, only checking).  Returns (lines, labs seen)."""
    out, seen, i = [], set(), 0
    while i < len(lines):
        line = lines[i]
        m = BEGIN_SOL.match(line)
        if not m:
            if ANY_MARKER.search(line) and (END_SOL.match(line) or
                                            BEGIN_HO.match(line) or
                                            END_HO.match(line)):
                raise MarkerError(f"{path}:{i + 1}: a marker out of place")
            out.append(line)
            i += 1
            continue
        n = int(m.group(1))
        if n not in known_labs:
            raise MarkerError(f"{path}:{i + 1}: LAB {n}: no labs/lab{n}-* folder")
        seen.add(n)
        start = i
        solution, handout = [], []
        i += 1
        while i < len(lines) and not END_SOL.match(lines[i]):
            if ANY_MARKER.search(lines[i]):
                raise MarkerError(f"{path}:{i + 1}: a marker inside the "
                                  f"solution begun at line {start + 1}")
            solution.append(lines[i])
            i += 1
        if i == len(lines) or int(END_SOL.match(lines[i]).group(1)) != n:
            raise MarkerError(f"{path}:{start + 1}: LAB {n}: no END SOLUTION")
        i += 1
        if i == len(lines) or not BEGIN_HO.match(lines[i]) or \
                int(BEGIN_HO.match(lines[i]).group(1)) != n:
            raise MarkerError(f"{path}:{i + 1}: LAB {n}: END SOLUTION must be "
                              f"followed by /* LAB {n}: BEGIN HANDOUT")
        i += 1
        while i < len(lines) and not END_HO.match(lines[i]):
            if ANY_MARKER.search(lines[i]) or "*/" in lines[i]:
                raise MarkerError(f"{path}:{i + 1}: '*/' or a marker inside a "
                                  f"handout block (write comments /+ ... +/)")
            handout.append(lines[i].replace("/+", "/*").replace("+/", "*/"))
            i += 1
        if i == len(lines):
            raise MarkerError(f"{path}:{start + 1}: LAB {n}: no END HANDOUT */")
        i += 1
        out.extend(handout if n == lab else solution)
    return out, seen


def tracked_files(tree):
    """The files of the tree: git's list when it is a repository."""
    try:
        names = subprocess.run(["git", "-C", tree, "ls-files", "-z", "--cached",
                                "--others", "--exclude-standard"],
                               check=True, capture_output=True).stdout
        return [f for f in names.decode().split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for root, dirs, names in os.walk(tree):
            dirs[:] = [d for d in dirs if d not in (".git", "build")]
            for name in names:
                files.append(os.path.relpath(os.path.join(root, name), tree))
        return sorted(files)


def left_out(rel, lab, labs):
    """Whether rel (a path in the tree) stays out of lab `lab`'s tree."""
    parts = rel.split("/")
    if rel in ("labs/README.md", "tests/boot/labs.sh"):
        return True
    if parts[0] == "labs" and "hidden" in parts[2:-1]:
        return True
    if parts[0] == "labs" and len(parts) > 2:
        own = os.path.basename(labs[lab])
        return parts[1] != own
    return False


def check(tree):
    labs = lab_dirs(tree)
    seen = set()
    for rel in tracked_files(tree):
        if not rel.endswith(MARKED_SUFFIXES):
            continue
        with open(os.path.join(tree, rel), encoding="utf-8") as f:
            lines = f.read().split("\n")
        seen |= transform(lines, None, rel, labs)[1]
    missing = sorted(set(labs) - seen)
    if missing:
        raise MarkerError(f"labs without a single marker: {missing}")
    return labs, seen


def write_handout(tree, lab, out, changed_list=None):
    labs, _ = check(tree)
    if lab not in labs:
        raise MarkerError(f"no lab {lab} (labs: {sorted(labs)})")
    if os.path.exists(out) and os.listdir(out):
        raise MarkerError(f"{out} exists and is not empty")
    os.makedirs(out, exist_ok=True)
    changed = []
    for rel in tracked_files(tree):
        if left_out(rel, lab, labs):
            continue
        src, dst = os.path.join(tree, rel), os.path.join(out, rel)
        if not os.path.isfile(src):
            continue	# deleted in the work tree, not yet in git
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if rel.endswith(MARKED_SUFFIXES):
            with open(src, encoding="utf-8") as f:
                text = f.read()
            lines, seen = transform(text.split("\n"), lab, rel, labs)
            new = "\n".join(lines)
            if new != text:
                with open(dst, "w", encoding="utf-8") as f:
                    f.write(new)
                if lab in seen:	# the lab's own code: new, and newer
                    shutil.copymode(src, dst)
                    changed.append(rel)
                else:		# the same code, less other labs' markers
                    shutil.copystat(src, dst)
                continue
        shutil.copy2(src, dst)
    name = os.path.basename(labs[lab])
    git = ["git", "-C", out, "-c", "user.name=Kiva handout",
           "-c", "user.email=kiva-handout@localhost"]
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m",
                          f"Kiva lab {lab} ({name}): the handout"], check=True)
    if changed_list:
        with open(changed_list, "w") as f:
            f.write("".join(c + "\n" for c in changed))
    print(f"handout: lab {lab} ({name}) written to {out}: {len(changed)} "
          f"files with the lab's code taken out; one commit. "
          f"Hand it out, e.g. as a repository to clone.")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lab", type=str)
    ap.add_argument("--out", type=str)
    ap.add_argument("--tree", default=".")
    ap.add_argument("--check", action="store_true",
                    help="only check the markers of every lab")
    ap.add_argument("--changed", help="write the files where the lab's "
                    "code was taken out there, one a line (for make test)")
    a = ap.parse_args()
    try:
        if a.check:
            labs, seen = check(a.tree)
            print(f"handout: markers of labs {sorted(seen)} are well formed")
            return 0
        if not a.lab or not a.lab.isdigit() or not a.out:
            ap.error("make handout LAB=N DIR=path (N: a lab in labs/)")
        write_handout(a.tree, int(a.lab), a.out, a.changed)
    except MarkerError as e:
        print(f"handout: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
