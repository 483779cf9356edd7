#!/usr/bin/python3
"""Real-data test: abiscan against Debian bookworm's numpy and kiwisolver, amd64 and arm64.

What it proves: on real, distribution-built extension modules (numpy is C, kiwisolver is C++),
abiscan's view of a Lambda bundle agrees with binutils' readelf and with CPython's import rules:

 1. an amd64 bundle checked for python3.11 x86_64 has no python-tag-mismatch, arch-mismatch,
    not-elf or elf-unreadable finding, and inputs[0].elf_objects equals the number of files
    readelf recognises as ELF (ar archives such as numpy's libnpymath.a, whose *members* are
    ELF, are not ELF files and are not counted);
 2. the arm64 bundle checked for x86_64 gets an arch-mismatch finding on exactly the files
    readelf reports "Machine: AArch64" for (every ELF file), each with `found` "aarch64 ...";
 3. the arm64 bundle checked for --arch arm64 has no arch-mismatch and no python-tag-mismatch;
 4. numpy's modules renamed to .cpython-36m-x86_64-linux-gnu.so get a python-tag-mismatch
    (severity error, message naming 3.6) on exactly the renamed files;
 5. the amd64 bundle checked for python3.6 gets a python-tag-mismatch on every
    .cpython-311-*.so file;
 6. a zip and a directory of the same bundle give identical findings (less the `input` field);
 7. the size plan of each zip (--size): its debug bytes per ELF file are what readelf -S gives
    to .debug_*, .symtab and .strtab, its unzipped bytes are the tree's, numpy's tests/ are
    found; the plan is printed; its treemap (--report treemap=) is drawn by rsvg-convert
    with the sizes written, numpy named and the limits drawn;
 8. every report validates against rules/schema/report.schema.json, once that file exists;
and for every run, the exit status is 1 exactly when summary.error > 0, else 0.

Usage:
  /usr/bin/python3 tests/realdata/realdata.py --abiscan BUILD/abiscan --work BUILD/realdata [--cache DIR]

The .debs are fetched once with `apt-get download` into <cache>/debs/ (cache: --cache, else
$ABISCAN_CACHE, else $XDG_CACHE_HOME/abiscan, else ~/.cache/abiscan). arm64 packages need
`dpkg --add-architecture arm64 && apt-get update` first (scripts/bootstrap does it). Nothing is
skipped: a missing tool, package or architecture is a failure. The work dir is recreated on
every run. Needs only the standard library, plus jsonschema (Debian python3-jsonschema) once
the report schema exists. Prints one "ok - ..." / "not ok - ...: ..." line per check, then
"N passed, M failed"; exits 0 only if nothing failed.
"""

import argparse
import functools
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

from realdata_built import check_built_with
from xml.etree import ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lint"))
import fix_commands  # noqa: E402  (every fix command parses: /bin/sh -n)

PACKAGES = ("python3-numpy", "python3-kiwisolver")
ARCHS = ("amd64", "arm64")
# Debian architecture -> (abiscan --arch, readelf "Machine:" text, abiscan `found` prefix)
ARCH_FACTS = {
    "amd64": ("x86_64", "Advanced Micro Devices X86-64", "x86_64"),
    "arm64": ("arm64", "AArch64", "aarch64"),
}
SITE = os.path.join("usr", "lib", "python3", "dist-packages")
WORK_MARKER = ".abiscan-realdata"
CHECKED_SLUGS = ("python-tag-mismatch", "arch-mismatch", "not-elf", "elf-unreadable")

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA_PATH = os.path.join(REPO_ROOT, "rules", "schema", "report.schema.json")

ENV_C = dict(os.environ, LC_ALL="C", LANG="C", LANGUAGE="C")


class Fatal(Exception):
    """A precondition failed (fetch, unpack, layout): reported as one failed check, then stop."""


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, what, detail=""):
        if cond:
            self.passed += 1
            print("ok - %s" % what)
        else:
            self.failed += 1
            print("not ok - %s: %s" % (what, detail or "failed"))
        sys.stdout.flush()
        return cond

    def note(self, text):
        print("# %s" % text)
        sys.stdout.flush()


def run(argv, cwd=None, timeout=600):
    try:
        return subprocess.run(argv, cwd=cwd, env=ENV_C, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout)
    except FileNotFoundError:
        raise Fatal("cannot run %s: not found" % argv[0])
    except subprocess.TimeoutExpired:
        raise Fatal("%s timed out after %ds" % (" ".join(argv), timeout))


def text(b):
    return b.decode("utf-8", "replace").strip()


def short(items, limit=6):
    items = sorted(items)
    s = ", ".join(items[:limit])
    if len(items) > limit:
        s += ", ... (%d in all)" % len(items)
    return "{%s}" % s


# ---------------------------------------------------------------------------------------------
# Fetching and unpacking


def default_cache():
    if os.environ.get("ABISCAN_CACHE"):
        return os.environ["ABISCAN_CACHE"]
    if os.environ.get("XDG_CACHE_HOME"):
        return os.path.join(os.environ["XDG_CACHE_HOME"], "abiscan")
    return os.path.join(os.path.expanduser("~"), ".cache", "abiscan")


def deb_fields(deb):
    p = run(["dpkg-deb", "-f", deb, "Package", "Version", "Architecture"])
    if p.returncode != 0:
        raise Fatal("dpkg-deb -f %s failed: %s" % (deb, text(p.stderr)))
    fields = {}
    for line in text(p.stdout).splitlines():
        k, _, v = line.partition(":")
        fields[k.strip()] = v.strip()
    return fields


def compare_versions(a, b):
    if a == b:
        return 0
    p = run(["dpkg", "--compare-versions", a, "lt", b])
    return -1 if p.returncode == 0 else 1


def cached_deb(debs_dir, pkg, arch):
    found = glob.glob(os.path.join(debs_dir, "%s_*_%s.deb" % (pkg, arch)))
    if not found:
        return None
    versions = {deb: deb_fields(deb)["Version"] for deb in found}
    key = functools.cmp_to_key(lambda x, y: compare_versions(versions[x], versions[y]))
    return sorted(found, key=key)[-1]


def known_archs():
    archs = set()
    for argv in (["dpkg", "--print-architecture"], ["dpkg", "--print-foreign-architectures"]):
        p = run(argv)
        archs.update(text(p.stdout).split())
    return archs


def fetch(debs_dir, pkg, arch, res):
    deb = cached_deb(debs_dir, pkg, arch)
    if deb is None:
        spec = "%s:%s" % (pkg, arch)
        p = run(["apt-get", "download", spec], cwd=debs_dir)
        deb = cached_deb(debs_dir, pkg, arch)
        if p.returncode != 0 or deb is None:
            err = " ".join(l for l in text(p.stderr).splitlines() if not l.startswith("W:"))
            msg = "apt-get download %s failed (exit %d): %s" % (spec, p.returncode, err)
            if arch not in known_archs() or "Unable to locate package" in err:
                msg += ("; apt does not know %s packages: run `dpkg --add-architecture %s "
                        "&& apt-get update` as root (scripts/bootstrap does this)" % (arch, arch))
            raise Fatal(msg)
        how = "downloaded"
    else:
        how = "cached"
    f = deb_fields(deb)
    if f.get("Package") != pkg or f.get("Architecture") != arch:
        raise Fatal("%s is %s %s, expected %s %s" % (deb, f.get("Package"),
                                                    f.get("Architecture"), pkg, arch))
    res.note("%s %s %s %s (%s)" % (how, pkg, f["Version"], arch, os.path.basename(deb)))
    return deb, f["Version"]


def pyenv_root():
    """Where pyenv keeps its CPythons: $PYENV_ROOT, `pyenv root`, ~/.pyenv."""
    if os.environ.get("PYENV_ROOT"):
        return os.environ["PYENV_ROOT"]
    if shutil.which("pyenv"):
        p = subprocess.run(["pyenv", "root"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           text=True)
        if p.returncode == 0 and p.stdout.strip():
            return p.stdout.strip()
    return os.path.join(os.path.expanduser("~"), ".pyenv")


def pyenv_pythons(root, minors):
    """minor -> (release, interpreter): the newest 3.minor.patch of each pyenv CPython; Fatal
    when one is missing (the machine image carries 3.6 to 3.13)."""
    out = {}
    for minor in minors:
        best = None
        for d in glob.glob(os.path.join(root, "versions", "3.%d.*" % minor)):
            m = re.fullmatch(r"3\.%d\.([0-9]+)" % minor, os.path.basename(d))
            exe = os.path.join(d, "bin", "python3.%d" % minor)
            if m and os.access(exe, os.X_OK) and (not best or int(m.group(1)) > best[0]):
                best = (int(m.group(1)), os.path.basename(d), exe)
        out[minor] = best[1:] if best else None
    missing = ["3.%d" % m for m, v in out.items() if not v]
    if missing:
        raise Fatal("no pyenv CPython %s under %s/versions (the machine image carries pyenv's "
                    "3.6 to 3.13)" % (", ".join(missing), root))
    return out


def fresh_dir(path):
    if os.path.lexists(path):
        if not os.path.isdir(path) or os.path.islink(path):
            raise Fatal("work dir %s exists and is not a directory" % path)
        if os.listdir(path) and not os.path.exists(os.path.join(path, WORK_MARKER)):
            raise Fatal("refusing to empty %s: it is not empty and has no %s marker"
                        % (path, WORK_MARKER))
        shutil.rmtree(path)
    os.makedirs(path)
    with open(os.path.join(path, WORK_MARKER), "w") as fh:
        fh.write("made by tests/realdata/realdata.py; deleted and recreated on every run\n")


def make_bundle(work, arch, debs):
    """Unpack the debs and move their dist-packages content into one bundle root."""
    root = os.path.join(work, "bundles", arch)
    os.makedirs(root)
    for pkg, deb in debs:
        dest = os.path.join(work, "unpacked", "%s_%s" % (pkg, arch))
        os.makedirs(dest)
        p = run(["dpkg-deb", "-x", deb, dest])
        if p.returncode != 0:
            raise Fatal("dpkg-deb -x %s failed: %s" % (deb, text(p.stderr)))
        site = os.path.join(dest, SITE)
        if not os.path.isdir(site):
            raise Fatal("%s has no /%s" % (os.path.basename(deb), SITE))
        for name in sorted(os.listdir(site)):
            target = os.path.join(root, name)
            if os.path.lexists(target):
                raise Fatal("%s: %s is in two packages" % (arch, name))
            os.rename(os.path.join(site, name), target)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            if os.path.islink(os.path.join(dirpath, name)):
                # A symlink would make the directory and zip bundles differ; Debian's
                # dist-packages content has none today.
                raise Fatal("unexpected symlink in the %s bundle: %s"
                            % (arch, os.path.relpath(os.path.join(dirpath, name), root)))
    return root


def bundle_files(root):
    """Every regular file of the bundle, as '/'-separated paths relative to the root."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            if os.path.isfile(full) and not os.path.islink(full):
                out.append(os.path.relpath(full, root).replace(os.sep, "/"))
    return out


def make_zip(root, zpath):
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED, strict_timestamps=False) as zf:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            rel = os.path.relpath(dirpath, root).replace(os.sep, "/")
            if rel != ".":
                zf.write(dirpath, rel + "/")
            for name in sorted(filenames):
                arc = name if rel == "." else rel + "/" + name
                zf.write(os.path.join(dirpath, name), arc)


# ---------------------------------------------------------------------------------------------
# readelf's view


def readelf_view(root, files):
    """path -> {"machine":..,"class":..,"data":..} for the ELF files; also the ar archives.

    `readelf -h` also accepts an ar archive and prints the header of each member under a
    "File: ARCHIVE(MEMBER)" line: such a file is an archive of ELF objects, not an ELF file.
    """
    elf, archives = {}, []
    for rel in files:
        p = run(["readelf", "-h", os.path.join(root, rel)], timeout=60)
        out = text(p.stdout)
        if "ELF Header:" not in out:
            continue  # readelf: "Not an ELF file"
        if any(line.startswith("File: ") for line in out.splitlines()):
            archives.append(rel)
            continue
        facts = {}
        for line in out.splitlines():
            k, _, v = line.strip().partition(":")
            if k in ("Machine", "Class", "Data"):
                facts[k.lower()] = v.strip()
        elf[rel] = facts
    return elf, archives


# ---------------------------------------------------------------------------------------------
# abiscan runs


class Scanner:
    def __init__(self, abiscan, res, validator):
        self.abiscan = abiscan
        self.res = res
        self.validator = validator
        self.reports = []

    def scan(self, label, path, runtime, arch, kind):
        argv = [self.abiscan, "--runtime", runtime, "--arch", arch, "--format", "json", path]
        try:
            p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=120)
        except (OSError, subprocess.TimeoutExpired) as exc:
            self.res.check(False, "%s: abiscan runs" % label, str(exc))
            return None
        try:
            report = json.loads(p.stdout.decode("utf-8"))
        except ValueError as exc:
            self.res.check(False, "%s: abiscan prints one JSON report" % label,
                           "exit %d, %s; stderr: %s" % (p.returncode, exc, text(p.stderr)))
            return None
        try:
            errors = report["summary"]["error"]
            inp = report["inputs"][0]
            report["findings"]
        except (KeyError, IndexError, TypeError) as exc:
            self.res.check(False, "%s: report has summary, inputs and findings" % label,
                           "missing %s" % exc)
            return None
        want_rc = 1 if errors > 0 else 0
        self.res.check(p.returncode == want_rc,
                       "%s: exit status %d matches summary.error=%d" % (label, want_rc, errors),
                       "exit status %d; stderr: %s" % (p.returncode, text(p.stderr)))
        self.res.check(inp.get("path") == path and inp.get("kind") == kind,
                       "%s: inputs[0] is the %s %s" % (label, kind, os.path.basename(path)),
                       "path %r kind %r" % (inp.get("path"), inp.get("kind")))
        self.reports.append((label, report))
        return report


def readelf_found(elf, path):
    """readelf's header facts in abiscan's `found` spelling, e.g. "aarch64 ELFCLASS64 little-endian"."""
    facts = elf.get(path)
    if facts is None:
        return None
    machine = {"AArch64": "aarch64", "Advanced Micro Devices X86-64": "x86_64"}.get(
        facts.get("machine"), facts.get("machine"))
    klass = {"ELF64": "ELFCLASS64", "ELF32": "ELFCLASS32"}.get(facts.get("class"),
                                                               facts.get("class"))
    data = facts.get("data", "")
    order = ("little-endian" if "little endian" in data else
             "big-endian" if "big endian" in data else data)
    return "%s %s %s" % (machine, klass, order)


# An unfilled template variable, or a placeholder a shell takes for a redirect.
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|<[A-Za-z][A-Za-z0-9 _.-]*>")


def fix_texts(f):
    fix = f.get("fix") or {}
    return [fix.get("command"), fix.get("note")]


def check_reports(res, validator, reports):
    """Every (label, report) the run produced validates against report.schema.json, no
    message, Lambda error or fix in it holds a placeholder, and every fix command is one
    line /bin/sh parses (sh -n; tests/lint/fix_commands.py)."""
    for label, report in reports:
        errs = sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path))
        res.check(not errs, "%s: report validates against report.schema.json" % label,
                  "; ".join("%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(root)",
                                        e.message[:200]) for e in errs[:3]))
        held = sorted(set("%s %s" % (f.get("slug"), m.group(0)) for f in report["findings"]
                          for t in [f.get("message"), f.get("lambda_error")] + fix_texts(f)
                          for m in PLACEHOLDER.finditer(t or "")))
        res.check(not held, "%s: no finding holds a {name} or <placeholder>" % label,
                  "; ".join(held[:5]))
        cmds = list(fix_commands.json_commands(report))
        bad = fix_commands.parse_errors(cmds)
        res.check(not bad, "%s: every fix command (%d) parses with sh -n" % (label, len(set(cmds))),
                  "; ".join("%s: %s" % (why[:80], cmd[:160]) for cmd, why in bad[:3]))


def by_slug(report, slug):
    """The findings of a rule: its own, and those folded into the finding that says why a file
    is never opened (its "also" list: the same file, the same fact)."""
    if not report:
        return []
    got = []
    for f in report["findings"]:
        if f.get("slug") == slug:
            got.append(f)
        for a in f.get("also", []):
            if a.get("slug") == slug:
                got.append(dict(f, lambda_error=None, fix=None, **a))
    return got


def paths(findings):
    return set(f.get("path") for f in findings)


def set_diff(got, want):
    return "unexpected %s; missing %s" % (short(got - want), short(want - got))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--abiscan", required=True, help="the abiscan binary to test")
    ap.add_argument("--work", required=True, help="scratch dir, recreated on every run")
    ap.add_argument("--cache", default=None, help="download cache (default: %s)"
                    % default_cache())
    args = ap.parse_args()
    abiscan = os.path.abspath(args.abiscan)
    work = os.path.abspath(args.work)
    cache = os.path.abspath(args.cache or default_cache())
    res = Results()

    try:
        validator = None
        if os.path.exists(SCHEMA_PATH):
            try:
                from jsonschema import Draft202012Validator
            except ImportError as exc:
                raise Fatal("%s exists but jsonschema.Draft202012Validator cannot be imported "
                            "(install Debian's python3-jsonschema): %s" % (SCHEMA_PATH, exc))
            with open(SCHEMA_PATH) as fh:
                schema = json.load(fh)
            try:
                Draft202012Validator.check_schema(schema)
            except Exception as exc:
                raise Fatal("%s is not a valid 2020-12 schema: %s" % (SCHEMA_PATH, exc))
            validator = Draft202012Validator(schema)
        for tool in ("apt-get", "dpkg", "dpkg-deb", "readelf"):
            if shutil.which(tool) is None:
                raise Fatal("%s is not installed (needs apt, dpkg and binutils)" % tool)
        if not (os.path.isfile(abiscan) and os.access(abiscan, os.X_OK)):
            raise Fatal("no executable abiscan at %s" % abiscan)

        # Fetch and lay out the bundles.
        debs_dir = os.path.join(cache, "debs")
        os.makedirs(debs_dir, exist_ok=True)
        debs = {arch: [(pkg, fetch(debs_dir, pkg, arch, res)[0]) for pkg in PACKAGES]
                for arch in ARCHS}
        res.check(True, "fetched %s for %s" % (", ".join(PACKAGES), ", ".join(ARCHS)))
        fresh_dir(work)
        bundle, zips, files, elf = {}, {}, {}, {}
        for arch in ARCHS:
            bundle[arch] = make_bundle(work, arch, debs[arch])
            zips[arch] = bundle[arch] + ".zip"
            make_zip(bundle[arch], zips[arch])
            files[arch] = bundle_files(bundle[arch])
            elf[arch], archives = readelf_view(bundle[arch], files[arch])
            res.note("%s bundle: %d files, %d ELF files, %d ar archives of ELF objects (%s)"
                     % (arch, len(files[arch]), len(elf[arch]), len(archives),
                        ", ".join(archives)))
        shutil.rmtree(os.path.join(work, "unpacked"))
    except Fatal as exc:
        res.check(False, "set up the real-data bundles", str(exc))
        print("%d passed, %d failed" % (res.passed, res.failed))
        return 1

    sc = Scanner(abiscan, res, validator)
    tag_311 = {a: ".cpython-311-%s-linux-gnu.so" % ("x86_64" if a == "amd64" else "aarch64")
               for a in ARCHS}

    # Layout sanity: the bundle root holds numpy/ and kiwisolver/ with their extension modules,
    # built for Python 3.11 (i.e. Debian bookworm), and readelf sees the expected machine.
    for arch in ARCHS:
        _, machine, _ = ARCH_FACTS[arch]
        for top in ("numpy", "kiwisolver"):
            mods = [f for f in elf[arch] if f.startswith(top + "/") and f.endswith(tag_311[arch])]
            res.check(bool(mods), "%s bundle: %s/ has an ELF extension module named *%s"
                      % (arch, top, tag_311[arch]),
                      "none found (is this Debian bookworm's Python 3.11 build?)")
        wrong = [f for f, facts in elf[arch].items() if facts.get("machine") != machine]
        res.check(not wrong, "%s bundle: readelf says every ELF file is %s" % (arch, machine),
                  "not: %s" % short(wrong))

    # 1. amd64, python3.11 x86_64: nothing wrong.
    r = sc.scan("amd64 dir python3.11 x86_64", bundle["amd64"], "python3.11", "x86_64",
                "directory")
    for slug in CHECKED_SLUGS:
        bad = by_slug(r, slug)
        res.check(r is not None and not bad, "amd64 dir python3.11 x86_64: no %s" % slug,
                  "on %s" % short(paths(bad)) if r else "no report")
    amd_elf = len(elf["amd64"])
    got = r["inputs"][0].get("elf_objects") if r else None
    res.check(got == amd_elf,
              "amd64 dir python3.11 x86_64: elf_objects == %d ELF files per readelf" % amd_elf,
              "elf_objects is %r" % got)
    check_built_with(res, "amd64 dir python3.11 x86_64", r, bundle["amd64"], list(elf["amd64"]),
                     files["amd64"])
    n_ext = r["inputs"][0].get("extension_modules") if r else None
    res.check(isinstance(n_ext, int) and 2 <= n_ext <= amd_elf,
              "amd64 dir python3.11 x86_64: 2 <= extension_modules <= elf_objects",
              "extension_modules is %r" % n_ext)

    # 2. arm64 checked for x86_64: arch-mismatch on exactly the AArch64 files.
    r = sc.scan("arm64 dir python3.11 x86_64", bundle["arm64"], "python3.11", "x86_64",
                "directory")
    aarch64 = set(f for f, facts in elf["arm64"].items() if facts.get("machine") == "AArch64")
    am = by_slug(r, "arch-mismatch")
    res.check(r is not None and paths(am) == aarch64,
              "arm64 dir python3.11 x86_64: arch-mismatch on exactly the %d files readelf "
              "calls AArch64" % len(aarch64), set_diff(paths(am), aarch64) if r else "no report")
    bad = [f.get("path") for f in am if not str(f.get("found", "")).startswith("aarch64")]
    res.check(r is not None and not bad,
              "arm64 dir python3.11 x86_64: every arch-mismatch `found` starts with aarch64",
              "not on %s" % short(bad) if r else "no report")
    bad = ["%s: %r, readelf %r" % (f.get("path"), f.get("found"), readelf_found(elf["arm64"],
                                                                              f.get("path")))
           for f in am if f.get("found") != readelf_found(elf["arm64"], f.get("path"))]
    res.check(r is not None and not bad, "arm64 dir python3.11 x86_64: every arch-mismatch "
              "`found` is readelf's machine, class and byte order", "; ".join(bad[:3]))
    bad = by_slug(r, "elf-unreadable")
    res.check(r is not None and not bad, "arm64 dir python3.11 x86_64: no elf-unreadable",
              "on %s" % short(paths(bad)) if r else "no report")
    got = r["inputs"][0].get("elf_objects") if r else None
    res.check(got == len(elf["arm64"]), "arm64 dir python3.11 x86_64: elf_objects == %d ELF "
              "files per readelf" % len(elf["arm64"]), "elf_objects is %r" % got)

    # 3. arm64 checked for arm64: clean.
    r = sc.scan("arm64 dir python3.11 arm64", bundle["arm64"], "python3.11", "arm64",
                "directory")
    for slug in CHECKED_SLUGS:
        bad = by_slug(r, slug)
        res.check(r is not None and not bad, "arm64 dir python3.11 arm64: no %s" % slug,
                  "on %s" % short(paths(bad)) if r else "no report")

    # 4. numpy's modules renamed to cpython-36m: python-tag-mismatch on exactly those.
    renamed_root = os.path.join(work, "bundles", "amd64-numpy-cp36m")
    shutil.copytree(bundle["amd64"], renamed_root, copy_function=os.link)
    renamed = set()
    for rel in files["amd64"]:
        if rel.startswith("numpy/") and rel.endswith(".cpython-311-x86_64-linux-gnu.so"):
            new = rel[:-len(".cpython-311-x86_64-linux-gnu.so")] + ".cpython-36m-x86_64-linux-gnu.so"
            os.rename(os.path.join(renamed_root, rel), os.path.join(renamed_root, new))
            renamed.add(new)
    res.check(len(renamed) >= 2, "renamed %d numpy modules to *.cpython-36m-x86_64-linux-gnu.so"
              % len(renamed), "too few numpy modules")
    label = "amd64 numpy-cp36m dir python3.11 x86_64"
    r = sc.scan(label, renamed_root, "python3.11", "x86_64", "directory")
    tm = by_slug(r, "python-tag-mismatch")
    res.check(r is not None and paths(tm) == renamed,
              "%s: python-tag-mismatch on exactly the %d renamed files" % (label, len(renamed)),
              set_diff(paths(tm), renamed) if r else "no report")
    bad = [f.get("path") for f in tm if f.get("severity") != "error"]
    res.check(r is not None and not bad, "%s: each python-tag-mismatch is an error" % label,
              "not on %s" % short(bad) if r else "no report")
    bad = [f.get("path") for f in tm if "3.6" not in str(f.get("message", ""))]
    res.check(r is not None and not bad, "%s: each python-tag-mismatch message names 3.6" % label,
              "not on %s (e.g. %r)" % (short(bad), next((f.get("message") for f in tm
                                                         if f.get("path") in bad), None))
              if r else "no report")
    bad = [f.get("path") for f in tm if f.get("distribution") is not None
           and str(f["distribution"].get("name", "")).lower() != "numpy"]
    res.check(r is not None and not bad,
              "%s: each python-tag-mismatch distribution is null or numpy" % label,
              "not on %s" % short(bad) if r else "no report")
    bad = by_slug(r, "arch-mismatch")
    res.check(r is not None and not bad, "%s: no arch-mismatch" % label,
              "on %s" % short(paths(bad)) if r else "no report")

    # 5. amd64 checked for python3.6: every cpython-311 module is the wrong Python.
    r = sc.scan("amd64 dir python3.6 x86_64", bundle["amd64"], "python3.6", "x86_64",
                "directory")
    cp311 = set(f for f in files["amd64"] if ".cpython-311-" in f and f.endswith(".so"))
    tm = by_slug(r, "python-tag-mismatch")
    res.check(r is not None and paths(tm) == cp311 and
              any(p.startswith("numpy/") for p in cp311) and
              any(p.startswith("kiwisolver/") for p in cp311),
              "amd64 dir python3.6 x86_64: python-tag-mismatch on exactly the %d *.cpython-311-*.so"
              " files (numpy and kiwisolver)" % len(cp311),
              set_diff(paths(tm), cp311) if r else "no report")

    # 6. zip == directory, less the `input` field.
    for arch in ARCHS:
        label = "%s zip python3.11 x86_64" % arch
        rz = sc.scan(label, zips[arch], "python3.11", "x86_64", "zip")
        rd = next((rep for lab, rep in sc.reports
                   if lab == "%s dir python3.11 x86_64" % arch), None)
        if rz is None or rd is None:
            res.check(False, "%s: same findings as the directory" % label, "no report")
            continue

        def canon(rep):
            return sorted(json.dumps({k: v for k, v in f.items() if k != "input"},
                                     sort_keys=True) for f in rep["findings"])
        cz, cd = canon(rz), canon(rd)
        only_z = [json.loads(s).get("path") for s in cz if s not in cd]
        only_d = [json.loads(s).get("path") for s in cd if s not in cz]
        res.check(cz == cd, "%s: same %d findings as the directory, less `input`"
                  % (label, len(cd)), "only in zip: %s; only in dir: %s"
                  % (short(only_z), short(only_d)))
        bad = by_slug(rz, "member-unreadable") + by_slug(rz, "elf-unreadable")
        res.check(not bad, "%s: no member-unreadable or elf-unreadable" % label,
                  "on %s" % short(paths(bad)))
        got = rz["inputs"][0].get("elf_objects")
        res.check(got == len(elf[arch]), "%s: elf_objects == %d ELF files per readelf"
                  % (label, len(elf[arch])), "elf_objects is %r" % got)

    # 7. The size plan of the real bundle: printed; its debug bytes per ELF file are at
    #    least what readelf -S gives to .debug_*, .symtab and .strtab; its unzipped size is the
    #    tree's; numpy's tests/ trees are found.
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "size"))
    import readelf_strip
    for arch in ARCHS:
        label = "%s zip python3.11 --size" % arch
        p = run([abiscan, "--runtime", "python3.11", "--arch",
                 "arm64" if arch == "arm64" else "x86_64", "--size", "--format", "json",
                 zips[arch]])
        try:
            plan = json.loads(p.stdout)["inputs"][0]["size"]
        except (ValueError, KeyError, IndexError):
            res.check(False, "%s: a report with a size plan" % label, text(p.stderr))
            continue
        left = {i["path"] for i in plan["items"] if i["kind"] != "debug"}
        want = {}
        for rel in elf[arch]:
            if rel in left or any(rel.startswith(t) for t in left if t.endswith("/")):
                continue
            d, s = readelf_strip.strippable(os.path.join(bundle[arch], rel))
            if d + s:
                want[rel] = d + s
        got = {i["path"]: i["bytes"] for i in plan["items"] if i["kind"] == "debug"}
        # What strip saves is those sections and more (their headers, names, padding):
        # the same files, each at least readelf's bytes (tests/size runs strip itself).
        res.check(set(got) == set(want) and all(got[k] >= want[k] for k in want),
                  "%s: the ELF files readelf -S says strip takes something from, each at "
                  "least its sections' bytes (%d files, %d bytes)"
                  % (label, len(want), sum(want.values())), "abiscan %s; readelf %s"
                  % (short(sorted(got.items())), short(sorted(want.items()))))
        total = sum(os.lstat(os.path.join(bundle[arch], f)).st_size for f in files[arch])
        res.check(plan["unzipped"] == total, "%s: unzipped == %d, the tree's bytes"
                  % (label, total), "abiscan says %r" % plan["unzipped"])
        tests = [i["path"] for i in plan["items"] if i["kind"] == "tests"]
        res.check(any(t.startswith("numpy/") for t in tests),
                  "%s: numpy's tests/ trees are found (%d trees, %d bytes)"
                  % (label, len(tests), plan["savings"]["tests"]["bytes"]), "none")
        # Its treemap, as rsvg-convert draws it: sizes on the rectangles, numpy named, the
        # limits drawn and said in the legend.
        svg = os.path.join(work, "%s-treemap.svg" % arch)
        t = run([abiscan, "--runtime", "python3.11", "--size", "--report",
                 "treemap=" + svg, zips[arch]])
        drawn = run(["rsvg-convert", "-o", svg + ".png", svg]) if os.path.exists(svg) else None
        ns = "{http://www.w3.org/2000/svg}"
        written = (["".join(e.itertext()) for e in ET.parse(svg).iter(ns + "text")]
                   if os.path.exists(svg) else [])
        res.check(drawn is not None and drawn.returncode == 0 and
                  os.path.getsize(svg + ".png") > 0 and
                  any(w.endswith(("KiB", "MiB", " bytes")) for w in written) and
                  any(w.startswith("numpy") for w in written) and "Lambda's limit" in written and
                  open(svg, encoding="utf-8").read().count('stroke="#c00000"') >= 2,
                  "%s: rsvg-convert draws the real treemap: sizes, numpy, the limits drawn"
                  % label, drawn and text(drawn.stderr) or written[:20])
        for line in text(t.stdout).splitlines():
            if line.startswith(("Size of", "  after", "    tests", "    caches", "    sources",
                                "    debug", "    dist-info", "    duplicates")):
                res.note(line.strip())

    # 8. Schema.
    if validator is None:
        res.check(True, "schema not present yet")
    else:
        check_reports(res, validator, sc.reports)

    print("%d passed, %d failed" % (res.passed, res.failed))
    return 0 if res.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
