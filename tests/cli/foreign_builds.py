#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Foreign builds judged by the real interpreters: python-tag-mismatch against CPython 3.6-3.13.

A module built for one CPython minor version that another opens (a bare `_mod.so`, or a file
renamed from the tag its RECORD gives) binds the C API symbols it calls when Python opens it:
one the interpreter does not export fails the import (`undefined symbol: X`). abiscan says so
from rules/python_exports.json (doc/sources.md#c-api-exports). This test holds it to the real
interpreters: for each pyenv CPython 3.6 to 3.13 (one per minor version, the newest patch
release installed), it imports each module isolated,

    python3.X -I -S -c 'import sys; sys.path[:0] = [BUNDLE]; import MODULE'

and runs `abiscan --runtime python3.X --format json BUNDLE`, and asserts:
  - abiscan reports a python-tag-mismatch error on the module exactly when the import fails;
  - the import fails only with `undefined symbol: X` (anything else is this test's failure),
    and abiscan's message and its Lambda line (`...: undefined symbol: X`) name that X;
  - when the import works, the module being a build for another version (renamed) or of none
    known (bare, no RECORD), abiscan warns (not ABI-stable), and says nothing of the renamed
    module on the version it was built for;
  - abiscan exits 1 exactly when it reports an error.

The modules are compiled here with gcc against CPython 3.9's headers from pyenv:
  _next    calls _PyObject_NextNotImplemented (what psycopg2's _psycopg.so calls), gone in 3.13
  _stable  calls only functions every CPython 3 exports
  _late    calls PyErr_GetRaisedException, added in 3.12
  _multi   reads Py_Version (data, added in 3.11: bound first, through the GOT) and calls
           PyErr_GetRaisedException and Py_NewRef (3.10): on 3.6-3.10 several are missing,
           and ld.so names the first it binds, not the first by name
  renamedpkg/_mod.so  the _next module renamed from _mod.cpython-39-x86_64-linux-gnu.so, which
           its RECORD lists
With --debian, also Debian bookworm's cp311 build of markupsafe's _speedups (python3-markupsafe,
fetched with apt-get download and cached as tests/realdata/realdata.py does), renamed to a bare
`_speedups.so` beside its pure-Python package.

Usage: foreign_builds.py --abiscan BUILD/abiscan --work DIR [--debian [--cache DIR]]

No pyenv ($PYENV_ROOT, `pyenv root`, ~/.pyenv: the machine image carries it), a pyenv
without one of 3.6 to 3.13, without 3.9's headers, or no gcc is a failure: the interpreters
are this test's judge, and no skip stands in for them. Prints one "ok - ..." / "not ok - ..." line per check,
the import results as a table, then "N passed, M failed"; exits 0 only if nothing failed.
"""

import argparse
import glob
import json
import os
import re
import shutil
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "realdata"))
import realdata as rd  # noqa: E402  (fetching, caching, the results)

MINORS = range(6, 14)
SLUG = "python-tag-mismatch"
UNDEFINED = re.compile(r"undefined symbol: (\S+)")

HEAD = "#include <Python.h>\n"
TAIL = """
static PyMethodDef methods[] = {{"f", f, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "%(name)s", NULL, -1, methods};
PyMODINIT_FUNC PyInit_%(name)s(void) { return PyModule_Create(&def); }
"""
BODIES = {
    "next": """
static PyObject *f(PyObject *self, PyObject *arg)
{
    return _PyObject_NextNotImplemented(arg);
}
""",
    "stable": """
static PyObject *f(PyObject *self, PyObject *arg)
{
    long n = 0;
    if (!PyArg_Parse(arg, "l", &n)) {
        return NULL;
    }
    return PyLong_FromLong(n + 1);
}
""",
    "late": """
PyObject *PyErr_GetRaisedException(void); /* 3.12; not in 3.9's headers */
static PyObject *f(PyObject *self, PyObject *arg)
{
    PyObject *e = PyErr_GetRaisedException();
    return e ? e : PyLong_FromLong(0);
}
""",
    "multi": """
extern const unsigned long Py_Version;    /* 3.11, data */
PyObject *PyErr_GetRaisedException(void); /* 3.12 */
PyObject *Py_NewRef(PyObject *);          /* 3.10 (a function too, not only inline) */
static PyObject *f(PyObject *self, PyObject *arg)
{
    PyObject *e = PyErr_GetRaisedException();
    return e ? e : PyLong_FromUnsignedLong(Py_Version + (Py_NewRef(arg) != NULL));
}
""",
}


def write(path, content):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(content)


def compile_module(work, kind, name, include, dest):
    src = os.path.join(work, "src", "%s.c" % name)
    write(src, HEAD + BODIES[kind] + TAIL % {"name": name})
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    p = rd.run(["gcc", "-shared", "-fPIC", "-O1", "-w", "-I", include, "-o", dest, src])
    if p.returncode != 0:
        raise rd.Fatal("gcc %s failed: %s" % (src, rd.text(p.stderr)))


def build_cases(work, include):
    """[(label, bundle, module to import, path of the module in the bundle, foreign, built)]:
    foreign is False for a build of no known version (a warning all the same), built the
    minor version a renamed module was built for."""
    cases = []
    for kind in ("next", "stable", "late", "multi"):
        bundle = os.path.join(work, "bundles", kind)
        compile_module(work, kind, "_" + kind, include, os.path.join(bundle, "_%s.so" % kind))
        cases.append(("_%s.so" % kind, bundle, "_" + kind, "_%s.so" % kind, None))
    bundle = os.path.join(work, "bundles", "renamed")
    compile_module(work, "next", "_mod", include, os.path.join(bundle, "renamedpkg", "_mod.so"))
    write(os.path.join(bundle, "renamedpkg", "__init__.py"), "")
    info = os.path.join(bundle, "renamedpkg-1.0.dist-info")
    write(os.path.join(info, "METADATA"), "Metadata-Version: 2.1\nName: renamedpkg\nVersion: 1.0\n")
    write(os.path.join(info, "RECORD"),
          "renamedpkg/__init__.py,,\nrenamedpkg/_mod.cpython-39-x86_64-linux-gnu.so,,\n"
          "renamedpkg-1.0.dist-info/METADATA,,\nrenamedpkg-1.0.dist-info/RECORD,,\n")
    cases.append(("renamed _mod.so (cp39)", bundle, "renamedpkg._mod", "renamedpkg/_mod.so", 9))
    return cases


def debian_case(work, cache, res):
    """markupsafe's cp311 _speedups from Debian bookworm, renamed to a bare _speedups.so."""
    debs = os.path.join(cache, "debs")
    os.makedirs(debs, exist_ok=True)
    deb, version = rd.fetch(debs, "python3-markupsafe", "amd64", res)
    dest = os.path.join(work, "unpacked", "markupsafe")
    os.makedirs(dest)
    p = rd.run(["dpkg-deb", "-x", deb, dest])
    if p.returncode != 0:
        raise rd.Fatal("dpkg-deb -x %s failed: %s" % (deb, rd.text(p.stderr)))
    pkg = os.path.join(dest, rd.SITE, "markupsafe")
    built = glob.glob(os.path.join(pkg, "_speedups.cpython-311-x86_64-linux-gnu.so"))
    if len(built) != 1:
        raise rd.Fatal("python3-markupsafe %s has no _speedups.cpython-311-x86_64-linux-gnu.so"
                       % version)
    bundle = os.path.join(work, "bundles", "markupsafe")
    shutil.copytree(pkg, os.path.join(bundle, "markupsafe"))
    os.remove(os.path.join(bundle, "markupsafe", os.path.basename(built[0])))
    shutil.copy(built[0], os.path.join(bundle, "_speedups.so"))
    return ("Debian's markupsafe _speedups.so (cp311)", bundle, "_speedups", "_speedups.so", None)


def import_result(exe, bundle, module):
    """None when the import works, else the error's last line."""
    code = "import sys; sys.path[:0] = [%r]; import %s" % (bundle, module)
    p = rd.run([exe, "-I", "-S", "-c", code], timeout=60)
    if p.returncode == 0:
        return None
    lines = rd.text(p.stderr).splitlines() or ["exit %d, nothing on stderr" % p.returncode]
    return lines[-1]


def judge(res, abiscan, minor, case, failure):
    label, bundle, module, rel, built = case
    where = "%s on python3.%d" % (label, minor)
    p = rd.run([abiscan, "--runtime", "python3.%d" % minor, "--format", "json", bundle])
    try:
        report = json.loads(p.stdout)
    except ValueError:
        res.check(False, where + ": abiscan prints a JSON report",
                  "exit %d: %s" % (p.returncode, rd.text(p.stderr)))
        return
    mine = [f for f in report["findings"] if f["slug"] == SLUG and f["path"] == rel]
    errors = [f for f in mine if f["severity"] == "error"]
    warnings = [f for f in mine if f["severity"] == "warning"]
    res.check(p.returncode == (1 if report["summary"]["error"] else 0),
              where + ": abiscan exits 1 exactly when it reports an error",
              "exit %d, %d errors" % (p.returncode, report["summary"]["error"]))
    if failure is None:
        res.check(not errors, where + ": it imports, and abiscan reports no error",
                  "; ".join(f["message"] for f in errors))
        if built == minor:
            res.check(not mine, where + ": its own build: abiscan says nothing of it",
                      "; ".join(f["message"] for f in mine))
        else:
            res.check(len(warnings) == 1 and "not ABI-stable" in warnings[0]["message"],
                      where + ": a build for another version or none known: one warning",
                      "; ".join("%s: %s" % (f["severity"], f["message"]) for f in mine))
        return
    m = UNDEFINED.search(failure)
    if not res.check(m is not None, where + ": the import fails on an undefined symbol",
                     failure):
        return
    sym = m.group(1)
    if not res.check(len(errors) == 1, where + ": the import fails (%s), and abiscan reports "
                     "one error" % sym, "; ".join("%s: %s" % (f["severity"], f["message"])
                                                  for f in mine) or "no finding"):
        return
    f = errors[0]
    res.check(" %s," % sym in f["message"] and (f.get("lambda_error") or "").endswith(
              "/var/task/%s: undefined symbol: %s" % (rel, sym)),
              where + ": abiscan's message and Lambda line name %s, as Python does" % sym,
              "message %r, lambda_error %r" % (f["message"], f.get("lambda_error")))


def spans(row):
    """['ok', 'ok', 'X'] -> '3.6-3.7 ok; 3.8 X' (row: one result per minor of MINORS)."""
    out, start = [], 0
    minors = list(MINORS)
    for i in range(1, len(row) + 1):
        if i == len(row) or row[i] != row[start]:
            first, last = minors[start], minors[i - 1]
            when = "3.%d" % first if first == last else "3.%d-3.%d" % (first, last)
            out.append("%s %s" % (when, row[start]))
            start = i
    return "; ".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--abiscan", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--debian", action="store_true",
                    help="also Debian bookworm's markupsafe (apt-get download, cached)")
    ap.add_argument("--cache", default=None)
    args = ap.parse_args()
    res = rd.Results()

    root = rd.pyenv_root()
    try:
        pythons = rd.pyenv_pythons(root, MINORS)
        include = os.path.join(root, "versions", pythons[9][0], "include", "python3.9")
        if not os.path.exists(os.path.join(include, "Python.h")):
            raise rd.Fatal("no CPython 3.9 headers at %s" % include)
        if not shutil.which("gcc"):
            raise rd.Fatal("no gcc")
        res.note("interpreters: %s" % ", ".join(pythons[m][0] for m in MINORS))
        rd.fresh_dir(args.work)
        cases = build_cases(args.work, include)
        if args.debian:
            cases.append(debian_case(args.work, args.cache or rd.default_cache(), res))
        table, failures = [], 0
        for case in cases:
            row = []
            for minor in MINORS:
                failure = import_result(pythons[minor][1], case[1], case[2])
                failures += failure is not None
                m = UNDEFINED.search(failure or "")
                row.append("ok" if failure is None else m.group(1) if m else "FAIL")
                judge(res, args.abiscan, minor, case, failure)
            table.append((case[0], row))
        res.check(0 < failures < len(cases) * len(MINORS),
                  "the imports both fail and work somewhere (the test is not vacuous)",
                  "%d failures" % failures)
        res.note("imports (ok, or the undefined symbol the ImportError names):")
        for label, row in table:
            res.note("  %s: %s" % (label, spans(row)))
    except rd.Fatal as exc:
        res.check(False, "setup", str(exc))
    print("%d passed, %d failed" % (res.passed, res.failed))
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
