#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The documents hold together: the README stays a front door, links resolve, options exist.

Usage: docs.py ABISCAN REPO      check REPO's documents; exit 1 and one line per problem
       docs.py --self-test       check that a tree with planted problems is refused

  size     README.md is under 10,240 bytes (a guide in doc/ takes the rest);
  links    every relative link in README.md, CONTRIBUTING.md and doc/*.md (not doc/rules/,
           generated elsewhere) names a file or directory of the repository, and a
           file.md#anchor link a heading of that file, anchored as GitHub does; links
           into doc/rules/<slug>.md must name a slug of rules/catalog.json (the page may
           not exist yet), and links into doc/sources.md are not checked for their
           anchor (its own test does that) nor, while it is missing, for the file;
  options  every --option README.md and doc/*.md name, in prose or in an abiscan command,
           is one `ABISCAN --help` lists (the man page, doc/abiscan.1, is the reference:
           a renamed option must not live on in a guide). An option inside another
           tool's command (`pip install --target`, `parallel --keep-order`) is that
           tool's and is not checked, as are the few FOREIGN options named alone, and
           doc/sources.md, the facts about other tools, quotes theirs.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from urllib.parse import unquote

README_MAX = 10240
SOURCES = "doc/sources.md"
RULE_PAGE = re.compile(r"^doc/rules/([^/]+)\.md$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
CODE_SPAN = re.compile(r"(`+)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.S)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
HTML_ANCHOR = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"")
OPTION = re.compile(r"(?<![\w-])--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)")
SEGMENT_SPLIT = re.compile(r"\s\|\s|\|\||&&|;|\$\(|`")
# Other tools' options that the text names outside their command, each with its owner.
FOREIGN = {
    "target": "pip's (pip install --target DIR), in rules/catalog.json's not-on-sys-path summary",
}
WRAPPERS = {"$", "sudo", "nice", "env", "time", "exec", "command", "xargs", "!", "(", "{",
            "then", "do", "else", "if", "while", "until"}


def split_code(text):
    """(prose, fenced): the text with fenced blocks blanked, and the blocks' lines as
    (line number, line). Blanked lines keep their newline, so offsets keep line numbers."""
    prose, fenced, fence = [], [], None
    for n, line in enumerate(text.split("\n"), 1):
        m = FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
            prose.append("")
        elif fence is not None:
            if line.strip().startswith(fence[0] * len(fence)) and not line.strip().strip(fence[0]):
                fence = None
            else:
                fenced.append((n, line))
            prose.append("")
        else:
            prose.append(line)
    return "\n".join(prose), fenced


def blank_spans(prose):
    """The prose with every code span blanked (newlines kept), and the spans as
    (offset, content)."""
    spans = [(m.start(), m.group(2)) for m in CODE_SPAN.finditer(prose)]
    out = CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), prose)
    return out, spans


def gh_anchor(heading):
    """The anchor GitHub gives a heading: its text lowercased, punctuation dropped (letters,
    digits, '_', '-' and spaces stay), spaces made '-'."""
    s = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    s = re.sub(r"<[^>]+>", "", s).replace("`", "")
    s = "".join(c for c in s.strip().lower() if c.isalnum() or c in " -_")
    return s.replace(" ", "-")


def anchors(path):
    """Every anchor of a markdown file: its headings (a repeated one gets -1, -2 ...) and
    its <a name/id> tags."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    prose, _ = split_code(text)
    seen, out = {}, set(HTML_ANCHOR.findall(prose))
    for line in prose.split("\n"):
        m = HEADING.match(line)
        if not m:
            continue
        a = gh_anchor(m.group(2))
        n = seen.get(a, 0)
        seen[a] = n + 1
        out.add(a if n == 0 else f"{a}-{n}")
    return out


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def check_links(repo, rel, slugs, problems):
    path = os.path.join(repo, rel)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    prose, _ = blank_spans(split_code(text)[0])
    targets = [(m.start(), m.group(1)) for m in LINK.finditer(prose)]
    targets += [(m.start(), m.group(1)) for m in REF_DEF.finditer(prose)]
    for off, target in sorted(targets):
        where = f"{rel}:{line_of(prose, off)}"
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", target):
            continue
        file_part, _, anchor = target.partition("#")
        file_part = unquote(file_part)
        if file_part:
            base = repo if file_part.startswith("/") else os.path.dirname(path)
            dest = os.path.normpath(os.path.join(base, file_part.lstrip("/")))
        else:
            dest = path
        dest_rel = os.path.relpath(dest, repo).replace(os.sep, "/")
        if dest_rel.startswith("../"):
            problems.append(f"{where}: link {target} leaves the repository")
            continue
        page = RULE_PAGE.match(dest_rel)
        if page and page.group(1) not in slugs:
            problems.append(f"{where}: link {target}: no rule {page.group(1)} in rules/catalog.json")
            continue
        if not os.path.exists(dest):
            if page or dest_rel == SOURCES:
                continue  # written by its own generator; exists after the merge
            problems.append(f"{where}: link {target}: {dest_rel} does not exist")
            continue
        if anchor and dest_rel != SOURCES and dest.endswith(".md") and os.path.isfile(dest):
            if anchor not in anchors(dest):
                problems.append(f"{where}: link {target}: {dest_rel} has no heading "
                                f"with the anchor #{anchor}")


def command_options(code):
    """The --options of the abiscan commands in a line of code (a shell line, or the
    content of a code span). A segment (between |, ;, &&, $( ...) whose command is
    another tool is that tool's; a segment that starts with an option is abiscan's."""
    found = []
    for seg in SEGMENT_SPLIT.split(code):
        words = seg.split()
        while words and (words[0] in WRAPPERS or re.match(r"^\w+=", words[0])):
            words.pop(0)
        if not words:
            continue
        cmd = words[0].strip("\"'[")
        if cmd.startswith("-") or os.path.basename(cmd) == "abiscan":
            found += OPTION.findall(seg)
    return found


def option_mentions(text):
    """(line, option) for every option README-like text names as abiscan's."""
    prose, fenced = split_code(text)
    out = []
    # Fenced code: shell lines, a continuation (\ at the end) joined to its command; the
    # comment of a line is read as prose.
    lines, cur, start = [], None, None
    for n, line in fenced:
        if cur is not None and cur.endswith("\\"):
            cur = cur[:-1] + " " + line
            continue
        if cur is not None:
            lines.append((start, cur))
        cur, start = line, n
    if cur is not None:
        lines.append((start, cur))
    for n, line in lines:
        code, comment = (re.split(r"(?:^|\s)#(?:\s|$)", line, maxsplit=1) + [""])[:2]
        out += [(n, o) for o in command_options(code) + OPTION.findall(comment)]
    blanked, spans = blank_spans(prose)
    for off, content in spans:
        out += [(line_of(prose, off), o) for o in command_options(content)]
    for m in OPTION.finditer(blanked):
        out.append((line_of(blanked, m.start()), m.group(1)))
    return out


def help_options(abiscan):
    out = subprocess.run([abiscan, "--help"], capture_output=True, text=True, check=True).stdout
    return set(OPTION.findall(out))


def check(repo, abiscan):
    problems = []
    readme = os.path.join(repo, "README.md")
    size = os.path.getsize(readme)
    if size >= README_MAX:
        problems.append(f"README.md: {size} bytes; the front door stays under {README_MAX}: "
                        "move a section to a guide in doc/ and link it")
    with open(os.path.join(repo, "rules", "catalog.json"), encoding="utf-8") as f:
        slugs = {r["slug"] for r in json.load(f)["rules"]}
    guides = sorted(os.path.relpath(p, repo) for p in glob.glob(os.path.join(repo, "doc", "*.md")))
    for rel in ["README.md", "CONTRIBUTING.md"] + guides:
        if os.path.exists(os.path.join(repo, rel)):
            check_links(repo, rel, slugs, problems)
    known = help_options(abiscan)
    if not known:
        problems.append(f"{abiscan} --help lists no option")
    # doc/sources.md is about other tools (pip, sam, docker): their options are quoted there.
    for rel in ["README.md"] + [g for g in guides if g != SOURCES]:
        with open(os.path.join(repo, rel), encoding="utf-8") as f:
            text = f.read()
        for n, opt in option_mentions(text):
            if opt not in known and opt not in FOREIGN:
                problems.append(f"{rel}:{n}: --{opt} is not an option `abiscan --help` lists "
                                "(renamed or gone? the reference is doc/abiscan.1)")
    return problems


def self_test():
    """A tree with one problem of each kind must give exactly those problems."""
    tmp = tempfile.mkdtemp(prefix="abiscan-docs-")
    try:
        files = {
            "rules/catalog.json": json.dumps({"rules": [{"slug": "known-slug"}]}),
            "fake-abiscan": "#!/bin/sh\necho '  -r, --runtime NAME   the runtime'\n"
                            "echo '      --report FMT=FILE also write'\n",
            "README.md": "\n".join([
                "# Demo",                                                       # 1
                "",                                                             # 2
                "## How it works, in short",                                    # 3
                "",                                                             # 4
                "[ok](doc/guide.md#a-guide) [ok](#how-it-works-in-short) [ok](doc/)",  # 5
                "[broken](doc/missing.md) [bad anchor](doc/guide.md#nowhere)",  # 6
                "[rule](doc/rules/known-slug.md) [rule](doc/rules/no-such-slug.md)",  # 7
                "[facts](doc/sources.md" "#anything) [web](https://example.com/x.md)",  # 8
                "`abiscan --runtime python3.12 --frobnicate x.zip`, and `--report`",  # 9
                "`pip install --target ./package x`, `parallel --keep-order`, a `--target` dir",  # 10
                "```sh",                                                        # 11
                "abiscan --runtime python3.12 \\",                              # 12
                "    --colour never x.zip | jq --raw-output .",                 # 13
                "```",                                                          # 14
                "<!-- padding -->" + "x" * README_MAX,                          # 15
            ]) + "\n",
            "doc/guide.md": "# A guide\n\nBack: [home](../README.md#demo); "
                            "prose names --sizes.\n",
            "CONTRIBUTING.md": "# Contributing\n\n[gone](tests/nothing/)\n",
        }
        for path, text in files.items():
            os.makedirs(os.path.join(tmp, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(tmp, path), "w", encoding="utf-8") as f:
                f.write(text)
        os.chmod(os.path.join(tmp, "fake-abiscan"), 0o755)
        got = check(tmp, os.path.join(tmp, "fake-abiscan"))
        want = [
            "CONTRIBUTING.md:3: link tests/nothing/",
            "README.md: ",
            "README.md:12: --colour",
            "README.md:6: link doc/missing.md",
            "README.md:6: link doc/guide.md#nowhere",
            "README.md:7: link doc/rules/no-such-slug.md",
            "README.md:9: --frobnicate",
            "doc/guide.md:3: --sizes",
        ]
        missed = [w for w in want if not any(g.startswith(w) for g in got)]
        extra = [g for g in got if not any(g.startswith(w) for w in want)]
        if missed or extra or len(got) != len(want):
            print("self-test: expected problems starting with", *want, sep="\n  ")
            print("self-test: got", *got, sep="\n  ")
            return 1
        for g in got:
            print("self-test: caught:", g)
        print(f"self-test: {len(got)} problems found where they were planted, none elsewhere")
        return 0
    finally:
        shutil.rmtree(tmp)


def main(argv):
    if argv == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    abiscan, repo = argv
    problems = check(repo, abiscan)
    for p in problems:
        print(p)
    if problems:
        print(f"docs: {len(problems)} problems", file=sys.stderr)
        return 1
    print("docs: README.md under 10,240 bytes, every link resolves, every option is abiscan's")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
