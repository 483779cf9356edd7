#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""What cannot run here, read instead (python3-yaml), and the one version everywhere:

  release.yml  .github/workflows/release.yml runs on a tag v*, checks the tag against
               CMakeLists.txt, runs scripts/release, runs the archives on an x86_64 and
               an arm64 runner, and attaches dist/ to the GitHub release; every run:
               block is valid to bash -n
  action.yml   a composite action whose one step runs scripts/action; each input becomes
               the INPUT_ variable scripts/action reads, and it reads no other
  versions     every release the README, the guides, the examples and action.yml name
               (releases/download/vX, abiscan/abiscan@vX, rev: vX, ABISCAN_VERSION,
               abiscan-X-linux-..., abiscan_X_...) is CMakeLists.txt's version

Usage: workflows.py REPO
"""
import glob
import os
import re
import subprocess
import sys

import yaml

passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok - " + what)
    else:
        failed += 1
        print("not ok - %s%s" % (what, (": " + str(detail)[:600]) if detail else ""))


def load(repo, rel):
    with open(os.path.join(repo, rel), encoding="utf-8") as f:
        return yaml.safe_load(f)


def release_workflow(repo, version):
    wf = load(repo, ".github/workflows/release.yml")
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as true
    check("v*" in on.get("push", {}).get("tags", []), "release.yml: runs on a tag v*")
    steps = [(job, s) for job, j in wf["jobs"].items() for s in j.get("steps", [])]
    runs = [(job, s["run"]) for job, s in steps if "run" in s]
    check(any(re.search(r"(^|\n)\s*scripts/release\s*(\n|$)", r) for _, r in runs),
          "release.yml: runs scripts/release")
    check(any("CMakeLists.txt" in r and "GITHUB_REF_NAME" in r for _, r in runs),
          "release.yml: checks the tag against CMakeLists.txt's version")
    runners = [str(r) for j in wf["jobs"].values()
               for r in j.get("strategy", {}).get("matrix", {}).get("runner", [])]
    check(any("arm" in r for r in runners) and any("arm" not in r for r in runners),
          "release.yml: the archives run on an x86_64 and an arm64 runner", runners)
    check(any(re.search(r"gh release create .*dist/\*", r) for _, r in runs),
          "release.yml: attaches dist/ to the GitHub release")
    for job, r in runs:
        p = subprocess.run(["bash", "-n"], input=r, capture_output=True, text=True)
        check(p.returncode == 0, "release.yml: %s: bash -n: %s" % (job, r.splitlines()[0]),
              p.stderr)


def action(repo):
    a = load(repo, "action.yml")
    check(a["runs"]["using"] == "composite" and len(a["runs"]["steps"]) == 1,
          "action.yml: a composite action of one step")
    step = a["runs"]["steps"][0]
    check("$GITHUB_ACTION_PATH/scripts/action" in step["run"],
          "action.yml: its step runs scripts/action")
    want = {"INPUT_" + n.upper().replace("-", "_"): "${{ inputs.%s }}" % n for n in a["inputs"]}
    check(step.get("env") == want, "action.yml: each input is its INPUT_ variable",
          sorted(set(step.get("env", {}).items()) ^ set(want.items())))
    with open(os.path.join(repo, "scripts/action"), encoding="utf-8") as f:
        read = set(re.findall(r"\bINPUT_[A-Z_]+", f.read()))
    check(read == set(want), "scripts/action reads every input and no other",
          sorted(read ^ set(want)))


PINS = [  # (pattern whose group 1 is a version, what it is)
    (r"releases/download/v([0-9][0-9.]*[0-9])", "a release URL"),
    (r"abiscan/abiscan@v([0-9][0-9.]*[0-9])", "the action's ref"),
    (r"\brev: v([0-9][0-9.]*[0-9])", "a pre-commit rev"),
    (r"ABISCAN_VERSION: \"?([0-9][0-9.]*[0-9])", "ABISCAN_VERSION"),
    (r"\babiscan-([0-9][0-9.]*[0-9])-linux-", "an archive name"),
    (r"\babiscan_([0-9][0-9.]*[0-9])_", "a .deb name"),
    (r"\bv=([0-9][0-9.]*[0-9])\b", "the README's v="),
]


def versions(repo, version):
    files = ["README.md", "CONTRIBUTING.md", "action.yml", ".pre-commit-hooks.yaml"]
    files += glob.glob("doc/*.md", root_dir=repo)
    files += [os.path.relpath(p, repo) for p in
              glob.glob(os.path.join(repo, "examples", "**", "*"), recursive=True) +
              glob.glob(os.path.join(repo, "examples", "**", ".*"), recursive=True)
              if os.path.isfile(p)]
    seen = 0
    for rel in sorted(set(files)):
        with open(os.path.join(repo, rel), encoding="utf-8") as f:
            text = f.read()
        for pattern, what in PINS:
            for m in re.finditer(pattern, text):
                seen += 1
                check(m.group(1) == version, "%s: %s names %s" % (rel, what, m.group(1)),
                      "CMakeLists.txt says %s" % version)
    check(seen >= 8, "the README, the guides and the examples name the release (%d places)"
          % seen)


def main():
    repo = sys.argv[1]
    with open(os.path.join(repo, "CMakeLists.txt"), encoding="utf-8") as f:
        version = re.search(r"^project\(abiscan VERSION ([0-9.]+)[ )]", f.read(), re.M).group(1)
    for fn in (release_workflow, action, versions):
        try:
            fn(repo, version) if fn is not action else fn(repo)
        except Exception as e:  # a file that no longer has the expected shape
            check(False, "%s: %s: %s" % (fn.__name__, type(e).__name__, e))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
