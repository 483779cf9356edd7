#!/bin/bash
# SPDX-License-Identifier: MIT
# precommit.sh ABISCAN FIXTURES WORK REPO: the hook in .pre-commit-hooks.yaml, run by
# Debian's pre-commit (`pre-commit try-repo REPO abiscan`) in a scratch repository whose
# .abiscan.yaml names a bundle directory: a bad bundle (demo-py36, CPython 3.6 modules for
# python3.12) is blocked with exit 1 and the finding in the output; a good one (stableabi,
# abi3 modules) passes; then each file the hook's files: names, staged alone, runs it
# (.abiscan.yaml alone can fail a commit), and a README does not. PRE_COMMIT_HOME is a
# scratch directory: nothing in ~/.cache.
set -u
abiscan=$1 fixtures=$2 work=$3 repo=$4
command -v pre-commit >/dev/null || { echo "not ok - pre-commit is not installed"; exit 1; }
rm -rf "$work"
mkdir -p "$work/bin" "$work/home"
ln -s "$abiscan" "$work/bin/abiscan"
export PATH="$work/bin:$PATH" PRE_COMMIT_HOME="$work/home" HOME="$work/home"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
git config --global --add safe.directory '*' 2>/dev/null
fail=0 pass=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
nok() { echo "not ok - $1"; fail=$((fail + 1)); }

# try-repo takes the hook definitions from a repository: a copy of this tree's file, so that
# what is tested is the file committed here even when the source tree is not a checkout.
hooks=$work/hooks
mkdir -p "$hooks"
cp "$repo/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" init -q && git -C "$hooks" add -A && git -C "$hooks" commit -qm hooks

one() { # one NAME BUNDLE WANT_EXIT
    local name=$1 bundle=$2 want=$3 r=$work/$1
    mkdir -p "$r"
    cp -r "$fixtures/bundles/$bundle" "$r/bundle"
    printf 'runtime: python3.12\narch: x86_64\nbundles: [bundle]\n' >"$r/.abiscan.yaml"
    git -C "$r" init -q && git -C "$r" add -A && git -C "$r" commit -qm bundle
    (cd "$r" && pre-commit try-repo "$hooks" abiscan --all-files) >"$r.out" 2>&1
    got=$?
    if [ "$got" = "$want" ]; then ok "$name: pre-commit exits $want"; else nok "$name: pre-commit exits $got, want $want"; sed 's/^/#   /' "$r.out"; fi
}
one bad demo-py36 1
grep -q 'python-tag-mismatch' "$work/bad.out" && ok "bad: the finding is in pre-commit's output" \
    || nok "bad: no python-tag-mismatch in pre-commit's output"
grep -q '^abiscan.*Failed' "$work/bad.out" && ok "bad: the hook is reported Failed" \
    || nok "bad: the hook is not reported Failed"
one good stableabi 0
grep -q '^abiscan.*Passed' "$work/good.out" && ok "good: the hook is reported Passed" \
    || nok "good: the hook is not reported Passed"

# What the hook sees: the files of one commit. In a repository whose good bundle is
# committed, each change below is staged alone and `try-repo` runs on the staged files
# (no --all-files), as a commit would: a change to .abiscan.yaml alone (a runtime bump
# that makes the bundle fail) runs the hook and fails; each file the bundle is built from
# runs it (Passed); a README runs nothing (Skipped).
r=$work/changes
mkdir -p "$r"
cp -r "$fixtures/bundles/stableabi" "$r/bundle"
printf 'runtime: python3.12\narch: x86_64\nbundles: [bundle]\n' >"$r/.abiscan.yaml"
git -C "$r" init -q && git -C "$r" add -A && git -C "$r" commit -qm bundle
staged() { # staged NAME WANT_EXIT WANT_WORD: run the hook on what is staged
    local out
    out=$r.$(echo "$1" | tr / _).out
    (cd "$r" && pre-commit try-repo "$hooks" abiscan) >"$out" 2>&1
    got=$?
    if [ "$got" = "$2" ] && grep -q "^abiscan.*$3\$" "$out"; then
        ok "$1 alone: the hook is $3 (exit $2)"
    else
        nok "$1 alone: want $3, exit $2; got exit $got"
        sed 's/^/#   /' "$out"
    fi
    git -C "$r" reset -q --hard && git -C "$r" clean -qfd
}
sed -i 's/python3.12/python3.6/' "$r/.abiscan.yaml" && git -C "$r" add .abiscan.yaml
staged .abiscan.yaml 1 Failed
for f in pyproject.toml requirements.txt requirements-dev.txt deps/requirements.in \
    constraints.in uv.lock poetry.lock Pipfile.lock; do
    mkdir -p "$r/$(dirname "$f")" && echo "# $f" >"$r/$f" && git -C "$r" add "$f"
    staged "$f" 0 Passed
done
echo "# readme" >"$r/README.md" && git -C "$r" add README.md
staged README.md 0 Skipped

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
