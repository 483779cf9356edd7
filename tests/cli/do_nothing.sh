#!/bin/bash
# SPDX-License-Identifier: MIT
# do_nothing.sh REPO FIXTURES: the end-to-end tests must fail when the tool is broken. A
# stand-in that prints nothing and exits 0 is given to every golden case, to the
# dir-vs-zip comparison and to the hostile matrix; any of them that passes with it is a
# test that tests nothing, and this test names it.
set -u
repo=$1 fixtures=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fake=$scratch/abiscan
printf '#!/bin/sh\nexit 0\n' >"$fake"
chmod +x "$fake"
bad=0 n=0
golden=$repo/tests/golden
while IFS= read -r args; do
    case_dir=${args%/args}
    n=$((n + 1))
    if bash "$golden/run_case.sh" "$case_dir" "$fake" "$fixtures" "$repo" >/dev/null 2>&1; then
        name=${case_dir#"$golden"/}
        echo "not ok - golden.${name//\//.} passes with a tool that does nothing"
        bad=$((bad + 1))
    fi
done < <(find "$golden" -name args -type f | LC_ALL=C sort)
n=$((n + 1))
if /usr/bin/python3 "$repo/tests/cli/dir_vs_zip.py" "$fake" "$fixtures" >/dev/null 2>&1; then
    echo "not ok - cli.dir_vs_zip passes with a tool that does nothing"
    bad=$((bad + 1))
fi
n=$((n + 1))
if /usr/bin/python3 "$repo/tests/cli/import_chains.py" "$fake" "$scratch/chains" >/dev/null 2>&1; then
    echo "not ok - cli.import_chains passes with a tool that does nothing"
    bad=$((bad + 1))
fi
n=$((n + 1))
if /usr/bin/python3 "$repo/tests/cli/import_fallbacks.py" "$fake" "$scratch/fallbacks" >/dev/null 2>&1; then
    echo "not ok - cli.import_fallbacks passes with a tool that does nothing"
    bad=$((bad + 1))
fi
n=$((n + 1))
if sh "$repo/tests/cli/given_rules.sh" "$fake" "$repo/rules" "$fixtures/bundles" >/dev/null 2>&1; then
    echo "not ok - cli.given_rules passes with a tool that does nothing"
    bad=$((bad + 1))
fi
n=$((n + 1))
if sh "$repo/tests/cli/jobs_same.sh" "$fake" "$fixtures" >/dev/null 2>&1; then
    echo "not ok - cli.jobs_same passes with a tool that does nothing"
    bad=$((bad + 1))
fi
# The CI gate's end-to-end tests: the formats' consumers, the examples, the
# pre-commit hook, the man page and completion (which ask the binary for its options);
# the audits': the progress line, the fan-out recipes; the size plan's;
# what the binary links and loads; foreign builds against the real interpreters.
for t in "consumers/consumers.py $fake $fixtures $scratch/consumers" \
    "examples/examples.py $fake $fixtures $scratch/examples" \
    "precommit/precommit.sh $fake $fixtures $scratch/precommit $repo" \
    "doc/check_doc.sh $fake $repo" \
    "cli/progress.py $fake $fixtures" \
    "fleet/fleet.sh $fake $fixtures $scratch/fleet $repo" \
    "images/images.py $fake $fixtures $scratch/images" \
    "size/size.py $fake $fixtures $scratch/size $repo/rules" \
    "cli/links.sh $fake $fixtures" \
    "cli/foreign_builds.py --abiscan $fake --work $scratch/foreign"; do
    n=$((n + 1))
    set -- $t
    script=$1
    shift
    case $script in
    *.py) runner=/usr/bin/python3 ;;
    *) runner=bash ;;
    esac
    if $runner "$repo/tests/$script" "$@" >/dev/null 2>&1; then
        echo "not ok - tests/$script passes with a tool that does nothing"
        bad=$((bad + 1))
    fi
done
n=$((n + 1))
if /usr/bin/python3 "$repo/bench/run.py" --smoke --abiscan "$fake" --work "$scratch/bench" \
    --fixture "$fixtures/bundles/loader.zip" >/dev/null 2>&1; then
    echo "not ok - bench.smoke passes with a tool that does nothing"
    bad=$((bad + 1))
fi
# The hostile matrix: every case must fail ("0 passed").
out=$(/usr/bin/python3 "$repo/tests/hostile/hostile.py" --abiscan "$fake" --work "$scratch/hostile" \
    --fixtures "$fixtures" -j 2 --timeout 20 2>&1 | tail -n 1)
n=$((n + 1))
case $out in
"0 passed, "*) ;;
*)
    echo "not ok - hostile.matrix: some cases pass with a tool that does nothing ($out)"
    bad=$((bad + 1))
    ;;
esac
echo "$((n - bad)) of $n end-to-end tests fail with a tool that does nothing"
[ "$bad" = 0 ]
