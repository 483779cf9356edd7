#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""realdata_imports.py: the import verdicts on Debian's own Python packages, against CPython.

The dist-packages content of a few dozen Debian bookworm python3-* packages and of the
python3-* packages they depend on is one bundle, beside an app.py that imports each of its
top-level modules at module level and defines handler. Each top-level module is imported
alone by pyenv's CPython 3.11, 3.12 and 3.13, isolated (-I -S, the bundle first on sys.path
as /var/task is; bytecode goes to <cache>/pycache, never into the bundle). Each import
statement that fails with ModuleNotFoundError is recorded (file, line, module) and given a
stand-in, and the import runs again, so that every failing import is found, not only the
first. The removed modules of 3.N are the names of 3.11's sys.stdlib_module_names that 3.N's
lacks. abiscan --runtime python3.N --handler app.handler must then report:

  module-not-found          exactly the imports that fail for a module that is not a
                            removed one (none: the bundle carries every python3-* package
                            the others depend on; BY_HAND lists the two it does not, and the
                            test checks 3.11's standard library has their modules)
  stdlib-module-removed     as errors (the handler's chain), exactly the imports of a
                            removed module that fail; none on 3.11

each compared as (file, line, module), a file's first import of a module. Off the chain,
every module of the bundle whose text names a removed module (a superset of those that
import one) is imported alone too: each stdlib-module-removed warning must be an import
that fails, and each import of a removed module that fails must be reported (warning or
error), but for SCOPE. An import stopped by something other than a missing module is
accounted for in OTHER (top-level modules) or printed (the others); what it did not reach
is not judged.

Usage: realdata_imports.py --abiscan BIN --work DIR [--cache DIR]
"""
import argparse
import concurrent.futures
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "cli"))
import realdata as rd  # noqa: E402  (fetching, the bundle, pyenv)
from hostimport import abiscan_findings, host_imports  # noqa: E402

# Pure Python (all) but for four with C speedups the package guards (amd64, cp311 builds).
PACKAGES = [(p, "all") for p in (
    "python3-requests", "python3-urllib3", "python3-idna", "python3-certifi", "python3-chardet",
    "python3-charset-normalizer", "python3-jinja2", "python3-six", "python3-dateutil",
    "python3-tz", "python3-attr", "python3-click", "python3-colorama",
    "python3-importlib-metadata", "python3-typing-extensions", "python3-zipp",
    "python3-more-itertools", "python3-packaging", "python3-pyparsing",
    "python3-docutils", "python3-roman", "python3-pygments", "python3-toml", "python3-tomli",
    "python3-jmespath", "python3-future", "python3-mock", "python3-pbr", "python3-nose",
    "python3-setuptools", "python3-pkg-resources", "python3-distro", "python3-decorator",
    "python3-webob", "python3-paste", "python3-tempita", "python3-bottle", "python3-pyinotify",
    "python3-pexpect", "python3-ptyprocess", "python3-html5lib", "python3-webencodings",
    "python3-bs4", "python3-soupsieve", "python3-feedparser", "python3-sgmllib3k",
    "python3-httplib2", "python3-passlib", "python3-sqlparse", "python3-defusedxml",
    "python3-markdown")] + [(p, "amd64") for p in (
        "python3-markupsafe", "python3-yaml", "python3-simplejson", "python3-wrapt")]


# Debian packages the bundled ones depend on that are not bundled -> (the module each
# supplies, why the runtime has it). Checked by hand: Debian splits both out of CPython's
# standard library, which has them in 3.11 (the test checks pyenv's 3.11 names them).
BY_HAND = {
    "python3-distutils": ("distutils", "CPython's own, split out by Debian"),
    "python3-lib2to3": ("lib2to3", "CPython's own, split out by Debian"),
}

# (minor, top-level module) -> what stops its import that is no missing module, by hand.
OTHER = {
    # PyYAML's _yaml shim raises ModuleNotFoundError itself (a raise, not an import) when
    # yaml has no libyaml: the cp311 yaml/_yaml is not loaded by 3.12 and 3.13.
    (12, "_yaml"): "No module named '_yaml'",
    (13, "_yaml"): "No module named '_yaml'",
    # nose 1.3.7 imports unittest._TextTestResult, an alias 3.12 dropped (not a module).
    (12, "nose"): "cannot import name '_TextTestResult' from 'unittest'",
    (13, "nose"): "cannot import name '_TextTestResult' from 'unittest'",
    # typing_extensions 4.4 subclasses typing.TypeVar, which 3.12 made a C type that
    # cannot be subclassed.
    (12, "typing_extensions"): "type 'typing.TypeVar' is not an acceptable base type",
    (13, "typing_extensions"): "type 'typing.TypeVar' is not an acceptable base type",
}

# (file, module) -> why abiscan does not say that this failing import of a removed module,
# off the handler's chain, fails: what it does not read, by design.
SCOPE = {
    # facts/scan.c reads no source under a tests/ or test/ directory ("code a function
    # never imports"): both import imp plainly at module level.
    ("future/backports/test/support.py", "imp"): "a test/ directory is not read",
    ("pbr/tests/test_packaging.py", "imp"): "a tests/ directory is not read",
    # (past/builtins/misc.py's `from imp import reload` under `if PY3:` was here, until the
    # import model read version tests: facts/pycond.c.)
}

RUNTIMES = (11, 12, 13)
NAMES = ("import json; sys.stderr.write('\\n' + json.dumps(sorted(sys.stdlib_module_names))"
         " + '\\n')")

# Imports each of MODS in turn, again and again: each import statement that fails with
# ModuleNotFoundError is recorded, then given a stand-in module (that statement only, so
# that a guarded import elsewhere still fails and is caught) and the import run again from
# where it started, until it works or stops for another reason. A module imported by an
# earlier one of MODS is not run again. Writes {module: {outcome, hits: [[module, file,
# line]], ran: [file]}} as stderr's last line.
PROBE = r'''
import builtins, importlib, json, os, traceback, types
sys.pycache_prefix = PYCACHE  # bytecode outside the bundle, kept for the next import
BUNDLE = os.path.realpath(sys.path[0])


def where(tb):
    at = None
    for frame, line in traceback.walk_tb(tb):
        f = os.path.realpath(frame.f_code.co_filename)
        if f.startswith(BUNDLE + os.sep):
            at = [os.path.relpath(f, BUNDLE), line]
    return at


class Anything(type):
    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Anything(name, (), {})

    def __call__(cls, *args, **kwargs):
        return cls


class StandIn(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Anything(name, (), {})


def stand_in(name, globals=None, locals=None, fromlist=(), level=0):
    try:
        return real_import(name, globals, locals, fromlist, level)
    except ModuleNotFoundError as e:
        f = sys._getframe(1)
        site = (os.path.realpath(f.f_code.co_filename), f.f_lineno, e.name)
        if site not in allowed:
            raise
        return StandIn(e.name)


def audit(event, args):
    if event == "exec" and hasattr(args[0], "co_filename"):
        ran.add(os.path.realpath(args[0].co_filename))


def one(mod):
    """Import mod: (how it ended, each miss as [module, file, line], the files run)."""
    mark = dict(sys.modules), (list(sys.path), list(sys.meta_path), list(sys.path_hooks))
    ran.clear()
    hits, outcome = [], None
    while outcome is None:
        try:
            importlib.import_module(mod)
            outcome = "ok"
        except ModuleNotFoundError as e:
            at = where(e.__traceback__)
            site = at and (os.path.join(BUNDLE, at[0]), at[1], e.name)
            if not e.name or not at or site in allowed or len(allowed) > 50:
                outcome = "ModuleNotFoundError, not of an import statement: %s (at %s)" % (e, at)
                break
            hits.append([e.name] + at)
            allowed.add(site)
            restore(mark)
        except BaseException as e:
            outcome = "%s: %s (at %s)" % (type(e).__name__, e, where(e.__traceback__))
    allowed.clear()
    return {"outcome": outcome, "hits": hits,
            "ran": sorted(os.path.relpath(f, BUNDLE) for f in ran
                          if f.startswith(BUNDLE + os.sep))}


def restore(mark):
    """Back to before an import: what it imported forgotten, the import hooks as they were."""
    for k in set(sys.modules) - set(mark[0]):
        del sys.modules[k]
    sys.modules.update(mark[0])
    sys.path[:], sys.meta_path[:], sys.path_hooks[:] = mark[1]
    sys.path_importer_cache.clear()


ran, allowed = set(), set()
real_import, builtins.__import__ = builtins.__import__, stand_in
sys.addaudithook(audit)
said = {mod: one(mod) for mod in MODS}
sys.stderr.write("\n" + json.dumps(said) + "\n")
'''


def last_json(py, root, statement):
    """Run statement in py (hostimport.host_imports: isolated, root first on sys.path) and
    read the JSON it writes as stderr's last line."""
    _, said = host_imports(root, statement, py)
    try:
        return json.loads(said)
    except ValueError:
        raise rd.Fatal("%s -c %s...: %s" % (py, statement[:60], said))


def probe(py, bundle, mods, pycache):
    """{module: what importing it alone does} for each of mods, in one interpreter."""
    return last_json(py, bundle, "MODS, PYCACHE = %r, %r; exec(%r)" % (mods, pycache, PROBE))


def build(work, cache, res):
    """The bundle (dist-packages of every package, and app.py) and its top-level modules."""
    debs_dir = os.path.join(cache, "debs")
    os.makedirs(debs_dir, exist_ok=True)
    debs = [(pkg, rd.fetch(debs_dir, pkg, arch, res)[0]) for pkg, arch in PACKAGES]
    rd.fresh_dir(work)
    root = rd.make_bundle(work, "bookworm", debs)
    tops = []
    for name in sorted(os.listdir(root)):
        if name.endswith(".py"):
            tops.append(name[:-3])
        elif os.path.isfile(os.path.join(root, name, "__init__.py")):
            tops.append(name)
    with open(os.path.join(root, "app.py"), "w") as fh:
        fh.write("".join("import %s\n" % t for t in tops))
        fh.write("\n\ndef handler(event, context):\n    return 1\n")
    return root, tops


def module_of(path):
    """The module a .py file of the bundle is, or None (a script, no module name)."""
    if not path.endswith(".py") or path == "app.py" or path.endswith("/__main__.py"):
        return None
    mod = path[:-3].replace("/__init__", "").replace("/", ".")
    return mod if all(p.isidentifier() for p in mod.split(".")) else None


def naming(bundle, names):
    """The modules of the bundle whose text has one of names as a word."""
    word = re.compile(r"\b(%s)\b" % "|".join(sorted(names)))
    out = set()
    for dirpath, _, filenames in os.walk(bundle):
        for name in filenames:
            rel = os.path.relpath(os.path.join(dirpath, name), bundle).replace(os.sep, "/")
            if module_of(rel):
                with open(os.path.join(dirpath, name), encoding="utf-8", errors="replace") as f:
                    if word.search(f.read()):
                        out.add(module_of(rel))
    return out


def truths(pythons, bundle, pycache, jobs):
    """(minor, module) -> what importing it does, in batches of one top-level package's
    modules, two interpreters at a time; the top-level module itself comes first in its
    batch, so it is imported alone in a fresh interpreter."""
    batches = {}
    for minor, mod in sorted(jobs):
        batches.setdefault((minor, mod.split(".")[0]), []).append(mod)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        said = pool.map(lambda k: probe(pythons[k[0]][1], bundle, batches[k], pycache), batches)
        return {(k[0], mod): v for k, r in zip(batches, said) for mod, v in r.items()}


def finding_key(f):
    """(file, line, module) of an import finding: found is "import M (line N)"."""
    words = (f.get("found") or "").split()
    if len(words) != 4 or words[0] != "import" or words[2] != "(line":
        return (f["path"], 0, f.get("found"))
    return (f["path"], int(words[3].rstrip(")")), words[1])


def failures(said, removed):
    """The imports that fail, each (file, line, module) at a file's first import of the
    module: for a module that is not there, and for a removed one (named by its top-level
    name, as abiscan names it); and what stopped an import for another reason, by module."""
    first, other = {}, {}
    for mod, s in said.items():
        for name, path, line in s["hits"]:
            top = name.split(".")[0]
            key = (path, top if top in removed else name)
            first[key] = min(line, first.get(key, line))
        if s["outcome"] != "ok":
            other[mod] = s["outcome"]
    lost = {(p, n, m) for (p, m), n in first.items() if m not in removed}
    gone = {(p, n, m) for (p, m), n in first.items() if m in removed}
    return lost, gone, other


def compare(res, what, got, want, ran):
    """got (abiscan) against want (CPython), each a set of (file, line, module)."""
    detail = []
    for path, line, mod in sorted(got - want):
        detail.append("abiscan says %s:%d imports %s and fails, CPython %s" % (
            path, line, mod, "ran that file without that failure" if path in ran else
            "never ran that file"))
    for path, line, mod in sorted(want - got):
        detail.append("CPython fails at %s:%d on %s, abiscan does not say so" % (path, line, mod))
    res.check(got == want, "%s (%d)" % (what, len(want)), "; ".join(detail))


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
        pythons = rd.pyenv_pythons(rd.pyenv_root(), RUNTIMES)
        bundle, tops = build(work, cache, res)
        empty = os.path.join(work, "empty")
        os.makedirs(empty)
        res.note("%d top-level modules: %s" % (len(tops), " ".join(tops)))
        stdlib = {m: set(last_json(pythons[m][1], empty, NAMES)) for m in RUNTIMES}
        removed = {m: stdlib[11] - stdlib[m] for m in RUNTIMES}
        for pkg, (mod, why) in sorted(BY_HAND.items()):
            res.check(mod in stdlib[11], "python3.11: %s, %s (%s), is in its standard library"
                      % (mod, pkg, why), "pyenv's 3.11 does not name it")
        found = {m: abiscan_findings(args.abiscan, bundle, "python3.%d" % m,
                                     ["--no-config", "--handler", "app.handler"])
                 for m in RUNTIMES}
        off = {m: {module_of(f["path"]) for f in found[m]
                   if f["slug"] == "stdlib-module-removed"} | naming(bundle, removed[m])
               for m in RUNTIMES if removed[m]}
        pycache = os.path.join(cache, "pycache")
        said = truths(pythons, bundle, pycache,
                      {(m, t) for m in RUNTIMES for t in tops} |
                      {(m, mod) for m in off for mod in off[m] if mod})
        for m in RUNTIMES:
            check_chain(res, m, pythons[m][0], removed[m], found[m],
                        {t: said[(m, t)] for t in tops})
            if m in off:
                check_off_chain(res, m, removed[m], found[m],
                                {mod: said[(m, mod)] for mod in off[m] if mod},
                                lambda mod, py=pythons[m][1]: probe(py, bundle, [mod],
                                                                    pycache)[mod])
    except (rd.Fatal, ValueError) as exc:
        res.check(False, "setup", str(exc))
    print("%d passed, %d failed" % (res.passed, res.failed))
    return 0 if res.passed and not res.failed else 1


def check_chain(res, minor, release, removed, found, said):
    """The handler's chain: every top-level module imported alone."""
    runtime = "python3.%d" % minor
    lost, gone, other = failures(said, removed)
    ran = {f for s in said.values() for f in s["ran"]}
    res.note("%s (pyenv %s), the chain: %d imports fail for a module not there, %d for a "
             "removed one (%s)" % (runtime, release, len(lost), len(gone),
                                   " ".join(sorted({k[2] for k in gone})) or "none"))
    res.check(all(OTHER.get((minor, t), "\0") in o for t, o in other.items()) and
              all(t in other for m, t in OTHER if m == minor),
              "%s: every top-level module imports, but for OTHER's" % runtime,
              "; ".join("%s: %s" % (t, other.get(t, "imports"))
                        for t in sorted(set(other) | {t for m, t in OTHER if m == minor})
                        if OTHER.get((minor, t), "\0") not in other.get(t, "")))
    mnf = {finding_key(f) for f in found if f["slug"] == "module-not-found"}
    rm = {finding_key(f) for f in found
          if f["slug"] == "stdlib-module-removed" and f["severity"] == "error"}
    compare(res, "%s: module-not-found is what CPython does not find" % runtime, mnf, lost, ran)
    compare(res, "%s: stdlib-module-removed errors are the removed modules CPython fails on"
            % runtime, rm, gone, ran)
    if minor > 11:
        res.check(bool(gone), "%s: the chain imports a module %s removed" % (runtime, runtime),
                  "CPython failed on none: the comparison above proves nothing")


def check_off_chain(res, minor, removed, found, said, alone):
    """Each module that names a removed module, or that abiscan warns of, imported in
    batches (a package's modules in one interpreter); a warning the batch does not bear out
    is judged by importing its module alone (what an earlier module of the batch did, such
    as setuptools putting its distutils in place, is then undone)."""
    runtime = "python3.%d" % minor
    _, gone, other = failures(said, removed)
    said_rm = {finding_key(f) for f in found if f["slug"] == "stdlib-module-removed"}
    wrong, unjudged = [], []
    for f in found:
        key, mod = finding_key(f), module_of(f["path"])
        if f["slug"] != "stdlib-module-removed" or f["severity"] != "warning" or key in gone:
            continue
        _, mine, why = failures({mod: alone(mod)}, removed)
        gone |= mine
        if key not in mine:
            (unjudged if why else wrong).append("%s:%d %s (importing %s alone: %s)" % (
                key + (mod, why.get(mod, "works"))))
    res.note("%s, off the chain: %d modules imported, %d imports fail for a removed module" %
             (runtime, len(said), len(gone)))
    res.check(not wrong, "%s: every stdlib-module-removed warning is an import that fails "
              "(%d)" % (runtime, len(said_rm)), "not %s" % "; ".join(wrong))
    missed = {(p, mod): n for p, n, mod in gone - said_rm}
    res.check(set(missed) == set(SCOPE),
              "%s: abiscan reports every failing import of a removed module, but SCOPE's"
              % runtime, "not reported: %s; in SCOPE but reported or not failing: %s" % (
                  rd.short("%s:%d %s" % (p, n, m) for (p, m), n in missed.items()
                           if (p, m) not in SCOPE),
                  rd.short("%s %s" % k for k in set(SCOPE) - set(missed))))
    for text in unjudged:
        res.note("%s: not judged, the import stops first: %s" % (runtime, text))
    stopped = sorted(m for m in other if not any(m == module_of(f["path"]) for f in found))
    if stopped:
        res.note("%s: %d other imports stop for another reason (%s)" % (
            runtime, len(stopped), rd.short(stopped)))


if __name__ == "__main__":
    sys.exit(main())
