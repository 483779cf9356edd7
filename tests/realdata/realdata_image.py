#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Container images of real Debian binaries, checked against what readelf says of them.

Usage: realdata_image.py --abiscan BUILD/abiscan --work DIR [--cache DIR]

A python:3.11-slim style image is assembled from Debian 12's own packages (fetched once with
`apt-get download` and cached, as tests/realdata/realdata.py does): its C library, libstdc++,
libgcc_s, Python 3.11, numpy with the BLAS and LAPACK it links (OpenBLAS behind the
alternatives links its maintainer scripts would make), a handler in /var/task, and a module
compiled here against this machine's glibc (arc4random: GLIBC_2.36). Written by
fixtures/tools/mkimage.py as a docker save and as an OCI layout (gzip). Then:
  * abiscan takes the image's target from it (python3.11, x86_64) and finds its own
    libc.so.6, whose highest GLIBC_ version is the one `readelf -V` shows;
  * the image is clean, as Debian's numpy on Debian's glibc is;
  * without the alternatives links, needed-not-found names exactly the modules whose
    DT_NEEDED (readelf -d) lists libblas.so.3 or liblapack.so.3, nothing else;
  * both forms give the same findings.
Prints "ok - ..." / "not ok - ..."; exit 1 when a check failed (label realdata, network).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import realdata as rd  # noqa: E402  (fetching, caching, the results)

MKIMAGE = os.path.join(HERE, "..", "..", "fixtures", "tools", "mkimage.py")
PACKAGES = ["libc6", "libgcc-s1", "libstdc++6", "zlib1g", "libexpat1", "python3.11-minimal",
            "libpython3.11-minimal", "python3-numpy", "libblas3", "liblapack3",
            "libopenblas0-pthread", "libgfortran5", "libquadmath0"]
TRIPLET = "x86_64-linux-gnu"
ALTERNATIVES = {"libblas.so.3": "openblas-pthread/libblas.so.3",
                "liblapack.so.3": "openblas-pthread/liblapack.so.3"}
CONFIG = ["--entrypoint", "/usr/bin/python3.11", "--entrypoint=-m", "--entrypoint", "awslambdaric",
          "--cmd", "app.handler", "--workdir", "/var/task", "--env", "PATH=/usr/bin:/bin",
          "--tag", "realdata-numpy:latest"]


def rootfs(work, debs, alternatives):
    root = os.path.join(work, "rootfs-alt" if alternatives else "rootfs")
    os.makedirs(root)
    for deb in debs:
        p = rd.run(["dpkg-deb", "-x", deb, root])
        if p.returncode != 0:
            raise rd.Fatal("dpkg-deb -x %s: %s" % (deb, rd.text(p.stderr)))
    os.makedirs(os.path.join(root, "var", "task"))
    with open(os.path.join(root, "var", "task", "app.py"), "w") as f:
        f.write("import numpy\n\ndef handler(event, context):\n    return numpy.__version__\n")
    shutil.copy(os.path.join(work, "newmod.cpython-311-x86_64-linux-gnu.so"),
                os.path.join(root, "var", "task"))
    os.makedirs(os.path.join(root, "usr", "lib"), exist_ok=True)
    with open(os.path.join(root, "usr", "lib", "os-release"), "w") as f:
        f.write('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n')
    os.symlink("../usr/lib/os-release", os.path.join(root, "etc", "os-release"))
    if alternatives:  # what libblas3's and liblapack3's postinst make (update-alternatives)
        alt = os.path.join(root, "etc", "alternatives")
        os.makedirs(alt)
        for name, target in ALTERNATIVES.items():
            lib = "/usr/lib/%s/%s" % (TRIPLET, target)
            os.symlink(lib, os.path.join(alt, "%s-%s" % (name, TRIPLET)))
            os.symlink("/etc/alternatives/%s-%s" % (name, TRIPLET),
                       os.path.join(root, "usr", "lib", TRIPLET, name))
    return root


def images(work, root, name):
    out = {}
    for form, path, comp in (("docker-archive", name + ".tar", "none"),
                             ("oci-layout", name + ".oci", "gzip")):
        full = os.path.join(work, path)
        p = rd.run([sys.executable, MKIMAGE, "--out", full, "--form", form,
                    "--layer", "%s=%s" % (root, comp)] + CONFIG)
        if p.returncode != 0:
            raise rd.Fatal("mkimage %s: %s" % (form, rd.text(p.stderr)))
        out[form] = full
    return out


def scan(abiscan, path):
    p = rd.run([abiscan, "--format", "json", path])
    if p.returncode not in (0, 1):
        raise rd.Fatal("abiscan %s: exit %d: %s" % (path, p.returncode, rd.text(p.stderr)))
    return json.loads(p.stdout)


def readelf_highest_glibc(lib):
    p = rd.run(["readelf", "-V", "-W", lib])
    nums = [tuple(int(x) for x in m.split(".")) for m in
            re.findall(r"Name: GLIBC_(\d+\.\d+(?:\.\d+)?)", rd.text(p.stdout))]
    return ".".join(str(x) for x in max(nums)) if nums else None


def readelf_needing(root, sonames):
    """The extension modules under root/usr/lib/python3/dist-packages whose DT_NEEDED lists
    one of sonames (readelf -d), relative to root."""
    out = set()
    base = os.path.join(root, "usr", "lib", "python3", "dist-packages")
    for dirpath, _, files in os.walk(base):
        for f in files:
            if not f.endswith(".so"):
                continue
            path = os.path.join(dirpath, f)
            p = rd.run(["readelf", "-d", "-W", path])
            needed = set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", rd.text(p.stdout)))
            if needed & set(sonames):
                out.add(os.path.relpath(path, root))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--abiscan", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cache", default=None)
    a = ap.parse_args()
    res = rd.Results()
    abiscan = os.path.abspath(a.abiscan)
    work = os.path.abspath(a.work)
    debs_dir = os.path.join(a.cache or rd.default_cache(), "debs")
    try:
        os.makedirs(debs_dir, exist_ok=True)
        rd.fresh_dir(work)
        debs = [rd.fetch(debs_dir, pkg, "amd64", res)[0] for pkg in PACKAGES]
        src = os.path.join(work, "newmod.c")
        with open(src, "w") as f:
            f.write("#include <stdlib.h>\n"
                    "void *PyInit_newmod(void) { return (void *)(long)arc4random(); }\n")
        p = rd.run(["gcc", "-O2", "-shared", "-fPIC", "-o",
                    os.path.join(work, "newmod.cpython-311-x86_64-linux-gnu.so"), src])
        if p.returncode != 0:
            raise rd.Fatal("gcc: %s" % rd.text(p.stderr))
        good = rootfs(work, debs, alternatives=True)
        bare = rootfs(work, debs, alternatives=False)
        libc = os.path.join(good, "lib", TRIPLET, "libc.so.6")
        want_max = readelf_highest_glibc(os.path.realpath(libc))
        reports = {}
        for root, label in ((good, "numpy"), (bare, "numpy-no-alternatives")):
            for form, path in images(work, root, label).items():
                reports[(label, form)] = scan(abiscan, path)
        r = reports[("numpy", "docker-archive")]
        res.check(r["target"]["runtime"] == "python3.11" and r["target"]["arch"] == "x86_64",
                  "the target is the image's: python3.11 x86_64", json.dumps(r["target"]))
        note = r["inputs"][0]["notes"][-1]
        res.check(("up to GLIBC_%s" % want_max) in note and "libc.so.6" in note,
                  "abiscan finds the image's libc.so.6 and its highest version, GLIBC_%s as "
                  "readelf -V says" % want_max, note)
        res.check(not r["findings"], "Debian's numpy on Debian's glibc: clean",
                  rd.short("%s %s" % (f["slug"], f["path"]) for f in r["findings"]))
        bare_r = reports[("numpy-no-alternatives", "docker-archive")]
        got = {f["path"] for f in bare_r["findings"] if f["slug"] == "needed-not-found"}
        want = readelf_needing(bare, ALTERNATIVES.keys())
        others = [f for f in bare_r["findings"] if f["slug"] != "needed-not-found"]
        res.check(got == want and want and not others,
                  "without the alternatives links, needed-not-found is exactly the %d modules "
                  "readelf -d shows needing libblas.so.3 or liblapack.so.3" % len(want),
                  "abiscan %s, readelf %s, others %s" % (rd.short(got), rd.short(want),
                                                          rd.short(f["slug"] for f in others)))
        def same(rep):  # the findings as they do not depend on the input's name
            return [{k: v for k, v in f.items() if k != "input"} for f in rep["findings"]]

        for label in ("numpy", "numpy-no-alternatives"):
            a_, b_ = reports[(label, "docker-archive")], reports[(label, "oci-layout")]
            res.check(same(a_) == same(b_) and a_["target"] == b_["target"],
                      "%s: docker save and OCI layout give the same report" % label)
    except rd.Fatal as e:
        res.check(False, "real-data image test", str(e))
    print("%d passed, %d failed" % (res.passed, res.failed))
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
