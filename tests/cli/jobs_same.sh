#!/bin/sh
# SPDX-License-Identifier: MIT
# jobs_same.sh ABISCAN FIXTURES: the report does not depend on the threads. Every fixture
# bundle, zip and directory, and every container image (its layers listed and streamed on
# the threads), with and without a runtime, is scanned with --jobs 1, 2, 3
# and 8 (an explicit --jobs uses its threads on inputs of any size); the JSON reports
# and the exit statuses must be byte-for-byte the same. Then every fixture bundle in one
# audit (inputs checked in parallel, an unreadable one among them), in text, JSON and
# JSON Lines, with and without a runtime: --jobs 1 against 2, 3, 4 and 8, byte for byte,
# stderr and exit status too. Run under ThreadSanitizer too (scripts/test).
set -u
abiscan=$1 fixtures=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0 n=0
export SOURCE_DATE_EPOCH=1796083200
for b in "$fixtures"/bundles/* "$fixtures"/images/img-*.tar "$fixtures"/images/img-*.oci; do
    for rt in "" python3.12; do
        n=$((n + 1))
        name="$(basename "$b")${rt:+ --runtime $rt}"
        bad=
        for j in 1 2 3 8; do
            "$abiscan" ${rt:+--runtime "$rt"} --jobs "$j" --format json -v "$b" \
                >"$out/$j.json" 2>"$out/$j.err"
            echo $? >"$out/$j.rc"
            if [ "$j" != 1 ] && ! { cmp -s "$out/1.json" "$out/$j.json" &&
                cmp -s "$out/1.err" "$out/$j.err" && cmp -s "$out/1.rc" "$out/$j.rc"; }; then
                bad="$bad $j"
            fi
        done
        if [ ! -s "$out/1.json" ] && [ "$(cat "$out/1.rc")" -lt 2 ]; then
            echo "not ok - $name: no report (exit $(cat "$out/1.rc"))"
            fail=$((fail + 1))
        elif [ -n "$bad" ]; then
            echo "not ok - $name: --jobs$bad differ from --jobs 1"
            diff "$out/1.json" "$out/${bad##* }.json" | head -5
            fail=$((fail + 1))
        else
            echo "ok - $name"
        fi
    done
done
# Many inputs in one run: an audit's threads check inputs in parallel; the output is merged
# in input order.
printf 'PK\003\004 not a zip' >"$out/unreadable.zip"
set -- "$fixtures"/bundles/*
mid=$(($# / 2))
i=0 list=
for b in "$@"; do
    i=$((i + 1))
    list="$list$b\n"
    [ "$i" = "$mid" ] && list="$list$out/unreadable.zip\n"
done
printf "$list" >"$out/list"
for rt in "" python3.12; do
    for fmt in text json jsonl; do
        n=$((n + 1))
        name="all $(grep -c . "$out/list") inputs${rt:+ --runtime $rt} --format $fmt"
        bad=
        for j in 1 2 3 4 8; do
            "$abiscan" ${rt:+--runtime "$rt"} --jobs "$j" --format "$fmt" -v \
                --files-from "$out/list" >"$out/many.$j.out" 2>"$out/many.$j.err"
            echo $? >"$out/many.$j.rc"
            if [ "$j" != 1 ] && ! { cmp -s "$out/many.1.out" "$out/many.$j.out" &&
                cmp -s "$out/many.1.err" "$out/many.$j.err" &&
                cmp -s "$out/many.1.rc" "$out/many.$j.rc"; }; then
                bad="$bad $j"
            fi
        done
        if [ "$(cat "$out/many.1.rc")" != 2 ] || [ ! -s "$out/many.1.out" ]; then
            echo "not ok - $name: exit $(cat "$out/many.1.rc"), want 2 with a report"
            fail=$((fail + 1))
        elif [ -n "$bad" ]; then
            echo "not ok - $name: --jobs$bad differ from --jobs 1"
            diff "$out/many.1.out" "$out/many.${bad##* }.out" | head -5
            fail=$((fail + 1))
        else
            echo "ok - $name"
        fi
    done
done
echo "$((n - fail)) passed, $fail failed"
[ "$fail" = 0 ] && [ "$n" -gt 0 ]
