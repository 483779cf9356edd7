#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The README's rule table, generated from rules/catalog.json (the one source).

Usage: tools/gen_readme_rules.py [--check] [REPO]

Rewrites the lines between <!-- rules:begin --> and <!-- rules:end --> in REPO/README.md
(default: the repository this script is in). With --check, changes nothing and exits 1
when the README's table is not what the catalogue says (the lint.readme_rules test). Each
slug links to its page, doc/rules/<slug>.md.
"""
import json
import os
import sys

BEGIN, END = "<!-- rules:begin -->", "<!-- rules:end -->"


def table(catalog):
    lines = ["| id | slug | severity | what |", "|---|---|---|---|"]
    for r in catalog["rules"]:
        slug = f"[`{r['slug']}`](doc/rules/{r['slug']}.md)"
        lines.append(f"| {r['id']} | {slug} | {r['severity']} | {r['summary']} |")
    return lines


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    repo = args[0] if args else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(repo, "rules", "catalog.json"), encoding="utf-8") as f:
        catalog = json.load(f)
    path = os.path.join(repo, "README.md")
    with open(path, encoding="utf-8") as f:
        text = f.read().split("\n")
    try:
        start, end = text.index(BEGIN), text.index(END)
    except ValueError:
        print(f"{path}: no {BEGIN} ... {END} block", file=sys.stderr)
        return 1
    want = text[: start + 1] + table(catalog) + text[end:]
    if want == text:
        print(f"README.md: the rule table matches rules/catalog.json ({len(catalog['rules'])} rules)")
        return 0
    if check:
        print("README.md: the rule table differs from rules/catalog.json; run "
              "tools/gen_readme_rules.py to regenerate it", file=sys.stderr)
        return 1
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(want))
    print(f"README.md: rule table rewritten ({len(catalog['rules'])} rules)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
