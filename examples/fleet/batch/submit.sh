#!/bin/sh
# SPDX-License-Identifier: MIT
# submit.sh QUEUE SLICES: register the job definition and start the array job, one child
# per slice; each child's ABISCAN_SHARDS is the array's size.
set -eu
queue=$1 slices=$2
aws batch register-job-definition --cli-input-json "file://$(dirname "$0")/job-definition.json"
aws batch submit-job --job-name abiscan-audit --job-queue "$queue" \
    --job-definition abiscan-audit --array-properties "size=$slices" \
    --container-overrides "environment=[{name=ABISCAN_SHARDS,value=$slices}]"
