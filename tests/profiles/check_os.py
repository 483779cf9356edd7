#!/usr/bin/python3
"""Check abiscan's runtime OS library tables (rules/os/*.json) against the schema and the facts.

Usage: check_os.py RULES_DIR

RULES_DIR holds schema/os.schema.json and os/{al1,al2,al2023}.json (and, if present,
runtimes/*.json, whose os.name must agree). Checks the schema (valid draft 2020-12, only the
keywords abiscan's C validator supports), each file against it, the rules the schema cannot
express (exactly one of soname/pattern, anchored patterns, no soname matched by two rows), that
the rows every file lists (the others are present rows from a file list), that every library that can be missing has a provider hint,
and a table of expected statuses hard-coded from doc/sources.md#libraries-per-os. Lookups
resolve a soname as the C loader does (analyzer/osdata.c): exact soname rows first, then patterns, each compiled
anchored at the start.

Needs only the standard library and jsonschema (Debian python3-jsonschema >= 4.0 for
Draft202012Validator). Prints one line per check, then "N passed, M failed"; exits 1 on any
failure, 2 on bad usage.
"""

import glob
import json
import os
import re
import sys
from datacheck import Checker, Draft202012Validator, jsonschema, schema_keyword_problems  # noqa: E402,E501

OS_IDS = ("al1", "al2", "al2023")
OS_NAMES = {"al1": "Amazon Linux", "al2": "Amazon Linux 2", "al2023": "Amazon Linux 2023"}
# The section of the project's facts document every row's source cites (its GitHub anchor).
SOURCES_REF = "doc/sources.md#libraries-per-os"

# Expected statuses, hard-coded from doc/sources.md#libraries-per-os
# (✓ present, ✗ absent, '?'/'img'/U unknown). Kept independent of the data on purpose.
# soname -> (family, al1, al2, al2023); None = no row may match (the data says nothing).
P, A, U = "present", "absent", "unknown"
EXPECTED = {
    # glibc family, libz: ✓ everywhere (#625)
    "libc.so.6":              ("glibc", P, P, P),
    "libm.so.6":              ("glibc", P, P, P),
    "libpthread.so.0":        ("glibc", P, P, P),
    "libdl.so.2":             ("glibc", P, P, P),
    "librt.so.1":             ("glibc", P, P, P),
    "libutil.so.1":           ("glibc", P, P, P),
    "libresolv.so.2":         ("glibc", P, P, P),
    "ld-linux-x86-64.so.2":   ("glibc", P, P, P),
    "libz.so.1":              ("system", P, P, P),
    # doc/sources.md#toolchain-ceilings toolchain
    "libstdc++.so.6":         ("toolchain", P, P, P),
    "libgcc_s.so.1":          ("toolchain", P, P, P),
    # one row each
    "libnsl.so.1":            ("glibc", P, P, U),
    "libmvec.so.1":           ("glibc", A, P, P),
    "libcrypt.so.1":          ("glibc", P, A, U),
    "libatomic.so.1":         ("toolchain", A, A, U),
    "libgomp.so.1":           ("toolchain", P, A, U),
    "libgfortran.so.5":       ("toolchain", A, A, A),
    "libgfortran.so.3":       ("toolchain", A, A, A),
    "libquadmath.so.0":       ("toolchain", A, A, A),
    # libssl/libcrypto: .10, .10, .3 (.10 ✗ I); .1.1 nowhere
    "libssl.so.10":           ("system", P, P, A),
    "libcrypto.so.10":        ("system", P, P, A),
    "libssl.so.3":            ("system", A, A, P),
    "libcrypto.so.3":         ("system", A, A, P),
    "libssl.so.1.1":          ("system", A, A, A),
    "libcrypto.so.1.1":       ("system", A, A, A),
    "libffi.so.6":            ("system", P, P, A),
    "libexpat.so.1":          ("system", P, A, U),
    "libsqlite3.so.0":        ("system", P, A, U),
    "liblzma.so.5":           ("system", P, A, U),
    "libuuid.so.1":           ("system", P, A, U),
    "libxml2.so.2":           ("system", P, A, U),
    "libcurl.so.4":           ("system", P, A, U),
    "libbz2.so.1":            ("system", P, A, U),
    "libglib-2.0.so.0":       ("system", P, A, U),
    "libgobject-2.0.so.0":    ("system", P, A, U),
    "libgthread-2.0.so.0":    ("system", P, A, U),
    "libGL.so.1":             ("system", P, A, A),
    "libX11.so.6":            ("system", P, A, A),
    "libXext.so.6":           ("system", P, A, A),
    "libXrender.so.1":        ("system", P, A, A),
    "libICE.so.6":            ("system", P, A, A),
    "libSM.so.6":             ("system", P, A, A),
    "libkrb5.so.3":           ("system", P, P, U),
    "libcom_err.so.2":        ("system", P, P, U),
    "libpcre.so.1":           ("system", P, P, U),
    "libpython2.7.so.1.0":    ("libpython", P, A, A),
    "libpython3.6m.so.1.0":   ("libpython", P, U, U),
    "libpython3.12.so.1.0":   ("libpython", U, U, U),
    "libc.musl-x86_64.so.1":  ("musl", A, A, A),
    "libc.musl-aarch64.so.1": ("musl", A, A, A),
    # not in the table: no row may claim them
    "libzmq.so.5":            None,
    "libcryptopp.so.8":       None,
    "libstdc++.so.5":         None,
}

# Labels the table puts on single cells: (soname, os) -> confidence.
EXPECTED_CONFIDENCE = {
    ("libresolv.so.2", "al2023"): "inferred",
    ("libstdc++.so.6", "al2023"): "inferred",
    ("libgcc_s.so.1", "al2023"): "inferred",
    ("libmvec.so.1", "al2023"): "inferred",
    ("libnsl.so.1", "al1"): "inferred",
    ("libcrypt.so.1", "al1"): "inferred",
    ("libssl.so.10", "al2023"): "inferred",
    ("libffi.so.6", "al2023"): "inferred",
    ("libGL.so.1", "al2023"): "inferred",
    ("libgfortran.so.5", "al2023"): "inferred",
    ("libpython3.6m.so.1.0", "al1"): "inferred",
}

# Realistic DT_NEEDED names used to exercise patterns: every pattern row and provider must match
# at least one, and none may be matched by two library rows or two providers.
PROBES = sorted(set(list(k for k in EXPECTED) + [
    "libnss_files.so.2", "libnss_dns.so.2", "libnss_compat.so.2", "libanl.so.1",
    "libBrokenLocale.so.1", "ld-linux-aarch64.so.1", "ld-musl-x86_64.so.1", "ld-musl-aarch64.so.1",
    "libpython2.6.so.1.0", "libpython2.7.so", "libpython3.7m.so.1.0", "libpython3.6.so.1.0",
    "libpython3.8.so.1.0", "libpython3.11.so.1.0", "libpython3.13t.so.1.0", "libpython3.so",
    "libpython3.6m.so", "libffi.so.7", "libffi.so.8", "libbz2.so.1.0",
    "libzmq.so.5", "libsodium.so.23", "libpgm-5.3.so.0", "libnorm.so.1",
    "libicuuc.so.72", "libicui18n.so.72", "libicudata.so.72", "libwebp.so.7", "libwebpmux.so.3",
    "libwebpdemux.so.2", "libsharpyuv.so.0", "libjpeg.so.62", "libjpeg.so.8", "libpng16.so.16",
    "libpng15.so.15", "libtiff.so.5", "libtiff.so.6", "libopenjp2.so.7", "liblcms2.so.2",
    "libfreetype.so.6", "libharfbuzz.so.0", "libxcb.so.1", "libxcb-shm.so.0", "libXau.so.6",
    "libX11-xcb.so.1", "libGLX.so.0", "libGLdispatch.so.0", "libgio-2.0.so.0",
    "libblas.so.3", "libcblas.so.3", "liblapack.so.3", "libopenblas.so.0", "libopenblasp-r0.so",
    "libpq.so.5", "libmysqlclient.so.21", "libmariadb.so.3", "libxslt.so.1", "libexslt.so.0",
    "libyaml-0.so.2", "libzstd.so.1", "liblz4.so.1", "libsnappy.so.1", "libgeos_c.so.1",
    "libgeos-3.11.1.so", "libproj.so.25", "libgdal.so.32", "libhdf5.so.103",
    "libhdf5_serial.so.103", "libhdf5_hl.so.100", "libnetcdf.so.19", "libcurl-gnutls.so.4",
    "libpcre.so.3", "libpcre2-8.so.0", "libgssapi_krb5.so.2", "libk5crypto.so.3",
]))

# Keywords abiscan's own C schema validator understands; the schema must use no others.
CONFIDENCES = {"single-source", "inferred", "unconfirmed", "tested"}




def pattern_problem(pat):
    """Why a row/provider pattern would not match whole sonames under PCRE2_ANCHORED, or None."""
    if not pat.startswith("^"):
        return "does not start with ^"
    if not pat.endswith("$") or pat.endswith("\\$"):
        return "does not end with an unescaped $ (the C loader anchors only the start)"
    try:
        re.compile(pat)
    except re.error as exc:
        return "does not compile: %s" % exc
    depth, i, in_class = 0, 0, False
    while i < len(pat):
        ch = pat[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pat[i + 1:i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return "has a top-level | (group the alternation so ^ and $ bind to all of it)"
        i += 1
    return None


def lookup(rows, soname):
    """The row for a soname as analyzer/osdata.c finds it: exact rows first, then patterns."""
    for r in rows:
        if r.get("soname") == soname:
            return r
    for r in rows:
        if "pattern" in r and re.match(r["pattern"], soname):
            return r
    return None


def row_key(r):
    return ("soname", r["soname"]) if "soname" in r else ("pattern", r.get("pattern"))


def row_label(r):
    return r["soname"] if "soname" in r else "/%s/" % r.get("pattern")


def check_file(c, path, doc, validator, runtime_names):
    base = os.path.basename(path)
    stem = base[:-len(".json")]
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    detail = "; ".join("/%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message)
                       for e in errors[:5])
    if not c.check("%s: conforms to os.schema.json" % base, not errors, detail):
        return None
    c.check("%s: $schema is ../schema/os.schema.json" % base,
            doc.get("$schema") == "../schema/os.schema.json", repr(doc.get("$schema")))
    c.check("%s: id == file stem" % base, doc["id"] == stem, "id %r" % doc["id"])
    want_name = OS_NAMES.get(stem)
    c.check("%s: name == %r" % (base, want_name), doc["name"] == want_name, repr(doc["name"]))
    other = sorted(runtime_names.get(doc["id"], set()) - {doc["name"]})
    c.check("%s: name agrees with os.name in runtimes/*.json" % base, not other,
            "profiles say %s" % other)

    rows = doc["libraries"]
    bad = [i for i, r in enumerate(rows) if ("soname" in r) == ("pattern" in r)]
    if not c.check("%s: every row has exactly one of soname/pattern" % base, not bad,
                   "rows %s" % bad[:10]):
        return None
    problems = ["%s %s" % (r["pattern"], pattern_problem(r["pattern"]))
                for r in rows if "pattern" in r and pattern_problem(r["pattern"])]
    if not c.check("%s: every pattern compiles, starts with ^, ends with $, no top-level |" % base,
                   not problems, "; ".join(problems[:5])):
        return None

    keys = [row_key(r) for r in rows]
    dups = sorted(set(k[1] for k in keys if keys.count(k) > 1))
    c.check("%s: no duplicate rows" % base, not dups, repr(dups))

    overlaps = []
    for name in sorted(set([r["soname"] for r in rows if "soname" in r] + PROBES)):
        hits = [row_label(r) for r in rows
                if r.get("soname") == name or ("pattern" in r and re.match(r["pattern"], name))]
        if len(hits) > 1:
            overlaps.append("%s <- %s" % (name, ", ".join(hits)))
    c.check("%s: no soname (rows + %d probes) matched by two rows" % (base, len(PROBES)),
            not overlaps, "; ".join(overlaps[:5]))
    idle = [r["pattern"] for r in rows if "pattern" in r
            and not any(re.match(r["pattern"], p) for p in PROBES)]
    c.check("%s: every pattern row matches at least one probe soname" % base, not idle, repr(idle))

    nosrc = [row_label(r) for r in rows if SOURCES_REF not in r["source"]]
    c.check("%s: every row's source cites %s" % (base, SOURCES_REF), not nosrc, repr(nosrc[:5]))
    written = [row_label(r) for r in rows if r.get("confidence") == "confirmed"]
    c.check("%s: confidence 'confirmed' is omitted, not written" % base, not written, repr(written[:5]))
    mism = [row_label(r) for r in rows
            if (r["status"] == "unknown") != (r.get("confidence") == "unconfirmed")]
    c.check("%s: status unknown <=> confidence unconfirmed ('?'/img/U)" % base, not mism,
            repr(mism[:5]))

    u = doc.get("unlisted", {})
    c.check("%s: unlisted cites %s" % (base, SOURCES_REF), SOURCES_REF in u.get("source", ""),
            repr(u.get("source")))
    c.check("%s: unlisted unknown <=> confidence unconfirmed" % base,
            (u.get("status") == "unknown") == (u.get("confidence") == "unconfirmed"), repr(u))
    return doc


# A provider hint is the same for every OS: what an OS ships is the OS list's to say, and the
# messages say it from there. A hint that names an OS, or holds a placeholder a pasted
# command would take for a shell redirect, contradicts that (issue: messages agree with the
# data the verdict used).
OS_WORDS = re.compile(r"\bAL(1|2|2023)\b|Amazon Linux|<[^>]*>")


def check_providers(c, rules, docs):
    path = os.path.join(rules, "providers.json")
    try:
        with open(path, "rb") as f:
            raw = f.read()
        doc = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as exc:
        c.check("providers.json: parses as JSON", False, str(exc))
        return []
    c.check("providers.json: 2-space indented, trailing newline",
            raw.decode("utf-8") == json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    with open(os.path.join(rules, "schema", "providers.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    problems = schema_keyword_problems(schema, "#", schema.get("$defs", {}))
    c.check("providers.schema.json uses only keywords the C validator supports", not problems,
            "; ".join(problems[:5]))
    errs = sorted(Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
    c.check("providers.json validates against its schema", not errs,
            "; ".join(e.message for e in errs[:3]))
    provs = doc.get("providers", [])
    pprob = ["%s %s" % (p["pattern"], pattern_problem(p["pattern"]))
             for p in provs if pattern_problem(p["pattern"])]
    if c.check("providers.json: every pattern compiles, starts with ^, ends with $, no top-level |",
               not pprob, "; ".join(pprob[:5])):
        povl = []
        for name in PROBES:
            hits = [p["pattern"] for p in provs if re.match(p["pattern"], name)]
            if len(hits) > 1:
                povl.append("%s <- %s" % (name, ", ".join(hits)))
        c.check("providers.json: no probe soname matched by two providers", not povl,
                "; ".join(povl[:5]))
        pidle = [p["pattern"] for p in provs if not any(re.match(p["pattern"], n) for n in PROBES)]
        c.check("providers.json: every provider matches at least one probe soname", not pidle,
                repr(pidle))
    named = ["%s: %s" % (p["pattern"], OS_WORDS.search(p["hint"]).group(0))
             for p in provs if OS_WORDS.search(p["hint"])]
    c.check("providers.json: no hint names an OS or holds a <placeholder> (the OS lists say "
            "what each OS ships; %d OS lists render every hint)" % len(docs), not named,
            "; ".join(named[:5]))
    return provs


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 2
    rules = argv[1]
    c = Checker()

    schema_path = os.path.join(rules, "schema", "os.schema.json")
    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
        c.check("schema/os.schema.json loads", True)
    except (OSError, ValueError) as exc:
        c.check("schema/os.schema.json loads", False, str(exc))
        return c.summary()
    try:
        Draft202012Validator.check_schema(schema)
        schema_ok = c.check("schema is a valid draft 2020-12 schema", True)
    except jsonschema.exceptions.SchemaError as exc:
        schema_ok = c.check("schema is a valid draft 2020-12 schema", False, exc.message)
    c.check("schema declares draft 2020-12",
            isinstance(schema, dict) and schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema")
    problems = schema_keyword_problems(schema, "#", schema.get("$defs", {}) if isinstance(schema, dict) else {})
    c.check("schema uses only keywords the C validator supports", not problems, "; ".join(problems[:5]))
    if not schema_ok:
        return c.summary()
    validator = Draft202012Validator(schema)

    runtime_names = {}
    for path in glob.glob(os.path.join(rules, "runtimes", "*.json")):
        try:
            with open(path, encoding="utf-8") as f:
                prof = json.load(f)
            runtime_names.setdefault(prof["os"]["id"]["value"], set()).add(prof["os"]["name"]["value"])
        except (OSError, ValueError, KeyError, TypeError):
            pass  # check_profiles.py reports broken profiles

    paths = sorted(glob.glob(os.path.join(rules, "os", "*.json")))
    stems = [os.path.basename(p)[:-len(".json")] for p in paths]
    c.check("os/ holds exactly %s.json" % ".json, ".join(OS_IDS), sorted(stems) == sorted(OS_IDS),
            "found %s" % stems)

    docs = {}
    for path in paths:
        base = os.path.basename(path)
        try:
            with open(path, "rb") as f:
                raw = f.read()
            doc = json.loads(raw.decode("utf-8"))
        except (OSError, ValueError) as exc:
            c.check("%s: parses as JSON" % base, False, str(exc))
            continue
        c.check("%s: parses as JSON" % base, True)
        c.check("%s: 2-space indented, trailing newline" % base,
                raw.decode("utf-8") == json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        if check_file(c, path, doc, validator, runtime_names) is not None:
            docs[base[:-len(".json")]] = doc

    if not all(o in docs for o in OS_IDS):
        c.check("cross-file checks need all of %s valid" % ", ".join(OS_IDS), False,
                "valid: %s" % sorted(docs))
        return c.summary()

    fam = {o: {row_key(r): r["family"] for r in docs[o]["libraries"]} for o in OS_IDS}
    stat = {o: {row_key(r): r["status"] for r in docs[o]["libraries"]} for o in OS_IDS}
    # The doc/sources.md#libraries-per-os rows are in every file; a file list (lambci's fs.txt, packages.txt) adds
    # present rows to its own OS only, and the others say what they do of an unlisted name.
    common = set.intersection(*(set(fam[o]) for o in OS_IDS))
    odd = sorted("%s:%s" % (o, k[1]) for o in OS_IDS for k in set(fam[o]) - common
                 if stat[o][k] != "present")
    c.check("a row not every file lists is a present row of its own OS", not odd, repr(odd[:5]))
    for o in OS_IDS[1:]:
        diff = sorted(k[1] for k in set(fam["al1"]) & set(fam[o]) if fam["al1"][k] != fam[o][k])
        c.check("al1 and %s give each row the same family" % o, not diff, repr(diff[:5]))

    provs = check_providers(c, rules, docs)
    uncovered = []
    for o in OS_IDS:
        for r in docs[o]["libraries"]:
            if r["status"] == "present":
                continue
            names = [r["soname"]] if "soname" in r else [p for p in PROBES if re.match(r["pattern"], p)]
            for n in names:
                if not any(re.match(p["pattern"], n) for p in provs):
                    uncovered.append("%s:%s" % (o, n))
    c.check("every library that may be missing has a provider hint", not uncovered,
            repr(sorted(set(uncovered))[:8]))

    for soname, want in EXPECTED.items():
        got = []
        for o in OS_IDS:
            r = lookup(docs[o]["libraries"], soname)
            got.append(None if r is None else (r["family"], r["status"]))
        if want is None:
            c.check("%s: no row (not in doc/sources.md#libraries-per-os)" % soname, got == [None] * 3, repr(got))
            continue
        family, statuses = want[0], want[1:]
        label = "/".join(statuses)
        ok = all(g is not None and g == (family, s) for g, s in zip(got, statuses))
        c.check("%s: %s on al1/al2/al2023, family %s (doc/sources.md#libraries-per-os)" % (soname, label, family), ok,
                "got %s" % ["-" if g is None else "%s/%s" % g for g in got])

    for (soname, o), conf in sorted(EXPECTED_CONFIDENCE.items()):
        r = lookup(docs[o]["libraries"], soname)
        got = None if r is None else r.get("confidence", "confirmed")
        c.check("%s on %s: confidence %s (doc/sources.md#libraries-per-os cell label)" % (soname, o, conf), got == conf, repr(got))

    return c.summary()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
