#!/usr/bin/python3
"""Check abiscan's Stable ABI symbol table (rules/stable_abi.json) against its schema and the facts.

Usage: check_stable_abi.py RULES_DIR [STABLE_ABI_TOML]

RULES_DIR holds schema/stable_abi.schema.json and stable_abi.json. If STABLE_ABI_TOML (CPython's
Misc/stable_abi.toml, the file stable_abi.json was derived from) is given, the table is also
compared entry by entry with a re-derivation done here independently of tools/gen_stable_abi.py,
and the newest-version bound is taken from that file instead of the value recorded below.

Needs only the standard library and jsonschema (Debian python3-jsonschema >= 4.0 for
Draft202012Validator). Prints one line per check, then "N passed, M failed"; exits 1 on any
failure, 2 on bad usage.
"""

import json
import os
import re
import sys
from datacheck import Checker, Draft202012Validator, jsonschema, schema_keyword_problems  # noqa: E402,E501

# Facts read in python/cpython Misc/stable_abi.toml @ f74e4cad2c0413aadb6724a382f19a9e876bb408
# (the copy stable_abi.json was derived from). Kept independent of the data on purpose.
# Note: PyModule_FromDefAndSpec2 is '3.7' there ("and 3.6.1 and 3.5.3"), not 3.5.
EXPECTED = {
    "PyArg_Parse": "3.2",
    "PyType_FromSpec": "3.2",
    "PyOS_AfterFork": "3.2",                 # ifdef HAVE_FORK: kept
    "_Py_NoneStruct": "3.2",                 # data, abi_only: kept
    "PyType_FromSpecWithBases": "3.3",
    "PyType_GetSlot": "3.4",
    "PyModuleDef_Init": "3.5",
    "PyModule_FromDefAndSpec2": "3.7",
    "PyModule_ExecDef": "3.7",
    "PyThread_tss_create": "3.7",
    "PyOS_CheckStack": "3.7",                # ifdef USE_STACKCHECK (not Windows-only): kept
    "PyIndex_Check": "3.8",
    "PyCMethod_New": "3.9",
    "PyType_FromModuleAndSpec": "3.10",
    "PyModule_AddType": "3.10",
    "Py_NewRef": "3.10",
    "_Py_IncRef": "3.10",                    # abi_only: kept
    "PyExc_EncodingWarning": "3.10",         # data
    "PyType_GetName": "3.11",
    "PyExc_BaseExceptionGroup": "3.11",      # data, listed among the 3.2 exceptions
    "PyObject_GetBuffer": "3.11",
    "PyType_FromMetaclass": "3.12",
    "PyErr_DisplayException": "3.12",        # listed among the 3.2 PyErr_* functions
    "PyObject_Vectorcall": "3.12",
    "PyUnicode_EqualToUTF8": "3.13",
    "PyLong_AsInt": "3.13",
    "Py_TYPE": "3.14",                       # a macro before 3.14
    "PyLong_AsNativeBytes": "3.14",
    "PyModule_FromSlotsAndSpec": "3.15",
}
# Entries of the file that must NOT be in the table: Windows-only symbols (ifdef MS_WINDOWS)
# and items that are not linker symbols (struct, const, typedef, macro, feature_macro).
ABSENT = [
    "PyErr_SetFromWindowsErr", "PyExc_WindowsError", "PyUnicode_DecodeMBCS",  # MS_WINDOWS
    "PyType_Spec", "Py_buffer", "PyObject",                                   # struct
    "Py_tp_dealloc", "METH_FASTCALL", "Py_bf_getbuffer",                      # const
    "PyCFunctionFast", "Py_ssize_t", "vectorcallfunc",                        # typedef
    "Py_BEGIN_ALLOW_THREADS", "PY_VECTORCALL_ARGUMENTS_OFFSET",               # macro
    "MS_WINDOWS", "HAVE_FORK",                                                # feature_macro
]
OLDEST_IN_SOURCE = "3.2"    # the Stable ABI starts at 3.2 (PEP 384)
NEWEST_IN_SOURCE = "3.15"   # highest 'added' in the stored stable_abi.toml
MIN_SYMBOLS = 600
WINDOWS_ONLY_MACROS = {"MS_WINDOWS"}

# Keywords abiscan's own C schema validator understands; the schema must use no others.



def vkey(version):
    """'3.10' -> (3, 10), so that 3.10 sorts after 3.9."""
    return tuple(int(p) for p in version.split("."))



def derive_from_toml(path):
    """Independent re-derivation: {name: added} for function/data items, minus Windows-only."""
    import tomllib
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    out = {}
    for kind in ("function", "data"):
        for name, item in doc.get(kind, {}).items():
            if item.get("ifdef") in WINDOWS_ONLY_MACROS:
                continue
            out[name] = item["added"]
    every_added = [item["added"] for items in doc.values() for item in items.values() if "added" in item]
    return out, max(every_added, key=vkey)


def main(argv):
    if len(argv) not in (2, 3) or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 2
    rules = argv[1]
    toml_path = argv[2] if len(argv) == 3 else None
    c = Checker()

    # --- schema ---
    schema_path = os.path.join(rules, "schema", "stable_abi.schema.json")
    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as exc:
        c.check("schema/stable_abi.schema.json loads", False, str(exc))
        return c.finish()
    c.check("schema/stable_abi.schema.json loads", True)
    try:
        Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as exc:
        c.check("schema is a valid draft 2020-12 schema", False, exc.message)
        return c.finish()
    c.check("schema is a valid draft 2020-12 schema", True)
    c.check("schema declares draft 2020-12",
            schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema")
    problems = schema_keyword_problems(schema, "#", schema.get("$defs", {}))
    c.check("schema uses only keywords the C validator supports", not problems, "; ".join(problems[:5]))

    # --- data: parse, layout, schema ---
    data_path = os.path.join(rules, "stable_abi.json")
    try:
        with open(data_path, "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8")
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        c.check("stable_abi.json parses as JSON", False, str(exc))
        return c.finish()
    c.check("stable_abi.json parses as JSON", True)
    c.check("stable_abi.json: keys sorted, 2-space indent, trailing newline",
            text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    detail = "; ".join("/%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.message) for e in errors[:5])
    if not c.check("stable_abi.json conforms to stable_abi.schema.json", not errors, detail):
        return c.finish()
    c.check("stable_abi.json $schema points at schema/stable_abi.schema.json",
            data.get("$schema") == "schema/stable_abi.schema.json", repr(data.get("$schema")))
    c.check("source names python/cpython Misc/stable_abi.toml and the generator",
            data["source"].startswith("python/cpython Misc/stable_abi.toml @ ")
            and data["source"].endswith(", derived by tools/gen_stable_abi.py"), data["source"])

    symbols = data["symbols"]
    c.check("at least %d symbols (found %d)" % (MIN_SYMBOLS, len(symbols)), len(symbols) >= MIN_SYMBOLS)
    bad_names = [n for n in symbols if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n)]
    c.check("every symbol name is a C identifier", not bad_names, repr(bad_names[:5]))

    # --- version bounds ---
    newest = NEWEST_IN_SOURCE
    derived = None
    if toml_path:
        try:
            derived, newest = derive_from_toml(toml_path)
            c.check("%s parses as stable_abi.toml" % os.path.basename(toml_path), True)
        except (OSError, ValueError, KeyError) as exc:
            c.check("%s parses as stable_abi.toml" % os.path.basename(toml_path), False, str(exc))
    above = sorted(n for n, v in symbols.items() if vkey(v) > vkey(newest))
    c.check("no version above %s, the newest in the source" % newest, not above,
            ", ".join("%s=%s" % (n, symbols[n]) for n in above[:5]))
    below = sorted(n for n, v in symbols.items() if vkey(v) < vkey(OLDEST_IN_SOURCE))
    c.check("no version below %s, where the Stable ABI starts" % OLDEST_IN_SOURCE, not below,
            ", ".join("%s=%s" % (n, symbols[n]) for n in below[:5]))

    # --- spot checks against the file ---
    for name, want in EXPECTED.items():
        got = symbols.get(name)
        c.check("%s added %s" % (name, want), got == want, "found %r" % (got,))
    for name in ABSENT:
        c.check("%s is not in the table (Windows-only or not a linker symbol)" % name,
                name not in symbols)

    # --- optional full comparison with the TOML ---
    if derived is not None:
        missing = sorted(set(derived) - set(symbols))
        extra = sorted(set(symbols) - set(derived))
        differ = sorted(n for n in set(derived) & set(symbols) if derived[n] != symbols[n])
        c.check("table equals function+data entries of the TOML minus Windows-only (%d)" % len(derived),
                not (missing or extra or differ),
                "missing %s, extra %s, differ %s" % (missing[:5], extra[:5], differ[:5]))

    return c.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
