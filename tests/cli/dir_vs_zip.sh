#!/bin/bash
# SPDX-License-Identifier: MIT
# dir_vs_zip.sh ABISCAN FIXTURES: every fixture bundle, given as a directory and as
# the zip the build made of it, gives the same findings (issue: "the same tree given
# as a directory and as a zip gives the same findings"), for an x86_64 and an arm64 target.
set -u
abiscan=$1 fixtures=$2
pass=0 fail=0
strip() { # findings without the input field, one per line
    /usr/bin/python3 -c 'import json,sys
r=json.load(sys.stdin)
for f in r["findings"]:
    f.pop("input")
    print(json.dumps(f, sort_keys=True))'
}
for zip in "$fixtures"/bundles/*.zip; do
    dir=${zip%.zip}
    for target in "python3.11 x86_64" "python3.12 arm64"; do
        set -- $target
        a=$("$abiscan" -r "$1" -a "$2" -f json "$zip" | strip)
        b=$("$abiscan" -r "$1" -a "$2" -f json "$dir" | strip)
        if [ -n "$a" ] && [ "$a" = "$b" ]; then
            pass=$((pass + 1))
        elif [ -z "$a" ] && [ -z "$b" ]; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "differs: $(basename "$zip") for $target"
            diff <(echo "$a") <(echo "$b")
        fi
    done
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
