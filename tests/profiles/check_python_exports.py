#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Check abiscan's table of what each CPython exports (rules/python_exports.json): its shape.

Usage: check_python_exports.py RULES_DIR

RULES_DIR holds schema/python_exports.schema.json and python_exports.json. The table is
written by tools/gen_python_exports.py from real builds, which the tests do not need: this
checks what the file says, not how it was made. The layout the generator writes; the schema;
the builds, one per minor version without a gap, each saying what it was and how it was read;
every symbol a C API name (Py* or _Py*, what abiscan's ELF reader collects) with ranges of
those builds, ascending, apart and not touching; and facts the CPython release notes state
(doc/sources.md#c-api-exports), kept here apart from the data. Prints one line per check, then
"N passed, M failed"; exits 1 on any failure, 2 on bad usage.
"""

import json
import os
import re
import sys
from datacheck import Checker, Draft202012Validator, jsonschema, schema_keyword_problems  # noqa: E402,E501

# Facts of CPython's own (What's New; the psycopg2 report of doc/sources.md#c-api-exports):
# which recorded minor versions export the symbol.
EXPECTED = {
    "PyModule_Create2": (6, 13),
    "PyLong_FromLong": (6, 13),
    "_PyObject_NextNotImplemented": (6, 12),  # gone in 3.13: psycopg2's renamed cp39 build
    "PyModule_AddType": (9, 13),              # added in 3.9
    "Py_NewRef": (10, 13),                    # added in 3.10
    "PyErr_GetRaisedException": (12, 13),     # added in 3.12
    "PyLong_AsInt": (13, 13),                 # added in 3.13
    "PyUnicode_AsUnicode": (6, 11),           # removed in 3.12
}
MIN_SYMBOLS = 1500  # every build exports more than this many
RANGE = re.compile(r"^3\.([0-9]+)-3\.([0-9]+)$")


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 2
    rules = argv[1]
    c = Checker()

    schema_path = os.path.join(rules, "schema", "python_exports.schema.json")
    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as exc:
        c.check("schema/python_exports.schema.json loads", False, str(exc))
        return c.finish()
    try:
        Draft202012Validator.check_schema(schema)
        c.check("schema is a valid draft 2020-12 schema", True)
    except jsonschema.exceptions.SchemaError as exc:
        c.check("schema is a valid draft 2020-12 schema", False, exc.message)
        return c.finish()
    problems = schema_keyword_problems(schema, "#", schema.get("$defs", {}))
    c.check("schema uses only keywords the C validator supports", not problems,
            "; ".join(problems[:5]))

    try:
        with open(os.path.join(rules, "python_exports.json"), encoding="utf-8") as f:
            text = f.read()
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        c.check("python_exports.json parses as JSON", False, str(exc))
        return c.finish()
    c.check("python_exports.json: keys sorted, 2-space indent, trailing newline",
            text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    errors = list(Draft202012Validator(schema).iter_errors(data))
    if not c.check("python_exports.json conforms to its schema", not errors,
                   "; ".join(e.message for e in errors[:5])):
        return c.finish()
    c.check("$schema points at schema/python_exports.schema.json",
            data.get("$schema") == "schema/python_exports.schema.json")
    c.check("source names the generator and cites doc/sources.md#c-api-exports",
            "tools/gen_python_exports.py" in data["source"]
            and "doc/sources.md#c-api-exports" in data["source"], data["source"])

    builds = data["builds"]
    minors = sorted(int(k[2:]) for k in builds if re.fullmatch(r"3\.[0-9]+", k))
    c.check("every build is named 3.N", len(minors) == len(builds), repr(sorted(builds)))
    c.check("the builds are minor versions without a gap (3.%s)" % ",".join(map(str, minors)),
            minors and minors == list(range(minors[0], minors[-1] + 1)))
    vague = [k for k, v in builds.items()
             if not re.match(r"CPython 3\.[0-9]+\.[0-9]+\S*, ", v) or "nm -D --defined-only" not in v
             or not v.startswith("CPython %s." % k)]
    c.check("each build says its CPython release and how its symbols were read", not vague,
            repr(vague[:3]))

    exports = data["exports"]
    c.check("at least %d symbols (found %d)" % (MIN_SYMBOLS, len(exports)),
            len(exports) >= MIN_SYMBOLS)
    bad = [s for s in exports if not re.fullmatch(r"_?Py[A-Za-z0-9_]*", s)]
    c.check("every symbol is a C API name (Py*, _Py*)", not bad, repr(bad[:5]))
    wrong = []
    per = {m: 0 for m in minors}
    for sym, text in exports.items():
        last = None
        for part in text.split(","):
            m = RANGE.match(part)
            a, b = (int(m.group(1)), int(m.group(2))) if m else (None, None)
            if (not m or a > b or a not in per or b not in per
                    or (last is not None and a <= last + 1)):
                wrong.append("%s=%s" % (sym, text))
                break
            for v in range(a, b + 1):
                per[v] += 1
            last = b
    c.check("every range is of recorded builds, ascending, apart and not touching", not wrong,
            "; ".join(wrong[:5]))
    thin = ["3.%d: %d" % (m, n) for m, n in per.items() if n < MIN_SYMBOLS]
    c.check("every build exports at least %d of them" % MIN_SYMBOLS, not thin, ", ".join(thin))

    for sym, (first, last) in EXPECTED.items():
        want = "3.%d-3.%d" % (max(first, minors[0]), min(last, minors[-1]))
        c.check("%s: %s" % (sym, want), exports.get(sym) == want, "found %r" % exports.get(sym))
    return c.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
