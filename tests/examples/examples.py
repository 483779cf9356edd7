#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The examples in examples/ run as written, on fixture bundles, so that none can rot.

Usage: examples.py ABISCAN FIXTURES WORK

  pre-commit/              .pre-commit-config.yaml and .abiscan.yaml in a scratch git
                           repository: `pre-commit run --all-files` blocks the bad bundle,
                           passes the good one; its hook is .pre-commit-hooks.yaml's

The CodeBuild buildspecs and the GitHub workflow install the release, so they run where
it is: tests/release/gates.py (release.codebuild, release.action). examples/fleet/ has
its own test (tests/fleet/).
"""
import os
import shutil
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
BAD, GOOD = "demo-py36", "stableabi"  # python3.12: 5 errors; none
passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok - " + what)
    else:
        failed += 1
        print("not ok - %s%s" % (what, (": " + str(detail)[:400]) if detail else ""))


def place(fixtures, bundle, dest, as_zip):
    os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
    src = os.path.join(fixtures, "bundles", bundle + (".zip" if as_zip else ""))
    (shutil.copy if as_zip else shutil.copytree)(src, dest)


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
    for fn in (precommit,):
        try:
            fn(abiscan_link, fixtures, work)
        except Exception as e:  # an example that no longer has the expected shape
            check(False, "%s: %s: %s" % (fn.__name__, type(e).__name__, e))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
