#!/usr/bin/python3
"""The size plan, end to end, each output read by its real consumer.

  1. fixtures/bundles/sizeplan.zip (python3.12): every saving with its exact bytes and files
     (tests/ 4000 in 2, caches 1200 in 2, dist-info 104 in 3, sources 2700 in 3, the copy
     of the vendored library, the stub boto3), the debug bytes per ELF file equal to what
     its strip command saves on a copy, the totals and the verdict; the function's own tests/ is kept;
     sizeplan-clean.zip: no saving at all;
  2. the report validates against rules/schema/report.schema.json (jsonschema);
  3. --report exclude=FILE, applied by zip -r -x@FILE to the tree the fixture was made
     from, gives a bundle abiscan reports exactly `removable` bytes smaller, with no
     finding it did not have before;
  4. --report treemap=FILE.svg: well-formed XML whose root is svg in SVG's namespace
     (xmllint), no script and no external reference, drawn by rsvg-convert into a PNG of
     the size the SVG declares, with a <title> per distribution;
  5. the zip after the plan is what zip -d leaves of it; a directory's zip, estimated, is
     within 2 % of what zip -r makes of it, before and after the exclude list;
  6. what strip saves: the commands the plan prints, run on a copy of nine x86_64 files of
     four toolchains and two arm64 ones, save exactly its bytes; --report strip=FILE holds
     them all; stubs, static libraries, Fortran sources;
  7. a function and two layers: each zip on its own, the shadowed copies as savings, one
     exclude list per zip (--report exclude=DIR/), each applied by zip to its own tree;  8. a container image: its plan against the 10 GiB limit, per layer and per distribution
     under its task root and /opt, its exclude list, its treemap drawn by rsvg-convert;
  9. a directory near and over the 262,144,000-byte limit (sparse files: nothing is
     written to disk): the size-limit finding carries the plan, which says it fits once
     tests/ are left out, or that it is still over and a container image is the way out.

Usage: size.py ABISCAN FIXTURES WORKDIR [RULES_DIR]
"""

import json
import os
import shutil
import struct
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import readelf_strip  # noqa: E402

FAILED = []


def check(cond, what, detail=""):
    print("%s - %s%s" % ("ok" if cond else "not ok", what,
                         "" if cond or not detail else ": %s" % detail))
    if not cond:
        FAILED.append(what)


def run(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300,
                          **kw)


def scan_json(abiscan, path, *extra):
    p = run([abiscan, "--no-config", "--format", "json", *extra, path])
    try:
        return p.returncode, json.loads(p.stdout)
    except ValueError:
        return p.returncode, None


def saving(plan, kind):
    s = plan["savings"][kind]
    return s["bytes"], s["files"]


def items(plan, kind):
    return {i["path"]: i for i in plan["items"] if i["kind"] == kind}


def tree_bytes(root):
    total = 0
    for d, _dirs, files in os.walk(root):
        for f in files:
            total += os.lstat(os.path.join(d, f)).st_size
    return total


def elf_files(root):
    out = []
    for d, _dirs, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    out.append(os.path.relpath(p, root))
    return sorted(out)


def findings_key(report):
    return sorted((f["slug"], f.get("path")) for f in report["findings"])


def stripped(plan, stage, work):
    """{path: bytes saved} by running each debug item's command, as the plan prints it, on a
    copy of its file."""
    out = {}
    shutil.rmtree(work, ignore_errors=True)
    for it in plan["items"]:
        if it["kind"] != "debug":
            continue
        src = os.path.join(stage, it["path"])
        dst = os.path.join(work, it["path"])
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)
        p = run(it["detail"].split() + [it["path"]], cwd=work)
        out[it["path"]] = os.path.getsize(src) - os.path.getsize(dst) if p.returncode == 0 \
            else -1
    return out


def strip_exact(abiscan, fixtures, work):
    """Nine x86_64 ELF files of four toolchains and an arm64 module and library: the plan's
    strip bytes are what the commands it prints save, run on a copy (headers, names and
    padding included), and --report strip=FILE holds every command, a script sh runs."""
    for name, arch, n in (("sizestrip", "x86_64", 9), ("sizestrip-arm64", "arm64", 2)):
        stage = os.path.join(fixtures, "bundles", name)
        script = os.path.join(work, name + "-strip.sh")
        p = run([abiscan, "--no-config", "--format", "json", "--runtime", "python3.12", "--arch",
                 arch, "--size", "--report", "strip=" + script, stage + ".zip"])
        try:
            plan = json.loads(p.stdout)["inputs"][0]["size"]
        except (ValueError, KeyError):
            check(False, "%s: a plan" % name, p.stderr.decode())
            continue
        want = stripped(plan, stage, os.path.join(work, name + "-copies"))
        got = {i["path"]: i["bytes"] for i in plan["items"] if i["kind"] == "debug"}
        check(len(got) == n and got == want,
              "%s: each of the %d strip commands saves what the plan says (%d bytes in all)" %
              (name, n, sum(want.values())), "abiscan %r, strip %r" % (got, want))
        lines = open(script).read().splitlines() if os.path.exists(script) else []
        cmds = [l for l in lines if l and not l.startswith("#") and l != "set -e"]
        check(len(cmds) == n, "%s: --report strip=FILE holds all %d commands" % (name, n),
              lines)
        tree = os.path.join(work, name + "-tree")
        shutil.rmtree(tree, ignore_errors=True)
        shutil.copytree(stage, tree)
        r = run(["sh", script], cwd=tree)
        before, after = tree_bytes(stage), tree_bytes(tree)
        check(r.returncode == 0 and before - after == plan["savings"]["debug"]["bytes"],
              "%s: sh runs the script in a copy of the tree: %d bytes smaller, the plan's debug "
              "bytes" % (name, before - after), r.stderr.decode())
    # The other safe kinds: stubs, a static library and an object file, Fortran and others.
    rc, rep = scan_json(abiscan, os.path.join(fixtures, "bundles", "sizestrip.zip"), "--runtime",
                        "python3.12", "--size")
    plan = rep and rep["inputs"][0].get("size")
    check(plan is not None and saving(plan, "stubs") == (500, 2) and
          saving(plan, "static")[1] == 2 and saving(plan, "sources") == (1700, 4),
          "stubs 500 bytes in 2, static 2 files, Fortran, CUDA and f2py sources 1700 in 4",
          plan and plan["savings"])


def fixture_plan(abiscan, fixtures, validator, work):
    stage = os.path.join(fixtures, "bundles", "sizeplan")
    zpath = stage + ".zip"
    rc, rep = scan_json(abiscan, zpath, "--runtime", "python3.12", "--size")
    check(rep is not None and rc == 0, "sizeplan.zip --size: a JSON report, exit 0",
          "exit %d" % rc)
    if rep is None:
        return None
    plan = rep["inputs"][0].get("size")
    check(plan is not None, "sizeplan.zip: inputs[0].size is there")
    if plan is None:
        return None
    if validator:
        errs = sorted(validator.iter_errors(rep), key=str)
        check(not errs, "sizeplan.zip: the report validates against the schema",
              "; ".join(e.message for e in errs[:3]))
    unzipped = tree_bytes(stage)
    check(plan["unzipped"] == unzipped, "unzipped == %d bytes, the tree's" % unzipped,
          plan["unzipped"])
    check(plan["zipped"] == os.path.getsize(zpath), "zipped == the zip's bytes", plan["zipped"])
    check(saving(plan, "tests") == (4000, 2), "tests: 4000 bytes in 2 files",
          saving(plan, "tests"))
    check(set(items(plan, "tests")) == {"sp/tests/"}, "tests: one tree, sp/tests/ (the "
          "function's own tests/ is kept)", sorted(items(plan, "tests")))
    check(saving(plan, "caches") == (1200, 2), "caches: 1200 bytes in 2 files (cpython-39 "
          "and .opt-1)", saving(plan, "caches"))
    check(saving(plan, "dist-info") == (104, 3), "dist-info: 104 bytes in 3 files",
          saving(plan, "dist-info"))
    check(saving(plan, "sources") == (2700, 3), "sources: 2700 bytes in 3 files",
          saving(plan, "sources"))
    lib = os.path.getsize(os.path.join(stage, "sp.libs", "libdup.so.1"))
    dup = items(plan, "duplicates")
    check(saving(plan, "duplicates") == (lib, 1) and set(dup) == {"vendored.libs/libdup.so.1"},
          "duplicates: the second copy of libdup.so.1, %d bytes" % lib, dup)
    boto = tree_bytes(os.path.join(stage, "boto3")) + \
        tree_bytes(os.path.join(stage, "boto3-1.34.0.dist-info"))
    check(saving(plan, "provided") == (boto, 3), "provided: boto3, %d bytes in 3 files" % boto,
          saving(plan, "provided"))
    # Debug: what the printed strip command really saves, per ELF file, run on a copy (the
    # duplicate copy is not stripped twice); every file readelf -S says has debug sections
    # or a symbol table is among them.
    want = stripped(plan, stage, os.path.join(work, "strip-sizeplan"))
    got = {p: i["bytes"] for p, i in items(plan, "debug").items()}
    has = {rel for rel in elf_files(stage)
           if rel not in dup and sum(readelf_strip.strippable(os.path.join(stage, rel)))}
    check(got == want and set(got) == has,
          "debug: per ELF file, what its strip command saves when run on a copy (%d files, %d "
          "bytes)" % (len(want), sum(want.values())), "abiscan %r, strip %r" % (got, want))
    d, _ = readelf_strip.strippable(os.path.join(stage, "sp",
                                                 "spfast.cpython-312-x86_64-linux-gnu.so"))
    check(d > 0, "the module built with -g has debug sections per readelf (%d bytes)" % d)
    removable = 4000 + 1200 + 104 + 2700
    check(plan["removable"] == removable, "removable == %d" % removable, plan["removable"])
    after = unzipped - removable - sum(want.values())
    check(plan["after"] == after and plan["fits"] and plan["over_by"] == 0,
          "after == %d, fits" % after, (plan["after"], plan["fits"]))
    check(plan["after_choices"] == after - lib - boto, "after_choices takes the choices out",
          plan["after_choices"])
    strip = [i for i in plan["items"] if i["kind"] == "debug"]
    check(all(i["detail"].startswith("strip --strip-unneeded") for i in strip),
          "the strip command is given for each x86_64 file")

    # The directory the zip was made from: the same plan (its copies found by CRC too).
    rc, drep = scan_json(abiscan, stage, "--runtime", "python3.12", "--size")
    dplan = drep and drep["inputs"][0].get("size")
    same = dplan is not None and all(
        dplan[k] == plan[k] for k in ("unzipped", "removable", "after", "after_choices")) and \
        dplan["savings"] == plan["savings"]
    check(same, "the directory's plan is the zip's (savings, totals; duplicates by CRC)",
          dplan and dplan["savings"])

    # Text: the same plan, for people.
    p = run([abiscan, "--no-config", "--runtime", "python3.12", "--size", zpath])
    out = p.stdout.decode()
    check("Size of " in out and "strip --strip-unneeded sp/spfast." in out and
          "sp/tests/  4000 bytes in 2 files" in out and "fits both limits" in out,
          "text --size: the plan, the strip command, the verdict", out[-600:])

    # The clean twin: nothing to save.
    rc, clean = scan_json(abiscan, os.path.join(fixtures, "bundles", "sizeplan-clean.zip"),
                          "--runtime", "python3.12", "--size")
    cp = clean and clean["inputs"][0].get("size")
    check(cp is not None and not cp["items"] and cp["removable"] == 0 and
          all(v["bytes"] == 0 for v in cp["savings"].values()),
          "sizeplan-clean.zip: no saving of any kind", cp and cp["items"])
    # Without --size nor a limit near, no plan: the report stays as it was.
    rc, plain = scan_json(abiscan, zpath, "--runtime", "python3.12")
    check(plain is not None and "size" not in plain["inputs"][0],
          "without --size, a small bundle's report has no plan")
    return rep, plan


def exclude_applied(abiscan, fixtures, work, before):
    stage = os.path.join(fixtures, "bundles", "sizeplan")
    lst = os.path.join(work, "exclude.txt")
    p = run([abiscan, "--no-config", "--runtime", "python3.12", "--report",
             "exclude=" + lst, os.path.join(fixtures, "bundles", "sizeplan.zip")])
    check(p.returncode == 0 and os.path.exists(lst), "--report exclude=FILE writes the list",
          p.stderr.decode())
    if not os.path.exists(lst):
        return
    lines = open(lst).read().splitlines()
    check("sp/tests/*" in lines and "sp/src/helper.c" in lines and
          "tests/test_handler.py" not in lines and "boto3/__init__.py" not in lines,
          "the list: trees as dir/*, files as paths; the function's tests and the choices are "
          "not in it", lines)
    out = os.path.join(work, "smaller.zip")
    z = run(["zip", "-q", "-r", out, ".", "-x@" + lst], cwd=stage)
    check(z.returncode == 0, "zip -r -x@FILE takes the list", z.stderr.decode())
    rc, after = scan_json(abiscan, out, "--runtime", "python3.12", "--size")
    plan = after and after["inputs"][0].get("size")
    check(plan is not None and plan["unzipped"] == before["unzipped"] - before["removable"],
          "the bundle zip makes with it is exactly removable (%d) bytes smaller"
          % before["removable"], plan and plan["unzipped"])
    check(plan is not None and plan["removable"] == 0, "and has nothing left to leave out",
          plan and plan["removable"])
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
    check("tests/test_handler.py" in names and "sp/__init__.py" in names and
          not any(n.startswith("sp/tests/") for n in names),
          "zip kept the function's tests and the package, left sp/tests/ out")
    rc0, rep0 = scan_json(abiscan, os.path.join(fixtures, "bundles", "sizeplan.zip"),
                          "--runtime", "python3.12")
    new = set(findings_key(after)) - set(findings_key(rep0)) if after and rep0 else {"?"}
    check(not new, "no finding the bundle did not have before", sorted(new))


def zipped_after(abiscan, fixtures, work, plan):
    """The zipped half of the verdict, against zip itself: the zip's bytes after the plan are
    what zip -d leaves of it (the members that stay, as they are compressed); a directory's
    estimate is within 2 % of what zip -r makes of it, before and after the exclude list."""
    stage = os.path.join(fixtures, "bundles", "sizeplan")
    lst = os.path.join(work, "exclude.txt")
    up = plan["uploads"][0]
    copy = os.path.join(work, "deleted.zip")
    shutil.copyfile(stage + ".zip", copy)
    z = run(["zip", "-q", "-d", copy] + open(lst).read().splitlines())
    check(z.returncode == 0 and not up["estimated"] and
          up["after"] == os.path.getsize(copy) and plan["zipped"] == up["zipped"] ==
          os.path.getsize(stage + ".zip"),
          "the zip after the plan: %d bytes, what zip -d leaves of it (%d)" %
          (up["after"], os.path.getsize(copy)), z.stderr.decode())
    rc, rep = scan_json(abiscan, stage, "--runtime", "python3.12", "--size")
    dplan = rep and rep["inputs"][0].get("size")
    dup = dplan and dplan["uploads"][0]
    whole, smaller = os.path.join(work, "whole.zip"), os.path.join(work, "smaller-r.zip")
    for out, extra in ((whole, []), (smaller, ["-x@" + lst])):
        if os.path.exists(out):
            os.unlink(out)
        run(["zip", "-q", "-r", out, "."] + extra, cwd=stage)
    for what, got, real in (("before", dup and dup["zipped"], os.path.getsize(whole)),
                            ("after the exclude list", dup and dup["after"],
                             os.path.getsize(smaller))):
        check(dup is not None and dup["estimated"] and abs(got - real) * 50 <= real,
              "the directory's zip %s: about %s bytes, within 2 %% of zip -r's %d" %
              (what, got, real))
    check(dplan is not None and dplan["zipped"] == dup["zipped"] and dplan["verdict"] == "fits",
          "the directory's JSON gives its zip (estimated), not 0; fits both limits",
          dplan and (dplan["zipped"], dplan["verdict"]))


def layers(abiscan, fixtures, work):
    """A function and two layers: each zip weighed on its own, the layer's copy the function
    shadows and the file a later layer extracts over are savings, and --report
    exclude=DIR/ writes one list per zip, each applied by zip to that zip's own tree."""
    names = ("sizelayers-fn", "sizelayers-l1", "sizelayers-l2")
    zips = [os.path.join(fixtures, "bundles", n + ".zip") for n in names]
    lists = os.path.join(work, "lists") + "/"
    shutil.rmtree(lists, ignore_errors=True)
    rep = None
    p = run([abiscan, "--no-config", "--format", "json", "--runtime", "python3.12", "--size",
             "--report", "exclude=" + lists, zips[0], "--layer", zips[1], "--layer", zips[2]])
    try:
        rep = json.loads(p.stdout)
    except ValueError:
        pass
    plan = rep and rep["inputs"][0].get("size")
    check(plan is not None and [u["input"] for u in plan["uploads"]] == zips and
          [u["zipped"] for u in plan["uploads"]] == [os.path.getsize(z) for z in zips],
          "layers: each zip weighed on its own, at its own bytes",
          plan and plan["uploads"])
    if plan is None:
        return
    by = {}
    for it in plan["items"]:
        if sizeplan_removable(plan, it["kind"]):
            by.setdefault(it["input"], 0)
            by[it["input"]] += it["bytes"]
    shadowed = {(i["input"], i["path"]) for i in plan["items"] if i["kind"] == "shadowed"}
    check(shadowed == {(zips[1], "python/shared/"), (zips[1], "python/shared-1.0.dist-info/"),
                       (zips[1], "python/extra/config.py")},
          "layers: layer 1's shared (the function's comes first) and its config.py (layer 2's "
          "is extracted over it) are shadowed", sorted(shadowed))
    dists = sorted((d["name"], d["input"]) for d in plan["distributions"] if d["name"] == "shared")
    check(dists == [("shared", zips[0]), ("shared", zips[1])],
          "layers: shared is listed once per input, each with its input", dists)
    files = sorted(os.listdir(lists)) if os.path.isdir(lists) else []
    check(files == sorted(n + ".zip.exclude" for n in names),
          "exclude=DIR/: one list per zip", files)
    for k, (name, z) in enumerate(zip(names, zips)):
        lst = os.path.join(lists, name + ".zip.exclude")
        if not os.path.exists(lst):
            continue
        pats = open(lst).read().splitlines()
        # zip -d on a copy: the members that stay, as they are compressed.
        copy = os.path.join(work, name + "-deleted.zip")
        shutil.copyfile(z, copy)
        if pats:
            run(["zip", "-q", "-d", copy] + pats)
        check(os.path.getsize(copy) == plan["uploads"][k]["after"],
              "%s: after the plan %d bytes zipped, what zip -d leaves (%d)" %
              (name, plan["uploads"][k]["after"], os.path.getsize(copy)))
        # zip -r from its own tree with its own list: smaller by its own removable bytes.
        out = os.path.join(work, name + "-rebuilt.zip")
        if os.path.exists(out):
            os.unlink(out)
        run(["zip", "-q", "-r", out, ".", "-x@" + lst],
            cwd=os.path.join(fixtures, "bundles", name))
        with zipfile.ZipFile(z) as a, zipfile.ZipFile(out) as b:
            before = sum(i.file_size for i in a.infolist())
            after = sum(i.file_size for i in b.infolist())
        check(before - after == by.get(z, 0),
              "%s: rebuilt by zip -r -x@%s.zip.exclude, %d bytes smaller: its own removable bytes"
              % (name, name, before - after))
    rebuilt = [os.path.join(work, n + "-rebuilt.zip") for n in names]
    p = run([abiscan, "--no-config", "--format", "json", "--runtime", "python3.12", "--size",
             rebuilt[0], "--layer", rebuilt[1], "--layer", rebuilt[2]])
    try:
        ap = json.loads(p.stdout)["inputs"][0].get("size")
    except ValueError:
        ap = None
    check(ap is not None and ap["removable"] == 0 and
          ap["unzipped"] == plan["unzipped"] - plan["removable"],
          "layers rebuilt: nothing left to leave out, %d bytes unzipped" %
          (plan["unzipped"] - plan["removable"]), ap and (ap["removable"], ap["unzipped"]))
    # One list for several inputs: each line carries its input.
    one = os.path.join(work, "one.txt")
    run([abiscan, "--no-config", "--runtime", "python3.12", "--report", "exclude=" + one,
         zips[0], "--layer", zips[1], "--layer", zips[2]])
    lines = open(one).read().splitlines() if os.path.exists(one) else []
    check(lines and all(l.split("\t", 1)[0] in zips for l in lines) and
          "%s\tpython/shared/*" % zips[1] in lines,
          "exclude=FILE with several inputs: each line is its input, a tab, its path", lines)


def image_plan(abiscan, fixtures, work):
    """--size on a container image: its plan against the image limit, bytes per layer and per
    distribution under the task root and /opt; the exclude list holds what need not be
    copied (from the image's root); the treemap draws it (rsvg-convert)."""
    img = os.path.join(fixtures, "images", "img-size.tar")
    svg, lst = os.path.join(work, "image.svg"), os.path.join(work, "image-exclude.txt")
    p = run([abiscan, "--no-config", "--format", "json", "--size", "--report", "treemap=" + svg,
             "--report", "exclude=" + lst, img])
    try:
        plan = json.loads(p.stdout)["inputs"][0]["size"]
    except (ValueError, KeyError):
        plan = None
    check(plan is not None and plan["image"] is not None and plan["limit"] == 10737418240 and
          sum(plan["image"]["layers"]) == plan["unzipped"] and len(plan["image"]["layers"]) == 3,
          "image: its 3 layers' bytes against the 10 GiB image limit",
          plan and (plan["image"], plan["limit"], plan["unzipped"]))
    if plan is None:
        return
    names = {d["name"] for d in plan["distributions"] if not d["rest"]}
    check(names == {"szpkg", "optpkg", "app"} and
          sum(d["bytes"] for d in plan["distributions"]) == plan["unzipped"],
          "image: the distributions under the task root and /opt, the rest of the image apart",
          sorted(names))
    lines = open(lst).read().splitlines() if os.path.exists(lst) else []
    check(set(lines) == {"var/task/szpkg/tests/*", "opt/python/optpkg/tests/*",
                         "var/task/szpkg/__pycache__/__init__.cpython-39.pyc",
                         "var/task/szpkg-1.0.dist-info/INSTALLER", "var/task/szpkg/src/fast.c"},
          "image: the exclude list holds what need not be copied, from the image's root", lines)
    r = run(["rsvg-convert", "-o", svg + ".png", svg]) if os.path.exists(svg) else None
    texts = svg_texts(svg, "text") if os.path.exists(svg) else []
    check(r is not None and r.returncode == 0 and any("szpkg" in t for t in texts) and
          any("(the rest of the image)" in t for t in texts),
          "image: rsvg-convert draws its treemap, its distributions and the rest of the image")


def sizeplan_removable(plan, kind):
    return plan["savings"][kind]["removable"]


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def treemap(abiscan, fixtures, work):
    svg = os.path.join(work, "treemap.svg")
    png = os.path.join(work, "treemap.png")
    p = run([abiscan, "--no-config", "--runtime", "python3.12", "--report", "treemap=" + svg,
             os.path.join(fixtures, "bundles", "sizeplan.zip")])
    check(p.returncode == 0 and os.path.exists(svg), "--report treemap=FILE.svg writes it",
          p.stderr.decode())
    if not os.path.exists(svg):
        return
    x = run(["xmllint", "--noout", svg])
    check(x.returncode == 0, "xmllint: well-formed XML", x.stderr.decode())
    ns = run(["xmllint", "--xpath",
              "count(/*[local-name()='svg' and namespace-uri()='http://www.w3.org/2000/svg'])",
              svg])
    check(ns.stdout.decode().strip() == "1", "xmllint: the root is svg in SVG's namespace",
          ns.stdout.decode() + ns.stderr.decode())
    titles = run(["xmllint", "--xpath", "count(//*[local-name()='title'])", svg])
    n = int(float(titles.stdout.decode().strip() or 0))
    check(n >= 4, "a <title> per rectangle (%d)" % n)
    body = open(svg, encoding="utf-8").read()
    check("<script" not in body and "href" not in body and "@import" not in body and
          "url(http" not in body, "no script, no external reference")
    width = run(["xmllint", "--xpath", "string(/*/@width)", svg]).stdout.decode().strip()
    height = run(["xmllint", "--xpath", "string(/*/@height)", svg]).stdout.decode().strip()
    r = run(["rsvg-convert", "-o", png, svg])
    check(r.returncode == 0 and not r.stderr, "rsvg-convert draws it without a word",
          r.stderr.decode())
    size = png_size(png) if os.path.exists(png) else None
    check(size is not None and size == (int(width), int(height)),
          "the PNG is %sx%s, the size the SVG declares" % (width, height), size)
    picture_words(abiscan, fixtures, work, svg)
    limit_drawn(abiscan, work)


def svg_texts(svg, tag):
    """The text of every <tag> of the SVG, as xmllint reads it."""
    import xml.etree.ElementTree as ET
    ns = "{http://www.w3.org/2000/svg}"
    return ["".join(e.itertext()) for e in ET.parse(svg).iter(ns + tag)]


def picture_words(abiscan, fixtures, work, svg):
    """The treemap and the text agree: each distribution's tooltip says what its text line
    says; sizes are written on the rectangles; a legend; the limits drawn; a title that
    says a bundle that fits already does."""
    t = run([abiscan, "--no-config", "--runtime", "python3.12", "--size",
             os.path.join(fixtures, "bundles", "sizeplan.zip")]).stdout.decode()
    lines = t.split("  by distribution:\n", 1)[-1].split("  savings:", 1)[0].splitlines()
    text = dict(l.strip().split("  ", 1) for l in lines if "  " in l.strip())
    titles = svg_texts(svg, "title")
    tips = dict(x.split(": ", 1) for x in titles if x.split(": ", 1)[0] in text)
    check(text and set(tips) == set(text) and
          all(tips[k] == text[k].replace(" bytes in", " bytes in", 1) for k in text),
          "each distribution's tooltip says what the text says of it (%d)" % len(text),
          "text %r, tooltips %r" % (text, tips))
    written = svg_texts(svg, "text")
    check(any(w.endswith((" KiB", " bytes")) for w in written) and "sp/include" in written and
          "sp/__pycache__" in written,
          "sizes written on the rectangles, directory names whole where there is room",
          written[:30])
    check("hatched: can be left out or stripped" in written and "Lambda's limit" in written,
          "a legend says what the marks mean", written[-8:])
    body = open(svg, encoding="utf-8").read()
    check(body.count('stroke="#c00000" stroke-width="2"/>') >= 3,
          "the limits are drawn: a red line on each gauge (and the legend's)")
    check("fits both limits already" in written[0] and "then it fits" not in body,
          "the title says a bundle that fits already does", written[0])


def limit_drawn(abiscan, work):
    """A bundle at 4 % of the unzipped limit and one at 122 % do not look the same: the
    second's gauge has the bytes over the limit in red. Sparse files: nothing written."""
    drawn = {}
    for name, files in (("at-4", (("pkg/data.bin", 9000000), ("pkg/tests/t.bin", 1500000))),
                        ("at-122", (("big/data.bin", 300000000), ("big/tests/t.bin", 10000000),
                                    ("other/x.bin", 10000000)))):
        root = os.path.join(work, name)
        shutil.rmtree(root, ignore_errors=True)
        for rel, n in files:
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "wb") as f:
                f.truncate(n)
        open(os.path.join(root, "lambda_function.py"), "w").write("import pkg\n")
        svg, png = root + ".svg", root + ".png"
        run([abiscan, "--no-config", "--runtime", "python3.12", "--report", "treemap=" + svg,
             root])
        r = run(["rsvg-convert", "-o", png, svg]) if os.path.exists(svg) else None
        check(r is not None and r.returncode == 0, "%s: rsvg-convert draws it" % name)
        drawn[name] = svg_texts(svg, "title") if os.path.exists(svg) else []
    over = [t for t in drawn["at-122"] if t.endswith("bytes over the limit after the plan")]
    check(over and not any("over the limit" in t for t in drawn["at-4"]) and
          any("122 %" in t for t in svg_texts(os.path.join(work, "at-122.svg"), "text")),
          "4 % and 122 %: only the second has bytes over the limit, drawn in red", over)


def near_limit(abiscan, work):
    # 1. Over the limit by tests/ only: the plan says it fits once they are left out.
    for name, data, tests, fits in (("over-by-tests", 200000000, 70000000, True),
                                   ("over-anyway", 280000000, 1000000, False)):
        root = os.path.join(work, name)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(os.path.join(root, "big", "tests"))
        open(os.path.join(root, "lambda_function.py"), "w").write("import big\n")
        open(os.path.join(root, "big", "__init__.py"), "w").write("")
        for rel, n in (("big/data.bin", data), ("big/tests/blob.bin", tests)):
            with open(os.path.join(root, rel), "wb") as f:
                f.truncate(n)  # sparse: nothing written
        rc, rep = scan_json(abiscan, root, "--runtime", "python3.12")
        sl = [f for f in (rep or {}).get("findings", []) if f["slug"] == "size-limit"]
        check(rc == 1 and sl and "size plan:" in sl[0]["message"],
              "%s: a size-limit error whose message carries the plan" % name,
              [f.get("message") for f in sl])
        plan = rep and rep["inputs"][0].get("size")
        # Without --size a directory's zip is not estimated (that reads every file whole):
        # within the unzipped limit, the verdict says its zip is not known.
        verdict = "upload-unknown" if fits else "over-unzipped"
        check(plan is not None and plan["savings"]["tests"]["bytes"] == tests and
              plan["verdict"] == verdict and (plan["over_by"] == 0) == fits,
              "%s: the plan comes with the finding, tests %d bytes, %s" %
              (name, tests, "within the unzipped limit after" if fits else "still over"),
              plan and (plan["savings"]["tests"], plan["verdict"]))
        t = run([abiscan, "--no-config", "--runtime", "python3.12", root]).stdout.decode()
        want = "fits unzipped; the zip's bytes are not known" if fits else \
            "a container image does"
        check(want in t, "%s: the text says '%s'" % (name, want), t[-400:])
        md = run([abiscan, "--no-config", "--runtime", "python3.12", "--format", "markdown",
                  root]).stdout.decode()
        want = "within the unzipped limit;" if fits else "still over the unzipped limit."
        check("**Size**: " in md and want in md,
              "%s: the step summary says the size and '%s'" % (name, want), md[-400:])


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    abiscan, fixtures, work = (os.path.abspath(a) for a in sys.argv[1:4])
    rules = sys.argv[4] if len(sys.argv) > 4 else os.path.join(
        os.path.dirname(__file__), "..", "..", "rules")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    from jsonschema import Draft202012Validator
    with open(os.path.join(rules, "schema", "report.schema.json")) as f:
        validator = Draft202012Validator(json.load(f))
    got = fixture_plan(abiscan, fixtures, validator, work)
    if got:
        exclude_applied(abiscan, fixtures, work, got[1])
        zipped_after(abiscan, fixtures, work, got[1])
    layers(abiscan, fixtures, work)
    strip_exact(abiscan, fixtures, work)
    image_plan(abiscan, fixtures, work)
    treemap(abiscan, fixtures, work)
    near_limit(abiscan, work)
    print("%d failed" % len(FAILED))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
