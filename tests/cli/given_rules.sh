#!/bin/sh
# SPDX-License-Identifier: MIT
# given_rules.sh ABISCAN RULES FIXTURES: the shipped data, given with --rules, takes the
# untrusted path (every file validated against its schema, every pattern compiled at load)
# and must give the same report and exit status as the trusted, lazily loaded copy.
set -u
abiscan=$1 rules=$2 fixtures=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0 n=0
for case in demo-py35.zip:python3.6 clean-x86_64.zip:python3.11 loader.zip:python3.12 \
    auditwheel.zip:python3.11 stableabi.zip:python3.9 tags.zip:python3.12 py27.zip:python2.7; do
    b=${case%%:*} rt=${case#*:}
    n=$((n + 1))
    SOURCE_DATE_EPOCH=1796083200 "$abiscan" --runtime "$rt" --format json -v "$fixtures/$b" >"$out/a" 2>"$out/ae"
    ra=$?
    SOURCE_DATE_EPOCH=1796083200 "$abiscan" --rules "$rules" --runtime "$rt" --format json -v "$fixtures/$b" \
        >"$out/b" 2>"$out/be"
    rb=$?
    if [ "$ra" != "$rb" ] || ! cmp -s "$out/a" "$out/b" || ! cmp -s "$out/ae" "$out/be"; then
        echo "not ok - $b: shipped rules (exit $ra) and --rules (exit $rb) disagree"
        diff "$out/a" "$out/b" | head -5
        fail=$((fail + 1))
    elif [ ! -s "$out/a" ] || [ "$ra" -ge 2 ]; then
        echo "not ok - $b: no report (exit $ra)"
        fail=$((fail + 1))
    else
        echo "ok - $b (exit $ra)"
    fi
done
echo "$((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
