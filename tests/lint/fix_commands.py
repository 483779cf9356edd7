#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Every fix command abiscan prints is one line a POSIX shell parses as it is: each command of
every golden output (the JSON reports' fix.command, SARIF's properties.fix_command, the text
report's "fix:" lines, the GitHub and JUnit "Fix:" lines, the Markdown's fenced sh blocks), of --explain's examples
(rules/examples.json) and of the rules' pages (doc/rules/) goes through `/bin/sh -n -c`, and
must be one line. The real-data tests check their own reports the same way
(tests/realdata/realdata.py check_reports(), through commands() and parse_errors() here).

Usage: fix_commands.py REPO [--self-test]
"""
import glob
import json
import os
import re
import subprocess
import sys

TEXT_FIX = re.compile(r"^\s*(?:fix|Fix): (.*)$")  # text "  fix: CMD", JUnit "Fix: CMD"
GITHUB_FIX = re.compile(r"%0AFix: (.*?)(?:%0A|$)")  # a workflow command's second line


def json_commands(node):
    """The fix commands of a JSON document: {"fix": {"command": ...}} and SARIF's
    {"properties": {"fix_command": ...}}, at any depth."""
    if isinstance(node, dict):
        fix = node.get("fix")
        if isinstance(fix, dict) and isinstance(fix.get("command"), str):
            yield fix["command"]
        if isinstance(node.get("fix_command"), str):
            yield node["fix_command"]
        for v in node.values():
            yield from json_commands(v)
    elif isinstance(node, list):
        for v in node:
            yield from json_commands(v)


def github_decode(s):
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def commands(text):
    """Every fix command in an output of any format: a JSON document, JSON Lines, or text."""
    try:
        yield from json_commands(json.loads(text))
        return
    except ValueError:
        pass
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if re.fullmatch(r"`{3,}sh", line) and i + 1 < len(lines):
            yield lines[i + 1]  # the Markdown summary's fix, a fenced block of one line
            continue
        if line.startswith("{"):
            try:
                yield from json_commands(json.loads(line))
                continue
            except ValueError:
                pass
        if line.startswith("::"):
            for m in GITHUB_FIX.finditer(line):
                yield github_decode(m.group(1))
            continue
        m = TEXT_FIX.match(line)
        if m:
            yield m.group(1)


def parse_errors(cmds):
    """[(command, why)] for each command /bin/sh does not parse, or that is not one line."""
    bad = []
    for cmd in sorted(set(cmds)):
        if "\n" in cmd or "\r" in cmd:
            bad.append((cmd, "more than one line"))
            continue
        run = subprocess.run(["/bin/sh", "-n", "-c", cmd], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if run.returncode != 0:
            bad.append((cmd, run.stdout.strip() or "exit %d" % run.returncode))
    return bad


def self_test():
    planted = {
        # the glued words of old: bash waits for 'then'
        "pip install x==1.0; if pip finds no matching distribution, x 1.0 has no wheel": False,
        "zip -r ../function.zip . (or ship them as a layer)": False,
        "patchelf --set-rpath '$ORIGIN/lib' 'a b.so'": True,
        "(cd 'my dir' && zip -r ../function.zip .)": True,
        "docker run --rm -it -v \"$PWD\":/src -w /src public.ecr.aws/sam/build-python3.12 bash":
            True,
        "pip install x\nnote: words": False,
    }
    text = "\n".join(["  fix: " + c.split("\n")[0] for c in planted if "\n" not in c])
    found = list(commands(text))
    found += list(commands(json.dumps({"findings": [{"fix": {"command": c, "note": None}}
                                                   for c in planted if "\n" in c]})))
    found += list(commands(json.dumps({"runs": [{"results": [{"properties": {
        "fix_command": "zip -r x.zip . (or ship)"}}]}]})))
    found += list(commands("::error file=x,title=t::msg%0AFix: echo ok%0ANote: words"))
    bad = set(c for c, _ in parse_errors(found))
    want = set(c for c, ok in planted.items() if not ok and "\n" not in c)
    want |= {"pip install x\nnote: words", "zip -r x.zip . (or ship)"}
    if bad != want or "echo ok" not in found:
        print("self-test failed: flagged %r, wanted %r" % (sorted(bad), sorted(want)))
        return 1
    print("self-test: every planted bad command flagged, every good one passes")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    repo = argv[1]
    files = sorted(glob.glob(os.path.join(repo, "tests", "golden", "**", "expected.*"),
                             recursive=True) +
                   glob.glob(os.path.join(repo, "doc", "rules", "*.md")) +
                   [os.path.join(repo, "rules", "examples.json")])
    found = {}
    for path in files:
        with open(path, encoding="utf-8") as f:
            for cmd in commands(f.read()):
                found.setdefault(cmd, os.path.relpath(path, repo))
    bad = parse_errors(found)
    for cmd, why in bad:
        print("%s: fix command does not parse: %s\n    %s" % (found[cmd], why, cmd))
    print("fix commands: %d distinct in %d files, %d that /bin/sh does not parse"
          % (len(found), len(files), len(bad)))
    return 1 if bad or not found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
