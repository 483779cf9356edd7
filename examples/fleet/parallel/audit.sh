#!/bin/sh
# SPDX-License-Identifier: MIT
# audit.sh LIST HOSTS SLICES [ABISCAN OPTION...]: audit the bundles LIST names (one a line,
# as `abiscan --files-from` reads them) over the machines HOSTS names, with GNU parallel.
#
# HOSTS is a GNU parallel --sshloginfile: one `[N/]user@host` a line, `:` for this
# machine. The list is cut into SLICES (--shard K/SLICES, more slices than hosts so
# that a slow one does not hold the rest); parallel hands the slices to the hosts as they
# come free, each host runs abiscan on its slice and streams JSON Lines back, and
# --keep-order prints the slices in order: the output is, byte for byte, what one
# `abiscan --files-from LIST --format jsonl` would print. Every host needs abiscan on its
# PATH and the bundles at the same paths (a shared file system: EFS, NFS, an S3 mount);
# the list itself is copied to each host (--basefile).
#
# Exit status: the worst of the slices' (0 pass, 1 findings, 2 a bundle could not be
# read). Example: ./audit.sh bundles.txt hosts 64 --runtime python3.12 >audit.jsonl
set -eu
[ $# -ge 3 ] || { echo "usage: $0 LIST HOSTS SLICES [ABISCAN OPTION...]" >&2; exit 2; }
list=$1 hosts=$2 slices=$3
shift 3
log=$(mktemp)
trap 'rm -f "$log"' EXIT
seq 1 "$slices" | parallel --sshloginfile "$hosts" --basefile "$list" --keep-order \
    --halt never --joblog "$log" -q \
    abiscan --files-from "$list" --shard "{}/$slices" --format jsonl --quiet "$@" || true
# The joblog's seventh column is each slice's exit status; a slice that never ran (a host
# that could not be reached) has none, and that is trouble too.
awk -v want="$slices" 'NR > 1 { n++; if ($7 > worst) worst = $7 }
    END { if (n < want) worst = 2; exit worst + 0 }' "$log"
