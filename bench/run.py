#!/usr/bin/python3
"""bench/run.py: how fast is abiscan, against peers doing comparable work, in one run.

Builds a large bundle from real Debian bookworm packages (numpy, scipy, pandas, matplotlib,
Pillow, lxml, pyzmq, kiwisolver, PyICU, cryptography ...: their dist-packages, amd64, as a
Lambda function would ship them), as a directory and as a zip, then times, alternating the
two commands of each pair run by run so that drift hits both alike:

  zip:  abiscan --runtime python3.11 bundle.zip    vs  unzip -tq bundle.zip
        (both inflate and CRC-check; unzip tests every member, abiscan reads the ELF ones)
  dir:  abiscan --runtime python3.11 bundle/       vs  scanelf -qR bundle/
                                                  vs  readelf -dV on every ELF file
        (ELF headers, dynamic section, version needs of every object)

and prints each command's median wall time over --runs runs and the ratio abiscan/peer of
the medians. Quote ratios, not bare times: the machine is shared.

Usage: bench/run.py [--abiscan build/abiscan] [--runs 7] [--work build/bench]
Needs: apt-get (download only), dpkg-deb, unzip, scanelf (pax-utils), readelf (binutils).
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
]


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def build_bundle(work, cache):
    debs = os.path.join(cache, "debs")
    os.makedirs(debs, exist_ok=True)
    def deb_of(pkg):
        found = sorted(glob.glob(os.path.join(debs, pkg + "_*_amd64.deb")) +
                       glob.glob(os.path.join(debs, pkg + "_*_all.deb")))
        return found[-1] if found else None

    for pkg in PACKAGES:
        if not deb_of(pkg):
            sh(["apt-get", "download", "-q", pkg + ":amd64"], cwd=debs,
               stdout=subprocess.DEVNULL)
    bundle = os.path.join(work, "bundle")
    if os.path.isdir(bundle):
        return bundle
    unpack = os.path.join(work, "unpack")
    os.makedirs(unpack, exist_ok=True)
    for pkg in PACKAGES:
        sh(["dpkg-deb", "-x", deb_of(pkg), unpack])
    shutil.copytree(os.path.join(unpack, "usr/lib/python3/dist-packages"), bundle,
                    symlinks=False, ignore_dangling_symlinks=True)
    with zipfile.ZipFile(bundle + ".zip", "w", zipfile.ZIP_DEFLATED) as z:
        for root, dirs, files in os.walk(bundle):
            dirs.sort()
            for f in sorted(files):
                full = os.path.join(root, f)
                z.write(full, os.path.relpath(full, bundle))
    return bundle


def elf_files(bundle):
    out = []
    for root, _, files in os.walk(bundle):
        for f in files:
            p = os.path.join(root, f)
            with open(p, "rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    out.append(p)
    return out


def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def pair(name, a, b, runs):
    ta, tb = [], []
    timed(a), timed(b)  # warm the page cache
    for _ in range(runs):
        ta.append(timed(a))
        tb.append(timed(b))
    ma, mb = statistics.median(ta), statistics.median(tb)
    print(f"| {name} | {ma * 1000:.0f} ms | {mb * 1000:.0f} ms | {ma / mb:.2f} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--abiscan", default="build/abiscan")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--work", default="build/bench")
    ap.add_argument("--cache", default=os.environ.get("ABISCAN_CACHE",
                    os.path.join(os.path.expanduser("~"), ".cache", "abiscan")))
    args = ap.parse_args()
    for tool in ("unzip", "scanelf", "readelf", "dpkg-deb", "apt-get"):
        if not shutil.which(tool):
            sys.exit(f"bench: {tool} is missing (apt-get install unzip pax-utils binutils)")
    os.makedirs(args.work, exist_ok=True)
    bundle = build_bundle(args.work, args.cache)
    elves = elf_files(bundle)
    files = sum(len(f) for _, _, f in os.walk(bundle))
    size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(bundle) for f in fs)
    print(f"bundle: {files} files, {len(elves)} ELF, {size >> 20} MiB unzipped, "
          f"{os.path.getsize(bundle + '.zip') >> 20} MiB zipped; {args.runs} runs each\n")
    print("| pair | abiscan | peer | ratio |")
    print("|---|---|---|---|")
    ab = [args.abiscan, "--runtime", "python3.11", "--fail-on", "none"]
    pair("zip: abiscan vs unzip -tq", ab + [bundle + ".zip"], ["unzip", "-tq", bundle + ".zip"],
         args.runs)
    pair("dir: abiscan vs scanelf -qR", ab + [bundle], ["scanelf", "-qR", bundle], args.runs)
    listfile = os.path.join(args.work, "elves.txt")
    with open(listfile, "w") as fh:
        fh.write("\n".join(elves))
    pair("dir: abiscan vs readelf -dV (xargs)", ab + [bundle],
         ["sh", "-c", f"xargs -a {listfile} readelf -dV -W >/dev/null"], args.runs)


if __name__ == "__main__":
    main()
