#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write rules/python_exports.json from real CPython builds: the C API each minor version exports.

Usage: gen_python_exports.py PYTHON... > rules/python_exports.json

Each PYTHON is a CPython 3 interpreter (bin/python3.X of an installation), one per minor
version, the versions without a gap. For each, the script asks the interpreter what it is
(sys.version_info, and from sysconfig whether it was built with --enable-shared and the name
and directory of its libpython), then reads the dynamic symbols that object defines with
binutils, `nm -D --defined-only`: libpython3.X.so.1.0 for a shared build (its bin/python3.X
exports nothing itself), the interpreter for a static one. It keeps the symbols an extension
module binds to, those named Py* and _Py* (what abiscan's ELF reader collects of a module's
undefined symbols), and writes for each the versions that export it, as ranges of the builds
given: "3.6-3.12", or "3.6-3.8,3.10-3.13" where a version hid it.

abiscan's python-tag-mismatch rule compares the Py* / _Py* symbols a module leaves undefined
with this table: a symbol the runtime's version does not export fails the import ("undefined
symbol: ..."; doc/sources.md#c-api-exports). The file records which build each version's
symbols came from; a version it does not list is unknown to the rule (no verdict).

Output: keys sorted, 2-space indent, trailing newline; the same builds always give
byte-identical output. Python 3.9+ standard library, and nm.
"""

import argparse
import json
import os
import re
import subprocess
import sys

SYMBOL = re.compile(r"^_?Py[A-Za-z0-9_]*$")
ASK = (
    "import sys, sysconfig, platform; v = sysconfig.get_config_var; "
    "print(sys.version_info[0], sys.version_info[1], platform.python_version(), "
    "platform.machine(), int(v('Py_ENABLE_SHARED') or 0), v('LIBDIR'), v('INSTSONAME'), "
    "int('/.pyenv/versions/' in sys.prefix)); print(platform.python_compiler())"
)


def describe(python):
    """(major, minor, the object that exports the C API, how it was built and read)."""
    facts, compiler = subprocess.run([python, "-I", "-S", "-c", ASK], check=True,
                                     capture_output=True, text=True).stdout.splitlines()[:2]
    major, minor, full, machine, shared, libdir, soname, pyenv = facts.split()
    if shared == "1":
        obj, kind = os.path.join(libdir, soname), "--enable-shared"
    else:
        obj, kind = os.path.realpath(python), "static"
    how = "CPython %s, %s, built from source%s (%s, %s): nm -D --defined-only %s" % (
        full, machine, " by pyenv" if pyenv == "1" else "", kind, compiler.strip(),
        os.path.basename(obj))
    return int(major), int(minor), obj, how


def exported(obj):
    """The Py* / _Py* symbols obj defines in its dynamic symbol table."""
    out = subprocess.run(["nm", "-D", "--defined-only", obj], check=True, capture_output=True,
                         text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and SYMBOL.match(parts[2]):
            names.add(parts[2].split("@")[0])
    return names


def ranges(present, minors):
    """'3.6-3.8,3.10-3.13' for the minors (sorted) where present[minor] holds."""
    out, start, prev = [], None, None
    for m in minors:
        if present(m):
            if start is None:
                start = m
            prev = m
        elif start is not None:
            out.append("3.%d-3.%d" % (start, prev))
            start = None
    if start is not None:
        out.append("3.%d-3.%d" % (start, prev))
    return ",".join(out)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("python", nargs="+", help="a CPython 3.X interpreter, one per minor version")
    args = ap.parse_args(argv[1:])

    builds, symbols = {}, {}
    for python in args.python:
        major, minor, obj, how = describe(python)
        if major != 3:
            ap.error("%s: CPython %d.%d: only Python 3 builds" % (python, major, minor))
        if minor in builds:
            ap.error("%s: a second build of 3.%d" % (python, minor))
        symbols[minor] = exported(obj)
        if not symbols[minor]:
            ap.error("%s: %s exports no Py* symbol" % (python, obj))
        builds[minor] = how
    minors = sorted(builds)
    if minors != list(range(minors[0], minors[-1] + 1)):
        ap.error("the versions have a gap: %s" % ", ".join("3.%d" % m for m in minors))

    every = sorted(set().union(*symbols.values()))
    out = {
        "$schema": "schema/python_exports.schema.json",
        "source": "CPython's own builds, one per minor version (builds), read by "
                  "tools/gen_python_exports.py (doc/sources.md#c-api-exports)",
        "builds": {"3.%d" % m: builds[m] for m in minors},
        "exports": {s: ranges(lambda m, s=s: s in symbols[m], minors) for s in every},
    }
    sys.stdout.write(json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
