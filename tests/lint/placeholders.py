#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""No output carries a placeholder a user would paste: every golden expectation is free of
an unfilled template variable ({name}) and of an angle-bracket placeholder (<dir>,
<distribution>), which a shell takes for a redirect. The real-data tests check their own
reports the same way (tests/realdata/realdata.py check_reports()).

Usage: placeholders.py REPO [--self-test]
"""
import glob
import os
import re
import sys

PLACEHOLDER = re.compile(r"\{[a-z_]+\}|<[A-Za-z][A-Za-z0-9 _.-]*>")


def scan(text):
    return sorted(set(m.group(0) for m in PLACEHOLDER.finditer(text)))


def main(argv):
    if argv[1:] == ["--self-test"]:
        bad = scan("fix: pip install --target <dir> {requirement} and x {module}")
        ok = scan("b'\\xa7\\r\\r\\n' a < b, {} {\"k\": 1} <- not <1>")
        if bad != ["<dir>", "{module}", "{requirement}"] or ok:
            print("self-test failed: %r %r" % (bad, ok))
            return 1
        print("self-test: placeholders found where planted, none elsewhere")
        return 0
    repo = argv[1]
    golden = os.path.join(repo, "tests", "golden")
    files = sorted(glob.glob(os.path.join(golden, "**", "expected.*"), recursive=True) +
                   glob.glob(os.path.join(golden, "**", "stderr"), recursive=True))
    bad = 0
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            found = scan(f.read())
        if found:
            bad += 1
            print("%s: %s" % (os.path.relpath(path, repo), ", ".join(found)))
    print("placeholders: %d golden files, %d with a placeholder" % (len(files), bad))
    return 1 if bad or not files else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
