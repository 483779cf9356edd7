#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Every output format read by its real consumer, on the fixture bundles.

Usage: consumers.py ABISCAN FIXTURES WORK [--sarif-multitool PATH] [--cmark-gfm PATH]

For each bundle (a zip with findings, the same tree as a directory, a clean bundle, a
bundle with suppressions and a baseline) one run writes every format at once
(--report FMT=FILE for each), and each file is read by what reads it in CI:

  sarif     Microsoft's sarif-multitool `validate` (no error-level result), then the
            results against the JSON report: one per finding, a physical location on
            each, partialFingerprints equal across two runs, suppressions with the reason;
            in a repository (also run from a subdirectory of one), each artifact's path
            from its root under SRCROOT
  junit     python3-junitparser: a testsuite per input, failures = findings at or above
            --fail-on, skipped = findings set aside by the gate
  github    every line a workflow command abiscan meant (::error/::warning/::notice
            file=...::), one per finding, properties escaped as the runner's toolkit does,
            file= the path from the repository root
  markdown  cmark-gfm (GitHub's renderer) with the table extension: one table row per
            finding, no HTML element that abiscan did not write

and: the summary line is on stderr whenever stdout is not the text report; a run that
fails as a whole (exit 2: an unknown runtime) leaves no report of an earlier run and no
temporary file, while a run with an input that cannot be read (exit 2 too) writes every
report, each showing that input as a failure: a JUnit error, a SARIF error notification
(executionSuccessful false), an ::error annotation, a :x: section in Markdown.
Prints "ok - ..." / "not ok - ..." per check, then "N passed, M failed"; exit 1 on failure.
"""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse

import junitparser

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import ghcauses  # noqa: E402

FORMATS = ("json", "sarif", "junit", "github", "markdown")
GH_LINE = re.compile(r"^::(error|warning|notice) file=([^,:\n]*),title=([^,:\n]*)::[^\r\n]*$")
SUMMARY = re.compile(r"^abiscan: \d+ errors?, \d+ warnings?, \d+ notes?(; \d+ suppressed)? "
                     r"in \d+ inputs?( \([^)]*\))?; target \S+ \S+: (fails|passes)")


class Checker:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            print("ok - " + what)
        else:
            self.failed += 1
            print("not ok - %s%s" % (what, (": " + detail) if detail else ""))
        return ok


def run(abiscan, args, cwd, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([abiscan] + args, cwd=cwd, capture_output=True, env=e, timeout=120)


def reports(work, tag):
    return {f: os.path.join(work, "%s.%s" % (tag, f)) for f in FORMATS}


def report_args(paths):
    return [a for f, p in paths.items() for a in ("--report", "%s=%s" % (f, p))]


class Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.rows = set(), 0

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "tr":
            self.rows += 1


def repo_root(cwd):
    """The base abiscan places paths from without --path-base: the first directory from cwd
    up that holds .git (a directory, or a worktree's file), or None."""
    d = os.path.realpath(cwd)
    while True:
        if os.path.isdir(os.path.join(d, ".git")) or os.path.isfile(os.path.join(d, ".git")):
            return d
        if d == "/":
            return None
        d = os.path.dirname(d)


def placed(path, cwd, base):
    """An input as GitHub annotations name it: its path from the base when under it (links
    resolved), else as given."""
    real = os.path.realpath(os.path.join(cwd, path))
    if base and (real == base or real.startswith(base.rstrip("/") + "/")):
        return os.path.relpath(real, base)
    return path


def unreadable(report):
    return [i for i in report["inputs"] if i["verdict"] == "error"]


def check_junit(c, name, path, report):
    xml = junitparser.JUnitXml.fromfile(path)
    suites = list(xml)
    errors = [r for s in suites for case in s for r in case.result
              if isinstance(r, junitparser.Error)]
    c.check(len(errors) == len(unreadable(report)) == sum(s.errors for s in suites),
            name + ": junit: an error case per input that could not be read",
            "%d errors, %d unreadable" % (len(errors), len(unreadable(report))))
    c.check(len(suites) == len(report["inputs"]), name + ": junit: one testsuite per input",
            "%d suites, %d inputs" % (len(suites), len(report["inputs"])))
    fail_on = report["summary"]["fail_on"]
    order = ["note", "warning", "error", "none"]
    want_fail = sum(1 for f in report["findings"]
                    if order.index(f["severity"]) >= order.index(fail_on))
    got_fail = sum(1 for s in suites for case in s for r in case.result
                   if isinstance(r, junitparser.Failure))
    got_skip = sum(1 for s in suites for case in s for r in case.result
                   if isinstance(r, junitparser.Skipped))
    c.check(got_fail == want_fail, name + ": junit: a failure per finding at or above --fail-on",
            "%d failures, %d findings" % (got_fail, want_fail))
    c.check(got_skip == len(report.get("suppressed", [])),
            name + ": junit: a skipped case per suppressed finding")
    c.check(sum(s.failures for s in suites) == want_fail and
            all(s.tests == len(list(s)) for s in suites),
            name + ": junit: the counts in the attributes are the cases'")


def check_github(c, name, path, report, cwd):
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    lines = [x.decode("utf-8") for x in lines[:-1]]
    want, left = ghcauses.expected(report)
    more = [x for x in lines if ghcauses.MORE.match(x.encode())]
    bad = [x for x in lines if not GH_LINE.match(x) and x not in more]
    c.check(not bad, name + ": github: every line is a workflow command abiscan meant",
            repr(bad[:2]))
    c.check(len(lines) - len(more) == want and len(more) == (1 if left else 0),
            name + ": github: one annotation per cause, at most ten of each kind (none for "
            "suppressed findings), an ::error per input that could not be read, the rest counted",
            "%d lines, %d expected, %d causes left" % (len(lines), want, left))
    base = repo_root(cwd)
    c.check(all(any(x.startswith("::error file=%s,title=abiscan input-unreadable::"
                                 % placed(i["path"], cwd, base)) for x in lines)
                for i in unreadable(report)),
            name + ": github: the ::error names the input that could not be read, by its path "
            "from the repository root")


def check_markdown(c, name, path, report, cmark):
    out = subprocess.run([cmark, "-e", "table", path], capture_output=True, check=True).stdout
    p = Tags()
    p.feed(out.decode("utf-8"))
    header_rows = sum(1 for i in report["inputs"]
                      if any(f["input"] == i["path"] for f in report["findings"]))
    causes = report.get("causes", [])
    header_rows += len({c["input"] for c in causes})
    c.check(p.rows == len(report["findings"]) + len(causes) + header_rows,
            name + ": markdown: cmark-gfm renders one table row per cause and per finding",
            "%d rows for %d findings, %d causes" % (p.rows, len(report["findings"]), len(causes)))
    # pre: each cause's fix, in a fenced code block (literal: nothing in it is HTML).
    allowed = {"h2", "h3", "p", "strong", "table", "thead", "tbody", "tr", "th", "td", "code",
               "pre"}
    c.check(p.tags <= allowed, name + ": markdown: no HTML element from a name",
            str(sorted(p.tags - allowed)))
    html_out = out.decode("utf-8")
    c.check(html_out.count("Could not be read") == len(unreadable(report)) and
            html_out.count(":x:") >= len(unreadable(report)),
            name + ": markdown: an input that could not be read is a :x: section that says so")


def check_sarif(c, name, path, report, again, cwd):
    with open(path) as f:
        log = json.load(f)
    run0 = log["runs"][0]
    results = run0["results"]
    base = repo_root(cwd)
    root = "file://" + urllib.parse.quote(base.rstrip("/") + "/") if base else None
    arts = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results]
    # In a repository: SRCROOT its root, each artifact relative to it, or absolute (a file
    # URI, no base id) outside it. Elsewhere: neither, the paths as given.
    relative = [a.get("uriBaseId") == "SRCROOT" and not a["uri"].startswith(("/", "file:"))
                for a in arts]
    outside = ["uriBaseId" not in a and a["uri"].startswith("file:///") and
               not a["uri"].startswith(root or "file:///") for a in arts]
    c.check(run0.get("originalUriBaseIds", {}).get("SRCROOT", {}).get("uri") == root and
            all(x or y for x, y in zip(relative, outside)) if base else
            "originalUriBaseIds" not in run0 and not any(relative),
            name + ": sarif: in a repository, SRCROOT is its root and each artifact is "
            "relative to it (or absolute, outside it)", "%r" % arts[:2])
    sup = report.get("suppressed", [])
    c.check(log["version"] == "2.1.0" and len(results) == len(report["findings"]) + len(sup),
            name + ": sarif: one result per finding, suppressed ones included")
    c.check(all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for r in results), name + ": sarif: a physical location on every result")
    inv = run0["invocations"][0]
    notes = [n for n in inv["toolExecutionNotifications"] if n["level"] == "error"]
    c.check(inv["executionSuccessful"] == (not unreadable(report)) and
            len(notes) == len(unreadable(report)) and
            all(any(i["path"] in n["message"]["text"] for n in notes) for i in unreadable(report)),
            name + ": sarif: an input that could not be read is an error notification, and the "
            "run is not executionSuccessful")
    ids = [r["id"] for r in run0["tool"]["driver"]["rules"]]
    c.check(all(ids[r["ruleIndex"]] == r["ruleId"] for r in results),
            name + ": sarif: ruleIndex points at the rule in tool.driver.rules")
    reasons = sorted(s["suppression"]["reason"] for s in sup)
    got = sorted(r["suppressions"][0]["justification"] for r in results if "suppressions" in r)
    c.check(reasons == got, name + ": sarif: suppressions carry the reasons", "%r" % got)
    with open(again) as f:
        log2 = json.load(f)
    fp = [r["partialFingerprints"] for r in results]
    fp2 = [r["partialFingerprints"] for r in log2["runs"][0]["results"]]
    # The fingerprint is the finding's (rule, member, fact), as the baseline's: the same
    # finding in two bundles has the same one, at two locations.
    where = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              json.dumps(r["partialFingerprints"])) for r in results}
    c.check(fp == fp2 and len(where) == len(fp),
            name + ": sarif: partialFingerprints stable across runs, one per finding and "
            "artifact")


def validate_sarif(c, multitool, files, work):
    out = os.path.join(work, "validation.sarif")
    if os.path.exists(out):
        os.unlink(out)
    # Its exit status is 0 even for error-level results: the log it writes says.
    r = subprocess.run([multitool, "validate", "--output", out] + files,
                       capture_output=True, text=True, timeout=600)
    with open(out) as f:
        log = json.load(f)
    errors = [res for run in log["runs"] for res in run.get("results", [])
              if res.get("level", "warning") == "error"]
    c.check(r.returncode == 0 and not errors,
            "sarif-multitool validate: no error-level result in %d logs" % len(files),
            "; ".join(e["message"].get("text", "")[:200] for e in errors[:3]) or r.stdout[-500:])


def check_also(c, name, paths, report, cmark):
    """What a never-opened file would also fail on (JSON `also`) is in every format, once per
    finding that carries it, naming each folded rule."""
    folded = [f for f in report["findings"] if f.get("also")]
    words = "it would also fail: "
    for fmt in ("sarif", "github", "markdown", "junit"):
        with open(paths[fmt], encoding="utf-8") as fh:
            text = fh.read()
        if fmt == "markdown":  # as the reader sees it, rendered
            text = subprocess.run([cmark, "-e", "table", paths[fmt]], capture_output=True,
                                  check=True, text=True).stdout
        # JUnit says each failure twice (the message attribute and the element's text).
        per = 2 if fmt == "junit" else 1
        slugs = all(a["slug"] in text for f in folded for a in f["also"])
        want = len(folded)
        if fmt == "github":  # an annotation per cause: its first finding's
            want = len(ghcauses.folded_first(report))
            slugs = all(a["slug"] in text for c in ghcauses.folded_first(report)
                        for a in report["findings"][c["findings"][0]]["also"])
        c.check(text.count(words) == per * want and slugs,
                "%s: %s: what each never-opened file would also fail on (%d findings)"
                % (name, fmt, len(folded)), "%d mentions" % text.count(words))


def scenario(c, abiscan, name, args, cwd, work, ctx, env=None):
    paths = reports(work, name)
    again = os.path.join(work, name + ".again.sarif")
    r = run(abiscan, ["--format", "text"] + args + report_args(paths), cwd, env)
    c.check(r.returncode in (0, 1, 2) and all(os.path.exists(p) for p in paths.values()),
            name + ": exits 0, 1 or 2 with every report written", r.stderr.decode()[-300:])
    run(abiscan, args + ["--format", "sarif", "-o", again], cwd, env)
    with open(paths["json"]) as f:
        report = json.load(f)
    want = 2 if unreadable(report) else 1 if report["summary"]["failed"] else 0
    c.check(r.returncode == want, name + ": the exit status is the report's verdict",
            "exit %d, expected %d" % (r.returncode, want))
    check_junit(c, name, paths["junit"], report)
    check_github(c, name, paths["github"], report, cwd)
    check_markdown(c, name, paths["markdown"], report, ctx["cmark"])
    check_sarif(c, name, paths["sarif"], report, again, cwd)
    check_also(c, name, paths, report, ctx["cmark"])
    ctx["sarif"] += [paths["sarif"], again]
    return report


def main():
    args = sys.argv[1:]
    multitool = shutil.which("sarif-multitool")
    cmark = shutil.which("cmark-gfm")
    for opt in ("--sarif-multitool", "--cmark-gfm"):
        if opt in args:
            i = args.index(opt)
            if opt == "--sarif-multitool":
                multitool = args[i + 1]
            else:
                cmark = args[i + 1]
            del args[i:i + 2]
    abiscan, fixtures, work = (os.path.abspath(a) for a in args)
    if not multitool or not cmark:
        print("not ok - sarif-multitool and cmark-gfm are needed (scripts/bootstrap)")
        return 1
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    c = Checker()
    ctx = {"cmark": cmark, "sarif": []}
    b = os.path.join(fixtures, "bundles")
    scenario(c, abiscan, "zip", ["--runtime", "python3.6", "--no-config",
                                 os.path.join(b, "demo-py35.zip")], work, work, ctx)
    scenario(c, abiscan, "dir", ["--runtime", "python3.6", "--no-config",
                                 os.path.join(b, "demo-py35")], work, work, ctx)
    rep = scenario(c, abiscan, "unopened", ["--runtime", "python3.11", "--no-config",
                                            os.path.join(b, "loader-37m.zip")], work, work, ctx)
    c.check(any(f.get("also") for f in rep["findings"]),
            "unopened: cp37m builds checked for python3.11 fold what they would also fail on")
    scenario(c, abiscan, "clean", ["--runtime", "python3.12", "--no-config",
                                   os.path.join(b, "clean-x86_64.zip")], work, work, ctx)
    # An audit with a bundle that cannot be read in the middle: every report is written,
    # the other bundles are in full, the missing one a failure in each format.
    rep = scenario(c, abiscan, "mixed", ["--runtime", "python3.6", "--no-config",
                                         os.path.join(b, "demo-py35.zip"),
                                         os.path.join(b, "no-such-bundle.zip"),
                                         os.path.join(b, "demo-py36")], work, work, ctx)
    c.check([i["verdict"] for i in rep["inputs"]] == ["fail", "error", "fail"] and
            len(rep["findings"]) == 7,
            "mixed: the bundles around the missing one are reported in full")
    # Suppressions with reasons and a baseline: kept, marked, not counted.
    repo = os.path.join(work, "repo")
    os.makedirs(os.path.join(repo, ".git"))
    shutil.copy(os.path.join(b, "demo-py35.zip"), os.path.join(repo, "fn.zip"))
    with open(os.path.join(repo, ".abiscan.yaml"), "w") as f:
        f.write("runtime: python3.6\nbundles: [fn.zip]\nsuppress:\n"
                "  - rule: python-tag-mismatch\n    path: 'numpy/**'\n"
                "    reason: 'numpy: rebuilt next sprint <b>|</b>'\n")
    rep = scenario(c, abiscan, "suppressed", [], repo, work, ctx)
    c.check(rep["summary"]["suppressed"] == 2 and
            not any(f["path"].startswith("numpy/") for f in rep["findings"]),
            "suppressed: numpy's 2 findings set aside by the configuration, the rest counted")
    # Run in a subdirectory of a repository (.git, as git init or a worktree leaves it):
    # SARIF says each bundle's path from the root under SRCROOT and the annotations name it
    # the same way, as code scanning and GitHub place them; the log still validates.
    tree = os.path.join(work, "tree")
    sub = os.path.join(tree, "sub dir")
    os.makedirs(os.path.join(tree, ".git"))
    os.makedirs(sub)
    shutil.copy(os.path.join(b, "demo-py35.zip"), os.path.join(sub, "fn.zip"))
    shutil.copytree(os.path.join(b, "demo-py35"), os.path.join(sub, "fn"), symlinks=True)
    scenario(c, abiscan, "subdir", ["--runtime", "python3.6", "--no-config", "fn.zip", "fn",
                                    "missing.zip"], sub, work, ctx)
    with open(os.path.join(work, "subdir.sarif")) as f:
        run0 = json.load(f)["runs"][0]
    arts = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run0["results"]]
    arts += [n["locations"][0]["physicalLocation"]["artifactLocation"]
             for n in run0["invocations"][0]["toolExecutionNotifications"] if "locations" in n]
    uris = {a["uri"] for a in arts}
    c.check(run0["originalUriBaseIds"]["SRCROOT"]["uri"] ==
            "file://" + urllib.parse.quote(os.path.realpath(tree)) + "/" and
            all(a.get("uriBaseId") == "SRCROOT" for a in arts) and
            {"sub%20dir/fn.zip", "sub%20dir/missing.zip"} <= uris and
            any(u.startswith("sub%20dir/fn/numpy/") for u in uris) and
            all(u.startswith("sub%20dir/") for u in uris),
            "subdir: sarif: run in a subdirectory, each artifact is its path from the "
            "repository root, under SRCROOT", "%r" % sorted(uris)[:4])
    with open(os.path.join(work, "subdir.github"), encoding="utf-8") as f:
        files = {x.split(",title=")[0].split(" file=", 1)[1] for x in f.read().splitlines()}
    c.check({"sub dir/fn.zip", "sub dir/missing.zip"} <= files and
            all(x.startswith("sub dir/") for x in files),
            "subdir: github: file= is the path from the repository root", "%r" % files)
    # stderr carries the summary whenever stdout is not the text report.
    r = run(abiscan, ["--no-config", "--runtime", "python3.6", "--format", "junit",
                      os.path.join(b, "demo-py35.zip")], work)
    last = r.stderr.decode().rstrip("\n").split("\n")[-1]
    c.check(r.returncode == 1 and SUMMARY.match(last), "stderr ends with the summary line "
            "when stdout is a machine format", last)
    # A run that fails as a whole leaves no stale report and no temporary file.
    stale = os.path.join(work, "stale")
    os.makedirs(stale)
    for f in ("a.xml", "a.sarif"):
        with open(os.path.join(stale, f), "w") as fh:
            fh.write("yesterday")
    r = run(abiscan, ["--no-config", "--runtime", "python9.9", "--report",
                      "junit=" + os.path.join(stale, "a.xml"), "--report",
                      "sarif=" + os.path.join(stale, "a.sarif"),
                      os.path.join(b, "demo-py35.zip")], work)
    c.check(r.returncode == 2 and os.listdir(stale) == [],
            "a run that fails as a whole (exit 2) leaves no earlier report and no temporary "
            "file", str(os.listdir(stale)))
    # --list-rules: the table and the JSON name the same rules.
    table = run(abiscan, ["--list-rules"], work).stdout.decode().splitlines()[1:]
    listed = json.loads(run(abiscan, ["--list-rules", "--format", "json"], work).stdout)
    c.check([x.split()[0] for x in table] == [x["id"] for x in listed["rules"]] and
            all(x["slug"] and x["severity"] in ("note", "warning", "error")
                for x in listed["rules"]),
            "--list-rules: JSON with --format json, the same rules as the table")
    validate_sarif(c, multitool, ctx["sarif"], work)
    print("%d passed, %d failed" % (c.passed, c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
