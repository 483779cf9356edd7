#!/bin/bash
# SPDX-License-Identifier: MIT
# run_case.sh CASE_DIR ABISCAN FIXTURES REPO: one end-to-end golden case.
#
# A case directory holds:
#   args          one argument per line; @FIXTURES@ and @SCRATCH@ are substituted
#   expected.txt  stdout of --format text (checked when present)
#   expected.json stdout of --format json (checked when present; also schema-validated)
#   expected.jsonl stdout of --format jsonl (checked when present; each line validated)
#   exit          expected exit status (default 0)
#   stderr        expected stderr (default: empty)
#   setup         optional: run as `setup SCRATCH FIXTURES REPO` first, to make inputs
#   check         optional: run as `check SCRATCH REPO` last; must exit 0
#   env           optional: NAME=VALUE lines exported for the run (SOURCE_DATE_EPOCH)
#   README        one line: what the case proves
# A case is tests/golden/AREA/CASE/ or, when it proves one rule, tests/golden/rules/SLUG/CASE/;
# its test is golden.AREA.CASE or golden.rules.SLUG.CASE (tests/README.md).
# With UPDATE_GOLDEN=1 the expectations are rewritten from the actual output
# (the formats already present, text when none is); review the diff like code.
set -u
case_dir=$1 abiscan=$2 fixtures=$3 repo=$4
# The test's name, as tests/CMakeLists.txt gives it: the path under tests/golden/, dotted.
name=${case_dir%/}
name=${name##*/tests/golden/}
name=${name//\//.}
scratch=$(mktemp -d)
# Dates are pinned (runtime-deprecated, suppressions): the expectations never age.
export SOURCE_DATE_EPOCH=${ABISCAN_TEST_EPOCH:-1796083200} # 2026-12-01
trap 'chmod -R u+rwx "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT
fail() { echo "golden.$name: $*" >&2; exit 1; }

if [ -e "$case_dir/setup" ]; then
    "$case_dir/setup" "$scratch" "$fixtures" "$repo" || fail "setup failed"
fi

if [ -f "$case_dir/env" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
        [ -n "$line" ] && export "${line?}"
    done <"$case_dir/env"
fi

args=()
if [ -s "$case_dir/args" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line//@FIXTURES@/$fixtures}
        line=${line//@SCRATCH@/$scratch}
        args+=("$line")
    done <"$case_dir/args"
fi

want_exit=0
[ -f "$case_dir/exit" ] && want_exit=$(cat "$case_dir/exit")

md_escape() { # a path as report_markdown.c's md_put writes it: punctuation after a backslash
    printf '%s' "$1" | sed 's/[][\\`*_{}()#+.!|~"'"'"'$=:@-]/\\&/g'
}

normalise() { # stdin -> stdout with machine paths replaced
    local s
    s=$(cat; echo x)
    s=${s%x}
    s=${s//$scratch/@SCRATCH@}
    s=${s//$fixtures/@FIXTURES@}
    # The Markdown report writes a path with its punctuation backslash-escaped.
    s=${s//"$(md_escape "$scratch")"/@SCRATCH@}
    s=${s//"$(md_escape "$fixtures")"/@FIXTURES@}
    # The toolchain's own version, as the fixtures' .comment says it (built_with): not the
    # case's, and Debian's point releases move it.
    printf '%s' "$s" | sed -E 's/GCC: \(Debian [^)]*\) [0-9][0-9.]*/GCC: (Debian @V@) @V@/g;
        s/Debian clang version [0-9][0-9.]*/Debian clang version @V@/g;
        s/Debian LLD [0-9][0-9.]*/Debian LLD @V@/g'
}

formats=()
[ -f "$case_dir/expected.txt" ] && formats+=(txt)
[ -f "$case_dir/expected.json" ] && formats+=(json)
[ -f "$case_dir/expected.jsonl" ] && formats+=(jsonl)
[ ${#formats[@]} -eq 0 ] && formats=(txt)

status=0
for fmt in "${formats[@]}"; do
    out="$scratch/out.$fmt" err="$scratch/err.$fmt"
    flag=(--format text)
    [ "$fmt" = json ] && flag=(--format json)
    [ "$fmt" = jsonl ] && flag=(--format jsonl)
    # The runner's format goes first, so that a case's own --format or -o wins.
    env -u NO_COLOR "$abiscan" "${flag[@]}" "${args[@]}" >"$out.raw" 2>"$err.raw"
    got_exit=$?
    normalise <"$out.raw" >"$out"
    normalise <"$err.raw" >"$err.all"
    # When stdout is not the text report (json, another format, -o FILE), the run ends its
    # stderr with the one-line summary, so that a CI log says why it failed: required
    # there, checked for its shape, and taken off before stderr is compared.
    summary_re='^abiscan: ((the input could not be checked|none of the [0-9]+ inputs could be checked|([0-9]+ of [0-9]+ inputs could not be checked; in the others, )?[0-9]+ errors?, [0-9]+ warnings?, [0-9]+ notes?(; [0-9]+ suppressed)? in [0-9]+ inputs?( \([^)]*\))?); (target [^:]*|targets as declared): (fails|passes)( \([^)]*\))?|([0-9]+ inputs? \([^)]*\); together they )?imports? on [0-9]+ of [0-9]+ runtimes?)$'
    last=$(tail -n 1 "$err.all")
    if [ "$got_exit" -le 1 ] && { [ "$fmt" != txt ] || [ ! -s "$out" ]; } && ! grep -q -- '--list-' "$case_dir/args"; then
        if [[ ! $last =~ $summary_re ]]; then
            echo "golden.$name ($fmt): stdout is not the text report, but stderr does not end with the summary line: '$last'" >&2
            status=1
        fi
    fi
    if [[ $last =~ $summary_re ]]; then
        head -n -1 "$err.all" >"$err"
    else
        cp "$err.all" "$err"
    fi
    if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
        # Every expectation from this run, and none left from an older one: an exit or
        # stderr file the tool no longer earns is removed, not kept.
        cp "$out" "$case_dir/expected.$fmt"
        if [ -s "$err" ]; then cp "$err" "$case_dir/stderr"; else rm -f "$case_dir/stderr"; fi
        if [ "$got_exit" != 0 ]; then echo "$got_exit" >"$case_dir/exit"; else rm -f "$case_dir/exit"; fi
        continue
    fi
    if [ "$got_exit" != "$want_exit" ]; then
        echo "golden.$name ($fmt): exit $got_exit, expected $want_exit" >&2
        cat "$err" >&2
        status=1
    fi
    if ! diff -u "$case_dir/expected.$fmt" "$out" >&2; then
        echo "golden.$name ($fmt): stdout differs (UPDATE_GOLDEN=1 rewrites)" >&2
        status=1
    fi
    if [ -f "$case_dir/stderr" ]; then
        diff -u "$case_dir/stderr" "$err" >&2 || { echo "golden.$name ($fmt): stderr differs" >&2; status=1; }
    elif [ -s "$err" ]; then
        echo "golden.$name ($fmt): unexpected stderr:" >&2
        cat "$err" >&2
        status=1
    fi
    # A report is schema-checked; --list-rules' JSON is the catalogue, not a report.
    # Exit 2 with a report: an input that could not be read is in it, as an error.
    if [ "$fmt" = json ] && [ -s "$out" ] && ! grep -q -- '--list-' "$case_dir/args"; then
        /usr/bin/python3 "$repo/tests/tools/validate_json.py" \
            "$repo/rules/schema/report.schema.json" "$out.raw" >&2 || status=1
    fi
    if [ "$fmt" = jsonl ] && [ -s "$out" ]; then
        /usr/bin/python3 "$repo/tests/tools/validate_json.py" --lines \
            "$repo/rules/schema/line.schema.json" "$out.raw" >&2 || status=1
    fi
done

if [ -e "$case_dir/check" ] && [ "${UPDATE_GOLDEN:-}" != 1 ]; then
    "$case_dir/check" "$scratch" "$repo" || fail "check failed"
fi
exit $status
