#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""handler_imports.py ABISCAN WORK [--pyenv DIR]: the handler checks (handler-not-found,
module-not-found, stdlib-module-removed) against the real importer of each Python.

Each case is a small function tree written here (and, for one, a layer), and a Handler. For
every CPython 3.6-3.13 that pyenv has ($(pyenv root)/versions/3.N.*), the test imports the handler
as Lambda's runtime does (importlib.import_module of the module, "/" read as ".", then getattr
of the function; doc/sources.md#the-handler), isolated (-I -S; 2.7: -E -s -S), with the function's directory
first on sys.path, then the layer's python/, then a directory standing for what the runtime
brings (a stub boto3), and asserts, version by version, that abiscan --runtime pythonX.Y
--handler H reports an error of those rules exactly when the import fails, and that the
module Python names (No module named 'x') is the module abiscan names. Three cases bundle
Debian's own packages (setuptools; jinja2, markupsafe, six, PyYAML), when they are there.
"""
import glob
import json
import os
import py_compile
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "realdata"))
import realdata as rd  # noqa: E402  (the pyenv lookup, shared with the other pyenv tests)

DIST_PACKAGES = "/usr/lib/python3/dist-packages"
SETUPTOOLS = ["setuptools", "_distutils_hack", "pkg_resources"]
RULES = {"handler-not-found", "module-not-found", "stdlib-module-removed"}
HANDLER = "def handler(event, context):\n    return 'ok'\n"

# name: (handler, {path: text} of the function, {path: text} of a layer's python/ or None)
CASES = {
    "module-missing": ("app.handler", {"lambda_function.py": HANDLER}, None),
    "zipped-too-deep": ("app.handler", {"my-function/app.py": HANDLER}, None),
    "other-name": ("app.handler",
                   {"app.py": "def lambda_handler(event, context):\n    return 1\n"}, None),
    "assigned-and-imported": ("app.handler",
                              {"app.py": "from lib import make, other as handler2\n"
                                         "handler = make()\n",
                               "lib.py": "def make():\n    return lambda e, c: 1\n"
                                         "other = 1\n"}, None),
    "class-handler": ("app.handler",
                      {"app.py": "class handler:\n    def __init__(self, e, c):\n"
                                 "        self.r = 1\n"}, None),
    "imported-name": ("app.handler", {"app.py": "from lib import handler\n",
                                      "lib.py": HANDLER}, None),
    "distutils": ("app.handler", {"app.py": "import distutils.util\n" + HANDLER}, None),
    "distutils-guarded": ("app.handler",
                          {"app.py": "try:\n    import distutils.util\nexcept ImportError:\n"
                                     "    distutils = None\n" + HANDLER}, None),
    "distutils-type-checking": ("app.handler",
                                {"app.py": "from typing import TYPE_CHECKING\n"
                                           "if TYPE_CHECKING:\n    import distutils\n"
                                           + HANDLER}, None),
    # setuptools bundled (Debian's copy): its _distutils_hack provides distutils once
    # setuptools is imported, not before (.pth files under /var/task are never read).
    "distutils-after-setuptools": ("app.handler",
                                   {"@copy": SETUPTOOLS,
                                    "app.py": "import setuptools\nimport distutils.util\n"
                                              + HANDLER}, None),
    "distutils-beside-setuptools": ("app.handler",
                                    {"@copy": SETUPTOOLS,
                                     "app.py": "import distutils.util\n" + HANDLER}, None),
    # Real packages (Debian's): their imports, guards and import hooks (six.moves).
    "real-packages": ("app.handler",
                      {"@copy": ["jinja2", "markupsafe", "six.py", "yaml"],
                       "app.py": "import jinja2\nimport yaml\nfrom six.moves import urllib\n"
                                 "from six.moves.urllib.parse import quote\n" + HANDLER},
                      None),
    "imp-in-def": ("app.handler", {"app.py": "def load():\n    import imp\n" + HANDLER}, None),
    "imp-conditional": ("app.handler",
                        {"app.py": "import sys\nif sys.version_info < (3, 12):\n    import imp\n"
                                   "else:\n    import importlib as imp\n" + HANDLER}, None),
    # Version tests run as the target's Python runs them (past/builtins/misc.py: if PY3).
    "imp-if-py3": ("app.handler",
                   {"app.py": "import sys\nPY3 = sys.version_info[0] == 3\nif PY3:\n"
                              "    from imp import reload\n" + HANDLER}, None),
    "imp-elif-chain": ("app.handler",
                       {"app.py": "import sys\nif sys.version_info >= (3, 13):\n    import cgi\n"
                                  "elif sys.version_info[:2] > (3, 10):\n    import imp\n"
                                  "else:\n    import asyncore\n" + HANDLER}, None),
    "imp-not-py2": ("app.handler",
                    {"app.py": "import six\nif not six.PY2:\n    import distutils.util\n"
                               + HANDLER, "six.py": "PY2 = False\n"}, None),
    "imp-through-chain": ("app.handler", {"app.py": "import helpers\n" + HANDLER,
                                          "helpers.py": "'''import nothing'''\nimport imp\n"},
                          None),
    "cgi": ("app.handler", {"app.py": "import cgi\n" + HANDLER}, None),
    "cgi-guarded": ("app.handler",
                    {"app.py": "try:\n    import cgi\nexcept ImportError:\n    cgi = None\n"
                               + HANDLER}, None),
    "cgi-backport": ("app.handler", {"app.py": "import cgi\n" + HANDLER,
                                     "cgi.py": "def parse_header(line):\n    return line\n"},
                     None),
    "telnetlib-elsewhere": ("app.handler", {"app.py": HANDLER,
                                            "tools.py": "import telnetlib\n"}, None),
    "relative-in-package": ("src/api/bookings.lambda_handler",
                            {"src/api/bookings.py": "from . import db\nfrom .db import conn\n"
                                                    "def lambda_handler(e, c):\n    return conn\n",
                             "src/api/db.py": "conn = 1\n"}, None),
    "relative-at-top": ("app.handler", {"app.py": "from .util import x\n" + HANDLER,
                                        "util.py": "x = 1\n"}, None),
    "implicit-relative": ("app.handler", {"app.py": "import pkg\n" + HANDLER,
                                          "pkg/__init__.py": "import helper\n",
                                          "pkg/helper.py": "x = 1\n"}, None),
    "chain-missing": ("app.handler",
                      {"app.py": "import json\nfrom service import db\n" + HANDLER,
                       "service/__init__.py": "",
                       "service/db.py": "import boto3\nimport psycopg2\n"}, None),
    "chain-resolves": ("app.handler",
                       {"app.py": "import boto3\nfrom service import db\nfrom plugins import a\n"
                                  "from plugins import b\n" + HANDLER,
                        "service/__init__.py": "from .db import rows\n",
                        "service/db.py": "import os\nrows = []\n",
                        "plugins/a.py": "A = 1\n"},
                       {"plugins/b.py": "B = 2\n"}),
    "namespace-handler": ("ns/app.handler", {"ns/app.py": HANDLER}, None),
    "module-not-package": ("app.handler", {"app.py": "import util.sub\n" + HANDLER,
                                           "util.py": "x = 1\n"}, None),
    "missing-submodule": ("app.handler", {"app.py": "import service.gone\n" + HANDLER,
                                          "service/__init__.py": ""}, None),
    "pycache-only": ("app.handler", {"__pycache__/app.PYC": HANDLER}, None),
    "sourceless-3.11": ("app.handler", {"app.PYCTOP": HANDLER}, None),
}

REAL = r"""
import importlib, sys
bundle, layer, runtime, handler = sys.argv[1:5]
sys.path[:0] = [p for p in (bundle, layer) if p]
sys.path.append(runtime)
mod, _, fn = handler.rpartition('.')
try:
    m = importlib.import_module(mod.replace('/', '.'))
except SyntaxError as e:
    sys.stdout.write('SKIP %s\n' % e)  # a copy written for newer Pythons: no import's failure
    sys.exit(0)
except Exception as e:
    sys.stdout.write('IMPORT %s %s %s\n' % (type(e).__name__, getattr(e, 'name', None) or '-', e))
    sys.exit(0)
if not hasattr(m, fn):
    sys.stdout.write('MISSING %s\n' % fn)
    sys.exit(0)
sys.stdout.write('OK\n')
"""


def write(root, files, py):
    for path, text in files.items():
        if path == "@copy":
            for d in text:
                if os.path.isdir(os.path.join(DIST_PACKAGES, d)):
                    shutil.copytree(os.path.join(DIST_PACKAGES, d), os.path.join(root, d),
                                    ignore=shutil.ignore_patterns("__pycache__"))
                else:
                    shutil.copy2(os.path.join(DIST_PACKAGES, d), root)
            continue
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if path.endswith(".PYCTOP"):
            # sourceless bytecode of the host's Python 3.11 where the source would be
            src = full[:-7] + ".py"
            with open(src, "w") as f:
                f.write(text)
            py_compile.compile(src, cfile=full[:-7] + ".pyc", doraise=True)
            os.unlink(src)
            continue
        if path.endswith(".PYC"):
            # bytecode of the host's Python 3.11, in __pycache__, without its source
            src = full[:-4] + ".py"
            with open(src, "w") as f:
                f.write(text)
            out = os.path.join(os.path.dirname(full), "app.cpython-311.pyc")
            py_compile.compile(src, cfile=out, doraise=True)
            os.unlink(src)
            continue
        with open(full, "w") as f:
            f.write(text)


def interpreters(pyenv):
    found = {}
    for d in sorted(glob.glob(os.path.join(pyenv, "versions", "[23].*"))):
        m = re.match(r"^([23])\.(\d+)\.\d+$", os.path.basename(d))
        exe = os.path.join(d, "bin", "python")
        if m and ((m.group(1) == "2" and m.group(2) == "7") or 6 <= int(m.group(2)) <= 13) and \
                os.access(exe, os.X_OK):
            found[(int(m.group(1)), int(m.group(2)))] = exe
    return found


def real(py, version, bundle, layer, runtime, handler):
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}
    flags = ["-E", "-s", "-S"] if version[0] == 2 else ["-I", "-S"]
    p = subprocess.run([py] + flags + ["-c", REAL, bundle, layer or "", runtime, handler],
                       capture_output=True, text=True, env=env)
    if p.returncode:
        raise RuntimeError("the import script failed: " + p.stderr.strip())
    return p.stdout.strip()


def abiscan(exe, runtime, handler, bundle, layer):
    cmd = [exe, "--no-config", "-r", runtime, "--handler", handler, "-f", "json", bundle]
    if layer:
        cmd[-1:-1] = ["--layer", layer]
    p = subprocess.run(cmd, capture_output=True, text=True,
                       env=dict(os.environ, SOURCE_DATE_EPOCH="1796083200"))
    if p.returncode not in (0, 1):
        raise RuntimeError("abiscan exit %d: %s" % (p.returncode, p.stderr.strip()))
    return [f for f in json.loads(p.stdout)["findings"]
            if f["slug"] in RULES and f["severity"] == "error"]


def names(finding, module):
    """Whether an error finding names module as the one that is missing."""
    said = " ".join(filter(None, [finding.get("message"), finding.get("lambda_error")]))
    return ("No module named '%s'" % module in said or
            (finding.get("found") or "").startswith("import %s " % module))


def main():
    args = sys.argv[1:]
    pyenv = rd.pyenv_root()
    if "--pyenv" in args:
        i = args.index("--pyenv")
        pyenv = args[i + 1]
        del args[i:i + 2]
    exe, work = args
    pythons = interpreters(pyenv)
    if not pythons:
        print("not ok - no pyenv CPython 2.7, 3.6-3.13 under %s: the machine image carries "
              "them, and they are this test's judge" % pyenv)
        return 1
    shutil.rmtree(work, ignore_errors=True)
    runtime_dir = os.path.join(work, "runtime")
    write(runtime_dir, {"boto3/__init__.py": ""}, None)
    ok = bad = 0
    for name, (handler, files, layer_files) in CASES.items():
        if "@copy" in files and not all(os.path.exists(os.path.join(DIST_PACKAGES, d))
                                        for d in files["@copy"]):
            print("ok - %s: skipped (no %s here)" % (name, " ".join(files["@copy"])))
            continue
        bundle = os.path.join(work, name, "function")
        os.makedirs(bundle)
        write(bundle, files, None)
        layer = None
        if layer_files:
            layer = os.path.join(work, name, "layer")
            write(os.path.join(layer, "python"), layer_files, None)
        row = []
        for version, py in sorted(pythons.items()):
            runtime = "python%d.%d" % version
            said = real(py, version, bundle, os.path.join(layer, "python") if layer else None,
                        runtime_dir, handler)
            if said.startswith("SKIP"):
                row.append("%d.%d skipped (%s)" % (version[0], version[1], said[5:].split(" (")[0]))
                continue
            errors = abiscan(exe, runtime, handler, bundle, layer)
            fails = not said.startswith("OK")
            problems = []
            if fails != bool(errors):
                problems.append("Python: %s; abiscan: %s" % (
                    said, "; ".join(f["slug"] + ": " + f["message"] for f in errors) or
                    "no error"))
            elif said.startswith("IMPORT ModuleNotFoundError"):
                missing = said.split()[2]
                if not any(names(f, missing) for f in errors):
                    problems.append("Python misses %s; abiscan names another: %s" % (
                        missing, "; ".join(f["message"] for f in errors)))
            elif said.startswith("MISSING") and not any(
                    "HandlerNotFound" in (f.get("lambda_error") or "") for f in errors):
                problems.append("Python: %s; abiscan says no HandlerNotFound" % said)
            row.append("%d.%d %s" % (version[0], version[1], "fails" if fails else "imports"))
            if problems:
                print("not ok - %s on %d.%d: %s" % (name, version[0], version[1], "; ".join(problems)))
                bad += 1
            else:
                ok += 1
        print("ok - %s (%s): %s" % (name, handler, ", ".join(row)))
    print("%d passed, %d failed" % (ok, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
