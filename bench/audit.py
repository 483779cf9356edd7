#!/usr/bin/python3
"""bench/audit.py: what an audit of many functions costs: bundles per second, one process.

Builds one function bundle per Debian bookworm package (their dist-packages, amd64, zipped
as a Lambda function would ship them: numpy, scipy, pandas, Pillow, lxml, cryptography ...,
the packages bench/run.py uses), then a fleet of --functions bundles cycling through them
(hard links: the same bytes, as many functions ship the same libraries), and times

  abiscan --files-from LIST --format jsonl --runtime python3.12 --jobs N

for each N of --jobs, against `unzip -tq` of every bundle one after the other (the
cheapest full read of a zip there is), and prints bundles per second, MB (zipped) per
second, and the ratio to unzip. The machine is shared: quote the ratio and the rate
together, measured in the same run.

Usage: bench/audit.py [--abiscan build/abiscan] [--functions 2000] [--jobs 1,2]
                      [--work build/bench-audit]
Needs: apt-get (download only), dpkg-deb, unzip.
"""
import argparse
import glob
import os
import subprocess
import sys
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import PACKAGES  # noqa: E402


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def package_bundles(work, cache):
    debs = os.path.join(cache, "debs")
    os.makedirs(debs, exist_ok=True)
    out = []
    for pkg in PACKAGES:
        found = sorted(glob.glob(os.path.join(debs, pkg + "_*_amd64.deb")) +
                       glob.glob(os.path.join(debs, pkg + "_*_all.deb")))
        if not found:
            sh(["apt-get", "download", "-q", pkg + ":amd64"], cwd=debs, stdout=subprocess.DEVNULL)
            found = sorted(glob.glob(os.path.join(debs, pkg + "_*.deb")))
        zpath = os.path.join(work, pkg + ".zip")
        if not os.path.exists(zpath):
            unpack = os.path.join(work, "unpack-" + pkg)
            sh(["dpkg-deb", "-x", found[-1], unpack])
            root = os.path.join(unpack, "usr/lib/python3/dist-packages")
            with zipfile.ZipFile(zpath + ".tmp", "w", zipfile.ZIP_DEFLATED) as z:
                for d, dirs, files in os.walk(root):
                    dirs.sort()
                    for f in sorted(files):
                        full = os.path.join(d, f)
                        if os.path.isfile(full):
                            z.write(full, os.path.relpath(full, root))
            os.rename(zpath + ".tmp", zpath)
        out.append(zpath)
    return out


def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--abiscan", default="build/abiscan")
    ap.add_argument("--functions", type=int, default=2000)
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--work", default="build/bench-audit")
    ap.add_argument("--cache", default=os.environ.get("ABISCAN_CACHE",
                    os.path.join(os.path.expanduser("~"), ".cache", "abiscan")))
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    pkgs = package_bundles(args.work, args.cache)
    fleet = os.path.join(args.work, "fleet")
    os.makedirs(fleet, exist_ok=True)
    names = []
    for i in range(args.functions):
        p = os.path.join(fleet, "fn-%05d.zip" % i)
        if not os.path.exists(p):
            os.link(pkgs[i % len(pkgs)], p)
        names.append(p)
    listfile = os.path.join(args.work, "list")
    with open(listfile, "w") as f:
        f.write("\n".join(names) + "\n")
    zipped = sum(os.path.getsize(p) for p in names)
    print("fleet: %d bundles (%d distinct, %.1f MB zipped on average), %.0f MB zipped in all"
          % (len(names), len(pkgs), zipped / len(names) / 1e6, zipped / 1e6))
    for p in names[:len(pkgs)]:  # warm the page cache
        timed(["unzip", "-tq", p])
    t_unzip = timed(["sh", "-c", "xargs -a %s -n 1 unzip -tq >/dev/null" % listfile])
    print("| run | wall | bundles/s | MB/s | ratio to unzip -tq |")
    print("|---|---|---|---|---|")
    print("| unzip -tq, one after the other | %.1f s | %.0f | %.0f | 1.00 |"
          % (t_unzip, len(names) / t_unzip, zipped / 1e6 / t_unzip))
    for j in args.jobs.split(","):
        t = timed([args.abiscan, "--files-from", listfile, "--format", "jsonl", "--quiet",
                   "--runtime", "python3.12", "--jobs", j])
        print("| abiscan --jobs %s | %.1f s | %.0f | %.0f | %.2f |"
              % (j, t, len(names) / t, zipped / 1e6 / t, t / t_unzip))


if __name__ == "__main__":
    main()
