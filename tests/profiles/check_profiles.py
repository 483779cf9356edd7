#!/usr/bin/python3
"""Check abiscan's runtime profiles (rules/runtimes/*.json) against the schema and the facts.

Usage: check_profiles.py RULES_DIR [EXTRA_PROFILE.json ...]

RULES_DIR holds schema/profile.schema.json and runtimes/*.json. Any EXTRA_PROFILE files are
checked like the profiles in RULES_DIR/runtimes (schema, name, per-runtime facts) but do not
count towards the set of expected profiles; use them for negative tests.

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

# Expected facts, hard-coded from doc/sources.md#runtime-table and doc/sources.md#deprecation-dates
# (and doc/sources.md#toolchain-ceilings for the OS mapping). runtime -> (archs, OS id, ABI tag,
# .pyc magic, (deprecated, block create, block update)). Kept independent of the profiles on
# purpose: a typo in either shows up here.
RUNTIME_TABLE = {
    "python2.7":  (("x86_64",),         "al1",    "cp27mu", 62211, ("2021-07-15", "2021-07-15", "2022-05-30")),
    "python3.6":  (("x86_64",),         "al1",    "cp36m",  3379,  ("2022-07-18", "2022-07-18", "2022-08-29")),
    "python3.7":  (("x86_64",),         "al1",    "cp37m",  3394,  ("2023-12-04", "2024-01-09", "2027-03-03")),
    "python3.8":  (("x86_64", "arm64"), "al2",    "cp38",   3413,  ("2024-10-14", "2027-02-01", "2027-03-03")),
    "python3.9":  (("x86_64", "arm64"), "al2",    "cp39",   3425,  ("2025-12-15", "2027-02-01", "2027-03-03")),
    "python3.10": (("x86_64", "arm64"), "al2",    "cp310",  3439,  ("2026-10-31", "2027-02-01", "2027-03-03")),
    "python3.11": (("x86_64", "arm64"), "al2",    "cp311",  3495,  ("2027-06-30", "2027-07-31", "2027-08-31")),
    "python3.12": (("x86_64", "arm64"), "al2023", "cp312",  3531,  ("2028-10-31", "2028-11-30", "2029-01-10")),
    "python3.13": (("x86_64", "arm64"), "al2023", "cp313",  3571,  ("2029-06-30", "2029-07-31", "2029-08-31")),
    "python3.14": (("x86_64", "arm64"), "al2023", "cp314",  3627,  ("2029-06-30", "2029-07-31", "2029-08-31")),
}

# doc/sources.md#os-only-runtimes: runtime -> (archs, os id); no Python, no deprecation scheduled.
OS_ONLY_TABLE = {
    "provided.al2":    (("x86_64", "arm64"), "al2"),
    "provided.al2023": (("x86_64", "arm64"), "al2023"),
}
# doc/sources.md#os-only-runtimes (LD_LIBRARY_PATH of [aws-env]).
OS_ONLY_LIBRARY_PATH = ["/lib64", "/usr/lib64", "/var/runtime", "/var/runtime/lib", "/var/task",
                        "/var/task/lib", "/opt/lib"]

# doc/sources.md#nodejs-runtimes: runtime -> (archs, os id, Node.js major, NODE_MODULE_VERSION,
# highest Node-API, (deprecated, block create, block update)).
NODE_TABLE = {
    "nodejs18.x": (("x86_64", "arm64"), "al2", "18", 108, 9, ("2025-09-01", "2027-02-01", "2027-03-03")),
    "nodejs20.x": (("x86_64", "arm64"), "al2023", "20", 115, 9, ("2026-04-30", "2027-02-01", "2027-03-03")),
    "nodejs22.x": (("x86_64", "arm64"), "al2023", "22", 127, 10, ("2027-04-30", "2027-06-01", "2027-07-01")),
    "nodejs24.x": (("x86_64", "arm64"), "al2023", "24", 137, 10, ("2028-04-30", "2028-06-01", "2028-07-01")),
}

# doc/sources.md#architectures (EM_*, PT_INTERP, triplet) and doc/sources.md#remediation
# (pip --platform).
ARCH_TABLE = {
    "x86_64": {"machine": 62, "interpreter": "/lib64/ld-linux-x86-64.so.2",
               "triplet": "x86_64-linux-gnu", "pip_platform": "manylinux2014_x86_64"},
    "arm64": {"machine": 183, "interpreter": "/lib/ld-linux-aarch64.so.1",
              "triplet": "aarch64-linux-gnu", "pip_platform": "manylinux2014_aarch64"},
}

# doc/sources.md#toolchain-ceilings (AL1: the conservative values).
# (glibc, glibcxx, cxxabi, gcc x86_64, gcc arm64)
TOOLCHAIN_TABLE = {
    "al1":    ("2.17", "3.4.19", "1.3.7",  "4.8.0", None),
    "al2":    ("2.26", "3.4.24", "1.3.11", "7.0.0", "7.0.0"),
    "al2023": ("2.34", "3.4.29", "1.3.13", "7.0.0", "11.0"),
}

# Keywords abiscan's own C schema validator understands; the schema must use no others.



def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)



def check_machine_os(c, base, profile, os_id, section):
    """A runtime without Python: its architecture's loader, its OS and that OS's ceilings."""
    arch, elf, tc = profile["arch"], profile["elf"], profile["toolchain"]
    want = ARCH_TABLE[arch]
    got = (elf["machine"]["value"], elf["interpreter"]["value"], elf["triplet"]["value"])
    c.check("%s: machine/interpreter/triplet match arch %s (doc/sources.md#architectures)" % (base, arch),
            got == (want["machine"], want["interpreter"], want["triplet"]), repr(got))
    c.check("%s: os.id == %s (doc/sources.md#%s)" % (base, os_id, section),
            profile["os"]["id"]["value"] == os_id, profile["os"]["id"]["value"])
    glibc, glibcxx, cxxabi, gcc_x86, gcc_arm = TOOLCHAIN_TABLE[os_id]
    got_tc = (tc["glibc_max"]["value"], tc["glibcxx_max"]["value"], tc["cxxabi_max"]["value"],
              tc["gcc_max"]["value"])
    want_tc = (glibc, glibcxx, cxxabi, gcc_x86 if arch == "x86_64" else gcc_arm)
    c.check("%s: toolchain caps %s (doc/sources.md#toolchain-ceilings)" % (base, "/".join(want_tc)),
            got_tc == want_tc, "/".join(got_tc))


def check_os_only(c, base, profile):
    """An OS-only runtime: no Python facts, the OS's loader and ceilings, its library path."""
    runtime, arch = profile["runtime"], profile["arch"]
    archs, os_id = OS_ONLY_TABLE[runtime]
    c.check("%s: arch %s exists for %s (doc/sources.md#os-only-runtimes)" % (base, arch, runtime), arch in archs)
    c.check("%s: no python, pip_platform or lifecycle (doc/sources.md#os-only-runtimes)" % base,
            not any(k in profile for k in ("python", "pip_platform", "lifecycle")))
    check_machine_os(c, base, profile, os_id, "os-only-runtimes")
    c.check("%s: library_path (doc/sources.md#os-only-runtimes)" % base,
            profile["library_path"]["value"] == OS_ONLY_LIBRARY_PATH, repr(profile["library_path"]["value"]))
    return profile["id"]


def check_node(c, base, profile):
    """A Node.js runtime: its release, ABI and Node-API, no Python facts, the OS's ceilings,
    the library path of a runtime with a language, its dates."""
    runtime, arch = profile["runtime"], profile["arch"]
    archs, os_id, major, abi, napi, dates = NODE_TABLE[runtime]
    node = profile["node"]
    c.check("%s: arch %s exists for %s (doc/sources.md#nodejs-runtimes)" % (base, arch, runtime), arch in archs)
    c.check("%s: no python or pip_platform (doc/sources.md#nodejs-runtimes)" % base,
            not any(k in profile for k in ("python", "pip_platform")))
    got = (node["version"]["value"], node["module_version"]["value"], node["napi_max"]["value"])
    c.check("%s: Node.js %s, NODE_MODULE_VERSION %d, Node-API %d (doc/sources.md#nodejs-runtimes)"
            % (base, major, abi, napi), got == (major, abi, napi), repr(got))
    check_machine_os(c, base, profile, os_id, "nodejs-runtimes")
    c.check("%s: library_path starts with /var/lang/lib (doc/sources.md#environment-and-filesystem)" % base,
            profile["library_path"]["value"] == ["/var/lang/lib"] + OS_ONLY_LIBRARY_PATH,
            repr(profile["library_path"]["value"]))
    lc = profile["lifecycle"]
    got_dates = (lc["deprecated"]["value"], lc["block_create"]["value"], lc["block_update"]["value"])
    c.check("%s: lifecycle dates %s (doc/sources.md#nodejs-runtimes)" % (base, " / ".join(dates)),
            got_dates == dates, " / ".join(got_dates))
    return profile["id"]


def check_profile(c, path, profile, validator):
    base = os.path.basename(path)
    errors = sorted(validator.iter_errors(profile), key=lambda e: list(e.absolute_path))
    detail = "; ".join("/%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message)
                       for e in errors[:5])
    if not c.check("%s: conforms to profile.schema.json" % base, not errors, detail):
        return None  # the rest assumes the layout

    pid, runtime, arch = profile["id"], profile["runtime"], profile["arch"]
    c.check("%s: file name is id + '.json'" % base, base == pid + ".json", "id is %r" % pid)
    c.check("%s: id == runtime + '-' + arch" % base, pid == "%s-%s" % (runtime, arch),
            "id %r, runtime %r, arch %r" % (pid, runtime, arch))

    if runtime in OS_ONLY_TABLE:
        return check_os_only(c, base, profile)
    if runtime in NODE_TABLE:
        return check_node(c, base, profile)
    expected = RUNTIME_TABLE.get(runtime)
    if not c.check("%s: runtime is in doc/sources.md#runtime-table" % base, expected is not None, runtime):
        return pid
    archs, os_id, abi, magic, dates = expected
    py, elf, tc = profile["python"], profile["elf"], profile["toolchain"]

    c.check("%s: arch %s exists for %s (doc/sources.md#runtime-table)" % (base, arch, runtime), arch in archs)
    c.check("%s: python.version matches runtime" % base,
            py["version"]["value"] == runtime[len("python"):], py["version"]["value"])
    c.check("%s: abi_tag == %s (doc/sources.md#runtime-table)" % (base, abi), py["abi_tag"]["value"] == abi,
            py["abi_tag"]["value"])
    c.check("%s: pyc_magic == %d (doc/sources.md#runtime-table)" % (base, magic), py["pyc_magic"]["value"] == magic,
            str(py["pyc_magic"]["value"]))

    suffixes = py["extension_suffixes"]["value"]
    triplet = elf["triplet"]["value"]
    if runtime == "python2.7":
        c.check("%s: suffixes are ['.so', 'module.so'] (doc/sources.md#extension-suffixes-and-bytecode)" % base,
                suffixes == [".so", "module.so"], repr(suffixes))
    else:
        tagged = suffixes[0]
        digits = re.sub(r"^cp", "", py["abi_tag"]["value"])
        c.check("%s: tagged suffix %r contains abi digits %r and triplet %r" % (base, tagged, digits, triplet),
                tagged.startswith(".cpython-%s-" % digits) and triplet in tagged and tagged.endswith(".so"))
        c.check("%s: suffix order is tagged, .abi3.so, .so (doc/sources.md#extension-suffixes-and-bytecode)" % base,
                suffixes == [".cpython-%s-%s.so" % (digits, triplet), ".abi3.so", ".so"],
                repr(suffixes))

    want = ARCH_TABLE[arch]
    got = {"machine": elf["machine"]["value"], "interpreter": elf["interpreter"]["value"],
           "triplet": triplet, "pip_platform": profile["pip_platform"]["value"]}
    c.check("%s: machine/interpreter/triplet/pip_platform match arch %s "
            "(doc/sources.md#architectures, doc/sources.md#remediation)" % (base, arch),
            got == want, repr(got))
    c.check("%s: ELF class 64, data lsb (doc/sources.md#architectures)" % base,
            elf["class"]["value"] == 64 and elf["data"]["value"] == "lsb")

    c.check("%s: os.id == %s (doc/sources.md#runtime-table)" % (base, os_id), profile["os"]["id"]["value"] == os_id,
            profile["os"]["id"]["value"])
    glibc, glibcxx, cxxabi, gcc_x86, gcc_arm = TOOLCHAIN_TABLE[os_id]
    got_tc = (tc["glibc_max"]["value"], tc["glibcxx_max"]["value"], tc["cxxabi_max"]["value"],
              tc["gcc_max"]["value"])
    want_tc = (glibc, glibcxx, cxxabi, gcc_x86 if arch == "x86_64" else gcc_arm)
    c.check("%s: toolchain caps %s (doc/sources.md#toolchain-ceilings)" % (base, "/".join(want_tc)), got_tc == want_tc,
            "/".join(got_tc))
    extra = ["CXXABI_TM_1"] + (["CXXABI_FLOAT128"] if os_id != "al1" and arch == "x86_64" else [])
    c.check("%s: cxxabi_extra == %s (doc/sources.md#toolchain-ceilings)" % (base, extra),
            tc["cxxabi_extra"]["value"] == extra, repr(tc["cxxabi_extra"]["value"]))

    lp = profile["library_path"]["value"]
    c.check("%s: library_path %s /var/lang/lib (doc/sources.md#environment-and-filesystem)" % (base, "without" if runtime == "python2.7" else "starts with"),
            ("/var/lang/lib" not in lp) if runtime == "python2.7" else (lp[:1] == ["/var/lang/lib"]),
            repr(lp))

    lc = profile["lifecycle"]
    got_dates = (lc["deprecated"]["value"], lc["block_create"]["value"], lc["block_update"]["value"])
    c.check("%s: lifecycle dates %s (doc/sources.md#deprecation-dates)" % (base, " / ".join(dates)), got_dates == dates,
            " / ".join(got_dates))
    return pid


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 2
    rules = argv[1]
    extra_files = argv[2:]
    c = Checker()

    schema_path = os.path.join(rules, "schema", "profile.schema.json")
    try:
        schema = load_json(schema_path)
        loaded = True
    except (OSError, ValueError) as exc:
        loaded = False
        c.check("schema/profile.schema.json loads", False, str(exc))
    if not loaded:
        print("%d passed, %d failed" % (c.passed, c.failed))
        return 1
    c.check("schema/profile.schema.json loads", True)

    try:
        Draft202012Validator.check_schema(schema)
        schema_ok = True
    except jsonschema.exceptions.SchemaError as exc:
        schema_ok = False
        c.check("schema is a valid draft 2020-12 schema", False, exc.message)
    if schema_ok:
        c.check("schema is a valid draft 2020-12 schema", True)
        c.check("schema declares draft 2020-12",
                schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema")
    problems = schema_keyword_problems(schema, "#", schema.get("$defs", {}) if isinstance(schema, dict) else {})
    c.check("schema uses only keywords the C validator supports", not problems, "; ".join(problems[:5]))
    if not schema_ok:
        print("%d passed, %d failed" % (c.passed, c.failed))
        return 1
    validator = Draft202012Validator(schema)

    profile_paths = sorted(glob.glob(os.path.join(rules, "runtimes", "*.json")))
    found = []
    for path in profile_paths + extra_files:
        base = os.path.basename(path)
        try:
            with open(path, "rb") as f:
                raw = f.read()
            profile = json.loads(raw.decode("utf-8"))
        except (OSError, ValueError) as exc:
            c.check("%s: parses as JSON" % base, False, str(exc))
            continue
        c.check("%s: parses as JSON" % base, True)
        if path in profile_paths:
            text = raw.decode("utf-8")
            c.check("%s: 2-space indented, trailing newline" % base,
                    text == json.dumps(profile, indent=2, ensure_ascii=False) + "\n")
        pid = check_profile(c, path, profile, validator)
        if pid is not None and path in profile_paths:
            found.append(pid)

    expected_ids = sorted("%s-%s" % (rt, a)
                          for rt, (archs, *_rest) in list(RUNTIME_TABLE.items()) + list(OS_ONLY_TABLE.items()) + list(NODE_TABLE.items())
                          for a in archs)
    missing = sorted(set(expected_ids) - set(found))
    unexpected = sorted(set(os.path.basename(p)[:-len(".json")] for p in profile_paths) - set(expected_ids))
    c.check("exactly the %d expected profiles exist" % len(expected_ids),
            not missing and not unexpected and len(profile_paths) == len(expected_ids),
            "missing or invalid %s, unexpected %s" % (missing, unexpected))

    print("%d passed, %d failed" % (c.passed, c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
