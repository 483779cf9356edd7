#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write rules/stdlib.json: the top-level modules of each CPython's standard library, and the
modules a release removed, with what replaces them.

Usage: gen_stdlib.py [--pyenv DIR] > rules/stdlib.json
       gen_stdlib.py --check REPO [--pyenv DIR]   exit 1 when REPO/rules/stdlib.json differs

Each Lambda Python runtime's standard library, by version, read from the CPython of that
version (doc/sources.md#standard-library):

  3.10 and later  sys.stdlib_module_names, as the interpreter says it (run isolated: -I -S);
  2.7, 3.6-3.9    which have no such list: the top-level modules and packages of the
                  interpreter's own library directories (sys.path under sys.prefix, without
                  site-packages), plus sys.builtin_module_names; less CPython's own tests
                  (the names sys.stdlib_module_names leaves out from 3.10: test, _test*,
                  xx*, ...), plus, from 3.x, the names sys.stdlib_module_names of 3.10 lists
                  and a Linux build does not have (other platforms' modules, the frozen
                  importlib) and the optional modules the build here lacks (UNBUILT);
  3.14            not installed here: 3.13's list with the modules What's New in Python 3.14
                  adds and removes (V314_ADDED, V314_REMOVED).

The interpreters are pyenv's (~/.pyenv/versions/X.Y.Z): the newest patch release of each
X.Y present. The output is sorted and byte-identical for the same interpreters.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys

VERSIONS = ["2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"]

# Run by each old interpreter (2.7 syntax): the modules of its own library directories.
WALK = r"""
import os, pkgutil, sys
prefix = os.path.realpath(sys.prefix)
names = set(sys.builtin_module_names)
for entry in sys.path:
    if not entry or not os.path.isdir(entry):
        continue
    real = os.path.realpath(entry)
    if not real.startswith(prefix) or 'site-packages' in real:
        continue
    for info in pkgutil.iter_modules([entry]):
        names.add(info[1])
sys.stdout.write(' '.join(sorted(names)))
"""
NAMES = "import sys; sys.stdout.write(' '.join(sorted(sys.stdlib_module_names)))"

# CPython's tests and build leftovers, which sys.stdlib_module_names leaves out
# (Tools/build/generate_stdlib_module_names.py, IGNORE).
TESTS = re.compile(r"^(test|_test.*|_ctypes_test|xx.*|_xx.*|__hello__|__phello__|__main__|"
                   r"_sysconfigdata.*)$")
# What sys.stdlib_module_names of 3.10 names that a Linux build of 3.6-3.9 does not have:
# other platforms' modules, the frozen importlib, the dbm modules (each of them exists in
# 3.6-3.9's source tree: PC/, Modules/, Lib/).
NOT_ON_LINUX_3X = ["_dbm", "_frozen_importlib", "_frozen_importlib_external", "_gdbm", "_msi",
                   "_overlapped", "_scproxy", "_winapi", "msilib", "msvcrt", "nt", "winreg",
                   "winsound"]
# Optional modules the pyenv build here lacks that the version has: 3.6.15 does not build
# against OpenSSL 3, so it has no _hashlib (hashlib's OpenSSL backend).
UNBUILT = {"3.6": ["_hashlib"]}
# What's New in Python 3.14 (doc/sources.md#standard-library): new modules annotationlib
# (PEP 749) and compression (PEP 784, with compression.zstd over _zstd); the private modules
# of the release (_hmac, HACL* HMAC; _remote_debugging, PEP 768; _types; _py_warnings, the
# warnings module in Python; _apple_support; _ast_unparse) as stdlib-list's 3.14 list
# (generated from a 3.14 build's sys.stdlib_module_names) has them; _compression moved into
# compression._common._streams.
V314_ADDED = ["_apple_support", "_ast_unparse", "_hmac", "_py_warnings", "_remote_debugging",
              "_types", "_zstd", "annotationlib", "compression"]
V314_REMOVED = ["_compression"]

# The modules a release removed, and what a function uses instead. backport: a PyPI
# distribution that installs a module of the same name (the import resolves in the bundle).
REMOVED = [
    ("distutils", "3.12", "standard-distutils",
     "setuptools (imported first: its _distutils_hack then provides distutils), or packaging "
     "and shutil for the version and file helpers", "pep-632"),
    ("imp", "3.12", None, "importlib", "whatsnew-3.12"),
    ("asynchat", "3.12", "standard-asynchat", "asyncio", "whatsnew-3.12"),
    ("asyncore", "3.12", "standard-asyncore", "asyncio", "whatsnew-3.12"),
    ("smtpd", "3.12", "standard-smtpd", "aiosmtpd", "whatsnew-3.12"),
    ("aifc", "3.13", "standard-aifc", None, "pep-594"),
    ("audioop", "3.13", "audioop-lts", None, "pep-594"),
    ("cgi", "3.13", "legacy-cgi", "email.message or multipart for form data", "pep-594"),
    ("cgitb", "3.13", "legacy-cgi", None, "pep-594"),
    ("chunk", "3.13", "standard-chunk", None, "pep-594"),
    ("crypt", "3.13", "standard-crypt", "hashlib, or passlib", "pep-594"),
    ("imghdr", "3.13", "standard-imghdr", "filetype, or Pillow", "pep-594"),
    ("mailcap", "3.13", "standard-mailcap", "mimetypes", "pep-594"),
    ("msilib", "3.13", None, "nothing on Linux (a Windows module)", "pep-594"),
    ("nis", "3.13", None, "nothing in the standard library", "pep-594"),
    ("nntplib", "3.13", "standard-nntplib", None, "pep-594"),
    ("ossaudiodev", "3.13", None, "nothing in the standard library", "pep-594"),
    ("pipes", "3.13", "standard-pipes", "subprocess and shlex.quote", "pep-594"),
    ("sndhdr", "3.13", "standard-sndhdr", "filetype", "pep-594"),
    ("spwd", "3.13", None, "nothing in the standard library", "pep-594"),
    ("sunau", "3.13", "standard-sunau", None, "pep-594"),
    ("telnetlib", "3.13", "standard-telnetlib", "telnetlib3", "pep-594"),
    ("uu", "3.13", "standard-uu", "base64", "pep-594"),
    ("xdrlib", "3.13", "standard-xdrlib", None, "pep-594"),
    ("lib2to3", "3.13", None, "nothing in the standard library (parso or libcst parse "
     "Python)", "whatsnew-3.13"),
]


# The modules every runtime brings beside the standard library: boto3 and its dependencies
# (rules/limits.json runtime_packages), by import name.
PROVIDED = ["boto3", "botocore", "dateutil", "jmespath", "s3transfer", "six", "urllib3"]


def interpreters(pyenv):
    """The newest pyenv interpreter of each X.Y: {"3.12": path}."""
    best = {}
    for d in glob.glob(os.path.join(pyenv, "versions", "*")):
        m = re.match(r"^(\d+)\.(\d+)\.(\d+)$", os.path.basename(d))
        exe = os.path.join(d, "bin", "python")
        if not m or not os.access(exe, os.X_OK):
            continue
        key = "%s.%s" % m.groups()[:2]
        patch = int(m.group(3))
        if key not in best or patch > best[key][0]:
            best[key] = (patch, exe, os.path.basename(d))
    return {k: (v[1], v[2]) for k, v in best.items()}


def run(exe, version, code):
    flags = ["-E", "-s", "-S"] if version == "2.7" else ["-I", "-S"]
    out = subprocess.run([exe] + flags + ["-c", code], check=True, capture_output=True,
                         text=True, env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"})
    return set(out.stdout.split())


def modules_of(version, found):
    """(names, source) of one version."""
    if version == "3.14":
        names = (modules_of("3.13", found)[0] | set(V314_ADDED)) - set(V314_REMOVED)
        return names, ("3.13's list (CPython %s's sys.stdlib_module_names) with What's New in "
                       "Python 3.14's additions and removals (doc/sources.md#standard-library)"
                       % found["3.13"][1])
    if version not in found:
        sys.exit("gen_stdlib.py: no pyenv CPython %s (install it: pyenv install %s)" %
                 (version, version))
    exe, full = found[version]
    if tuple(map(int, version.split("."))) >= (3, 10):
        return run(exe, version, NAMES), ("CPython %s's sys.stdlib_module_names "
                                          "(doc/sources.md#standard-library)" % full)
    names = {n for n in run(exe, version, WALK) if not TESTS.match(n)}
    if version != "2.7":
        names |= set(NOT_ON_LINUX_3X)
    names |= set(UNBUILT.get(version, []))
    return names, ("CPython %s's library directories and sys.builtin_module_names, less its "
                   "tests%s (doc/sources.md#standard-library)" %
                   (full, "" if version == "2.7" else
                    ", plus the other platforms' modules of 3.10's sys.stdlib_module_names" +
                    ("" if version not in UNBUILT else
                     " and the optional modules this build lacks (%s)" %
                     ", ".join(UNBUILT[version]))))


def generate(pyenv):
    found = interpreters(pyenv)
    versions = {}
    for v in VERSIONS:
        names, source = modules_of(v, found)
        versions[v] = {"source": source, "modules": sorted(names)}
    removed = []
    for module, version, backport, instead, cite in REMOVED:
        row = {"module": module, "removed_in": version}
        if backport:
            row["backport"] = backport
        if instead:
            row["instead"] = instead
        row["source"] = "doc/sources.md#standard-library ([%s])" % cite
        removed.append(row)
        prev = VERSIONS[VERSIONS.index(version) - 1]
        if module not in versions[prev]["modules"] or module in versions[version]["modules"]:
            sys.exit("gen_stdlib.py: %s is said removed in %s, but the lists disagree" %
                     (module, version))
    doc = {
        "$schema": "schema/stdlib.schema.json",
        "description": "The top-level module names of each CPython's standard library, by "
                       "version (what `import NAME` finds in the runtime itself), and the "
                       "modules a release removed: the version that removed each, a PyPI "
                       "distribution that brings it back under its own name (backport) and what "
                       "to use instead; and the modules every runtime provides beside it (boto3 and "
                       "its dependencies). Written by tools/gen_stdlib.py; do not edit.",
        "versions": versions,
        "removed": removed,
        "provided": {
            "modules": PROVIDED,
            "source": "doc/sources.md#environment-and-filesystem (every runtime includes boto3 "
                      "and its dependencies: the import names of rules/limits.json's "
                      "runtime_packages, python-dateutil's being dateutil)",
        },
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pyenv", default=os.path.expanduser("~/.pyenv"))
    ap.add_argument("--check", metavar="REPO")
    a = ap.parse_args()
    text = generate(a.pyenv)
    if a.check:
        path = os.path.join(a.check, "rules", "stdlib.json")
        with open(path, encoding="utf-8") as f:
            if f.read() != text:
                print("%s is stale: run tools/gen_stdlib.py > rules/stdlib.json" % path)
                return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
