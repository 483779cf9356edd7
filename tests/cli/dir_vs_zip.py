#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""dir_vs_zip.py ABISCAN FIXTURES: every fixture bundle, given as a directory and as the
zip the build made of it, gives the same findings, for an x86_64 and an arm64 target.

Each run must exit 0 or 1 and print a JSON report with one input of the kind asked for;
a run that prints nothing, or anything else, is a failure, and so is a fixture set on
which no bundle has a finding at all (a tool that finds nothing would otherwise pass).
The rules of a zip's stored modes are the zip's alone: a directory says nothing of how it
will be zipped, so they are left out of the comparison (MODE_RULES).
"""
import glob
import json
import os
import subprocess
import sys

# What only a zip's Unix modes say (a member without an execute bit, or with no mode at all).
MODE_RULES = {"bootstrap-not-executable", "program-not-executable"}


def findings(abiscan, runtime, arch, path, kind):
    p = subprocess.run([abiscan, "-r", runtime, "-a", arch, "-f", "json", path],
                       capture_output=True, timeout=120)
    if p.returncode not in (0, 1):
        raise ValueError(f"exit {p.returncode}: {p.stderr.decode(errors='replace').strip()}")
    report = json.loads(p.stdout)
    if [i["kind"] for i in report["inputs"]] != [kind]:
        raise ValueError(f"inputs {report['inputs']!r}, expected one {kind}")
    out = []
    for f in report["findings"]:
        if f["slug"] in MODE_RULES:
            continue
        f.pop("input")
        out.append(json.dumps(f, sort_keys=True))
    return out


def main():
    abiscan, fixtures = sys.argv[1], sys.argv[2]
    passed = failed = total = 0
    for z in sorted(glob.glob(os.path.join(fixtures, "bundles", "*.zip"))):
        d = z[:-4]
        if not os.path.isdir(d):
            continue  # a zip-only fixture (lzma.zip: what its compression hides is the point)
        for runtime, arch in (("python3.11", "x86_64"), ("python3.12", "arm64")):
            name = f"{os.path.basename(z)} for {runtime} {arch}"
            try:
                a = findings(abiscan, runtime, arch, z, "zip")
                b = findings(abiscan, runtime, arch, d, "directory")
            except (ValueError, json.JSONDecodeError, KeyError, TypeError) as e:
                print(f"not ok - {name}: {e}")
                failed += 1
                continue
            total += len(a)
            if a == b:
                passed += 1
            else:
                failed += 1
                print(f"not ok - {name}: the directory differs from the zip")
                for line in sorted(set(a) ^ set(b)):
                    print(f"#   {'zip' if line in a else 'dir'}: {line}")
    if total == 0:
        print("not ok - no fixture bundle has a finding: the tool found nothing at all")
        failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
