#!/bin/sh
# SPDX-License-Identifier: MIT
# format.sh REPO: every C file of the analyzer is as clang-format (.clang-format) writes it,
# and ends in a newline (clang's -Wnewline-eof, an error in the fuzz build; clang-format
# leaves a missing one alone). Prints the files that are not, and how to fix them.
set -u
cd "$1" || exit 2
files=$(find analyzer -name '*.[ch]' | sort)
bad=0
for f in $files; do
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "not formatted: $f"
        bad=$((bad + 1))
    elif [ -s "$f" ] && [ "$(tail -c 1 "$f" | od -An -tx1 | tr -d ' ')" != 0a ]; then
        echo "no newline at the end: $f"
        bad=$((bad + 1))
    fi
done
echo "format: $(echo "$files" | wc -l) files, $bad not formatted"
[ "$bad" = 0 ] || echo "run: clang-format -i \$(find analyzer -name '*.[ch]')"
[ "$bad" = 0 ]
