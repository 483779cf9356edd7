#!/bin/sh
# SPDX-License-Identifier: MIT
# The container entry point of an AWS Batch array job (job-definition.json): child
# AWS_BATCH_JOB_ARRAY_INDEX (0 .. size-1, set by Batch) checks slice index+1 of
# ABISCAN_SHARDS (the array's size, given when the job is submitted) of the bundles
# ABISCAN_LIST names, and writes its JSON Lines to ABISCAN_OUT/slice-NNNNN.jsonl, then,
# when ABISCAN_S3_OUT is set, copies that file there. The slices' files, in order, are
# the whole audit (each bundle exactly once). Options for abiscan follow the command.
set -eu
: "${AWS_BATCH_JOB_ARRAY_INDEX:?not an array job child}" "${ABISCAN_SHARDS:?}" "${ABISCAN_LIST:?}"
k=$((AWS_BATCH_JOB_ARRAY_INDEX + 1))
out=${ABISCAN_OUT:-/tmp}/$(printf 'slice-%05d.jsonl' "$k")
list=$ABISCAN_LIST
case $list in
s3://*)
    aws s3 cp --quiet "$list" /tmp/abiscan-list
    list=/tmp/abiscan-list
    ;;
esac
status=0
abiscan --files-from "$list" --shard "$k/$ABISCAN_SHARDS" --format jsonl --quiet "$@" \
    >"$out" || status=$?
if [ -n "${ABISCAN_S3_OUT:-}" ]; then
    aws s3 cp --quiet "$out" "${ABISCAN_S3_OUT%/}/$(basename "$out")"
fi
# 1 (findings) is the audit's answer, not the job's failure: Batch retries failed jobs.
[ "$status" -le 1 ] || exit "$status"
