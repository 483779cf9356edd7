#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""bench/run.py: how fast abiscan is, against the tools a user would reach for instead, in one run.

It builds a bundle from real Debian bookworm packages (numpy, scipy, pandas, matplotlib, Pillow,
lxml, pyzmq, PyICU, cryptography, ... with libopenblas0-pthread's 36 MB library in lib/: their
dist-packages as a Lambda function would ship them), as a directory and as two zips (Python's
zipfile and Info-ZIP's zip -r), and then prints, each as a median ratio abiscan/peer with the
min and max over the runs, the two commands of a pair alternating run by run so that drift on a
shared machine hits both, and its target (issue 24):

  zip        abiscan bundle.zip (either zip)            vs  unzip -tq bundle.zip
             (both inflate every member they need and check its CRC), --jobs 2 and --jobs 1
  dir        abiscan bundle/                            vs  scanelf -qRF '%a %o %S %n' bundle/
  handler    the directory with --handler app.handler (app.py imports every top-level package:
             every module-level import of the bundle followed) vs scanelf, and vs the same
             directory without it (what the import walk costs)
  empty      abiscan on an empty directory              vs  scanelf -qR on it (start-up)
  fleet      one abiscan process over N single-package bundles vs a loop of unzip -tq
each on a runtime the bundle's modules import on (python3.11: bookworm builds) and on one none
does (python3.12); then readelf -dV on every ELF file and --jobs 2 vs --jobs 1;
  memory     peak RSS of the zip (--jobs 1 and 2) against 64 MB + jobs x the largest member,
             and of the directory beside a directory three times as wide
  scale      the zip at 1x, 2x and 4x (the bundle with renamed copies beside it): time and
             peak RSS, to show the cost linear and the memory flat
and callgrind's instruction count for a scan of a fixed fixture bundle, which does not move
with the machine's load, against bench/callgrind.txt (the regression number). Quote ratios, not
bare times.

Usage: bench/run.py [--abiscan build/abiscan] [--runs 7] [--work build/bench]
                    [--fixture build/fixtures/bundles/loader.zip] [--smoke]
--smoke: one run of each pair on the fixture bundles instead (a test that the bench runs).
Needs: apt-get (download only), dpkg-deb, unzip, zip, scanelf (pax-utils), readelf (binutils),
valgrind (callgrind).
"""
import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import time
import zipfile

PACKAGES = [
    "python3-numpy", "python3-scipy", "python3-pandas", "python3-pandas-lib",
    "python3-matplotlib", "python3-pil", "python3-lxml", "python3-zmq", "python3-kiwisolver",
    "python3-icu", "python3-cryptography", "python3-yaml", "python3-regex", "python3-psycopg2",
    "python3-sklearn", "python3-sklearn-lib", "python3-pywt", "python3-shapely",
]
LIBS = [("libopenblas0-pthread", "usr/lib/x86_64-linux-gnu/openblas-pthread")]
RUNTIME = ["--runtime", "python3.11", "--fail-on", "none"]
# A runtime the bundle's modules import on (bookworm's CPython is 3.11), and one none does.
RUNTIMES = ["python3.11", "python3.12"]
BASELINE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "callgrind.txt")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def deb_of(debs, pkg):
    found = sorted(glob.glob(os.path.join(debs, pkg + "_*_amd64.deb")) +
                   glob.glob(os.path.join(debs, pkg + "_*_all.deb")))
    if not found:
        sh(["apt-get", "download", "-q", pkg + ":amd64"], cwd=debs, stdout=subprocess.DEVNULL)
        return deb_of(debs, pkg)
    return found[-1]


def zip_tree(root, out, prefixes=("",)):
    """root as a zip; with prefixes, once under each (renamed copies, for the scale runs)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for prefix in prefixes:
            for d, dirs, files in os.walk(root):
                dirs.sort()
                for f in sorted(files):
                    full = os.path.join(d, f)
                    rel = os.path.relpath(full, root)
                    z.write(full, prefix + rel)


def build_bundle(work, cache):
    """The big bundle: dist-packages of PACKAGES, and LIBS' libraries in lib/."""
    debs = os.path.join(cache, "debs")
    os.makedirs(debs, exist_ok=True)
    bundle = os.path.join(work, "bundle")
    if os.path.isdir(bundle) and os.path.exists(bundle + ".zip"):
        return bundle
    unpack = os.path.join(work, "unpack")
    shutil.rmtree(unpack, ignore_errors=True)
    shutil.rmtree(bundle, ignore_errors=True)
    for pkg in PACKAGES + [p for p, _ in LIBS]:
        sh(["dpkg-deb", "-x", deb_of(debs, pkg), unpack])
    shutil.copytree(os.path.join(unpack, "usr/lib/python3/dist-packages"), bundle,
                    symlinks=False, ignore_dangling_symlinks=True)
    os.makedirs(os.path.join(bundle, "lib"), exist_ok=True)
    for _, libdir in LIBS:
        src = os.path.join(unpack, libdir)
        for f in sorted(os.listdir(src)):
            if not os.path.islink(os.path.join(src, f)):
                shutil.copy(os.path.join(src, f), os.path.join(bundle, "lib", f))
    shutil.rmtree(unpack)
    zip_tree(bundle, bundle + ".zip")
    return bundle


def infozip(bundle):
    """The bundle as Info-ZIP's zip -r makes it (what most build scripts run)."""
    out = bundle + "-infozip.zip"
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(bundle + ".zip"):
        if os.path.exists(out):
            os.unlink(out)
        sh(["zip", "-qrX", out, "."], cwd=bundle)
    return out


def wide(work, bundle, k=3):
    """A directory k times as wide as the bundle: the bundle and k - 1 copies (hard links)."""
    out = os.path.join(work, "wide")
    if os.path.isdir(out) and os.path.getmtime(out) < os.path.getmtime(bundle + ".zip"):
        shutil.rmtree(out)
    if not os.path.isdir(out):
        for i in range(k):
            shutil.copytree(bundle, os.path.join(out, "copy%d" % i), copy_function=os.link)
    return out


def handler_module(bundle):
    """app.py at the bundle's top: a handler that imports each top-level package, so that
    --handler app.handler follows every module-level import the bundle makes."""
    tops = sorted(n for n in os.listdir(bundle)
                  if os.path.isfile(os.path.join(bundle, n, "__init__.py")) and n.isidentifier())
    with open(os.path.join(bundle, "app.py"), "w") as fh:
        fh.write("".join("import %s\n" % t for t in tops))
        fh.write("\n\ndef handler(event, context):\n    return 0\n")
    return len(tops)


def fleet(work, bundle):
    """One zip per top-level package (and its metadata) of the bundle."""
    out = os.path.join(work, "fleet")
    if os.path.isdir(out):
        return sorted(glob.glob(os.path.join(out, "*.zip")))
    os.makedirs(out)
    tops = sorted(n for n in os.listdir(bundle) if os.path.isdir(os.path.join(bundle, n))
                  and not n.endswith((".dist-info", ".egg-info")) and n != "lib")
    for top in tops:
        with zipfile.ZipFile(os.path.join(out, top + ".zip"), "w", zipfile.ZIP_DEFLATED) as z:
            for d, dirs, files in os.walk(os.path.join(bundle, top)):
                dirs.sort()
                for f in sorted(files):
                    full = os.path.join(d, f)
                    z.write(full, os.path.relpath(full, bundle))
    return sorted(glob.glob(os.path.join(out, "*.zip")))


def elf_files(root):
    out = []
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            if not os.path.islink(p):
                with open(p, "rb") as fh:
                    if fh.read(4) == b"\x7fELF":
                        out.append(p)
    return sorted(out)


def run(cmd):
    """Wall time and peak RSS (KiB) of one run, output discarded."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit("bench: %s exited %d" % (" ".join(cmd), os.waitstatus_to_exitcode(status)))
    return elapsed, usage.ru_maxrss


class Table:
    def __init__(self, runs, targets=True):
        self.runs = runs
        self.targets = targets  # the targets are the real bundle's: not a smoke run's
        self.missed = []
        print("| work | abiscan (median) | peer (median) | ratio median | min | max | target |")
        print("|---|---|---|---|---|---|---|")

    def pair(self, name, a, b, target=None):
        run(a), run(b)  # warm the page cache
        ta, tb, ratios = [], [], []
        for _ in range(self.runs):
            x, _ = run(a)
            y, _ = run(b)
            ta.append(x)
            tb.append(y)
            ratios.append(x / y)
        med = statistics.median(ratios)
        verdict = ""
        if target is not None and self.targets:
            verdict = "<= %.2f %s" % (target, "met" if med <= target else "**missed**")
            if med > target:
                self.missed.append(name)
        print("| %s | %.1f ms | %.1f ms | **%.2f** | %.2f | %.2f | %s |"
              % (name, statistics.median(ta) * 1e3, statistics.median(tb) * 1e3,
                 med, min(ratios), max(ratios), verdict))
        return med


def peak(cmd, runs):
    """The largest peak RSS (MB) and the median time (ms) of runs runs of cmd."""
    times, rss = [], []
    for _ in range(runs):
        secs, kib = run(cmd)
        times.append(secs)
        rss.append(kib)
    return max(rss) / 1024, statistics.median(times) * 1e3


def callgrind(abiscan, fixture, work):
    out = os.path.join(work, "callgrind.out")
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
                        abiscan, "--jobs", "1"] + RUNTIME + [fixture],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in p.stderr.splitlines():
        if "Collected" in line:
            return int(line.split(":")[-1].strip().replace(",", ""))
    sys.exit("bench: callgrind printed no instruction count:\n" + p.stderr[-400:])


def baseline():
    """bench/callgrind.txt's instruction count (its first number), or None."""
    try:
        with open(BASELINE, encoding="utf-8") as fh:
            for word in fh.read().split():
                if word.replace(",", "").isdigit():
                    return int(word.replace(",", ""))
    except OSError:
        pass
    return None


def describe(label, root, zpath):
    files = sum(len(f) for _, _, f in os.walk(root))
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(root) for f in fs)
    elves = elf_files(root)
    biggest = max((os.path.getsize(e) for e in elves), default=0)
    so = sum(os.path.getsize(e) for e in elves)
    print("%s: %d files, %d ELF (%d MB, the largest %.1f MB), %d MB unzipped, %d MB zipped"
          % (label, files, len(elves), so // 10**6, biggest / 1e6, size // 10**6,
             os.path.getsize(zpath) // 10**6))
    return elves


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--abiscan", default="build/abiscan")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--work", default="build/bench")
    ap.add_argument("--fixture", default="build/fixtures/bundles/loader.zip",
                    help="the fixed bundle callgrind counts the instructions of")
    ap.add_argument("--cache", default=os.environ.get(
        "ABISCAN_CACHE", os.path.join(os.path.expanduser("~"), ".cache", "abiscan")))
    ap.add_argument("--smoke", action="store_true",
                    help="one run of each pair, on the fixture bundles (checks the bench runs)")
    args = ap.parse_args()
    for tool in ("unzip", "zip", "scanelf", "readelf", "dpkg-deb", "apt-get", "valgrind"):
        if not shutil.which(tool):
            sys.exit("bench: %s is missing (apt-get install unzip zip pax-utils binutils "
                     "valgrind)" % tool)
    abiscan = os.path.abspath(args.abiscan)
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    if args.smoke:
        args.runs = 1
        fixtures = os.path.dirname(os.path.abspath(args.fixture))
        bundle = os.path.join(work, "smoke")
        shutil.rmtree(bundle, ignore_errors=True)
        shutil.copytree(os.path.join(fixtures, "loader"), bundle, symlinks=True)
        zip_tree(bundle, bundle + ".zip")
    else:
        bundle = build_bundle(work, args.cache)
    print("abiscan bench, %s, %d run%s of each pair, %d processors\n"
          % (time.strftime("%Y-%m-%d"), args.runs, "" if args.runs == 1 else "s",
             len(os.sched_getaffinity(0))))
    elves = describe("bundle", bundle, bundle + ".zip")
    zipped = bundle + ".zip"
    empty = os.path.join(work, "empty")
    os.makedirs(empty, exist_ok=True)
    zips = fleet(work, bundle)
    print("fleet: %d single-package bundles\n" % len(zips))

    zipped_info = infozip(bundle)
    tops = handler_module(bundle)  # before any pair, so that every directory run sees it
    ab = [abiscan, "--fail-on", "none"]
    # What is timed must be a scan: a binary that reports nothing is no abiscan.
    p = subprocess.run(ab + RUNTIME + ["--format", "json", zipped], capture_output=True, text=True)
    if '"schema_version"' not in p.stdout or '"inputs"' not in p.stdout:
        sys.exit("bench: %s printed no report for %s" % (abiscan, zipped))
    loop = os.path.join(work, "unzip-loop.sh")
    with open(loop, "w") as fh:
        fh.write('for z in "$@"; do unzip -tq "$z" >/dev/null || exit 1; done\n')
    scanelf = ["scanelf", "-qRF", "%a %o %S %n", bundle]
    t = Table(args.runs, targets=not args.smoke)
    for runtime in RUNTIMES:
        rt = ab + ["--runtime", runtime]
        for label, z in (("zipfile", zipped), ("zip -r", zipped_info)):
            t.pair("%s: zip (%s) vs `unzip -tq`" % (runtime, label), rt + [z],
                   ["unzip", "-tq", z], 0.15)
            t.pair("%s: zip (%s), `--jobs 1` vs `unzip -tq`" % (runtime, label),
                   rt + ["--jobs", "1", z], ["unzip", "-tq", z], 0.25)
        t.pair("%s: directory vs `scanelf -qRF '%%a %%o %%S %%n'`" % runtime, rt + [bundle],
               scanelf, 0.5)
        t.pair("%s: directory, `--handler app.handler` (imports %d packages) vs `scanelf`"
               % (runtime, tops), rt + ["--handler", "app.handler", bundle], scanelf, 1.0)
        t.pair("%s: directory, `--handler` vs without (the import walk's cost)" % runtime,
               rt + ["--handler", "app.handler", bundle], rt + [bundle], 1.10)
        t.pair("%s: empty directory vs `scanelf -qR`" % runtime, rt + [empty],
               ["scanelf", "-qR", empty], 1.5)
        t.pair("%s: %d bundles, one process vs an `unzip -tq` loop" % (runtime, len(zips)),
               rt + zips, ["sh", loop] + zips, 0.1)
    t.pair("directory vs `readelf -dV` on every ELF file", ab + RUNTIME + [bundle],
           ["readelf", "-dV", "-W"] + elves)
    t.pair("zip, `--jobs 2` vs `--jobs 1`", ab + RUNTIME + ["--jobs", "2", zipped],
           ab + RUNTIME + ["--jobs", "1", zipped])

    largest = max((os.path.getsize(e) for e in elves), default=0) / 2**20
    print("\n| memory | peak RSS | bound | time (median) |")
    print("|---|---|---|---|")
    for jobs in (1, 2):
        mb, ms = peak(ab + RUNTIME + ["--jobs", str(jobs), zipped], args.runs)
        bound = 64 + jobs * largest
        print("| zip, `--jobs %d` | %.0f MB | %.0f MB (64 MB + %d x %.1f MB) %s | %.0f ms |"
              % (jobs, mb, bound, jobs, largest, "met" if mb <= bound else "**missed**", ms))
    for label, d in (("directory", bundle), ("directory 3x as wide", wide(work, bundle))):
        mb, ms = peak(ab + RUNTIME + [d], args.runs)
        print("| %s | %.0f MB | 64 MB %s | %.0f ms |"
              % (label, mb, "met" if mb <= 64 else "**missed**", ms))

    print("\n| bundle | size zipped | abiscan (median) | per MB zipped | peak RSS |")
    print("|---|---|---|---|---|")
    for k in (1, 2, 4):
        path = zipped if k == 1 else "%s-x%d.zip" % (bundle, k)
        if k > 1 and (not os.path.exists(path) or
                      os.path.getmtime(path) < os.path.getmtime(zipped)):
            zip_tree(bundle, path, [""] + ["copy%d/" % i for i in range(1, k)])
        mb_rss, ms = peak(ab + RUNTIME + [path], args.runs)
        mb = os.path.getsize(path) / 1e6
        print("| %dx | %.0f MB | %.0f ms | %.2f ms | %.0f MB |" % (k, mb, ms, ms / mb, mb_rss))
    if os.path.exists(args.fixture):
        n, base = callgrind(abiscan, os.path.abspath(args.fixture), work), baseline()
        print("\ncallgrind: %s instructions for abiscan --jobs 1 --runtime python3.11 %s%s"
              % (format(n, ","), os.path.basename(args.fixture),
                 "" if base is None else " (bench/callgrind.txt: %s, %+.1f %%)"
                 % (format(base, ","), 100.0 * (n - base) / base)))
    if t.missed:
        print("\ntargets missed: " + "; ".join(t.missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
