#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The manual's OPTIONS section, generated from the option table (the one source).

Usage: tools/gen_man.py [--check] ABISCAN_MAN [REPO]

ABISCAN_MAN is the build's abiscan-man (build/abiscan-man), which prints the section
from analyzer/app/options_table.def, as --help is printed. Replaces doc/abiscan.1 from its
".Sh OPTIONS" line up to the next ".Sh" with it. With --check, changes nothing and exits 1
when the manual is not what the table says (the lint.man test).
"""
import os
import subprocess
import sys


def splice(page, section):
    lines = page.split("\n")
    try:
        start = lines.index(".Sh OPTIONS")
    except ValueError:
        return None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith(".Sh ")),
               len(lines))
    return "\n".join(lines[:start] + section.rstrip("\n").split("\n") + lines[end:])


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    repo = args[1] if len(args) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    section = subprocess.run([args[0]], check=True, capture_output=True, text=True).stdout
    path = os.path.join(repo, "doc", "abiscan.1")
    with open(path, encoding="utf-8") as f:
        page = f.read()
    want = splice(page, section)
    if want is None:
        print(f"{path}: no .Sh OPTIONS section", file=sys.stderr)
        return 1
    if want == page:
        print("doc/abiscan.1: OPTIONS matches the option table")
        return 0
    if check:
        print("doc/abiscan.1: OPTIONS differs from the option table (analyzer/app/options_table.def); "
              "run tools/gen_man.py build/abiscan-man to regenerate it", file=sys.stderr)
        return 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(want)
    print("doc/abiscan.1: OPTIONS rewritten from the option table")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
