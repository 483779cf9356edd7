#!/bin/sh
# SPDX-License-Identifier: MIT
# Run one libFuzzer harness, as ctest does (tests/fuzz/CMakeLists.txt).
#   run_fuzz.sh fuzz HARNESS SEED_DIR WORK_DIR [SECONDS [LIBFUZZER-FLAG...]]
#       Fuzz for SECONDS (default 20) from the seeds. New inputs go to WORK_DIR/corpus, so
#       SEED_DIR is only read; a crash, leak or timeout input is written to WORK_DIR/artifacts/.
#   run_fuzz.sh regress HARNESS HEX_DIR WORK_DIR
#       Run the harness once on each HEX_DIR/*.hex, decoded into WORK_DIR/inputs.
# Exit 0: no crash. $PYTHON3 (default python3) decodes the hex files.
set -eu

if [ $# -lt 4 ]; then
    echo "usage: $0 fuzz HARNESS SEED_DIR WORK_DIR [SECONDS [FLAG...]]" >&2
    echo "       $0 regress HARNESS HEX_DIR WORK_DIR" >&2
    exit 2
fi
mode=$1
harness=$2
dir=$3
work=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$work"
mkdir -p "$work"
# fuzz_json makes its private rules directory under $TMPDIR: keep it in the scratch space.
TMPDIR=$work
export TMPDIR

case $mode in
fuzz)
    secs=20
    if [ $# -gt 0 ]; then
        secs=$1
        shift
    fi
    if [ ! -d "$dir" ] || [ -z "$(ls "$dir")" ]; then
        echo "$0: no seeds in $dir (tests/fuzz/make_corpus.sh makes them)" >&2
        exit 1
    fi
    mkdir -p "$work/corpus" "$work/artifacts"
    exec "$harness" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$@" "$work/corpus" "$dir"
    ;;
regress)
    "${PYTHON3:-python3}" "$here/hex2bin.py" "$dir" "$work/inputs"
    set -- "$work"/inputs/*
    if [ ! -e "$1" ]; then
        echo "no regression inputs in $dir"
        exit 0
    fi
    exec "$harness" -rss_limit_mb=2048 -timeout=10 "$@"
    ;;
*)
    echo "$0: unknown mode '$mode'" >&2
    exit 2
    ;;
esac
