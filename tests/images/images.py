#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The fixture images are images a real tool accepts, and abiscan reads them as it does.

Usage: images.py ABISCAN FIXTURES WORK [--skopeo PATH]

For every image tests/../fixtures/images.cmake builds (BUILD/fixtures/images):
  * Debian's skopeo reads it (`skopeo inspect` through the transport of its form:
    oci:DIR, oci-archive:FILE, docker-archive:FILE), and what abiscan says of it (the
    platform and the number of layers, in the input's notes) is what skopeo says;
  * an index of several platforms: skopeo's --override-arch picks the same image
    abiscan's --platform picks;
  * converted by skopeo into the other forms (oci:DIR to docker-archive:FILE, the
    archives to oci:DIR), the image gives abiscan the same target, findings and
    summary: the report does not depend on the form, nor on who wrote it.
skopeo 1.9 refuses to write zstd layers into a docker archive ("zstd compression is not
supported for docker images"): those images are converted to oci-archive instead.
Prints "ok - ..." / "not ok - ..." and exits 1 when anything failed.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys

POLICY = {"default": [{"type": "insecureAcceptAnything"}]}


def transport(path):
    if os.path.isdir(path):
        return "oci:" + path
    if path.endswith(".oci.tar"):
        return "oci-archive:" + path
    return "docker-archive:" + path


class Run:
    def __init__(self, a):
        self.abiscan, self.skopeo, self.work = a.abiscan, a.skopeo, a.work
        self.failed = 0
        self.policy = os.path.join(self.work, "policy.json")
        with open(self.policy, "w") as f:
            json.dump(POLICY, f)

    def ok(self, cond, what, why=""):
        print(("ok - " if cond else "not ok - ") + what + ("" if cond else ": " + why))
        self.failed += not cond

    def skopeo_run(self, *args):
        # A policy of our own: the host's /etc/containers may say anything, or nothing.
        return subprocess.run([self.skopeo, "--policy", self.policy, *args],
                              capture_output=True, text=True, timeout=120)

    def scan(self, path, *args):
        r = subprocess.run([self.abiscan, "--format", "json", *args, path], capture_output=True,
                           text=True, timeout=120, cwd=self.work)
        if r.returncode not in (0, 1):
            return None, r.stderr.strip()
        return json.loads(r.stdout), None


def essence(report):
    """What must not depend on the form: the target, the findings, the summary."""
    findings = [{k: f[k] for k in ("rule", "path", "severity", "expected", "found", "message")}
                for f in report["findings"]]
    return {"target": report["target"], "findings": findings, "summary": report["summary"]}


def notes_platform(report):
    note = report["inputs"][0]["notes"][-1]
    head = note.split(":")[0]  # "linux/amd64 image fn-clean:latest"
    layers = int(note.split(": ", 1)[1].split(" layer")[0])
    return head.split(" ")[0], layers


def check_inspect(t, path, name):
    r = t.skopeo_run("inspect", transport(path))
    if r.returncode != 0:
        t.ok(False, "skopeo inspect %s" % name, r.stderr.strip())
        return
    info = json.loads(r.stdout)
    report, err = t.scan(path)
    if report is None:
        t.ok(False, "abiscan reads %s" % name, err)
        return
    platform, layers = notes_platform(report)
    want = "%s/%s" % (info["Os"], info["Architecture"])
    t.ok(platform == want and layers == len(info["Layers"]),
         "skopeo inspect %s: %s, %d layer(s), as abiscan says" % (name, want, len(info["Layers"])),
         "abiscan says %s, %d layers" % (platform, layers))


def check_convert(t, path, name):
    base, err = t.scan(path)
    if base is None:
        t.ok(False, "abiscan reads %s" % name, err)
        return
    out = os.path.join(t.work, "converted", name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    targets = []
    if os.path.isdir(path):
        zstd = any("zstd" in l.get("mediaType", "") for l in layers_of_layout(path))
        if not zstd:
            targets.append(("docker-archive:" + os.path.join(out, "image.tar") + ":fn:latest",
                            os.path.join(out, "image.tar")))
        targets.append(("oci-archive:" + os.path.join(out, "image.oci.tar"),
                        os.path.join(out, "image.oci.tar")))
    else:
        targets.append(("oci:" + os.path.join(out, "layout"), os.path.join(out, "layout")))
    for dest, result in targets:
        r = t.skopeo_run("copy", "-q", transport(path), dest)
        if r.returncode != 0:
            t.ok(False, "skopeo copy %s %s" % (name, dest.split(":")[0]), r.stderr.strip())
            continue
        again, err = t.scan(result)
        t.ok(again is not None and essence(again) == essence(base),
             "%s converted by skopeo to %s: the same report" % (name, dest.split(":")[0]),
             err or json.dumps(essence(again), sort_keys=True)[:600])


def layers_of_layout(path):
    with open(os.path.join(path, "index.json")) as f:
        index = json.load(f)
    out = []
    for m in index["manifests"]:
        with open(os.path.join(path, "blobs", "sha256", m["digest"][7:])) as f:
            out += json.load(f).get("layers", [])
    return out


def check_platforms(t, path, name):
    for arch, platform in (("amd64", "linux/amd64"), ("arm64", "linux/arm64")):
        r = t.skopeo_run("--override-arch", arch, "inspect", transport(path))
        report, err = t.scan(path, "--platform", platform)
        if r.returncode != 0 or report is None:
            t.ok(False, "%s --platform %s" % (name, platform), r.stderr.strip() or err)
            continue
        info = json.loads(r.stdout)
        got, layers = notes_platform(report)
        t.ok(got == platform and info["Architecture"] == arch and layers == len(info["Layers"]),
             "%s: skopeo --override-arch %s and abiscan --platform %s pick the same image"
             % (name, arch, platform), "abiscan picked %s" % got)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("abiscan")
    ap.add_argument("fixtures")
    ap.add_argument("work")
    ap.add_argument("--skopeo", default=shutil.which("skopeo"))
    a = ap.parse_args()
    a.abiscan = os.path.abspath(a.abiscan)
    a.fixtures = os.path.abspath(a.fixtures)
    a.work = os.path.abspath(a.work)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    t = Run(a)
    if not a.skopeo:
        t.ok(False, "skopeo", "not found (Debian's skopeo, scripts/bootstrap)")
        return 1
    images = os.path.join(a.fixtures, "images")
    names = sorted(n for n in os.listdir(images) if n.startswith("img-")
                   and (n.endswith(".tar") or n.endswith(".oci")))
    t.ok(len(names) >= 10, "the fixture images are there (%d)" % len(names))
    groups = {}
    for n in names:
        path = os.path.join(images, n)
        check_inspect(t, path, n)
        check_convert(t, path, n)
        if n.startswith("img-multiarch"):
            check_platforms(t, path, n)
        report, _ = t.scan(path)
        if report is not None:
            groups.setdefault(n.split(".")[0].replace("-legacy", ""), []).append(
                (n, essence(report)))
    for image, forms in sorted(groups.items()):
        t.ok(all(e == forms[0][1] for _, e in forms),
             "%s: every form gives the same report (%s)" % (image, ", ".join(n for n, _ in forms)),
             "they differ")
    print("%d failed" % t.failed)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
