#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Real-data test: one cause, one fix, on Debian bookworm's numpy, scipy and pandas zipped for
python3.9 (a bundle built with CPython 3.11 on Debian 12: 180 extension modules).

What it proves, against what the files and the real consumers say:
 1. the text report opens with the bundle's name and how it was built, then its causes, and
    is under 40 lines; the first cause is "built for CPython 3.11", and its fix is one line
    that `sh -n` parses and that pip itself accepts (pip 23's `install --dry-run` with every
    flag of it, on an empty requirements file: a flag pip does not know is exit 2);
 2. JSON: every finding is in exactly one cause (the ids partition them), every
    python-tag-mismatch finding is in the CPython 3.11 cause, and every .cpython-311-*.so of
    the bundle is one of them; every cause's fix command passes `sh -n`;
 3. with uv.lock beside the bundle the same cause's fix is uv's, one --python-platform;
 4. GitHub: at most ten ::error lines;
 5. Markdown: cmark-gfm renders the cause table, each fix in a code block.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realdata as rd  # noqa: E402

PACKAGES = ("python3-numpy", "python3-scipy", "python3-pandas", "python3-pandas-lib")
RUNTIME = "python3.9"


def bundle(work, debs):
    """The packages' dist-packages in one root (pandas and pandas-lib share pandas/: unpacked
    into one tree, as apt installs them)."""
    unpacked = os.path.join(work, "unpacked")
    for _, deb in debs:
        p = rd.run(["dpkg-deb", "-x", deb, unpacked])
        if p.returncode != 0:
            raise rd.Fatal("dpkg-deb -x %s failed: %s" % (deb, rd.text(p.stderr)))
    root = os.path.join(work, "bundle")
    os.rename(os.path.join(unpacked, rd.SITE), root)
    return root


def abiscan(exe, args, cwd=None):
    return subprocess.run([exe, "--no-config", "--runtime", RUNTIME] + args, cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def sh_n(command):
    return subprocess.run(["sh", "-n", "-c", command], capture_output=True).returncode == 0


def pip_accepts(python, command, work):
    """Whether pip parses every flag of a `pip install ... -r requirements.txt` command: run
    with --dry-run on an empty requirements file (nothing to fetch), a usage error is exit 2."""
    d = os.path.join(work, "pip")
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "requirements.txt"), "w").close()
    words = command.split()
    if words[:2] != ["pip", "install"]:
        return False, "not a pip install command"
    p = subprocess.run([python, "-m", "pip"] + words[1:] + ["--dry-run", "--no-index", "-q"],
                       cwd=d, capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1"))
    return p.returncode == 0, (p.stderr or p.stdout).strip()[-300:]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--abiscan", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cache", default=None)
    args = ap.parse_args()
    args.abiscan = os.path.abspath(args.abiscan)
    work = os.path.abspath(args.work)
    cache = os.path.abspath(args.cache or rd.default_cache())
    res = rd.Results()
    try:
        debs_dir = os.path.join(cache, "debs")
        os.makedirs(debs_dir, exist_ok=True)
        debs = [(pkg, rd.fetch(debs_dir, pkg, "amd64" if pkg != "python3-pandas" else "all",
                               res)[0]) for pkg in PACKAGES]
        rd.fresh_dir(work)
        root = bundle(work, debs)
        project = os.path.join(work, "project")
        os.makedirs(project)
        zpath = os.path.join(project, "function.zip")
        rd.make_zip(root, zpath)
        python = rd.pyenv_pythons(rd.pyenv_root(), [11])[11][1]
        modules = sorted(rel for rel in rd.bundle_files(root)
                         if re.search(r"\.cpython-311-x86_64-linux-gnu\.so$", rel))
        res.note("%d .cpython-311 modules in the bundle" % len(modules))

        # 1. The text report.
        p = abiscan(args.abiscan, [zpath], cwd=project)
        lines = p.stdout.splitlines()
        res.check(p.returncode == 1, "text: exit 1 (errors at --fail-on error)",
                  "exit %d: %s" % (p.returncode, p.stderr[-200:]))
        res.check(len(lines) < 40, "text: %d lines, under 40" % len(lines), p.stdout[-2000:])
        res.check(len(lines) > 3 and lines[0] == zpath and
                  lines[1].strip().startswith("built for CPython 3.11 (%d modules)" % len(modules)),
                  "text: opens with the bundle and how it was built (CPython 3.11, %d modules)"
                  % len(modules), repr(lines[:2]))
        first = next((i for i, x in enumerate(lines) if re.match(r"^(1\. )?built for CPython 3\.11; "
                                                                r"target python3\.9", x)), None)
        res.check(first is not None and first < 8,
                  "text: its causes come next, the CPython 3.11 one first", repr(lines[:8]))
        fixes = [x[len("  fix: "):] for x in lines if x.startswith("  fix: ")]
        rebuild = next((f for f in fixes if f.startswith("pip install") and "-r requirements.txt"
                        in f), None)
        res.check(rebuild is not None and "--python-version 3.9" in rebuild and
                  rebuild.count("pip install") == 1,
                  "text: one rebuild command for the whole bundle, for Python 3.9", repr(fixes))
        if rebuild:
            res.check(sh_n(rebuild), "text: the rebuild command passes sh -n", rebuild)
            ok, said = pip_accepts(python, rebuild, work)
            res.check(ok, "pip %s accepts every flag of the rebuild command (--dry-run)"
                      % os.path.basename(os.path.dirname(os.path.dirname(python))), said)

        # 2. The JSON report.
        p = abiscan(args.abiscan, ["--format", "json", zpath], cwd=project)
        rep = json.loads(p.stdout)
        ids = sorted(i for c in rep["causes"] for i in c["findings"])
        res.check(ids == list(range(len(rep["findings"]))) and
                  all(f["id"] == n for n, f in enumerate(rep["findings"])),
                  "json: every finding is in exactly one cause (%d findings, %d causes)"
                  % (len(rep["findings"]), len(rep["causes"])), "ids %r" % ids[:20])
        res.check(all(rep["causes"][f["cause"]]["findings"].count(f["id"]) == 1
                      for f in rep["findings"]),
                  "json: each finding's cause lists it", "")
        py311 = [c for c in rep["causes"] if c["key"] == "python:3.11"]
        tagged = {f["path"] for f in rep["findings"] if f["slug"] == "python-tag-mismatch"}
        res.check(len(py311) == 1 and {rep["findings"][i]["path"] for i in py311[0]["findings"]}
                  == tagged == set(modules),
                  "json: the CPython 3.11 cause holds every python-tag-mismatch finding, one per "
                  ".cpython-311 module of the bundle", "%d in the cause, %d tagged, %d modules"
                  % (len(py311[0]["findings"]) if py311 else -1, len(tagged), len(modules)))
        bad = [c["fix"]["command"] for c in rep["causes"]
               if c["fix"]["command"] and not sh_n(c["fix"]["command"])]
        res.check(not bad, "json: every cause's fix command passes sh -n", repr(bad[:2]))

        # 3. uv.lock beside the bundle: uv's command, one platform flag.
        open(os.path.join(project, "uv.lock"), "w").close()
        p = abiscan(args.abiscan, ["--format", "json", zpath], cwd=project)
        fix = next((c["fix"] for c in json.loads(p.stdout)["causes"]
                    if c["key"] == "python:3.11"), {})
        cmd = fix.get("command") or ""
        res.check(cmd.startswith("uv export ") and "uv pip install --python-platform "
                  "x86_64-manylinux_2_26 --python-version 3.9" in cmd and sh_n(cmd) and
                  "uv.lock" in (fix.get("note") or ""),
                  "uv.lock beside the bundle: the rebuild is uv's, and says why", repr(fix))
        os.unlink(os.path.join(project, "uv.lock"))

        # 4. GitHub: one annotation per cause, within GitHub's ten per step.
        p = abiscan(args.abiscan, ["--format", "github", zpath], cwd=project)
        errors = [x for x in p.stdout.splitlines() if x.startswith("::error ")]
        res.check(1 <= len(errors) <= 10, "github: %d ::error lines (at most ten)" % len(errors),
                  p.stdout[:500])

        # 5. Markdown: the causes as cmark-gfm renders them.
        p = abiscan(args.abiscan, ["--format", "markdown", zpath], cwd=project)
        cmark = shutil.which("cmark-gfm")
        if res.check(cmark is not None, "cmark-gfm is installed (scripts/bootstrap)"):
            html = subprocess.run([cmark, "-e", "table"], input=p.stdout, capture_output=True,
                                  text=True).stdout
            res.check("built for CPython 3.11; target python3.9" in html.replace("&quot;", '"')
                      and "<pre><code class=\"language-sh\">pip install" in html,
                      "markdown: the cause table, and the rebuild in a code block", html[:300])
    except rd.Fatal as exc:
        res.check(False, "setup", str(exc))
    print("%d passed, %d failed" % (res.passed, res.failed))
    return 0 if res.passed and not res.failed else 1


if __name__ == "__main__":
    sys.exit(main())
