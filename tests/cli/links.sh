#!/bin/sh
# SPDX-License-Identifier: MIT
# links.sh ABISCAN: the binary links the libraries the project is built on.
set -eu
libs=$(ldd "$1")
fail=0
for lib in libelf libzip libpcre2-8 libcjson; do
    if echo "$libs" | grep -q "$lib\.so"; then
        echo "ok - links $lib"
    else
        echo "not ok - does not link $lib"
        fail=$((fail + 1))
    fi
done
echo "$((4 - fail)) passed, $fail failed"
[ "$fail" = 0 ]
