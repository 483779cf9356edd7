#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Every rule is found from its slug: each rule of rules/catalog.json has its place in the
tree (its golden cases in tests/golden/rules/<slug>/), and nothing sits in those places
that is not a rule of the catalogue.

Usage: rule_layout.py REPO
       rule_layout.py --self-test

The places are the rows of PLACES below: a path with {slug} (the rule's slug) or {slug_}
(the slug with underscores, as a C file name spells it), what must be there, and whether
the folder holds rules' things only (then any other name in it is an error too).
"""
import json
import os
import shutil
import sys
import tempfile

# One row per place a rule has. kind "cases": a folder holding at least one golden case
# (a subfolder with an args file); kind "file": a file. exclusive: the folder holds
# nothing else, so a name in it that is no catalogue slug is an error.
PLACES = [
    {"what": "golden cases", "path": "tests/golden/rules/{slug}", "kind": "cases",
     "exclusive": True},
    # The check of a rule (checks.def's row names it; the build compiles <name>.c). The
    # folder also holds the registry and the rules' shared helpers: not exclusive.
    {"what": "check", "path": "analyzer/checks/{slug_}.c", "kind": "file",
     "exclusive": False},
]


def place_of(row, slug):
    return row["path"].format(slug=slug, slug_=slug.replace("-", "_"))


def cases_in(folder):
    return [c for c in sorted(os.listdir(folder))
            if os.path.isfile(os.path.join(folder, c, "args"))]


def name_to_slug(row, name):
    """The slug a name in the row's folder stands for (the inverse of place_of)."""
    last = os.path.basename(row["path"])
    head, _, tail = last.partition("{")
    field, _, rest = tail.partition("}")
    if not (name.startswith(head) and name.endswith(rest)):
        return None
    middle = name[len(head):len(name) - len(rest)] if rest else name[len(head):]
    return middle.replace("_", "-") if field == "slug_" else middle


def check(repo, places=PLACES):
    """The problems found, one line each."""
    with open(os.path.join(repo, "rules", "catalog.json"), encoding="utf-8") as f:
        slugs = [r["slug"] for r in json.load(f)["rules"]]
    problems = []
    for row in places:
        for slug in slugs:
            path = place_of(row, slug)
            full = os.path.join(repo, path)
            if row["kind"] == "cases":
                if not os.path.isdir(full):
                    problems.append("%s: rule %s has no %s folder" % (path, slug, row["what"]))
                elif not cases_in(full):
                    problems.append("%s: no case (a folder with an args file) for rule %s"
                                    % (path, slug))
            elif not os.path.isfile(full):
                problems.append("%s: rule %s has no %s" % (path, slug, row["what"]))
        if not row["exclusive"]:
            continue
        parent = os.path.dirname(row["path"])
        full_parent = os.path.join(repo, parent)
        for name in sorted(os.listdir(full_parent)) if os.path.isdir(full_parent) else []:
            if name_to_slug(row, name) not in slugs:
                problems.append("%s/%s: not the slug of a rule in rules/catalog.json"
                                % (parent, name))
    return problems


def self_test():
    """A small tree with each fault planted: each is found, and the good tree passes."""
    tmp = tempfile.mkdtemp()
    try:
        os.makedirs(os.path.join(tmp, "rules"))
        with open(os.path.join(tmp, "rules", "catalog.json"), "w", encoding="utf-8") as f:
            json.dump({"rules": [{"slug": "good-rule"}, {"slug": "no-folder"},
                                 {"slug": "empty-folder"}]}, f)
        golden = os.path.join(tmp, "tests", "golden", "rules")
        for d in ("good-rule/case-a", "empty-folder", "stray-folder/case-b"):
            os.makedirs(os.path.join(golden, d))
        for d in ("good-rule/case-a", "stray-folder/case-b"):
            open(os.path.join(golden, d, "args"), "w").close()
        checks = os.path.join(tmp, "analyzer", "checks")
        os.makedirs(checks)
        open(os.path.join(checks, "good_rule.c"), "w").close()
        got = check(tmp)
        want = [
            "tests/golden/rules/no-folder: rule no-folder has no golden cases folder",
            "tests/golden/rules/empty-folder: no case (a folder with an args file) for rule "
            "empty-folder",
            "tests/golden/rules/stray-folder: not the slug of a rule in rules/catalog.json",
            "analyzer/checks/no_folder.c: rule no-folder has no check",
            "analyzer/checks/empty_folder.c: rule empty-folder has no check",
        ]
        if got != want:
            print("self-test failed: found\n  %s\nwanted\n  %s"
                  % ("\n  ".join(got), "\n  ".join(want)))
            return 1
        shutil.rmtree(os.path.join(golden, "stray-folder"))
        for slug in ("no-folder", "empty-folder"):
            os.makedirs(os.path.join(golden, slug, "case-" + slug), exist_ok=True)
            open(os.path.join(golden, slug, "case-" + slug, "args"), "w").close()
            open(os.path.join(checks, slug.replace("-", "_") + ".c"), "w").close()
        got = check(tmp)
        if got:
            print("self-test failed: the mended tree still has\n  %s" % "\n  ".join(got))
            return 1
    finally:
        shutil.rmtree(tmp)
    print("self-test: a missing, an empty and a stray folder, and missing files, found; "
          "the mended tree passes")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    repo = argv[1]
    problems = check(repo)
    for p in problems:
        print(p)
    with open(os.path.join(repo, "rules", "catalog.json"), encoding="utf-8") as f:
        n = len(json.load(f)["rules"])
    print("rule_layout: %d rules, each looked for in its places (%s): %d problems"
          % (n, ", ".join(r["what"] for r in PLACES), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
