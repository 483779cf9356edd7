#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""import_chains.py ABISCAN WORK: abiscan's loader model against the real ld.so.

Small auditwheel-style load chains are compiled here (gcc, Python.h from Debian's
python3-dev), each into its own bundle directory, and imported by the host's Debian
CPython 3.11 (/usr/bin/python3) with the bundle as sys.path[0], as Lambda imports
from /var/task. For each chain the test asserts that abiscan (--runtime python3.11)
reports an error-level needed-not-found exactly when the import really failed, and
that its finding names the library that ld.so could not find.

The chains (lib names are unique, so nothing on the host can stand in for them):
  rpath-inherited   _m (DT_RPATH $ORIGIN/../pkg.libs) -> liba (no paths) -> libb
                    beside it: libb is found through the DT_RPATH liba inherits
  runpath-alone     the same with DT_RUNPATH on _m: not inherited, libb is not found
  loaded-sibling    _m (DT_RUNPATH) needs libb and liba; liba needs libb by SONAME,
                    already loaded by _m: satisfied without a search
  rpath-and-runpath _m has both tags: its DT_RPATH is ignored (elf/get-dynamic-info.h),
                    its DT_RUNPATH points nowhere: liba is not found
  origin-chain      _m (DT_RPATH) -> liba (DT_RPATH $ORIGIN/sub) -> libb in sub/: each
                    $ORIGIN is its owner's
  unreached         a clean module, and a library nothing needs that needs a library
                    nobody ships: the import works; abiscan only warns (a dlopen-only
                    library in plugins/), never an error, and says nothing of one left in
                    pkg.libs/ (vendored for modules, none of which loads it)
"""
import json
import os
import shutil
import struct
import subprocess
import sys

from hostimport import Tally, abiscan_findings, host_imports, sh

EXT = ".cpython-311-x86_64-linux-gnu.so"

MODULE = r"""
#include <Python.h>
%(externs)s
static PyObject *touch(PyObject *self, PyObject *args)
{
    return PyLong_FromLong(%(calls)s);
}
static PyMethodDef methods[] = {{"touch", touch, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "_m", NULL, -1, methods};
PyMODINIT_FUNC PyInit__m(void) { return PyModule_Create(&def); }
"""



def lib(root, rel, soname, fn, needs=(), calls=(), ldflags=()):
    """A shared library at root/rel exporting fn(), calling calls() from the libraries needs."""
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    src = path + ".c"
    body = "".join(f"int {c}(void);\n" for c in calls)
    body += f"int {fn}(void) {{ return 1{''.join(' + ' + c + '()' for c in calls)}; }}\n"
    with open(src, "w") as f:
        f.write(body)
    cmd = ["gcc", "-shared", "-fPIC", "-O1", "-o", path, src, f"-Wl,-soname,{soname}"]
    for n in needs:
        cmd += [f"-L{os.path.dirname(os.path.join(root, n))}", f"-l:{os.path.basename(n)}"]
    sh(*cmd, *ldflags)
    os.unlink(src)


def module(root, needs=(), calls=(), ldflags=()):
    path = os.path.join(root, "pkg", "_m" + EXT)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(os.path.join(root, "pkg", "__init__.py"), "w"):
        pass
    src = path + ".c"
    with open(src, "w") as f:
        f.write(MODULE % {"externs": "".join(f"int {c}(void);\n" for c in calls),
                          "calls": " + ".join(f"{c}()" for c in calls) or "0"})
    inc = subprocess.run(["/usr/bin/python3-config", "--includes"], check=True,
                         capture_output=True, text=True).stdout.split()
    cmd = ["gcc", "-shared", "-fPIC", "-O1", *inc, "-o", path, src]
    for n in needs:
        cmd += [f"-L{os.path.dirname(os.path.join(root, n))}", f"-l:{os.path.basename(n)}"]
    sh(*cmd, *ldflags)
    os.unlink(src)


RPATH = ["-Wl,--disable-new-dtags,-rpath,$ORIGIN/../pkg.libs"]
DT_RUNPATH, DT_AUDIT = 0x1D, 0x6FFFFEFC


def retag(path, old, new):
    """Rewrite the tag of the dynamic entry tagged old (ELF64 little-endian only)."""
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        phoff, = struct.unpack_from("<Q", data, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
        for i in range(phnum):
            ptype, _, off, _, _, filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
            if ptype != 2:  # PT_DYNAMIC
                continue
            for at in range(off, off + filesz, 16):
                tag, = struct.unpack_from("<q", data, at)
                if tag == old:
                    struct.pack_into("<q", data, at, new)
                    f.seek(0)
                    f.write(data)
                    return
    raise ValueError(f"{path}: no dynamic entry {old:#x}")
RUNPATH = ["-Wl,--enable-new-dtags,-rpath,$ORIGIN/../pkg.libs"]


def build(work):
    chains = {}

    def chain(name, missing):
        root = os.path.join(work, name)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        chains[name] = (root, missing)
        return root

    r = chain("rpath-inherited", None)
    lib(r, "pkg.libs/libb-ri1.so", "libb-ri1.so", "b_ri")
    lib(r, "pkg.libs/liba-ri1.so", "liba-ri1.so", "a_ri", ["pkg.libs/libb-ri1.so"], ["b_ri"])
    module(r, ["pkg.libs/liba-ri1.so"], ["a_ri"], RPATH)

    r = chain("runpath-alone", "libb-ra1.so")
    lib(r, "pkg.libs/libb-ra1.so", "libb-ra1.so", "b_ra")
    lib(r, "pkg.libs/liba-ra1.so", "liba-ra1.so", "a_ra", ["pkg.libs/libb-ra1.so"], ["b_ra"])
    module(r, ["pkg.libs/liba-ra1.so"], ["a_ra"], RUNPATH)

    r = chain("loaded-sibling", None)
    lib(r, "pkg.libs/libb-ls1.so", "libb-ls1.so", "b_ls")
    lib(r, "pkg.libs/liba-ls1.so", "liba-ls1.so", "a_ls", ["pkg.libs/libb-ls1.so"], ["b_ls"])
    module(r, ["pkg.libs/libb-ls1.so", "pkg.libs/liba-ls1.so"], ["a_ls", "b_ls"], RUNPATH)

    r = chain("rpath-and-runpath", "liba-rr1.so")
    lib(r, "pkg.libs/liba-rr1.so", "liba-rr1.so", "a_rr")
    # ld writes one of the two tags, never both: the DT_RUNPATH is a DT_AUDIT string
    # whose tag is rewritten afterwards.
    module(r, ["pkg.libs/liba-rr1.so"], ["a_rr"],
           RPATH + ["-Wl,--audit,$ORIGIN/../nowhere"])
    retag(os.path.join(r, "pkg", "_m" + EXT), DT_AUDIT, DT_RUNPATH)

    r = chain("origin-chain", None)
    lib(r, "pkg.libs/sub/libb-oc1.so", "libb-oc1.so", "b_oc")
    lib(r, "pkg.libs/liba-oc1.so", "liba-oc1.so", "a_oc", ["pkg.libs/sub/libb-oc1.so"], ["b_oc"],
        ["-Wl,--disable-new-dtags,-rpath,$ORIGIN/sub"])
    module(r, ["pkg.libs/liba-oc1.so"], ["a_oc"], RPATH)

    r = chain("unreached", None)
    lib(r, "gone/libgone-un1.so", "libgone-un1.so", "g_un")
    lib(r, "plugins/libdl-un1.so", "libdl-un1.so", "d_un", ["gone/libgone-un1.so"], ["g_un"])
    # A leftover in a vendored directory (auditwheel's pkg.libs): nothing loads it, and it
    # is no plugin: nothing to say about it.
    lib(r, "pkg.libs/libleft-un1.so", "libleft-un1.so", "l_un", ["gone/libgone-un1.so"], ["g_un"])
    shutil.rmtree(os.path.join(r, "gone"))
    module(r)
    return chains



def main():
    abiscan, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    tally = Tally()
    for name, (root, missing) in build(work).items():
        imported, why = host_imports(root, "import pkg._m; print(pkg._m.touch())")
        try:
            found = [f for f in abiscan_findings(abiscan, root)
                     if f["slug"] == "needed-not-found"]
        except (ValueError, json.JSONDecodeError, KeyError) as e:
            tally.failed(name, e)
            continue
        errors = [f for f in found if f["severity"] == "error"]
        problems = []
        if imported != (missing is None):
            problems.append(f"the host import {'worked' if imported else 'failed'} ({why}), "
                            f"the chain was built to {'work' if missing is None else 'fail'}")
        if imported and errors:
            problems.append("Python imports it, abiscan says: " +
                            "; ".join(f["path"] + ": " + f["message"] for f in errors))
        if not imported and not any(f["found"] == missing for f in errors):
            problems.append(f"Python fails ({why}), abiscan has no needed-not-found error "
                            f"for {missing}")
        if name == "unreached" and not any(f["severity"] == "warning" and
                                           f["path"].startswith("plugins/") for f in found):
            problems.append("the plugin library nothing loads gets no warning")
        if name == "unreached" and any(f["path"].startswith("pkg.libs/") for f in found):
            problems.append("a leftover in pkg.libs/ that nothing loads is reported")
        tally.case(name, problems, imported, why)
    return tally.status()


if __name__ == "__main__":
    sys.exit(main())
