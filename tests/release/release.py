# SPDX-License-Identifier: MIT
"""The release (scripts/release), made once and then proved, one ctest each:

  build         scripts/release into WORK/dist, both archives extracted into WORK/extract
  version       the names in dist/, --version, the .debs, the manual and CHANGELOG.md's newest
                section all say CMakeLists.txt's version; SHA256SUMS holds
  portable      abiscan, the archive's own, checks each extracted archive against Amazon Linux
                2023 (python3.12, x86_64 and arm64): no glibc-too-new, libstdcxx-too-new,
                needed-not-found or arch-mismatch; readelf's highest GLIBC_ need is at most
                the build root's 2.31
  minimal-root  each archive runs the demo scan, and an image scan, in a Debian 12 minbase root
                that has none of abiscan's libraries (aarch64 under qemu-aarch64-static),
                every library but glibc's, libstdc++ and libgcc_s loaded from its lib/

A missing tool (mmdebstrap, unshare, qemu-aarch64-static) is a failure, not a skip."""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time

ARCHES = ("x86_64", "aarch64")  # as the archives name them (uname -m)
DEB_ARCH = {"x86_64": "amd64", "aarch64": "arm64"}
LAMBDA_ARCH = {"x86_64": "x86_64", "aarch64": "arm64"}
# What a glibc system has itself: the archive vendors everything else.
SYSTEM = re.compile(r"/(libc|libm|libdl|libpthread|librt|libutil|libresolv|libanl)\.so\.[0-9]+$"
                    r"|/ld-linux-(x86-64|aarch64)\.so\.[0-9]+$|/libstdc\+\+\.so\.6$|/libgcc_s\.so\.1$")
# The minimal root (scripts/root make ...): Debian 12 minbase, and the arm64 C library (and
# libstdc++, which an arm64 minbase has too) for the aarch64 archive under qemu. gates.py
# runs the aarch64 archive with it too.
MINIMAL_ROOT = ["bookworm", "minbase", "amd64,arm64", "libc6:arm64", "libstdc++6:arm64"]
# abiscan's own libraries: none of them may be in the minimal root.
ABISCAN_PACKAGES = ["libzip4", "libarchive13", "libelf1", "libcjson1", "libyaml-0-2",
                    "libdeflate0", "libxml2", "libicu72"]

failed = 0


def ok(cond, what, detail=""):
    global failed
    print(("ok - " if cond else "not ok - ") + what)
    if not cond:
        failed += 1
        if detail:
            print("\n".join("#   " + line for line in str(detail).splitlines()[-40:]))
    return cond


def version_of(source):
    with open(os.path.join(source, "CMakeLists.txt"), encoding="utf-8") as f:
        m = re.search(r"^project\(abiscan VERSION ([0-9]+\.[0-9]+\.[0-9]+)[ )]", f.read(), re.M)
    if not m:
        sys.exit("no project(abiscan VERSION x.y.z) in CMakeLists.txt")
    return m.group(1)


def tool(name):
    path = shutil.which(name)
    if not path:
        sys.exit(f"not ok - {name} is not installed (scripts/bootstrap installs it)")
    return path


def build(a):
    for name in ("mmdebstrap", "unshare", "tar", "gzip", "sha256sum"):
        tool(name)
    env = dict(os.environ)
    # Portability is what is tested, not the patch level: take the security updates if the
    # mirror serves them (a real release sets yes: scripts/root).
    env.setdefault("ABISCAN_DEBIAN_SECURITY", "auto")
    start = time.monotonic()
    r = subprocess.run([os.path.join(a.source, "scripts/release"), "--out", dist(a),
                        "--work", os.path.join(a.work, "build")], env=env)
    print(f"# scripts/release: {time.monotonic() - start:.0f} s")
    if not ok(r.returncode == 0, "scripts/release"):
        return
    shutil.rmtree(os.path.join(a.work, "extract"), ignore_errors=True)
    v = version_of(a.source)
    for arch in ARCHES:
        into = os.path.join(a.work, "extract", arch)
        os.makedirs(into)
        with tarfile.open(os.path.join(dist(a), f"abiscan-{v}-linux-{arch}.tar.gz")) as t:
            t.extractall(into)
        ok(True, f"extracted the {arch} archive")


def dist(a):
    return os.path.join(a.work, "dist")


def tree(a, arch):
    return os.path.join(a.work, "extract", arch, "abiscan-" + version_of(a.source))


def version(a):
    v = version_of(a.source)
    names = sorted(os.listdir(dist(a)))
    want = sorted([f"abiscan-{v}-linux-x86_64.tar.gz", f"abiscan-{v}-linux-aarch64.tar.gz",
                   f"abiscan_{v}_amd64.deb", f"abiscan_{v}_arm64.deb", "SHA256SUMS"])
    ok(names == want, f"dist/ holds the archives and .debs of {v}, and SHA256SUMS", names)
    sums = {}
    with open(os.path.join(dist(a), "SHA256SUMS"), encoding="utf-8") as f:
        for line in f:
            digest, name = line.split()
            sums[name] = digest
    for name in [n for n in want if n != "SHA256SUMS"]:
        with open(os.path.join(dist(a), name), "rb") as f:
            ok(sums.get(name) == hashlib.sha256(f.read()).hexdigest(), f"SHA256SUMS: {name}")
    for arch in ARCHES:
        with tarfile.open(os.path.join(dist(a), f"abiscan-{v}-linux-{arch}.tar.gz")) as t:
            tops = {m.name.split("/")[0] for m in t.getmembers()}
        ok(tops == {f"abiscan-{v}"}, f"{arch}: one top directory abiscan-{v}/", tops)
        t = tree(a, arch)
        for rel in ("bin/abiscan", "share/abiscan/rules/catalog.json",
                    "share/man/man1/abiscan.1", "share/bash-completion/completions/abiscan"):
            ok(os.path.isfile(os.path.join(t, rel)), f"{arch}: {rel}")
        with open(os.path.join(t, "share/man/man1/abiscan.1"), encoding="utf-8") as f:
            ok(f"\n.Os abiscan {v}\n" in f.read(), f"{arch}: the manual says abiscan {v}")
    r = subprocess.run([os.path.join(tree(a, "x86_64"), "bin/abiscan"), "--version"],
                       capture_output=True, text=True)
    ok(r.stdout == f"abiscan {v}\n", f"x86_64: --version says abiscan {v}", r.stdout + r.stderr)
    for arch, deb in DEB_ARCH.items():
        path = os.path.join(dist(a), f"abiscan_{v}_{deb}.deb")
        fields = {}
        for field in ("Version", "Architecture"):
            r = subprocess.run(["dpkg-deb", "-f", path, field], capture_output=True, text=True)
            fields[field] = r.stdout.strip()
        ok(fields == {"Version": v, "Architecture": deb}, f"{path.rsplit('/', 1)[1]}: {fields}")
    with open(os.path.join(a.source, "CHANGELOG.md"), encoding="utf-8") as f:
        # Keep a Changelog: what is not released yet is under [Unreleased], first; the
        # newest released section is the version CMakeLists.txt says.
        m = re.search(r"^## \[(?!Unreleased\])([^]]+)\]", f.read(), re.M)
    ok(m and m.group(1) == v, f"CHANGELOG.md's newest released section is [{v}]",
       m.group(1) if m else "no ## [x.y.z] section")


def glibc_needs(path):
    """The GLIBC_ versions path needs (readelf's version needs)."""
    r = subprocess.run(["readelf", "-V", "--wide", path], capture_output=True, text=True)
    out = r.stdout.split("Version needs section", 1)
    return set(re.findall(r"Name: GLIBC_([0-9.]+)", out[1])) if len(out) > 1 else set()


def vkey(s):
    return tuple(int(x) for x in s.split("."))


def portable(a):
    abiscan = os.path.join(tree(a, "x86_64"), "bin/abiscan")
    for arch in ARCHES:
        t = tree(a, arch)
        libs = sorted(os.listdir(os.path.join(t, "lib")))
        # The extracted directory as a function: the tree under /var/task/abiscan-V/, on no
        # search path of Lambda's, as it is wherever it is installed; only its own paths
        # (DT_RPATH) can lead ld.so to lib/.
        r = subprocess.run([abiscan, "--no-config", "--runtime", "python3.12", "--arch",
                            LAMBDA_ARCH[arch], "--role", "function", "--format", "json",
                            os.path.dirname(t)], capture_output=True, text=True)
        if not ok(r.returncode in (0, 1), f"{arch}: abiscan ran on the extracted archive",
                  r.stderr):
            continue
        report = json.loads(r.stdout)
        ok(report["target"]["os"] == "Amazon Linux 2023",
           f"{arch}: the target is {report['target']['profile']} on {report['target']['os']}")
        elf = report["inputs"][0]["elf_objects"]
        ok(elf == 1 + len(libs), f"{arch}: {elf} ELF objects read: bin/abiscan and lib/'s {len(libs)}")
        bad = [f for f in report["findings"] if f["slug"] in
               ("glibc-too-new", "libstdcxx-too-new", "needed-not-found", "arch-mismatch")]
        ok(not bad, f"{arch}: no glibc-too-new, libstdcxx-too-new, needed-not-found or "
           "arch-mismatch against Amazon Linux 2023",
           "\n".join(f"{f['path']}: {f['slug']}: {f['message']}" for f in bad))
        needs = set()
        for name in ["bin/abiscan"] + ["lib/" + lib for lib in libs]:
            needs |= glibc_needs(os.path.join(t, name))
        top = max(needs, key=vkey)
        ok(vkey(top) <= (2, 31), f"{arch}: the highest GLIBC_ need of bin/ and lib/ is {top} "
           "(the build root's glibc is 2.31)")
        d = subprocess.run(["readelf", "-d", os.path.join(t, "bin/abiscan")],
                           capture_output=True, text=True).stdout
        ok("(RPATH)" in d and "[$ORIGIN/../lib]" in d and "(RUNPATH)" not in d,
           f"{arch}: bin/abiscan has DT_RPATH $ORIGIN/../lib", d)


def minimal_root(a, qemu):
    tool("mmdebstrap")
    tool("unshare")
    scripts_root = os.path.join(a.source, "scripts/root")
    env = dict(os.environ)
    env.setdefault("ABISCAN_DEBIAN_SECURITY", "auto")
    r = subprocess.run([scripts_root, "make"] + MINIMAL_ROOT, capture_output=True, text=True,
                       env=env)
    if not ok(r.returncode == 0, "a Debian 12 minbase root", r.stderr):
        return
    root = r.stdout.strip()
    r = subprocess.run([scripts_root, "run", root, "dpkg-query", "-W", "-f",
                        "${Package} ${Status}\n"], capture_output=True, text=True)
    installed = {line.split()[0] for line in r.stdout.splitlines() if line.endswith(" installed")}
    ok(r.returncode == 0 and not installed & set(ABISCAN_PACKAGES),
       "the root has none of abiscan's libraries", r.stderr + " ".join(installed & set(ABISCAN_PACKAGES)))
    v = version_of(a.source)
    for arch in ARCHES:
        binds = ["-b", f"{os.path.dirname(tree(a, arch))}:/scratch",
                 "-b", f"{a.fixtures}:/src"]
        run = [f"/scratch/abiscan-{v}/bin/abiscan"]
        if arch == "aarch64":
            binds += ["-b", f"{qemu}:/usr/local/bin/qemu-aarch64-static"]
            run = ["qemu-aarch64-static"] + run
        for what, args, want in (
                ("the demo scan", ["--runtime", "python3.6", "--arch", "x86_64",
                                   "/src/bundles/demo-py35.zip"], 1),
                ("an image scan", ["/src/images/img-clean.tar"], None)):
            r = subprocess.run([scripts_root, "run", root] + binds + ["LD_DEBUG=libs"] + run +
                               ["--no-config", "--color", "never"] + args,
                               capture_output=True, text=True)
            loaded = re.findall(r"calling init: (\S+)", r.stderr)
            stray = [p for p in loaded if not p.startswith(f"/scratch/abiscan-{v}/") and
                     not SYSTEM.search(p)]
            if want is not None:
                ok(r.returncode == want and "[python-tag-mismatch]" in r.stdout,
                   f"{arch}: {what} in the minimal root: exit {want}, python-tag-mismatch",
                   f"exit {r.returncode}\n" + r.stdout + r.stderr)
            else:
                ok(r.returncode in (0, 1), f"{arch}: {what} in the minimal root: exit "
                   f"{r.returncode}", r.stdout + r.stderr)
            lib = "libzip.so" if want else "libarchive.so"
            ok(any(lib in p and p.startswith(f"/scratch/abiscan-{v}/") for p in loaded) and not stray,
               f"{arch}: {what}: {lib} (dlopen) and every library but glibc's from lib/",
               "\n".join(stray or loaded))
        r = subprocess.run([scripts_root, "run", root] + binds + run + ["--version"],
                           capture_output=True, text=True)
        ok(r.stdout == f"abiscan {v}\n", f"{arch}: --version in the minimal root",
           r.stdout + r.stderr)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("step", choices=["build", "version", "portable", "minimal-root"])
    p.add_argument("--source", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--fixtures")
    p.add_argument("--qemu")
    a = p.parse_args()
    if a.step == "build":
        build(a)
    elif a.step == "version":
        version(a)
    elif a.step == "portable":
        portable(a)
    else:
        if not a.qemu or not os.access(a.qemu, os.X_OK):
            sys.exit("not ok - qemu-aarch64-static is not installed (scripts/bootstrap)")
        minimal_root(a, a.qemu)
    print(f"{'passed' if not failed else f'{failed} failed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
