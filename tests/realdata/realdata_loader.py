#!/usr/bin/python3
"""Real-data loader test: abiscan's glibc, libstdc++ and DT_NEEDED rules against readelf.

What it proves: on real, distribution-built extension modules (Debian bookworm amd64: numpy,
kiwisolver (C++), pyzmq, PyICU (C++, ICU 72) and Pillow), abiscan's glibc-too-new,
libstdcxx-too-new and needed-not-found findings agree with binutils' readelf on the same files:

 1. glibc-too-new (python3.11 -> GLIBC_2.26, python3.12 -> GLIBC_2.34) is reported on exactly the
    ELF files whose highest GLIBC_x.y need ("Version needs section" of `readelf -V`, numeric
    compare) is above the ceiling, or that need GLIBC_PRIVATE; `found` is that highest name (or
    GLIBC_PRIVATE), `expected` the ceiling; one finding per file;
 2. libstdcxx-too-new is reported on exactly the (file, prefix) pairs, prefix GLIBCXX_ or
    CXXABI_, whose highest need of that prefix is above the runtime's libstdc++ (python3.11:
    GLIBCXX_3.4.24 / CXXABI_1.3.11, python3.12: GLIBCXX_3.4.29 / CXXABI_1.3.13; CXXABI_TM_1 and
    CXXABI_FLOAT128 are accepted); `found` is that highest name, `expected` the ceiling;
 3. needed-not-found: every (path, found) reported is a NEEDED entry of that file per
    `readelf -d`, never one of glibc's own libraries, libgcc_s, libstdc++ or libz, never a name
    the bundle provides (RPATH/RUNPATH with $ORIGIN, the bundle root, lib/); libzmq.so.5, PyICU's
    libicu*.so.72, Pillow's libwebp.so.N and numpy's BLAS/LAPACK sonames are each reported; and a
    soname reported for one file is reported for every file that needs it and cannot find it in
    the bundle (whether the OS has a library does not depend on who asks);
 4. with libzmq5's library vendored as lib/libzmq.so.5 (bundle B), pyzmq's modules no longer
    get libzmq.so.5 reported, lib/libzmq.so.5 is itself checked, and its sodium/pgm/norm needs
    are reported (the other needs it does not get reported for are printed for a human to check
    against the OS list);
 5. a zip and a directory of bundle A give identical findings (less the `input` field);
 6. bundle A with the section headers of every ELF file removed (e_shoff, e_shnum,
    e_shstrndx zeroed, as sstrip leaves a file: ld.so loads it all the same) gives the same
    findings as bundle A: abiscan reads the dynamic facts through the program headers;
and for every run, the exit status is 1 exactly when summary.error > 0, else 0, and the report
validates against rules/schema/report.schema.json (Draft 2020-12) when that file exists.

Usage:
  /usr/bin/python3 tests/realdata/realdata_loader.py --abiscan BUILD/abiscan --work BUILD/realdata-loader [--cache DIR]

Same conventions as realdata.py (whose helpers it imports, unchanged): .debs fetched once with
`apt-get download` into <cache>/debs/, the work dir recreated on every run (a marker guards it),
nothing skipped, one "ok - ..." / "not ok - ...: ..." line per check, then "N passed, M failed";
exits 0 only if nothing failed. Lines starting with "#" show readelf's expected sets.
"""

import argparse
import json
import os
import posixpath
import re
import shutil
import sys

sys.dont_write_bytecode = True  # no __pycache__ next to realdata.py
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realdata as rd  # noqa: E402  (helpers only; realdata.main() is not run)
from realdata import Fatal, Results, Scanner, by_slug, paths, run, set_diff, short, text  # noqa: E402

ARCH = "amd64"
ABISCAN_ARCH = "x86_64"
PY_PACKAGES = ("python3-numpy", "python3-kiwisolver", "python3-zmq", "python3-icu",
               "python3-pil")
LIB_PACKAGE = "libzmq5"
LIBZMQ_DIR = "usr/lib/x86_64-linux-gnu"
LIBZMQ_SONAME = "libzmq.so.5"
VENDORED = "lib/" + LIBZMQ_SONAME
RUNTIMES = ("python3.11", "python3.12")

# The runtime's glibc and libstdc++ (Amazon Linux 2 for python3.11, AL2023 for python3.12).
CEILINGS = {
    "python3.11": {"GLIBC_": "GLIBC_2.26", "GLIBCXX_": "GLIBCXX_3.4.24",
                   "CXXABI_": "CXXABI_1.3.11"},
    "python3.12": {"GLIBC_": "GLIBC_2.34", "GLIBCXX_": "GLIBCXX_3.4.29",
                   "CXXABI_": "CXXABI_1.3.13"},
}
# The suffixes each runtime's Python tries (Python/dynload_shlib.c): a module file under any
# other tag is never opened, and only python-tag-mismatch speaks of it.
SUFFIXES = {
    "python3.11": (".cpython-311-x86_64-linux-gnu.so", ".abi3.so", ".so"),
    "python3.12": (".cpython-312-x86_64-linux-gnu.so", ".abi3.so", ".so"),
}
MODULE_TAG = re.compile(r"\.(cpython-[0-9]+[a-z]*-[a-z0-9_]+-linux-[a-z]+|abi3)\.so$")
CXX_PREFIXES = ("GLIBCXX_", "CXXABI_")
CXX_ACCEPTED = ("CXXABI_TM_1", "CXXABI_FLOAT128")  # non-numeric names that never count
NEVER_REPORTED = ("libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1",
                  "libutil.so.1", "libresolv.so.2", "libgcc_s.so.1", "libstdc++.so.6",
                  "libz.so.1")
NEW_SLUGS = ("glibc-too-new", "libstdcxx-too-new", "needed-not-found")


def never_reported(soname):
    return soname in NEVER_REPORTED or re.fullmatch(r"ld-linux-.*\.so\..*", soname) is not None


def vkey(name, prefix):
    """(2, 3, 4) for ("GLIBC_2.3.4", "GLIBC_"); None for a non-numeric name of that prefix."""
    m = re.fullmatch(re.escape(prefix) + r"(\d+(?:\.\d+)*)", name)
    return tuple(int(x) for x in m.group(1).split(".")) if m else None


# ---------------------------------------------------------------------------------------------
# readelf's view: NEEDED, RPATH, RUNPATH and version needs


def readelf_dynamic(full):
    """{"needed": [...], "rpath": [...], "runpath": [...]} from `readelf -d -W`."""
    p = run(["readelf", "-d", "-W", full], timeout=60)
    if p.returncode != 0:
        raise Fatal("readelf -d -W %s failed (exit %d): %s" % (full, p.returncode, text(p.stderr)))
    out = {"needed": [], "rpath": [], "runpath": []}
    for line in text(p.stdout).splitlines():
        m = re.match(r"\s*0x[0-9a-fA-F]+\s+\((NEEDED|RPATH|RUNPATH)\)\s+"
                     r"(?:Shared library|Library rpath|Library runpath):\s+\[(.*)\]\s*$", line)
        if not m:
            if re.match(r"\s*0x[0-9a-fA-F]+\s+\((NEEDED|RPATH|RUNPATH)\)", line):
                raise Fatal("cannot parse readelf -d line of %s: %r" % (full, line))
            continue
        tag, value = m.group(1), m.group(2)
        if tag == "NEEDED":
            out["needed"].append(value)
        else:
            out[tag.lower()].extend(d for d in value.split(":") if d)
    return out


def readelf_version_needs(full):
    """{file: [version names]} from the "Version needs section" of `readelf -V -W`.

    The entry count in the section header and every `Cnt:` are checked against what was parsed,
    so a format change makes the test fail instead of silently seeing fewer needs.
    """
    p = run(["readelf", "-V", "-W", full], timeout=60)
    if p.returncode != 0:
        raise Fatal("readelf -V -W %s failed (exit %d): %s" % (full, p.returncode, text(p.stderr)))
    needs, counts = {}, {}
    in_needs, declared, cur = False, None, None
    for line in text(p.stdout).splitlines():
        m = re.match(r"\s*Version (\w+) section '[^']*' contains (\d+) entr", line)
        if m:
            if in_needs:
                raise Fatal("two version needs sections in %s" % full)
            in_needs = m.group(1) == "needs"
            if in_needs:
                declared = int(m.group(2))
            continue
        if not in_needs:
            continue
        m = re.search(r"\bFile:\s+(\S+)\s+Cnt:\s+(\d+)", line)
        if m:
            cur = m.group(1)
            if cur in needs:
                raise Fatal("%s: %s appears twice in the version needs section" % (full, cur))
            needs[cur], counts[cur] = [], int(m.group(2))
            continue
        m = re.search(r"\bName:\s+(\S+)\s+Flags:", line)
        if m:
            if cur is None:
                raise Fatal("%s: version need %s before any File:" % (full, m.group(1)))
            needs[cur].append(m.group(1))
            continue
        if line.strip() and not re.match(r"\s*Addr:", line):
            raise Fatal("cannot parse readelf -V line of %s: %r" % (full, line))
    if in_needs:
        if len(needs) != declared:
            raise Fatal("%s: version needs section declares %d entries, parsed %d"
                        % (full, declared, len(needs)))
        for f, names in needs.items():
            if len(names) != counts[f]:
                raise Fatal("%s: %s declares Cnt %d, parsed %d names"
                            % (full, f, counts[f], len(names)))
    return needs


class Truth:
    """readelf's view of one bundle directory."""

    def __init__(self, root, res, label):
        self.root = root
        self.files = rd.bundle_files(root)
        elf, archives = rd.readelf_view(root, self.files)
        self.elf = sorted(elf)
        self.dyn, self.vneeds = {}, {}
        for rel in self.elf:
            full = os.path.join(root, rel)
            self.dyn[rel] = readelf_dynamic(full)
            self.vneeds[rel] = readelf_version_needs(full)
        res.note("%s: %d files, %d ELF files, %d ar archives of ELF objects"
                 % (label, len(self.files), len(self.elf), len(archives)))
        odd = sorted(set(n for rel in self.elf for names in self.vneeds[rel].values()
                         for n in names
                         if (n.startswith("GLIBC_") and n != "GLIBC_PRIVATE"
                             and vkey(n, "GLIBC_") is None)
                         or any(n.startswith(p) and vkey(n, p) is None and n not in CXX_ACCEPTED
                                for p in CXX_PREFIXES)))
        if odd:
            # The contract does not say how to rank these; they do not count either way.
            res.note("%s: non-numeric version needs the contract does not rank, ignored: %s"
                     % (label, ", ".join(odd)))
        for rel in self.elf:
            d = self.dyn[rel]
            if d["rpath"] or d["runpath"]:
                res.note("%s: %s has RPATH %s RUNPATH %s" % (label, rel, d["rpath"], d["runpath"]))

    def held(self, rel, runtime):
        """Whether the loader rules speak of rel on runtime: every ELF file, a module under a
        tag the runtime's Python never opens too (Debian's cpython-311d debug builds, a
        cpython-311 module for python3.12: renamed or rebuilt as it is, it would fail so)."""
        return True

    def opened(self, rel, runtime):
        """Whether the runtime's Python opens rel when its module is imported."""
        m = MODULE_TAG.search(rel)
        return not m or m.group(0) in SUFFIXES[runtime]

    def all_needs(self, rel):
        return [n for names in self.vneeds[rel].values() for n in names]

    def highest_over(self, rel, prefix, ceiling):
        """The highest numeric need of `prefix` if above `ceiling`, else None."""
        limit = vkey(ceiling, prefix)
        best = None
        for n in self.all_needs(rel):
            k = vkey(n, prefix)
            if k is not None and k > limit and (best is None or k > vkey(best, prefix)):
                best = n
        return best

    def expected_glibc(self, runtime):
        """path -> set of acceptable `found` values, for the files glibc-too-new must flag."""
        out = {}
        for rel in (r for r in self.elf if self.held(r, runtime)):
            over = self.highest_over(rel, "GLIBC_", CEILINGS[runtime]["GLIBC_"])
            private = "GLIBC_PRIVATE" in self.all_needs(rel)
            ok = set()
            if over:
                ok.add(over)
            if private:
                ok.add("GLIBC_PRIVATE")
            if ok:
                out[rel] = ok
        return out

    def expected_cxx(self, runtime):
        """(path, prefix) -> expected `found`."""
        out = {}
        for rel in (r for r in self.elf if self.held(r, runtime)):
            for prefix in CXX_PREFIXES:
                over = self.highest_over(rel, prefix, CEILINGS[runtime][prefix])
                if over:
                    out[(rel, prefix)] = over
        return out

    def search_dirs(self, rel):
        """Bundle-relative directories ld.so would search for `rel`'s NEEDED (as far as they
        lie inside the bundle): DT_RPATH unless DT_RUNPATH is set, DT_RUNPATH, then /var/task
        and /var/task/lib, i.e. the root and lib/."""
        d = self.dyn[rel]
        origin = posixpath.dirname(rel) or "."
        dirs = []
        for entry in (d["runpath"] if d["runpath"] else d["rpath"]):
            e = entry.replace("${ORIGIN}", "$ORIGIN")
            if e.startswith("$ORIGIN"):
                e = posixpath.join(origin, e[len("$ORIGIN"):].lstrip("/"))
            elif e == "/var/task" or e.startswith("/var/task/"):
                e = "." + e[len("/var/task"):]
            else:
                continue  # an OS directory, or a relative path (relative to the cwd)
            e = posixpath.normpath(e)
            if e != ".." and not e.startswith("../"):
                dirs.append(e)
        return dirs + [".", "lib"]

    def provided(self, rel, soname):
        """The bundle path that provides `soname` to `rel`, or None."""
        for d in self.search_dirs(rel):
            cand = posixpath.normpath(posixpath.join(d, soname))
            if os.path.isfile(os.path.join(self.root, cand)):
                return cand
        return None

    def unresolved(self, runtime):
        """(path, soname) pairs that are NEEDED, not glibc & co, and not in the bundle, of the
        files the runtime loads."""
        return set((rel, n) for rel in self.elf if self.held(rel, runtime)
                   for n in self.dyn[rel]["needed"]
                   if not never_reported(n) and self.provided(rel, n) is None)


# ---------------------------------------------------------------------------------------------
# Checks


def check_glibc(res, label, r, truth, runtime):
    ceiling = CEILINGS[runtime]["GLIBC_"]
    want = truth.expected_glibc(runtime)
    fs = by_slug(r, "glibc-too-new")
    got = paths(fs)
    res.check(r is not None and got == set(want),
              "%s: glibc-too-new on exactly the %d ELF files readelf says need more than %s"
              % (label, len(want), ceiling), set_diff(got, set(want)) if r else "no report")
    bad = ["%s: found %r, readelf's highest %s" % (f.get("path"), f.get("found"),
                                                   "/".join(sorted(want[f.get("path")])))
           for f in fs if f.get("path") in want and f.get("found") not in want[f.get("path")]]
    res.check(r is not None and not bad,
              "%s: each glibc-too-new `found` is readelf's highest GLIBC_ need" % label,
              "; ".join(bad[:4]) + (" ... (%d in all)" % len(bad) if len(bad) > 4 else ""))
    bad = ["%s: %r" % (f.get("path"), f.get("expected")) for f in fs
           if f.get("expected") != ceiling]
    res.check(r is not None and not bad,
              "%s: each glibc-too-new `expected` is %s" % (label, ceiling), "; ".join(bad[:4]))
    dups = sorted(set(p for p in (f.get("path") for f in fs)
                      if sum(1 for g in fs if g.get("path") == p) > 1))
    res.check(r is not None and not dups,
              "%s: one glibc-too-new finding per file" % label, "duplicates on %s" % short(dups))


def check_cxx(res, label, r, truth, runtime):
    want = truth.expected_cxx(runtime)
    fs = by_slug(r, "libstdcxx-too-new")
    keyed, bad_prefix = {}, []
    for f in fs:
        prefix = next((p for p in CXX_PREFIXES if str(f.get("found", "")).startswith(p)), None)
        if prefix is None:
            bad_prefix.append("%s: found %r" % (f.get("path"), f.get("found")))
            continue
        keyed.setdefault((f.get("path"), prefix), []).append(f)
    res.check(r is not None and not bad_prefix,
              "%s: each libstdcxx-too-new `found` starts with GLIBCXX_ or CXXABI_" % label,
              "; ".join(bad_prefix[:4]))
    for prefix in CXX_PREFIXES:
        ceiling = CEILINGS[runtime][prefix]
        w = set(p for (p, pre) in want if pre == prefix)
        g = set(p for (p, pre) in keyed if pre == prefix)
        res.check(r is not None and g == w,
                  "%s: libstdcxx-too-new %s on exactly the %d ELF files readelf says need more "
                  "than %s" % (label, prefix, len(w), ceiling),
                  set_diff(g, w) if r else "no report")
        bad = []
        for (p, pre), lst in sorted(keyed.items()):
            if pre != prefix:
                continue
            if len(lst) > 1:
                bad.append("%s: %d findings" % (p, len(lst)))
            for f in lst:
                if (p, pre) in want and f.get("found") != want[(p, pre)]:
                    bad.append("%s: found %r, readelf's highest %s"
                               % (p, f.get("found"), want[(p, pre)]))
                if f.get("expected") != ceiling:
                    bad.append("%s: expected %r" % (p, f.get("expected")))
        res.check(r is not None and not bad,
                  "%s: each libstdcxx-too-new %s finding is single, `found` = readelf's highest "
                  "need, `expected` = %s" % (label, prefix, ceiling), "; ".join(bad[:4]))


def check_needed(res, label, r, truth, runtime):
    """The generic needed-not-found checks; returns {(path, soname): severity}."""
    fs = by_slug(r, "needed-not-found")
    pairs = {}
    dups = []
    for f in fs:
        key = (f.get("path"), f.get("found"))
        if key in pairs:
            dups.append("%s: %s" % key)
        pairs[key] = f.get("severity")
    res.check(r is not None and not dups,
              "%s: one needed-not-found per (file, soname)" % label, "duplicates: %s" % short(dups))
    bad = ["%s: %s" % (p, n) for (p, n) in pairs
           if p not in truth.dyn or n not in truth.dyn[p]["needed"]]
    res.check(r is not None and not bad,
              "%s: every needed-not-found (path, found) is a NEEDED entry per readelf -d" % label,
              "not NEEDED: %s" % short(bad))
    bad = ["%s: %s" % (p, n) for (p, n) in pairs if n is None or never_reported(n)]
    res.check(r is not None and not bad,
              "%s: no needed-not-found for glibc's libraries, libgcc_s, libstdc++, libz" % label,
              "reported: %s" % short(bad))
    bad = ["%s: %s (the bundle has %s)" % (p, n, truth.provided(p, n)) for (p, n) in pairs
           if p in truth.dyn and n and truth.provided(p, n) is not None]
    res.check(r is not None and not bad,
              "%s: no needed-not-found for a soname the bundle provides (RPATH/RUNPATH, root, "
              "lib/)" % label, "; ".join(bad[:4]))
    bad = ["%s: %s: %r" % (p, n, s) for (p, n), s in pairs.items()
           if s not in ("error", "warning")]
    res.check(r is not None and not bad,
              "%s: each needed-not-found is an error or a warning" % label, "; ".join(bad[:4]))
    # Consistency: the OS either has a soname or not, whoever needs it.
    unresolved = truth.unresolved(runtime)
    bad = sorted(f.get("path") for slug in NEW_SLUGS for f in by_slug(r, slug)
                 if f.get("path") in truth.dyn and not truth.opened(f["path"], runtime)
                 and f.get("lambda_error") is not None)
    res.check(r is not None and not bad,
              "%s: no 'Lambda says' on a loader finding for a module file %s never opens "
              "(python-tag-mismatch has it)" % (label, runtime), "on %s" % short(bad))
    reported_names = set(n for (_, n) in pairs)
    missing = sorted("%s: %s" % (p, n) for (p, n) in unresolved
                     if n in reported_names and (p, n) not in pairs)
    res.check(r is not None and not missing,
              "%s: a soname reported for one file is reported for every file that needs it and "
              "cannot find it in the bundle" % label, "not reported: %s" % short(missing))
    sev = {}
    for (p, n), s in pairs.items():
        sev.setdefault(n, set()).add(s)
    res.note("%s: needed-not-found sonames: %s" % (label, ", ".join(
        "%s (%s, %d files)" % (n, "/".join(sorted(str(x) for x in sev[n])),
                               sum(1 for (_, m) in pairs if m == n)) for n in sorted(sev)) or "none"))
    unrep = sorted(set(n for (_, n) in unresolved) - reported_names)
    res.note("%s: NEEDED, not in the bundle, not reported (so abiscan takes them as on the OS): %s"
             % (label, ", ".join(unrep) or "none"))
    return pairs


def needed_by(truth, top, pattern):
    """Sonames matching `pattern` that the ELF files under top/ need."""
    return sorted(set(n for rel in truth.elf if rel.startswith(top + "/")
                      for n in truth.dyn[rel]["needed"] if re.fullmatch(pattern, n)))


def strip_section_headers(path):
    """As sstrip leaves a file: no section header table (ELF64 little-endian)."""
    with open(path, "rb") as fh:
        data = bytearray(fh.read())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise Fatal("%s: not ELF64 little-endian" % path)
    data[0x28:0x30] = bytes(8)   # e_shoff
    data[0x3c:0x40] = bytes(4)   # e_shnum, e_shstrndx
    os.unlink(path)              # a hard link to bundle A's file: write a new one
    with open(path, "wb") as fh:
        fh.write(data)


def canon(rep):
    return sorted(json.dumps({k: v for k, v in f.items() if k != "input"}, sort_keys=True)
                  for f in rep["findings"])


def new_slug_count(r):
    return sum(len(by_slug(r, s)) for s in NEW_SLUGS)


def print_expectations(res, label, truth, runtime):
    g = truth.expected_glibc(runtime)
    res.note("%s %s: %d ELF files over %s%s" % (
        label, runtime, len(g), CEILINGS[runtime]["GLIBC_"], "" if g else " (none: fine)"))
    for p in sorted(g):
        res.note("    %s: %s" % (p, "/".join(sorted(g[p]))))
    c = truth.expected_cxx(runtime)
    for prefix in CXX_PREFIXES:
        w = sorted((p, v) for (p, pre), v in c.items() if pre == prefix)
        res.note("%s %s: %d ELF files over %s%s" % (
            label, runtime, len(w), CEILINGS[runtime][prefix], "" if w else " (none)"))
        for p, v in w:
            res.note("    %s: %s" % (p, v))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--abiscan", required=True, help="the abiscan binary to test")
    ap.add_argument("--work", required=True, help="scratch dir, recreated on every run")
    ap.add_argument("--cache", default=None, help="download cache (default: %s)"
                    % rd.default_cache())
    args = ap.parse_args()
    abiscan = os.path.abspath(args.abiscan)
    work = os.path.abspath(args.work)
    cache = os.path.abspath(args.cache or rd.default_cache())
    res = Results()

    try:
        validator = None
        if os.path.exists(rd.SCHEMA_PATH):
            try:
                from jsonschema import Draft202012Validator
            except ImportError as exc:
                raise Fatal("%s exists but jsonschema.Draft202012Validator cannot be imported "
                            "(install Debian's python3-jsonschema): %s" % (rd.SCHEMA_PATH, exc))
            with open(rd.SCHEMA_PATH) as fh:
                schema = json.load(fh)
            try:
                Draft202012Validator.check_schema(schema)
            except Exception as exc:
                raise Fatal("%s is not a valid 2020-12 schema: %s" % (rd.SCHEMA_PATH, exc))
            validator = Draft202012Validator(schema)
        for tool in ("apt-get", "dpkg", "dpkg-deb", "readelf"):
            if shutil.which(tool) is None:
                raise Fatal("%s is not installed (needs apt, dpkg and binutils)" % tool)
        if not (os.path.isfile(abiscan) and os.access(abiscan, os.X_OK)):
            raise Fatal("no executable abiscan at %s" % abiscan)

        # Fetch.
        debs_dir = os.path.join(cache, "debs")
        os.makedirs(debs_dir, exist_ok=True)
        py_debs = [(pkg, rd.fetch(debs_dir, pkg, ARCH, res)[0]) for pkg in PY_PACKAGES]
        zmq_deb = rd.fetch(debs_dir, LIB_PACKAGE, ARCH, res)[0]
        res.check(True, "fetched %s, %s for %s" % (", ".join(PY_PACKAGES), LIB_PACKAGE, ARCH))

        # Bundle A: the dist-packages content of the five python packages.
        rd.fresh_dir(work)
        with open(os.path.join(work, rd.WORK_MARKER), "w") as fh:
            fh.write("made by tests/realdata/realdata_loader.py; deleted and recreated on "
                     "every run\n")
        root_a = rd.make_bundle(work, "A", py_debs)  # -> <work>/bundles/A
        zip_a = root_a + ".zip"
        rd.make_zip(root_a, zip_a)

        # Bundle B: A plus libzmq5's library (the regular file) as lib/libzmq.so.5.
        zdest = os.path.join(work, "unpacked", LIB_PACKAGE)
        os.makedirs(zdest)
        p = run(["dpkg-deb", "-x", zmq_deb, zdest])
        if p.returncode != 0:
            raise Fatal("dpkg-deb -x %s failed: %s" % (zmq_deb, text(p.stderr)))
        zdir = os.path.join(zdest, LIBZMQ_DIR)
        regular = sorted(n for n in (os.listdir(zdir) if os.path.isdir(zdir) else [])
                         if n.startswith(LIBZMQ_SONAME) and not os.path.islink(os.path.join(zdir, n))
                         and os.path.isfile(os.path.join(zdir, n)))
        if len(regular) != 1:
            raise Fatal("%s: expected one regular file /%s/%s*, found %s"
                        % (os.path.basename(zmq_deb), LIBZMQ_DIR, LIBZMQ_SONAME, regular))
        root_b = os.path.join(work, "bundles", "B")
        shutil.copytree(root_a, root_b, copy_function=os.link)
        if os.path.exists(os.path.join(root_b, "lib")):
            raise Fatal("bundle A already has a lib/ entry")
        os.makedirs(os.path.join(root_b, "lib"))
        shutil.copyfile(os.path.join(zdir, regular[0]), os.path.join(root_b, VENDORED))
        res.note("bundle B: %s/%s copied to lib/%s" % (LIBZMQ_DIR, regular[0], LIBZMQ_SONAME))

        # Bundle A312: A with every cpython-311 module named for 3.12, as if built for it: a
        # module under another version's tag is never opened, so the python3.12 loader rules
        # need the runtime's own tag to speak at all.
        root_a312 = os.path.join(work, "bundles", "A312")
        shutil.copytree(root_a, root_a312, copy_function=os.link)
        for rel in rd.bundle_files(root_a312):
            if rel.endswith(SUFFIXES["python3.11"][0]):
                new = rel[:-len(SUFFIXES["python3.11"][0])] + SUFFIXES["python3.12"][0]
                os.rename(os.path.join(root_a312, rel), os.path.join(root_a312, new))
        zip_a312 = root_a312 + ".zip"
        rd.make_zip(root_a312, zip_a312)

        truth_a = Truth(root_a, res, "bundle A")
        truth_a312 = Truth(root_a312, res, "bundle A312")
        truth_b = Truth(root_b, res, "bundle B")
        shutil.rmtree(os.path.join(work, "unpacked"))
    except Fatal as exc:
        res.check(False, "set up the real-data loader bundles", str(exc))
        print("%d passed, %d failed" % (res.passed, res.failed))
        return 1

    # The test's own version order (what the contract calls numeric).
    order = ["GLIBC_2.3.4", "GLIBC_2.17", "GLIBC_2.26", "GLIBC_2.28"]
    res.check(sorted(order, key=lambda n: vkey(n, "GLIBC_")) == order and
              vkey("GLIBCXX_3.4.30", "GLIBC_") is None and vkey("CXXABI_TM_1", "CXXABI_") is None,
              "version order: %s; GLIBCXX_ is not GLIBC_; CXXABI_TM_1 is not numeric"
              % " < ".join(order), "the test's vkey() is wrong")

    # Layout sanity: every package brought ELF extension modules; B has the vendored library.
    for top in ("numpy", "kiwisolver", "zmq", "icu", "PIL"):
        mods = [f for f in truth_a.elf if f.startswith(top + "/")]
        res.check(bool(mods), "bundle A: %s/ has ELF files (%d)" % (top, len(mods)),
                  "none found")
    res.check(VENDORED in truth_b.elf and set(truth_b.elf) == set(truth_a.elf) | {VENDORED},
              "bundle B: the ELF files of A plus %s" % VENDORED,
              "B's ELF files differ: %s" % set_diff(set(truth_b.elf), set(truth_a.elf) | {VENDORED}))

    # What readelf says must be reported (printed for a human to eyeball).
    required = [
        ("pyzmq", [LIBZMQ_SONAME] if LIBZMQ_SONAME in needed_by(truth_a, "zmq", r".*") else []),
        ("PyICU", needed_by(truth_a, "icu", r"libicu(uc|i18n)\.so\..*")),
        ("Pillow", needed_by(truth_a, "PIL", r"libwebp\.so\..*")),
        ("numpy BLAS", needed_by(truth_a, "numpy", r"libc?blas\.so\..*")),
        ("numpy LAPACK", needed_by(truth_a, "numpy", r"liblapack\.so\..*")),
    ]
    for what, names in required:
        res.check(bool(names), "readelf: %s's modules need %s" % (what, ", ".join(names) or "?"),
                  "readelf shows no such NEEDED entry; the test's premise is wrong")
    own = {"python3.11": ("A", root_a, truth_a), "python3.12": ("A312", root_a312, truth_a312)}
    for runtime in RUNTIMES:
        print_expectations(res, "bundle " + own[runtime][0], own[runtime][2], runtime)
    print_expectations(res, "bundle B", truth_b, "python3.11")
    res.note("bundle A: NEEDED not in the bundle (and not glibc & co): %s"
             % ", ".join(sorted(set(n for _, n in truth_a.unresolved("python3.11")))))
    zmq_needed = truth_b.dyn[VENDORED]["needed"]
    family = [n for n in zmq_needed if re.match(r"lib(sodium|pgm|norm)\b", n)]
    res.note("bundle B: %s NEEDED: %s" % (VENDORED, ", ".join(zmq_needed)))

    sc = Scanner(abiscan, res, validator)
    reports = {}

    # 1-3 on bundle A (directory) for python3.11, A312 for python3.12; and A for python3.12,
    # where Python opens none of the cpython-311 modules: no loader finding at all.
    for runtime in RUNTIMES:
        name, root, truth = own[runtime]
        label = "%s dir %s %s" % (name, runtime, ABISCAN_ARCH)
        r = sc.scan(label, root, runtime, ABISCAN_ARCH, "directory")
        reports[label] = r
        check_glibc(res, label, r, truth, runtime)
        check_cxx(res, label, r, truth, runtime)
        pairs = check_needed(res, label, r, truth, runtime)
        for what, names in required:
            for n in names:
                who = sorted(p for (p, m) in pairs if m == n)
                res.check(r is not None and bool(who),
                          "%s: needed-not-found %s (%s) reported" % (label, n, what),
                          "not reported for any file; readelf: NEEDED by %s"
                          % short(p for p, m in truth.unresolved(runtime) if m == n))
    # Bundle A for python3.12 too: Python 3.12 opens none of the cpython-311
    # modules, but what each needs is held to AL2023's libraries all the same.
    label = "A dir python3.12 %s" % ABISCAN_ARCH
    r = sc.scan(label, root_a, "python3.12", ABISCAN_ARCH, "directory")
    reports[label] = r
    check_glibc(res, label, r, truth_a, "python3.12")
    check_cxx(res, label, r, truth_a, "python3.12")
    check_needed(res, label, r, truth_a, "python3.12")
    tagged = paths(by_slug(r, "python-tag-mismatch"))
    want = set(f for f in truth_a.elf if f.endswith(SUFFIXES["python3.11"][0]))
    res.check(r is not None and want <= tagged,
              "%s: python-tag-mismatch on every cpython-311 module" % label,
              set_diff(tagged & want, want) if r else "no report")

    # 4. Bundle B, python3.11: the vendored libzmq resolves pyzmq's need and is checked itself.
    label = "B dir python3.11 %s" % ABISCAN_ARCH
    r = sc.scan(label, root_b, "python3.11", ABISCAN_ARCH, "directory")
    reports[label] = r
    check_glibc(res, label, r, truth_b, "python3.11")
    check_cxx(res, label, r, truth_b, "python3.11")
    pairs = check_needed(res, label, r, truth_b, "python3.11")
    bad = sorted(p for (p, n) in pairs if n == LIBZMQ_SONAME)
    res.check(r is not None and not bad,
              "%s: no needed-not-found %s (the bundle has %s)" % (label, LIBZMQ_SONAME, VENDORED),
              "still reported for %s" % short(bad))
    cands = [n for n in zmq_needed if not never_reported(n)
             and truth_b.provided(VENDORED, n) is None]
    rep = [n for n in cands if (VENDORED, n) in pairs]
    res.note("%s: %s's candidate needs %s; reported %s; not reported (abiscan must list them as "
             "on the OS: check by hand) %s"
             % (label, VENDORED, ", ".join(cands), ", ".join(rep) or "none",
                ", ".join(n for n in cands if n not in rep) or "none"))
    res.check(bool(family), "readelf: %s needs %s from the sodium/pgm/norm family"
              % (VENDORED, ", ".join(family) or "?"), "no such NEEDED entry")
    for n in family:
        res.check(r is not None and (VENDORED, n) in pairs,
                  "%s: needed-not-found %s reported for %s" % (label, n, VENDORED),
                  "not reported" if r else "no report")
    res.check(r is not None and (any(p == VENDORED for p, _ in pairs) or
                                 any(f.get("path") == VENDORED for f in r["findings"])),
              "%s: %s itself is checked (has findings)" % (label, VENDORED),
              "no finding on it")

    # 5. zip == directory for bundle A312, python3.12.
    label = "A312 zip python3.12 %s" % ABISCAN_ARCH
    rz = sc.scan(label, zip_a312, "python3.12", ABISCAN_ARCH, "zip")
    rdir = reports.get("A312 dir python3.12 %s" % ABISCAN_ARCH)
    if rz is None or rdir is None:
        res.check(False, "%s: same findings as the directory" % label, "no report")
    else:
        cz, cd = canon(rz), canon(rdir)
        only_z = [json.loads(s).get("path") for s in cz if s not in cd]
        only_d = [json.loads(s).get("path") for s in cd if s not in cz]
        res.check(cz == cd, "%s: same %d findings as the directory (%d of them new-rule "
                  "findings), less `input`" % (label, len(cd), new_slug_count(rdir)),
                  "only in zip: %s; only in dir: %s" % (short(only_z), short(only_d)))

    # 6. Section headers stripped: the same findings, read through the program headers.
    root_s = os.path.join(work, "bundles", "A312-stripped")
    shutil.copytree(root_a312, root_s, copy_function=os.link)
    for rel in truth_a312.elf:
        strip_section_headers(os.path.join(root_s, rel))
    label = "A312 stripped python3.12 %s" % ABISCAN_ARCH
    rs = sc.scan(label, root_s, "python3.12", ABISCAN_ARCH, "directory")
    if rs is None or rdir is None:
        res.check(False, "%s: same findings as with section headers" % label, "no report")
    else:
        cs, cd = canon(rs), canon(rdir)
        res.check(cs == cd, "%s: same %d findings as with section headers, %d ELF files "
                  "without them" % (label, len(cd), len(truth_a312.elf)),
                  "only stripped: %s; only with sections: %s"
                  % (short(json.loads(x).get("path") + ": " + json.loads(x).get("message")
                           for x in cs if x not in cd),
                     short(json.loads(x).get("path") for x in cd if x not in cs)))

    # 7 (exit status) is checked by Scanner.scan on every run; schema here.
    if validator is None:
        res.check(True, "schema not present yet")
    else:
        rd.check_reports(res, validator, sc.reports)

    print("%d passed, %d failed" % (res.passed, res.failed))
    return 0 if res.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
