# SPDX-License-Identifier: MIT
"""How a real bundle was built (inputs[].built_with), against what binutils' readelf says of the
same files: the newest GLIBC_ version any object needs (readelf -V), the .comment strings and
how many objects carry each (readelf -p .comment), and the CPython tags of the module names.
Used by realdata.py on Debian's bundles."""
import os
import re
import subprocess
from collections import Counter

GLIBC = re.compile(r"Name: GLIBC_([0-9]+(?:\.[0-9]+)*)\b")
COMMENT = re.compile(r"^\s*\[\s*[0-9a-f]+\]\s+(.*)$")
TAG = re.compile(r"\.cpython-([0-9])([0-9]+)[a-z]*-[^.]*\.so$")


def readelf(args, path):
    return subprocess.run(["readelf"] + args + [path], capture_output=True, text=True,
                          errors="replace", timeout=60).stdout


def version_key(v):
    return tuple(int(x) for x in v.split("."))


def readelf_built(root, elf_files, all_files):
    """What readelf and the file names say: (glibc, {comment: objects}, {"3.11": modules})."""
    glibc, comments = None, Counter()
    for rel in elf_files:
        path = os.path.join(root, rel)
        for v in GLIBC.findall(readelf(["-V", "-W"], path)):
            if glibc is None or version_key(v) > version_key(glibc):
                glibc = v
        seen = set()
        for line in readelf(["-p", ".comment"], path).splitlines():
            m = COMMENT.match(line)
            if m and m.group(1).strip() and m.group(1) not in seen:
                seen.add(m.group(1))
                comments[m.group(1)] += 1
    tags = Counter("%s.%s" % m.groups() for m in (TAG.search(f) for f in all_files) if m)
    return glibc, comments, tags


def check_built_with(res, label, report, root, elf_files, all_files):
    """res.check each fact of report's first input's built_with against readelf's."""
    built = (report or {}).get("inputs", [{}])[0].get("built_with")
    if not res.check(built is not None, "%s: inputs[0].built_with is there" % label, "missing"):
        return
    glibc, comments, tags = readelf_built(root, elf_files, all_files)
    res.check(built["glibc"] == glibc,
              "%s: built_with.glibc is the newest GLIBC_ version readelf -V shows (%s)"
              % (label, glibc), "abiscan says %r" % built["glibc"])
    want = sorted(comments.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    got = [(t["comment"], t["objects"]) for t in built["toolchains"]]
    res.check(got == want, "%s: built_with.toolchains are readelf -p .comment's strings, "
              "most objects first (%s)" % (label, "; ".join("%s: %d" % kv for kv in want)),
              "abiscan says %r" % got)
    got = {p["python"]: p["modules"] for p in built["pythons"] if p["python"] != "abi3"}
    res.check(got == dict(tags), "%s: built_with.pythons count the .cpython-XY-*.so names "
              "(%s)" % (label, dict(tags)), "abiscan says %r" % got)
