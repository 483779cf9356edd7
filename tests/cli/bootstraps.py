#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""bootstraps.py ABISCAN FIXTURES: the OS-only runtimes' bootstraps judged by their consumers.

For every bootstrap fixture (bundles/provided-*.zip whose bootstrap is ELF), what readelf
says decides the verdict on provided.al2 (glibc 2.26) and provided.al2023 (glibc 2.34)
(doc/sources.md#os-only-runtimes): an interpreter other than the glibc loader of
doc/sources.md#architectures is missing there (bootstrap-interpreter-missing), a GLIBC_ need
above the OS's glibc fails to load (glibc-too-new), anything else starts. abiscan must say
exactly that, no more. Then the kernel judges: each x86_64 bootstrap whose interpreter this
machine has is run and must exit 0 (the Go ones print their line) or still run after 2 s (the
freestanding one spins), so the fixtures are real programs, not shapes of one.
"""
import json
import os
import re
import subprocess
import sys
import zipfile

CEILING = {"provided.al2": (2, 26), "provided.al2023": (2, 34)}  # doc/sources.md#os-only-runtimes
GLIBC_LOADER = "/lib64/ld-linux-x86-64.so.2"  # doc/sources.md#architectures (x86_64)


def readelf(path):
    """(interpreter or None, the GLIBC_ versions it needs as tuples) from readelf."""
    prog = subprocess.run(["readelf", "-lW", path], capture_output=True, text=True, check=True).stdout
    m = re.search(r"\[Requesting program interpreter: ([^\]]+)\]", prog)
    ver = subprocess.run(["readelf", "-VW", path], capture_output=True, text=True, check=True).stdout
    needs = set()
    for line in ver.splitlines():
        n = re.search(r"Name: GLIBC_([0-9.]+)\s+Flags", line)
        if n:
            needs.add(tuple(int(x) for x in n.group(1).split(".")))
    return (m.group(1) if m else None), needs


def expected(interp, needs, runtime):
    if interp and interp != GLIBC_LOADER:
        return {"bootstrap-interpreter-missing"}
    if any(n > CEILING[runtime] for n in needs):
        return {"glibc-too-new"}
    return set()


def found(abiscan, runtime, bundle):
    p = subprocess.run([abiscan, "-r", runtime, "-f", "json", bundle], capture_output=True, timeout=60)
    if p.returncode not in (0, 1):
        raise ValueError("exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace").strip()))
    return {f["slug"] for f in json.loads(p.stdout)["findings"] if f["path"] == "bootstrap"}


def main():
    abiscan, fixtures = sys.argv[1], sys.argv[2]
    failed = checked = ran = 0
    bundles = sorted(f for f in os.listdir(os.path.join(fixtures, "bundles"))
                     if f.startswith("provided-") and f.endswith(".zip"))
    for name in bundles:
        bundle = os.path.join(fixtures, "bundles", name)
        with zipfile.ZipFile(bundle) as z:
            if "bootstrap" not in z.namelist():
                continue
            info = z.getinfo("bootstrap")
            data = z.read("bootstrap")
        if not data.startswith(b"\x7fELF") or info.external_attr >> 16 & 0o111 == 0:
            continue  # a script, or not executable: the golden cases judge those
        path = os.path.join(fixtures, "bundles", name[:-4], "bootstrap")
        interp, needs = readelf(path)
        for runtime in CEILING:
            want = expected(interp, needs, runtime)
            try:
                got = found(abiscan, runtime, bundle)
            except (ValueError, json.JSONDecodeError, KeyError) as e:
                print("not ok - %s on %s: %s" % (name, runtime, e))
                failed += 1
                continue
            checked += 1
            needs_s = " ".join("GLIBC_" + ".".join(map(str, n)) for n in sorted(needs)) or "none"
            if got == want:
                print("ok - %s on %s: interpreter %s, needs %s: %s" % (name, runtime, interp, needs_s,
                                                                    ", ".join(sorted(got)) or "starts"))
            else:
                print("not ok - %s on %s: readelf says %s, abiscan %s" % (name, runtime, sorted(want),
                                                                        sorted(got)))
                failed += 1
        if interp is None or os.path.exists(interp):
            ran += 1
            try:
                p = subprocess.run([path], capture_output=True, timeout=2)
            except subprocess.TimeoutExpired:
                # The freestanding program (fixtures/src/exe.c) spins: it started, which is
                # what the loader decides.
                print("ok - %s runs here (still running after 2 s)" % name)
                continue
            if p.returncode != 0:
                print("not ok - %s: the bootstrap exits %d here" % (name, p.returncode))
                failed += 1
            else:
                print("ok - %s runs here: %r" % (name, p.stdout.decode(errors="replace").strip()))
    if checked < 8 or ran < 3:
        print("not ok - too few bootstraps checked (%d verdicts, %d runs)" % (checked, ran))
        failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
