#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check rules/stdlib.json against the CPythons of this machine and against itself.

Usage: check_stdlib.py RULES_DIR [--pyenv DIR]

  - each pyenv CPython 3.10+ found ($(pyenv root)/versions/3.N.*), run isolated (-I -S): its
    sys.stdlib_module_names is the data's list for 3.N, name for name;
  - Debian's /usr/bin/python3 too, for its version, when the data has it;
  - each removed module is in the list of the version before removed_in and not in the
    list of removed_in or any later version;
  - the lists are sorted, without duplicates, and cover every runtime of rules/runtimes/.
A version with no interpreter here is said, not failed; with none at all the test fails
(the machine image carries pyenv's). Prints one line per check, then "N passed, M failed".
"""
import glob
import json
import os
import re
import subprocess
import sys

from datacheck import Checker  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "realdata"))
import realdata as rd  # noqa: E402  (the pyenv lookup, shared with the other pyenv tests)

NAMES = "import sys; sys.stdout.write(' '.join(sorted(sys.stdlib_module_names)))"


def key(v):
    return tuple(int(x) for x in v.split("."))


def interpreters(pyenv):
    found = []
    for d in sorted(glob.glob(os.path.join(pyenv, "versions", "3.*"))):
        m = re.match(r"^3\.(\d+)\.\d+$", os.path.basename(d))
        exe = os.path.join(d, "bin", "python")
        if m and int(m.group(1)) >= 10 and os.access(exe, os.X_OK):
            found.append(exe)
    if os.access("/usr/bin/python3", os.X_OK):
        found.append("/usr/bin/python3")
    return found


def main():
    args = sys.argv[1:]
    pyenv = rd.pyenv_root()
    if "--pyenv" in args:
        i = args.index("--pyenv")
        pyenv = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1:
        print(__doc__)
        return 2
    rules = args[0]
    with open(os.path.join(rules, "stdlib.json"), encoding="utf-8") as f:
        data = json.load(f)
    c = Checker()
    versions = data["versions"]
    order = sorted(versions, key=key)

    for v in order:
        mods = versions[v]["modules"]
        c.check("%s: sorted, no duplicates" % v, mods == sorted(set(mods)))
    runtimes = set()
    for p in glob.glob(os.path.join(rules, "runtimes", "*.json")):
        with open(p, encoding="utf-8") as f:
            profile = json.load(f)
        if "python" in profile:  # an OS-only runtime (provided.*) has no Python
            runtimes.add(profile["python"]["version"]["value"])
    c.check("every runtime's version has a list", runtimes <= set(versions),
            "missing: %s" % sorted(runtimes - set(versions)))

    for row in data["removed"]:
        m, gone = row["module"], row["removed_in"]
        before = [v for v in order if key(v) < key(gone) and key(v) >= (3, 0)]
        after = [v for v in order if key(v) >= key(gone)]
        c.check("%s: in %s" % (m, before[-1]), m in versions[before[-1]]["modules"])
        c.check("%s: absent from %s on" % (m, gone),
                all(m not in versions[v]["modules"] for v in after),
                "present in %s" % [v for v in after if m in versions[v]["modules"]])

    ran = 0
    for exe in interpreters(pyenv):
        out = subprocess.run([exe, "-I", "-S", "-c",
                              "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True)
        v = out.stdout.strip()
        if out.returncode or v not in versions:
            print("note: %s (%s) has no list in the data" % (exe, v or "?"))
            continue
        names = subprocess.run([exe, "-I", "-S", "-c", NAMES], capture_output=True,
                               text=True, check=True).stdout.split()
        want = set(versions[v]["modules"])
        have = set(names)
        ran += 1
        c.check("%s: sys.stdlib_module_names of %s is the data's list" % (v, exe),
                want == have,
                "only in the data: %s; only in the interpreter: %s" %
                (sorted(want - have), sorted(have - want)))
    if not ran:
        print("not ok - no CPython 3.10+ here to compare with (pyenv's, Debian's)")
        return 1
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
