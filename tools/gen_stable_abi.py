#!/usr/bin/env python3
"""Derive rules/stable_abi.json from CPython's Misc/stable_abi.toml.

Usage: gen_stable_abi.py [--commit SHA | --date YYYY-MM-DD] STABLE_ABI_TOML > rules/stable_abi.json

abiscan's `abi3-too-new` rule needs, for every linker symbol in the Stable ABI, the
Python version that first exported it (`added`). This script keeps exactly the entries
that are linker symbols:

  [function.NAME]  exported function
  [data.NAME]      exported object (PyExc_*, Py*_Type, _Py_NoneStruct, ...)

and skips struct, macro, const, typedef and feature_macro items, which have no symbol.
abi_only entries are kept: they are not part of the Limited API, but they are real
exported symbols that a module built against older headers (or via public macros) may
import. Entries with `ifdef` are kept unless the feature macro is Windows-only
(MS_WINDOWS): abiscan only looks at Linux ELF modules, which cannot import those.

The source line names the CPython commit the TOML came from, and the file's address at that
commit (doc/sources.md#public-sources lists it as [stable-abi-toml]). The default is the commit
of the stored copy the committed rules/stable_abi.json was derived from; the script
refuses to use that default for any other input (checked by git blob hash), so a
regenerated file never claims the wrong provenance: pass --commit (or --date for an
undated, uncommitted copy) when feeding it a different stable_abi.toml.

Output: keys sorted, 2-space indent, trailing newline; the same input always gives
byte-identical output. Python 3.11+ standard library only (tomllib).
"""

import argparse
import hashlib
import json
import re
import sys
import tomllib

# Provenance of the copy the committed rules/stable_abi.json was generated from.
DEFAULT_COMMIT = "f74e4cad2c0413aadb6724a382f19a9e876bb408"
DEFAULT_BLOB = "31d22e64b846ba50cb9ed46a5ba4ec49e18b4ccd"  # `git hash-object` of that file

SYMBOL_KINDS = ("function", "data")
NON_SYMBOL_KINDS = ("struct", "macro", "const", "typedef", "feature_macro")
# Feature macros whose items exist only in Windows builds (python3.dll / PC/python3dll.c).
WINDOWS_ONLY_MACROS = {"MS_WINDOWS"}

VERSION_RE = re.compile(r"^3\.[0-9]+$")
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def git_blob_sha1(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def derive(doc):
    """Return {symbol: added} from a parsed stable_abi.toml. Raises ValueError on anything odd."""
    unknown = sorted(set(doc) - set(SYMBOL_KINDS) - set(NON_SYMBOL_KINDS))
    if unknown:
        raise ValueError("unknown item kinds %s: the TOML format changed, review this script" % unknown)
    feature_macros = doc.get("feature_macro", {})
    symbols = {}
    for kind in SYMBOL_KINDS:
        for name, item in sorted(doc.get(kind, {}).items()):
            where = "[%s.%s]" % (kind, name)
            if not NAME_RE.match(name):
                raise ValueError("%s: not a C identifier" % where)
            added = item.get("added")
            if not isinstance(added, str) or not VERSION_RE.match(added):
                raise ValueError("%s: missing or unexpected 'added' %r" % (where, added))
            ifdef = item.get("ifdef")
            if ifdef is not None:
                if ifdef not in feature_macros:
                    raise ValueError("%s: ifdef %r is not a declared feature_macro" % (where, ifdef))
                if ifdef in WINDOWS_ONLY_MACROS:
                    continue
            if name in symbols:
                raise ValueError("%s: symbol listed twice" % where)
            symbols[name] = added
    return symbols


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("toml", help="path to CPython Misc/stable_abi.toml")
    grp = ap.add_mutually_exclusive_group()
    grp.add_argument("--commit", help="python/cpython commit the TOML was taken from")
    grp.add_argument("--date", help="date of a stored copy whose commit is unknown (YYYY-MM-DD)")
    args = ap.parse_args(argv[1:])

    with open(args.toml, "rb") as f:
        raw = f.read()
    if args.commit:
        if not re.fullmatch(r"[0-9a-f]{7,40}", args.commit):
            ap.error("--commit must be a hex commit id")
        where = args.commit
    elif args.date:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", args.date):
            ap.error("--date must be YYYY-MM-DD")
        where = "stored copy, %s" % args.date
    else:
        blob = git_blob_sha1(raw)
        if blob != DEFAULT_BLOB:
            ap.error("input is not the stored copy of commit %s (git blob %s, expected %s); "
                     "pass --commit or --date" % (DEFAULT_COMMIT[:12], blob, DEFAULT_BLOB))
        where = DEFAULT_COMMIT

    # Where the file can be read: at its commit, or (a stored copy of no known commit) the
    # facts document's section that names the upstream file.
    if re.fullmatch(r"[0-9a-f]{7,40}", where):
        address = "https://github.com/python/cpython/blob/%s/Misc/stable_abi.toml" % where
    else:
        address = "doc/sources.md#extension-suffixes-and-bytecode"

    try:
        doc = tomllib.loads(raw.decode("utf-8"))
        symbols = derive(doc)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError) as exc:
        print("gen_stable_abi.py: %s: %s" % (args.toml, exc), file=sys.stderr)
        return 1

    out = {
        "$schema": "schema/stable_abi.schema.json",
        "source": "python/cpython Misc/stable_abi.toml @ %s (%s), derived by tools/gen_stable_abi.py"
                  % (where, address),
        "symbols": symbols,
    }
    sys.stdout.write(json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
