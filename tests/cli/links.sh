#!/bin/sh
# SPDX-License-Identifier: MIT
# links.sh ABISCAN FIXTURES: the binary is built on the project's libraries. libelf, pcre2,
# cJSON and libdeflate are linked; libzip is loaded when a zip is read, and only then
# (analyzer/input/zipapi.h): a directory scan never maps it nor the libcrypto it links.
# libarchive likewise, when an image is read (analyzer/input/archapi.h).
set -eu
abiscan=$1 fixtures=$2
libs=$(ldd "$abiscan")
fail=0 n=0
for lib in libelf libpcre2-8 libcjson libdeflate; do
    n=$((n + 1))
    if echo "$libs" | grep -q "$lib\.so"; then
        echo "ok - links $lib"
    else
        echo "not ok - does not link $lib"
        fail=$((fail + 1))
    fi
done
loads() { # loads WHAT BUNDLE: whether reading BUNDLE maps a library named WHAT
    LD_DEBUG=files "$abiscan" --runtime python3.12 "$2" 2>&1 >/dev/null | grep -q "file=$1"
}
# check WHAT CONDITION...: one test line, from the exit status of the condition.
check() {
    what=$1
    shift
    n=$((n + 1))
    if "$@"; then
        echo "ok - $what"
    else
        echo "not ok - $what"
        fail=$((fail + 1))
    fi
}
neither() { # neither LIB1 LIB2 BUNDLE: reading BUNDLE maps neither library
    ! loads "$1" "$3" && ! loads "$2" "$3"
}
zip=$fixtures/bundles/demo-py36.zip
check "reading a zip loads libzip" loads libzip "$zip"
check "reading a directory loads neither libzip nor libcrypto" \
    neither libzip libcrypto "$fixtures/bundles/demo-py36"
check "reading an image loads libarchive" loads libarchive "$fixtures/images/img-clean.tar"
check "reading a zip loads neither libarchive nor libxml2" neither libarchive libxml2 "$zip"
echo "$((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
