#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The walls between the analyzer's layers, as a test (CONTRIBUTING.md#house-rules, walls).

Usage: walls.py ANALYZER_DIR          check the tree; exit 1 and one line per breach
       walls.py --self-test           check that a tree with breaches is refused

Every #include "..." in analyzer/<folder>/ must name a header of a folder that folder
may see, every third-party header (#include <...>) must stay in the folder that owns
the library, and a private header (*_int.h) is for its own folder only. The compiler
and linker hold most of this already (PRIVATE links); this test holds all of it, with
a message that says which wall.
"""
import os
import re
import shutil
import sys
import tempfile

# What each folder may include from (its own headers always). app/ is the application
# (main, the option table, the commands), which may use every layer. The top of analyzer/
# holds folders only: a source file there is a breach.
MAY_SEE = {
    "util": set(),
    "input": {"util"},
    "elf": {"util"},
    "data": {"util"},
    "facts": {"util", "elf", "data", "input"},
    # The models (import model, loader, symbol versions, size plan, the finding).
    "model": {"util", "elf", "data", "facts"},
    "checks": {"util", "elf", "data", "facts", "model"},
    # The CI gate (suppressions, baseline, fingerprints) works on findings only; the
    # emitters read what it set aside and why (SARIF suppressions, JUnit skipped).
    "gate": {"util", "data", "model"},
    "report": {"util", "data", "model", "gate"},
    # Where functions are declared (aws lambda JSON, templates): read with data/'s readers.
    "targets": {"util", "data"},
    "app": {"util", "input", "elf", "data", "facts", "model", "checks", "gate", "report",
            "targets"},
}
# From model/, the gate and an emitter may see only the findings, the size plan and how the
# bundle was built (plain data, computed by model/sizeplan.c and model/builtwith.c; the image
# stays a forward declaration).
REPORT_FROM_MODEL = {"finding.h", "sizeplan.h", "builtwith.h", "cause.h"}
# Each third-party library's headers, and the folders that own it.
THIRD_PARTY = [
    (re.compile(r"^pcre2\.h$"), {"util"}, "pcre2"),
    (re.compile(r"^zip\.h$|^zipconf\.h$"), {"input"}, "libzip"),
    (re.compile(r"^libdeflate\.h$"), {"input"}, "libdeflate"),
    (re.compile(r"^archive(_entry)?\.h$"), {"input"}, "libarchive"),
    (re.compile(r"^nettle/.*\.h$"), {"input"}, "nettle"),
    (re.compile(r"^(libelf|gelf|elfutils/.*)\.h$"), {"elf"}, "libelf"),
    # gate/: the baseline file is JSON, written and read as the reports are. input/: an
    # image's index, manifest and config are JSON, read where its layers are found.
    (re.compile(r"^cjson/cJSON\.h$"), {"data", "gate", "input", "report", "targets"}, "cJSON"),
    (re.compile(r"^yaml\.h$"), {"data"}, "libyaml"),
    (re.compile(r"^cmocka\.h$"), set(), "cmocka"),
]
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def headers_by_folder(root):
    owner = {}
    for folder in MAY_SEE:
        d = os.path.join(root, folder)
        if not os.path.isdir(d):
            continue
        for name in os.listdir(d):
            if name.endswith((".h", ".def", ".h.in")):
                owner.setdefault(name.replace(".h.in", ".h"), folder)
    return owner


def check(root):
    owner = headers_by_folder(root)
    breaches = []
    for folder in MAY_SEE:
        d = os.path.join(root, folder)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not name.endswith((".c", ".h", ".def")):
                continue
            where = os.path.join(folder, name) if folder else name
            with open(os.path.join(d, name), encoding="utf-8") as f:
                for lineno, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m:
                        continue
                    kind, header = m.groups()
                    at = f"analyzer/{where}:{lineno}"
                    if kind == "<":
                        for pat, owners, lib in THIRD_PARTY:
                            if pat.match(header) and folder not in owners:
                                breaches.append(f"{at}: <{header}> is {lib}'s, which only "
                                                f"{', '.join(sorted(owners)) or 'the tests'} "
                                                f"may include")
                        continue
                    src = owner.get(os.path.basename(header))
                    if src is None:
                        continue  # a generated header (version.h) or one of the system's
                    if header.endswith("_int.h") and src != folder:
                        breaches.append(f'{at}: "{header}" is private to {src}/')
                    elif src != folder and src not in MAY_SEE[folder]:
                        breaches.append(f'{at}: {folder or "the top"} may not include '
                                        f'{src}/{header}')
                    elif folder in ("report", "gate") and src == "model" and \
                            header not in REPORT_FROM_MODEL:
                        breaches.append(f'{at}: {folder}/ sees only the findings and the plan '
                                        f'of model/ ({", ".join(sorted(REPORT_FROM_MODEL))}), '
                                        f'not {header}')
    for name in sorted(os.listdir(root)):
        if name.endswith((".c", ".h", ".def")):
            breaches.append(f"analyzer/{name}: a source file at the top of analyzer/; it "
                            f"belongs in the folder of its layer (the application's: app/)")
    return breaches


def self_test():
    """A tree with one breach of each kind must give exactly those breaches."""
    tmp = tempfile.mkdtemp(prefix="abiscan-walls-")
    try:
        files = {
            "util/xalloc.h": "", "input/bundle.h": "", "input/bundle_int.h": "",
            "elf/elfinfo.h": "", "data/rules.h": "", "facts/image.h": "",
            "checks/check.h": "", "model/finding.h": "", "model/loader.h": "",
            "report/report.h": "",
            "report/report_bad.c": '#include "bundle.h"\n#include "image.h"\n'
                                   '#include "elfinfo.h"\n#include "check.h"\n'
                                   '#include "finding.h"\n#include "report.h"\n'
                                   '#include "loader.h"\n',
            "model/loader_bad.c": '#include "check.h"\n#include "image.h"\n',
            "checks/check_bad.c": '#include "bundle.h"\n#include "image.h"\n#include <zip.h>\n',
            "facts/scan_bad.c": '#include "bundle_int.h"\n#include <pcre2.h>\n',
            "util/ok.c": '#include <pcre2.h>\n#include "xalloc.h"\n',
            "app/main.c": '#include "report.h"\n#include "bundle.h"\n',
            "main.c": "",
        }
        for path, text in files.items():
            os.makedirs(os.path.join(tmp, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(tmp, path), "w", encoding="utf-8") as f:
                f.write(text)
        got = check(tmp)
        want = [
            "checks/check_bad.c:1", "checks/check_bad.c:3",
            "facts/scan_bad.c:1", "facts/scan_bad.c:2",
            "report/report_bad.c:1", "report/report_bad.c:2", "report/report_bad.c:3",
            "report/report_bad.c:4", "report/report_bad.c:7", "model/loader_bad.c:1",
            "main.c",
        ]
        places = sorted(b.split(": ")[0].replace("analyzer/", "") for b in got)
        if places != sorted(want):
            print("self-test: expected breaches at", sorted(want))
            print("self-test: got", *got, sep="\n  ")
            return 1
        print(f"self-test: {len(got)} breaches found where they were planted")
        return 0
    finally:
        shutil.rmtree(tmp)


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    breaches = check(sys.argv[1])
    for b in breaches:
        print(b)
    print(f"walls: {len(breaches)} breach{'es' if len(breaches) != 1 else ''}")
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
