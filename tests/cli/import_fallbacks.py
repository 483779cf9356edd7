#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""import_fallbacks.py ABISCAN WORK: abiscan's import model (model/imports.h) against the real
importer.

Small packages are compiled here (gcc, Python.h from Debian's python3-dev), each into its own
bundle directory, and imported by the host's Debian CPython 3.11 (/usr/bin/python3) with the
bundle as sys.path[0], as Lambda imports from /var/task. For each case the test asserts that
abiscan --runtime python3.11 reports an error exactly when the import really fails, and that
where a fallback takes over, it still says so (a warning on the module).

The cases:
  source-fallback   md.cpython-310-*.so (never opened by 3.11) beside md.py: md.py imports
  no-fallback       the same without md.py: ModuleNotFoundError
  guarded           __init__.py imports _speedups (cpython-310) under try/except ImportError
  reraise           the same handler raises a clearer ImportError: no fallback
  guarded-opened    _speedups named for 3.11, opened, but its library is missing: the guard
                    catches the ImportError the loader raises
  twin              fuzz.py imports "pkg.fuzz" + "_cpp" by name, else fuzz_py: a twin
  guarded-once      extras.py guards one name of _speedups, __init__.py imports it plainly
                    (psycopg2's extensions.py and __init__.py): no fallback
  chain             cmod.py imports _speedups plainly, __init__.py imports cmod under a guard
                    (PyYAML's cyaml.py and __init__.py): the guard up the chain catches it
  chain-reraise     the same, but __init__.py raises again: no fallback
  chain-exposed     the same guard, but main.py imports cmod plainly too: no fallback
  suppress          __init__.py imports _speedups in `with contextlib.suppress(ImportError)`
  handler-guard     the handler guards `import pkg`; pkg/__init__.py imports _speedups plainly
"""
import json
import os
import shutil
import subprocess
import sys

from hostimport import Tally, abiscan_findings, host_imports, sh

TAG311 = ".cpython-311-x86_64-linux-gnu.so"
TAG310 = ".cpython-310-x86_64-linux-gnu.so"

MODULE = r"""
#include <Python.h>
%(externs)s
static PyObject *touch(PyObject *self, PyObject *args)
{
    return PyLong_FromLong(%(calls)s);
}
static PyMethodDef methods[] = {{"touch", touch, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "%(name)s", NULL, -1, methods};
PyMODINIT_FUNC PyInit_%(name)s(void) { return PyModule_Create(&def); }
"""

GUARD = """try:
    from ._speedups import touch
except ImportError:
    def touch():
        return 0
"""
RERAISE = """try:
    from ._speedups import touch
except ImportError as exc:
    raise ImportError("importing the C extension failed: %s" % exc)
"""
TWIN = """import importlib
try:
    _impl = importlib.import_module("pkg.fuzz" + "_cpp")
except ImportError:
    _impl = importlib.import_module("pkg.fuzz_py")
touch = _impl.touch
"""



def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def module(root, rel, name, needs=None):
    """An extension module PyInit_<name> at root/rel; needs: a library it links and that is
    then deleted, so that loading the module fails."""
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    src = path + ".c"
    externs, calls, libs = "", "0", []
    if needs:
        lsrc = os.path.join(root, "gone.c")
        with open(lsrc, "w") as f:
            f.write("int gone_fb1(void) { return 1; }\n")
        lib = os.path.join(root, needs)
        sh("gcc", "-shared", "-fPIC", "-O1", "-o", lib, lsrc, f"-Wl,-soname,{needs}")
        os.unlink(lsrc)
        externs, calls, libs = "int gone_fb1(void);\n", "gone_fb1()", [f"-L{root}", f"-l:{needs}"]
    with open(src, "w") as f:
        f.write(MODULE % {"name": name, "externs": externs, "calls": calls})
    inc = subprocess.run(["/usr/bin/python3-config", "--includes"], check=True,
                         capture_output=True, text=True).stdout.split()
    sh("gcc", "-shared", "-fPIC", "-O1", *inc, "-o", path, src, *libs)
    os.unlink(src)
    if needs:
        os.unlink(os.path.join(root, needs))


def build(work):
    cases = {}

    def case(name, statement, works):
        root = os.path.join(work, name)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        write(root, "pkg/__init__.py", "")
        cases[name] = (root, statement, works)
        return root

    r = case("source-fallback", "import pkg.md; print(pkg.md.touch())", True)
    module(r, "pkg/md" + TAG310, "md")
    write(r, "pkg/md.py", "def touch():\n    return 0\n")

    r = case("no-fallback", "import pkg.md; print(pkg.md.touch())", False)
    module(r, "pkg/md" + TAG310, "md")

    r = case("guarded", "import pkg; print(pkg.touch())", True)
    module(r, "pkg/_speedups" + TAG310, "_speedups")
    write(r, "pkg/__init__.py", GUARD)

    r = case("reraise", "import pkg; print(pkg.touch())", False)
    module(r, "pkg/_speedups" + TAG310, "_speedups")
    write(r, "pkg/__init__.py", RERAISE)

    r = case("guarded-opened", "import pkg; print(pkg.touch())", True)
    module(r, "pkg/_speedups" + TAG311, "_speedups", needs="libgone-fb1.so")
    write(r, "pkg/__init__.py", GUARD)

    r = case("guarded-once", "import pkg; print(pkg.touch())", False)
    module(r, "pkg/_speedups" + TAG310, "_speedups")
    write(r, "pkg/__init__.py", "from ._speedups import touch\nfrom . import extras\n")
    write(r, "pkg/extras.py", GUARD)

    chain_guard = GUARD.replace("._speedups", ".cmod")
    r = case("chain", "import pkg; print(pkg.touch())", True)
    module(r, "pkg/_speedups" + TAG310, "_speedups")
    write(r, "pkg/__init__.py", chain_guard)
    write(r, "pkg/cmod.py", "from ._speedups import touch\n")

    r = case("chain-reraise", "import pkg; print(pkg.touch())", False)
    module(r, "pkg/_speedups" + TAG310, "_speedups")
    write(r, "pkg/__init__.py", RERAISE.replace("._speedups", ".cmod"))
    write(r, "pkg/cmod.py", "from ._speedups import touch\n")

    r = case("chain-exposed", "import pkg.main; print(pkg.main.touch())", False)
    module(r, "pkg/_speedups" + TAG310, "_speedups")
    write(r, "pkg/__init__.py", chain_guard)
    write(r, "pkg/cmod.py", "from ._speedups import touch\n")
    write(r, "pkg/main.py", "from .cmod import touch\n")

    r = case("suppress", "import pkg; print(pkg.touch())", True)
    module(r, "pkg/_speedups" + TAG310, "_speedups")
    write(r, "pkg/__init__.py", "import contextlib\n\n\ndef touch():\n    return 0\n\n\n"
          "with contextlib.suppress(ImportError):\n    from ._speedups import touch\n")

    r = case("handler-guard", "import handler; print(handler.pkg)", True)
    module(r, "pkg/_speedups" + TAG310, "_speedups")
    write(r, "pkg/__init__.py", "from ._speedups import touch\n")
    write(r, "handler.py", "try:\n    import pkg\nexcept ImportError:\n    pkg = None\n")

    r = case("twin", "import pkg.fuzz; print(pkg.fuzz.touch())", True)
    module(r, "pkg/fuzz_cpp" + TAG310, "fuzz_cpp")
    write(r, "pkg/fuzz.py", TWIN)
    write(r, "pkg/fuzz_py.py", "def touch():\n    return 0\n")
    return cases



def main():
    abiscan, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    tally = Tally()
    for name, (root, statement, works) in build(work).items():
        imported, why = host_imports(root, statement)
        try:
            found = abiscan_findings(abiscan, root)
        except (ValueError, json.JSONDecodeError, KeyError) as e:
            tally.failed(name, e)
            continue
        errors = [f for f in found if f["severity"] == "error"]
        warned = [f for f in found if f["severity"] == "warning" and "pkg/" in f["path"]]
        problems = []
        if imported != works:
            problems.append(f"the host import {'worked' if imported else 'failed'} ({why}), "
                            f"the case was built to {'work' if works else 'fail'}")
        if imported and errors:
            problems.append("Python imports it, abiscan says: " +
                            "; ".join(f["path"] + ": " + f["message"] for f in errors))
        if not imported and not errors:
            problems.append(f"Python fails ({why}), abiscan has no error")
        if imported and not warned:
            problems.append("a fallback takes over, and abiscan does not say so (no warning)")
        tally.case(name, problems, imported, why)
    return tally.status()


if __name__ == "__main__":
    sys.exit(main())
