# SPDX-License-Identifier: MIT
"""The CI gate's part of the hostile matrix, imported by hostile.py.

1. Every readable case also writes SARIF, JUnit, GitHub workflow commands and Markdown in
   the same run (--report), and each is read by its consumer: json.loads and then, once
   for all cases, Microsoft's sarif-multitool (no error-level result); junitparser
   (failures = error findings); the workflow-command grammar (every line one abiscan
   meant, one per finding); cmark-gfm (one table row per finding, no HTML element from a
   name). A run that cannot start writes no report at all; one whose bundle cannot be
   read writes every report, each showing the bundle as a failure (check_unread).
2. Hostile member names aimed at the workflow commands (newline, CR, %0A, ::).
3. Hostile configurations (--config): huge, deep, binary, NUL, aliases, tags, wrong
   types, too many values, duplicate keys, no reason, bad dates: exit 2 with one line
   naming the file; a glob built to backtrack, on a long path: ends in time.
"""
import html.parser
import json
import os
import random
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import ghcauses  # noqa: E402

try:
    import junitparser
except ImportError:  # reported as a failure of every case that needs it
    junitparser = None

FORMATS = ("sarif", "junit", "github", "markdown")
GH_LINE = re.compile(rb"^::(error|warning|notice) file=[^,:\r\n]*,title=[^,:\r\n]*::[^\r\n]*$")
CMARK = shutil.which("cmark-gfm")
MULTITOOL = shutil.which("sarif-multitool")
# pre and code: each cause's fix, in a fenced code block (literal: nothing in it is HTML).
MD_TAGS = {"h2", "h3", "p", "strong", "table", "thead", "tbody", "tr", "th", "td", "pre", "code"}


def report_args(io, what):
    paths = {f: "%s.%s.%s" % (io, what, f) for f in FORMATS}
    return paths, [a for f, p in paths.items() for a in ("--report", "%s=%s" % (f, p))]


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.rows = set(), 0

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.rows += tag == "tr"


def check_reports(paths, rc, report, sarif_files):
    """Errors in the reports of one run (report: the JSON report; None when the run could
    not start, which leaves no report)."""
    if report is None:
        left = [p for p in paths.values() if os.path.exists(p)]
        return ["exit %s but a report was written: %s" % (rc, left)] if left else []
    missing = [f for f, p in paths.items() if not os.path.exists(p)]
    if missing:
        return ["no %s report written" % ", ".join(missing)]
    errs = []
    nf = len(report["findings"])
    unread = [i for i in report["inputs"] if i["verdict"] == "error"]
    if unread:
        errs += check_unread(paths, unread)
    try:
        with open(paths["sarif"], encoding="utf-8") as f:
            log = json.load(f)
        res = log["runs"][0]["results"]
        if len(res) != nf:
            errs.append("sarif: %d results for %d findings" % (len(res), nf))
        if not all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in res):
            errs.append("sarif: a result without a physical location")
        sarif_files.append(paths["sarif"])
    except (ValueError, KeyError, IndexError, UnicodeDecodeError) as e:
        errs.append("sarif: not a SARIF log (%s)" % e)
    if junitparser is None:
        errs.append("junitparser is not importable (install python3-junitparser)")
    else:
        try:
            xml = junitparser.JUnitXml.fromfile(paths["junit"])
            fails = sum(1 for s in xml for c in s for r in c.result
                        if isinstance(r, junitparser.Failure))
            want = sum(1 for f in report["findings"] if f["severity"] == "error")
            if fails != want:
                errs.append("junit: %d failures for %d error findings" % (fails, want))
        except Exception as e:  # junitparser raises lxml/ElementTree errors
            errs.append("junit: junitparser cannot read it (%s)" % str(e)[:200])
    with open(paths["github"], "rb") as f:
        lines = f.read().split(b"\n")[:-1]
    want, left = ghcauses.expected(report)
    more = [x for x in lines if ghcauses.MORE.match(x)]
    bad = [x for x in lines if not GH_LINE.match(x) and x not in more]
    if bad:
        errs.append("github: a line abiscan did not mean as a command: %r" % bad[0][:160])
    if len(lines) - len(more) != want or len(more) != (1 if left else 0):
        errs.append("github: %d lines for %d causes annotated and %d left, with %d unreadable "
                    "inputs" % (len(lines), want, left, len(unread)))
    if not CMARK:
        errs.append("cmark-gfm is not installed (scripts/bootstrap)")
    else:
        html_out = subprocess.run([CMARK, "-e", "table", paths["markdown"]], capture_output=True,
                                  timeout=60).stdout.decode("utf-8", "replace")
        p = _Tags()
        p.feed(html_out)
        nc = len(report.get("causes", []))
        want_rows = nf + (1 if nf else 0) + nc + (1 if nc else 0)
        if p.rows != want_rows:
            errs.append("markdown: %d table rows for %d findings in %d causes" % (p.rows, nf, nc))
        if p.tags - MD_TAGS:
            errs.append("markdown: HTML elements from a name: %s" % sorted(p.tags - MD_TAGS))
    return errs


def check_unread(paths, unread):
    """An input that could not be read is a failure in every format."""
    errs = []
    try:
        with open(paths["sarif"], encoding="utf-8") as f:
            inv = json.load(f)["runs"][0]["invocations"][0]
        n = sum(1 for x in inv["toolExecutionNotifications"] if x["level"] == "error")
        if inv["executionSuccessful"] or n != len(unread):
            errs.append("sarif: %d error notifications (executionSuccessful %s) for %d "
                        "unreadable inputs" % (n, inv["executionSuccessful"], len(unread)))
    except (ValueError, KeyError, IndexError, UnicodeDecodeError) as e:
        errs.append("sarif: no invocation to read (%s)" % e)
    if junitparser is not None:
        try:
            xml = junitparser.JUnitXml.fromfile(paths["junit"])
            n = sum(1 for s in xml for c in s for r in c.result
                    if isinstance(r, junitparser.Error))
            if n != len(unread):
                errs.append("junit: %d errors for %d unreadable inputs" % (n, len(unread)))
        except Exception as e:  # junitparser raises lxml/ElementTree errors
            errs.append("junit: junitparser cannot read it (%s)" % str(e)[:200])
    with open(paths["github"], "rb") as f:
        n = sum(1 for x in f.read().split(b"\n")
                if x.startswith(b"::error ") and b"title=abiscan input-unreadable::" in x)
    if n != len(unread):
        errs.append("github: %d ::error lines for %d unreadable inputs" % (n, len(unread)))
    with open(paths["markdown"], "rb") as f:
        if f.read().count(b"**Could not be read**") != len(unread):
            errs.append("markdown: the unreadable input is not said to be so")
    return errs


def validate_sarif_all(files, work):
    """One sarif-multitool run over every log: (ok, message)."""
    if not files:
        return True, "no SARIF log to validate"
    if not MULTITOOL:
        return False, "sarif-multitool is not installed (scripts/bootstrap)"
    out = os.path.join(work, "sarif-validation.sarif")
    if os.path.exists(out):
        os.unlink(out)
    r = subprocess.run([MULTITOOL, "validate", "--output", out] + files, capture_output=True,
                       text=True, timeout=1200)
    try:
        with open(out) as f:
            log = json.load(f)
    except (OSError, ValueError) as e:
        return False, "sarif-multitool wrote no log (%s): %s" % (e, r.stdout[-300:])
    errors = [x for run in log["runs"] for x in run.get("results", [])
              if x.get("level", "warning") == "error"]
    if errors:
        return False, "; ".join(x["message"].get("text", "")[:160] for x in errors[:3])
    return True, "%d SARIF logs valid" % len(files)


# -- hostile names for the workflow commands ------------------------------------------------

def workflow_names():
    return [b"pkg/nl\n::error file=evil.py,title=pwned::owned.cpython-311-x86_64-linux-gnu.so",
            b"pkg/cr\r::warning::x.so", b"pkg/pct%0A::error::pwned%0D%25.so",
            b"pkg/colons::notice file=a,title=b::c.so", b"pkg/lead::error::.so",
            b"::error file=top::level.so"]


# -- hostile configurations -----------------------------------------------------------------

def config_texts():
    rng = random.Random(0xC0F16)
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        "%s: &%s [%s]\n" % (chr(98 + i), chr(98 + i), ", ".join(["*" + chr(97 + i)] * 9))
        for i in range(8))
    return {
        "config-huge": b"runtime: python3.11\n" + b"# " + b"x" * (2 << 20) + b"\n",
        "config-deep-flow": b"layers: " + b"[" * 20000 + b"]" * 20000 + b"\n",
        "config-deep-block": b"".join(b"  " * i + b"k%d:\n" % i for i in range(300)),
        "config-binary": bytes(rng.getrandbits(8) for _ in range(4096)),
        "config-nul": b"runtime: python3.11\x00\nsuppress: []\n",
        "config-non-utf8": b"runtime: pyth\xffon3.11\n",
        "config-alias-bomb": laughs.encode(),
        "config-tag": b"runtime: !!python/object/apply:os.system [id]\n",
        "config-multi-doc": b"runtime: python3.11\n---\nruntime: python3.12\n",
        "config-wrong-type-runtime": b"runtime: [1, 2]\n",
        "config-wrong-type-suppress": b"suppress: everything\n",
        "config-wrong-type-number": b"fail-on: 3\n",
        "config-unknown-key": b"output: /etc/passwd\n",
        "config-duplicate-key": b"runtime: python3.11\nruntime: python3.12\n",
        "config-many-values": b"bundles:\n" + b"".join(b"  - b%d\n" % i for i in range(30000)),
        "config-long-value": b"suppress:\n  - rule: ABI001\n    reason: " + b"r" * 100000 + b"\n",
        "config-no-reason": b"suppress:\n  - rule: ABI001\n    path: 'pkg/**'\n",
        "config-unknown-rule": b"suppress:\n  - rule: ABI999\n    reason: x\n",
        "config-bad-date": b"suppress:\n  - rule: ABI001\n    reason: x\n    until: 2023-02-30\n",
        "config-bad-glob": b"suppress:\n  - rule: ABI001\n    reason: x\n    path: 'pkg/[a'\n",
        "config-huge-number": b"fail-on: 1e999999\n",
        "config-key-collection": b"? [a, b]\n: c\n",
    }


def glob_bomb_config():
    """A valid file whose glob would take exponential time with backtracking matchers."""
    pat = "/".join(["**"] * 40) + "/" + "*a" * 60 + "b"
    return ("suppress:\n  - rule: elf-unreadable\n    reason: a glob built to backtrack\n"
            "    path: '%s'\n" % pat).encode()


def long_path_name():
    return b"pkg/" + b"a/" * 1500 + b"a" * 200 + b".so"
