#!/bin/sh
# SPDX-License-Identifier: MIT
# fleet.sh ABISCAN FIXTURES WORK REPO: the two fan-out recipes of examples/fleet, run on
# this machine.
#   GNU parallel (examples/fleet/parallel/audit.sh): the sshloginfile names this machine
#   (':') twice over; the merged JSON Lines equal, byte for byte, one process's run of the
#   same list, and the exit status is the same (2: an unreadable bundle is in the list).
#   The list given on stdin (--files-from - -0) reports as the list in a file.
#   AWS Batch (examples/fleet/batch): the entry point run for every array index of an
#   array of N, as Batch would; the slices' files, in index order, are one process's run,
#   every bundle exactly once, for N smaller than, equal to and larger than the list; the
#   job definition is one Batch takes (the fields register-job-definition needs) and its
#   command is the options the entry point passes on.
set -u
abiscan=$1 fixtures=$2 work=$3 repo=$4
fleet=$repo/examples/fleet
rm -rf "$work"
mkdir -p "$work/bin"
ln -s "$(cd "$(dirname "$abiscan")" && pwd)/$(basename "$abiscan")" "$work/bin/abiscan"
PATH=$work/bin:$PATH
export PATH SOURCE_DATE_EPOCH=1796083200
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
nok() { echo "not ok - $1"; fail=$((fail + 1)); }

printf 'PK\003\004 not a zip' >"$work/unreadable.zip"
: >"$work/list"
i=0
for b in "$fixtures"/bundles/*; do
    i=$((i + 1))
    echo "$b" >>"$work/list"
    [ "$i" = 7 ] && echo "$work/unreadable.zip" >>"$work/list"
done
total=$(wc -l <"$work/list")
abiscan --files-from "$work/list" --format jsonl --quiet --runtime python3.12 \
    >"$work/single.jsonl" 2>/dev/null
single_rc=$?
[ "$single_rc" = 2 ] && [ "$(wc -l <"$work/single.jsonl")" = "$total" ] &&
    ok "one process: $total lines, exit 2 (one unreadable bundle)" ||
    nok "one process: exit $single_rc, $(wc -l <"$work/single.jsonl") lines for $total"

# The same list on stdin, NUL-separated (find -print0 | abiscan --files-from - -0).
tr '\n' '\0' <"$work/list" | abiscan --files-from - -0 --format jsonl --quiet \
    --runtime python3.12 >"$work/stdin.jsonl" 2>/dev/null
cmp -s "$work/single.jsonl" "$work/stdin.jsonl" &&
    ok "the list on stdin, NUL-separated (--files-from - -0): the same report" ||
    nok "--files-from - -0 differs from the list in a file"

# GNU parallel over "hosts" that are this machine.
printf ':\n2/:\n' >"$work/hosts"
sh "$fleet/parallel/audit.sh" "$work/list" "$work/hosts" 9 --runtime python3.12 \
    >"$work/parallel.jsonl" 2>"$work/parallel.err"
rc=$?
if cmp -s "$work/single.jsonl" "$work/parallel.jsonl"; then
    ok "GNU parallel, 9 slices over the hosts ':' and '2/:': the same bytes as one process"
else
    nok "GNU parallel: the merged output differs from one process's"
    diff "$work/single.jsonl" "$work/parallel.jsonl" | head -5
fi
[ "$rc" = "$single_rc" ] && ok "GNU parallel: exit $rc, the worst slice's" ||
    nok "GNU parallel: exit $rc, one process exits $single_rc ($(head -c 300 "$work/parallel.err"))"
printf 'nobody@host.invalid\n' >"$work/hosts-down"
sh "$fleet/parallel/audit.sh" "$work/list" "$work/hosts-down" 3 >/dev/null 2>&1
rc=$?
[ "$rc" = 2 ] && ok "GNU parallel: a host that cannot be reached is exit 2" ||
    nok "GNU parallel: a host that cannot be reached is exit $rc"

# AWS Batch: every index of arrays of several sizes.
for n in 1 4 $total $((total + 5)); do
    out=$work/batch-$n
    mkdir -p "$out"
    bad=
    idx=0
    while [ "$idx" -lt "$n" ]; do
        AWS_BATCH_JOB_ARRAY_INDEX=$idx ABISCAN_SHARDS=$n ABISCAN_LIST=$work/list \
            ABISCAN_OUT=$out sh "$fleet/batch/entrypoint.sh" --runtime python3.12 \
            2>>"$out/err" || bad="$bad $idx:$?"
        idx=$((idx + 1))
    done
    cat "$out"/slice-*.jsonl >"$out/all.jsonl"
    files=$(ls "$out"/slice-*.jsonl | wc -l)
    paths=$(/usr/bin/python3 -c '
import json, sys
got = [json.loads(l)["path"] for l in open(sys.argv[1])]
want = [l.rstrip("\n") for l in open(sys.argv[2])]
print("same" if got == want and len(set(got)) == len(got) else "differ")' "$out/all.jsonl" "$work/list")
    # The child with the unreadable bundle exits 2 (Batch then does not retry it, as the
    # job definition says); the others pass, findings or not.
    twos=$(echo "$bad" | tr ' ' '\n' | grep -c ':2$')
    if [ "$files" = "$n" ] && [ "$paths" = same ] && cmp -s "$out/all.jsonl" "$work/single.jsonl" &&
        [ "$twos" = 1 ] && [ "$(echo "$bad" | wc -w)" = 1 ]; then
        ok "AWS Batch, array of $n: $n slices, every bundle once, in order, as one process"
    else
        nok "AWS Batch, array of $n: $files files, paths $paths, failed children:$bad"
    fi
done
/usr/bin/python3 - "$fleet/batch/job-definition.json" <<'PY' && ok "AWS Batch: the job definition has what register-job-definition needs, and its command is abiscan's options" || nok "AWS Batch: job-definition.json"
import json, sys
d = json.load(open(sys.argv[1]))
c = d["containerProperties"]
assert d["jobDefinitionName"] and d["type"] == "container"
assert c["image"] and all(r["type"] in ("VCPU", "MEMORY") for r in c["resourceRequirements"])
assert c["command"][0].startswith("--"), "the entry point is the image's; command is options"
env = {e["name"] for e in c["environment"]}
assert "ABISCAN_LIST" in env and "ABISCAN_SHARDS" not in env  # the array size, at submit
PY
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
