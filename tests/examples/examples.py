#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The examples in examples/ run as written, on fixture bundles, so that none can rot.

Usage: examples.py ABISCAN FIXTURES WORK

  codebuild/buildspec.yml  every `abiscan` command of the build phase, run in a scratch
                           directory holding the bundle it names (a bad one: exit 1, a
                           good one: exit 0); the reports: group's file is there and
                           junitparser reads the failures from it
  github/abiscan.yml       the abiscan step's commands: stdout is workflow commands, the
                           Markdown for the step summary and the SARIF file that
                           upload-sarif names are written; uploads run if: always()
  pre-commit/              .pre-commit-config.yaml and .abiscan.yaml in a scratch git
                           repository: `pre-commit run --all-files` blocks the bad bundle,
                           passes the good one; its hook is .pre-commit-hooks.yaml's
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

import junitparser
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
BAD, GOOD = "demo-py36", "stableabi"  # python3.12: 5 errors; none
GH_LINE = re.compile(r"^::(error|warning|notice) file=[^,:]*,title=[^,:]*::")
passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok - " + what)
    else:
        failed += 1
        print("not ok - %s%s" % (what, (": " + str(detail)[:400]) if detail else ""))


def abiscan_lines(commands):
    """The abiscan command lines of a list of shell snippets."""
    out = []
    for c in commands:
        for line in c.splitlines():
            if line.strip().startswith("abiscan "):
                out.append(line.strip())
    return out


def place(fixtures, bundle, dest, as_zip):
    os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
    src = os.path.join(fixtures, "bundles", bundle + (".zip" if as_zip else ""))
    (shutil.copy if as_zip else shutil.copytree)(src, dest)


def sh(line, cwd, abiscan):
    env = dict(os.environ, PATH=os.path.dirname(abiscan) + os.pathsep + os.environ["PATH"])
    return subprocess.run(line, shell=True, cwd=cwd, env=env, capture_output=True, timeout=120)


def scratch(work, name):
    d = os.path.join(work, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    os.makedirs(os.path.join(d, ".git"))  # a repository root: no .abiscan.yaml above it
    return d


def bundle_arg(line):
    return shlex.split(line)[-1]


def codebuild(abiscan, fixtures, work):
    with open(os.path.join(REPO, "examples", "codebuild", "buildspec.yml")) as f:
        spec = yaml.safe_load(f)
    lines = abiscan_lines(spec["phases"]["build"]["commands"])
    check(len(lines) == 1, "codebuild: one abiscan command in the build phase", lines)
    group = spec["reports"]["abiscan"]
    junit = os.path.join(group["base-directory"], group["files"][0])
    check(group["file-format"] == "JUNITXML", "codebuild: the report group reads JUnit XML")
    for bundle, want in ((BAD, 1), (GOOD, 0)):
        d = scratch(work, "codebuild-" + bundle)
        os.makedirs(os.path.join(d, "reports"))
        place(fixtures, bundle, os.path.join(d, bundle_arg(lines[0])), True)
        r = sh(lines[0], d, abiscan)
        check(r.returncode == want, "codebuild %s: exit %d (the build fails on 1)" % (bundle, want),
              r.returncode)
        path = os.path.join(d, junit)
        ok = os.path.exists(path)
        check(ok, "codebuild %s: the report group's file %s is written" % (bundle, junit))
        if ok:
            xml = junitparser.JUnitXml.fromfile(path)
            fails = sum(s.failures for s in xml)
            check((fails > 0) == (want == 1), "codebuild %s: junitparser reads %d failures"
                  % (bundle, fails))


def github(abiscan, fixtures, work):
    with open(os.path.join(REPO, "examples", "github", "abiscan.yml")) as f:
        wf = yaml.safe_load(f)
    steps = wf["jobs"]["abiscan"]["steps"]
    step = next(s for s in steps if s.get("name") == "abiscan")
    lines = abiscan_lines([step["run"]])
    upload = next(s for s in steps if str(s.get("uses", "")).startswith(
        "github/codeql-action/upload-sarif"))
    summary = next(s for s in steps if "GITHUB_STEP_SUMMARY" in s.get("run", ""))
    check(upload.get("if") == "always()" and summary.get("if") == "always()",
          "github: the summary and the upload run even when abiscan fails the step")
    for bundle, want in ((BAD, 1), (GOOD, 0)):
        d = scratch(work, "github-" + bundle)
        place(fixtures, bundle, os.path.join(d, bundle_arg(lines[0])), False)
        r = sh(lines[0], d, abiscan)
        check(r.returncode == want, "github %s: exit %d" % (bundle, want), r.returncode)
        out = r.stdout.decode().splitlines()
        check(all(GH_LINE.match(x) for x in out) and (len(out) > 0) == (want == 1),
              "github %s: stdout is %d annotations" % (bundle, len(out)))
        sarif = os.path.join(d, upload["with"]["sarif_file"])
        try:
            with open(sarif) as f:
                log = json.load(f)
            check(log["version"] == "2.1.0", "github %s: upload-sarif's file is SARIF" % bundle)
        except (OSError, ValueError, KeyError) as e:
            check(False, "github %s: upload-sarif's file is SARIF" % bundle, e)
        md = re.search(r"cat (\S+) >>", summary["run"]).group(1)
        check(os.path.exists(os.path.join(d, md)), "github %s: the step summary's %s is written"
              % (bundle, md))


def precommit(abiscan, fixtures, work):
    ex = os.path.join(REPO, "examples", "pre-commit")
    with open(os.path.join(ex, ".pre-commit-config.yaml")) as f:
        hook = yaml.safe_load(f)["repos"][0]["hooks"][0]
    with open(os.path.join(REPO, ".pre-commit-hooks.yaml")) as f:
        defined = yaml.safe_load(f)[0]
    check(all(hook[k] == defined[k] for k in ("id", "entry", "language", "pass_filenames",
                                             "files")),
          "pre-commit: the example's hook is .pre-commit-hooks.yaml's")
    with open(os.path.join(ex, ".abiscan.yaml")) as f:
        cfg = yaml.safe_load(f)
    if not shutil.which("pre-commit"):
        check(False, "pre-commit is installed (scripts/bootstrap)")
        return
    for bundle, want in ((BAD, 1), (GOOD, 0)):
        d = os.path.join(work, "pre-commit-" + bundle)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for name in (".pre-commit-config.yaml", ".abiscan.yaml"):
            shutil.copy(os.path.join(ex, name), d)
        place(fixtures, bundle, os.path.join(d, cfg["bundles"][0]), False)
        env = dict(os.environ, PRE_COMMIT_HOME=os.path.join(work, "pc-home"),
                   HOME=os.path.join(work, "pc-home"), GIT_AUTHOR_NAME="t",
                   GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="t",
                   GIT_COMMITTER_EMAIL="t@example.invalid",
                   PATH=os.path.dirname(abiscan) + os.pathsep + os.environ["PATH"])
        for cmd in (["git", "init", "-q"], ["git", "add", "-A"]):
            subprocess.run(cmd, cwd=d, env=env, check=True)
        r = subprocess.run(["pre-commit", "run", "--all-files"], cwd=d, env=env,
                           capture_output=True, timeout=300)
        check(r.returncode == want, "pre-commit %s: exit %d" % (bundle, want),
              r.stdout.decode()[-600:])
        if want:
            check(b"python-tag-mismatch" in r.stdout, "pre-commit %s: the finding is shown"
                  % bundle)


def main():
    abiscan, fixtures, work = (os.path.abspath(a) for a in sys.argv[1:4])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    abiscan_link = os.path.join(work, "bin", "abiscan")
    os.makedirs(os.path.dirname(abiscan_link))
    os.symlink(abiscan, abiscan_link)  # on PATH as `abiscan`, whatever the binary's name
    for fn in (codebuild, github, precommit):
        try:
            fn(abiscan_link, fixtures, work)
        except Exception as e:  # an example that no longer has the expected shape
            check(False, "%s: %s: %s" % (fn.__name__, type(e).__name__, e))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
