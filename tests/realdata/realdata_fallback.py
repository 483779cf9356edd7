#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""realdata_fallback.py: a fallback through the import chain, on Debian's real PyYAML.

PyYAML's yaml/__init__.py imports .cyaml under `try: ... except ImportError:`, and cyaml.py
imports yaml._yaml (the C extension, linked against libyaml) plainly: when _yaml cannot load,
`import yaml` still works, in pure Python. Debian bookworm's python3-yaml (a CPython 3.11
build) is fetched with apt-get download and cached; its yaml/ package, beside a handler that
imports it, is the bundle. Each case is imported by the real CPython of the runtime, isolated
(-I -S) with the bundle first on sys.path as Lambda's /var/task is, and abiscan must agree:
no error where the import works (and a warning that says the fallback), an error where it
fails.

  3.12-as-shipped   python3.12 (pyenv's) never opens _yaml.cpython-311-*.so: falls back
  3.11-renamed      _yaml renamed to cpython-310, Debian's python3.11: falls back
  3.11-as-shipped   Debian's python3.11 opens _yaml; Lambda's has no libyaml-0.so.2, and the
                    guard catches that too (the host has libyaml: the import works)
  3.12-reraise      __init__.py's handler raises again: the import fails

Usage: realdata_fallback.py --abiscan BIN --work DIR [--cache DIR]
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realdata as rd  # noqa: E402  (helpers only)

GUARD_BODY = "    __with_libyaml__ = False\n"
STATEMENT = ("import handler, yaml; print(yaml.__with_libyaml__, "
             "handler.handler({'a': 1}, None).strip())")
HANDLER = "import yaml\n\n\ndef handler(event, context):\n    return yaml.safe_dump(event)\n"


def imports(py, root):
    env = {k: v for k, v in os.environ.items() if k not in ("LD_LIBRARY_PATH", "PYTHONPATH")}
    p = subprocess.run([py, "-I", "-S", "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                        + STATEMENT, root], capture_output=True, text=True, env=env)
    return p.returncode == 0, (p.stdout.strip() if p.returncode == 0 else
                               (p.stderr.strip().splitlines() or [""])[-1])


def findings(abiscan, root, runtime):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1796083200")
    p = subprocess.run([abiscan, "-r", runtime, "-f", "json", root], capture_output=True,
                       text=True, env=env)
    if p.returncode not in (0, 1):
        raise rd.Fatal("abiscan exit %d on %s: %s" % (p.returncode, root, p.stderr.strip()))
    return json.loads(p.stdout)["findings"]


def bundle(work, name, yaml_dir, rename=None, reraise=False):
    root = os.path.join(work, name)
    shutil.copytree(yaml_dir, os.path.join(root, "yaml"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    with open(os.path.join(root, "handler.py"), "w") as fh:
        fh.write(HANDLER)
    if rename:
        for so in glob.glob(os.path.join(root, "yaml", "_yaml.cpython-311-*.so")):
            os.rename(so, so.replace("cpython-311", rename))
    if reraise:
        init = os.path.join(root, "yaml", "__init__.py")
        with open(init) as fh:
            text = fh.read()
        if GUARD_BODY not in text:
            raise rd.Fatal("yaml/__init__.py has no line %r to make raise" % GUARD_BODY)
        with open(init, "w") as fh:
            fh.write(text.replace(GUARD_BODY, "    raise\n", 1))
    return root


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--abiscan", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cache", default=None)
    args = ap.parse_args()
    work = os.path.abspath(args.work)
    cache = os.path.abspath(args.cache or rd.default_cache())
    res = rd.Results()
    try:
        debs = os.path.join(cache, "debs")
        os.makedirs(debs, exist_ok=True)
        deb, _ = rd.fetch(debs, "python3-yaml", "amd64", res)
        rd.fresh_dir(work)
        unpacked = os.path.join(work, "unpacked")
        p = rd.run(["dpkg-deb", "-x", deb, unpacked])
        if p.returncode != 0:
            raise rd.Fatal("dpkg-deb -x %s failed: %s" % (deb, rd.text(p.stderr)))
        yaml_dir = os.path.join(unpacked, rd.SITE, "yaml")
        if not glob.glob(os.path.join(yaml_dir, "_yaml.cpython-311-*.so")):
            raise rd.Fatal("%s holds no yaml/_yaml.cpython-311-*.so" % deb)
        py311, py312 = "/usr/bin/python3", rd.pyenv_pythons(rd.pyenv_root(), [12])[12][1]
        cases = [
            ("3.12-as-shipped", py312, "python3.12", {}, True),
            ("3.11-renamed", py311, "python3.11", {"rename": "cpython-310"}, True),
            ("3.11-as-shipped", py311, "python3.11", {}, True),
            ("3.12-reraise", py312, "python3.12", {"reraise": True}, False),
        ]
        for name, py, runtime, how, works in cases:
            root = bundle(work, name, yaml_dir, **how)
            ok, said = imports(py, root)
            found = findings(args.abiscan, root, runtime)
            errors = [f for f in found if f["severity"] == "error"]
            said_fallback = [f for f in found if f["severity"] == "warning" and
                             "_yaml" in f["path"] and "catches the ImportError" in f["message"]]
            res.check(ok == works, "%s: %s imports yaml: %s" % (name, runtime, said),
                      "the case was built to %s" % ("work" if works else "fail"))
            if ok:
                res.check(not errors and said_fallback,
                          "%s: abiscan has no error, and a warning naming the fallback" % name,
                          "errors: %s; fallback warnings: %d" % (
                              "; ".join(f["path"] + ": " + f["message"] for f in errors),
                              len(said_fallback)))
            else:
                res.check(any("_yaml" in f["path"] for f in errors),
                          "%s: abiscan has an error on _yaml, as %s fails" % (name, runtime),
                          "findings: %s" % [(f["rule"], f["path"]) for f in found])
    except rd.Fatal as exc:
        res.check(False, "setup", str(exc))
    print("%d passed, %d failed" % (res.passed, res.failed))
    return 0 if res.passed and not res.failed else 1


if __name__ == "__main__":
    sys.exit(main())
