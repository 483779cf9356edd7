#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Every citation of the project's facts document resolves, and nothing cites the old notes.

Usage: sources.py REPO [--exclude DIR ...]   check the repository; exit 1 and one line per problem
       sources.py --self-test                check that planted problems are caught

doc/sources.md is the project's facts document; data, code, tests and docs cite its sections as
doc/sources.md#<anchor>. This check
  - computes the anchors of its headings the way GitHub does (lower case, spaces to '-',
    punctuation other than '-' and '_' dropped, a repeated anchor numbered -1, -2, ...),
    and requires the sections other tools link to (REQUIRED);
  - reports every file:line whose doc/sources.md#<anchor>, or whose in-document (#<anchor>)
    link inside doc/sources.md, names no heading;
  - reports every mention of the team's former notes files (NOTES, OTHER_NOTES below), which
    are not in the repository, anywhere in it;
  - reports every "source" field of rules/**/*.json that cites neither a doc/sources.md
    section nor a public https:// address, and every bracketed source key ([lambci]) in one
    that doc/sources.md's Public sources section does not list.
The files are those git knows (tracked, or untracked and not ignored); outside a git work tree,
every file but .git/ and build*/. --exclude DIR skips a top-level folder (say, one whose edits
are pending elsewhere); the self-test plants a bad anchor, a mention of the notes and a
source with no citation in a temporary tree and expects exactly those.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

DOC = "doc/sources.md"
# The old notes' file name, spelled so that this file does not mention it.
NOTES = "lambda" + "-facts.md"
# The team's other notes, outside the repository too: the house style and the design are
# CONTRIBUTING.md#house-rules, the field report is told in the README.
OTHER_NOTES = ["style" + ".md", "design" + ".md", "seed-lambda" + "-notes"]
# Sections whose anchors other tools and documents link to.
REQUIRED = ["runtimes", "deprecation-dates", "toolchain-ceilings", "extension-suffixes-and-bytecode",
            "environment-and-filesystem", "import-path-and-layers", "loader-search",
            "libraries-per-os", "wheel-tags", "limits", "error-lines", "remediation",
            "public-sources"]
REF = re.compile(r"doc/sources\.md#([A-Za-z0-9_-]+)")
LOCAL_LINK = re.compile(r"\]\(#([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
URL = re.compile(r"https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
KEY = re.compile(r"\[([a-z][a-z0-9.-]*[a-z0-9])\]")


def github_anchor(title):
    """The anchor GitHub gives a heading: its text without markup, lower-cased, spaces to
    '-', every character but letters, digits, '-' and '_' dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)  # a link's text
    text = text.lower().replace(" ", "-")
    return "".join(ch for ch in text if ch.isalnum() or ch in "-_")


def doc_anchors(text):
    """The anchors of the document's headings (code blocks skipped), in order."""
    seen, anchors, fenced = {}, [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        m = None if fenced else HEADING.match(line)
        if not m:
            continue
        base = github_anchor(m.group(2))
        n = seen.get(base, 0)
        seen[base] = n + 1
        anchors.append(base if n == 0 else "%s-%d" % (base, n))
    return anchors


def public_keys(text):
    """The bracketed keys the Public sources section lists."""
    part = text.split("\n## Public sources", 1)
    return set(KEY.findall(part[1])) if len(part) == 2 else set()


def repo_files(root, exclude):
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], capture_output=True, check=True).stdout
        files = sorted(set(p for p in out.decode("utf-8", "replace").split("\0") if p))
    except (OSError, subprocess.CalledProcessError):
        files = []
        for d, dirs, names in os.walk(root):
            rel = os.path.relpath(d, root)
            dirs[:] = [x for x in dirs
                       if not (rel == "." and (x == ".git" or x.startswith("build")))]
            files += [os.path.normpath(os.path.join(rel, n)) for n in names]
        files.sort()
    return [f for f in files if f.split("/", 1)[0] not in exclude
            and os.path.isfile(os.path.join(root, f))]


def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", "replace")


def json_sources(obj, where=""):
    """(path in the document, value) of every "source" string in a JSON document."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "source" and isinstance(v, str):
                yield where + "/source", v
            else:
                yield from json_sources(v, "%s/%s" % (where, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from json_sources(v, "%s/%d" % (where, i))


def check(root, exclude=()):
    problems = []
    doc_path = os.path.join(root, DOC)
    if not os.path.isfile(doc_path):
        return ["%s: missing: it is the facts document the data cites" % DOC]
    doc = read_text(doc_path)
    anchors = set(doc_anchors(doc))
    keys = public_keys(doc)
    for a in REQUIRED:
        if a not in anchors:
            problems.append("%s: no section with anchor #%s (other tools link to it)" % (DOC, a))

    for rel in repo_files(root, set(exclude)):
        text = read_text(os.path.join(root, rel))
        if text is None:
            continue
        for lineno, line in enumerate(text.splitlines(), 1):
            for m in REF.finditer(line):
                if m.group(1) not in anchors:
                    problems.append("%s:%d: %s#%s: no such section" % (rel, lineno, DOC, m.group(1)))
            if rel == DOC:
                for m in LOCAL_LINK.finditer(line):
                    if m.group(1) not in anchors:
                        problems.append("%s:%d: (#%s): no such section" % (rel, lineno, m.group(1)))
            if NOTES in line:
                problems.append("%s:%d: mentions %s, which is not in the repository: cite %s#<section>"
                                % (rel, lineno, NOTES, DOC))
            for other in OTHER_NOTES:
                if other in line:
                    problems.append("%s:%d: mentions %s, which is not in the repository: cite "
                                    "CONTRIBUTING.md#house-rules" % (rel, lineno, other))
        if rel.startswith("rules/") and rel.endswith(".json"):
            try:
                data = json.loads(text)
            except ValueError as exc:
                problems.append("%s: not JSON (%s)" % (rel, exc))
                continue
            for where, src in json_sources(data):
                if not REF.search(src) and not URL.search(src):
                    problems.append("%s: %s cites neither a %s section nor an https:// address: %r"
                                    % (rel, where, DOC, src[:80]))
                missing = sorted(set(KEY.findall(src)) - keys)
                if missing:
                    problems.append("%s: %s: source keys not listed in %s#public-sources: %s"
                                    % (rel, where, DOC, ", ".join(missing)))
    return problems


def self_test():
    """A tree with one problem of each kind must give exactly those."""
    tmp = tempfile.mkdtemp(prefix="abiscan-sources-")
    try:
        files = {
            DOC: "# Facts\n## Runtimes\n### Deprecation dates\n## `sys.path` per runtime\n"
                 "See [the dates](#deprecation-dates) and [nothing](#no-such).\n"
                 "## Public sources\n* [lambci]: https://github.com/lambci/docker-lambda\n",
            "rules/os/x.json": json.dumps({"libraries": [
                {"soname": "a", "source": "doc/sources.md#runtimes (row 'a'); [lambci]"},
                {"soname": "b", "source": "https://example.org/b"},
                {"soname": "c", "source": "the team's notes"},
                {"soname": "d", "source": "doc/sources.md#runtimes; [unlisted-key]"}]}, indent=1),
            # Written through DOC, so that this file cites no section that does not exist.
            "analyzer/x.c": "/* %s#syspath-per-runtime and %s#runtime */\n" % (DOC, DOC),
            "tests/y.py": "# doc/sources.md#deprecation-dates\n# see %s §1.1\n# and %s\n"
                          % (NOTES, OTHER_NOTES[0]),
        }
        for path, text in files.items():
            os.makedirs(os.path.join(tmp, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(tmp, path), "w", encoding="utf-8") as f:
                f.write(text)
        got = check(tmp)
        # Every required section but runtimes, deprecation-dates and public-sources is missing.
        want_missing = len(REQUIRED) - 3
        missing = [p for p in got if "(other tools link to it)" in p]
        rest = sorted(p for p in got if p not in missing)
        want = ["analyzer/x.c:1: %s#runtime: no such section" % DOC,
                "doc/sources.md:5: (#no-such): no such section",
                "rules/os/x.json: /libraries/2/source cites neither",
                "rules/os/x.json: /libraries/3/source: source keys not listed",
                "tests/y.py:2: mentions " + NOTES,
                "tests/y.py:3: mentions " + OTHER_NOTES[0]]
        ok = len(missing) == want_missing and len(rest) == len(want) and all(
            r.startswith(w) for r, w in zip(rest, sorted(want)))
        if not ok:
            print("self-test: expected %d missing sections and:" % want_missing, *sorted(want),
                  sep="\n  ")
            print("self-test: got", *got, sep="\n  ")
            return 1
        if check(tmp, exclude=["analyzer", "tests"]) != [p for p in got if not
                                                         p.startswith(("analyzer/", "tests/"))]:
            print("self-test: --exclude analyzer tests did not drop exactly their problems")
            return 1
        print("self-test: %d problems found where they were planted" % len(got))
        return 0
    finally:
        shutil.rmtree(tmp)


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    args, exclude = argv[1:], []
    while "--exclude" in args:
        i = args.index("--exclude")
        if i + 1 >= len(args):
            print(__doc__, file=sys.stderr)
            return 2
        exclude.append(args[i + 1].strip("/"))
        del args[i:i + 2]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    problems = check(args[0], exclude)
    for p in problems:
        print(p)
    print("sources: %d problem%s" % (len(problems), "" if len(problems) == 1 else "s"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
