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
n=$((n + 1))
if loads libzip "$fixtures/bundles/demo-py36.zip"; then
    echo "ok - reading a zip loads libzip"
else
    echo "not ok - reading a zip does not load libzip"
    fail=$((fail + 1))
fi
n=$((n + 1))
if ! loads libzip "$fixtures/bundles/demo-py36" && ! loads libcrypto "$fixtures/bundles/demo-py36"; then
    echo "ok - reading a directory loads neither libzip nor libcrypto"
else
    echo "not ok - reading a directory loads libzip or libcrypto"
    fail=$((fail + 1))
fi
n=$((n + 1))
if loads libarchive "$fixtures/images/img-clean.tar"; then
    echo "ok - reading an image loads libarchive"
else
    echo "not ok - reading an image does not load libarchive"
    fail=$((fail + 1))
fi
n=$((n + 1))
if ! loads libarchive "$fixtures/bundles/demo-py36.zip" && ! loads libxml2 "$fixtures/bundles/demo-py36.zip"; then
    echo "ok - reading a zip loads neither libarchive nor libxml2"
else
    echo "not ok - reading a zip loads libarchive or libxml2"
    fail=$((fail + 1))
fi
echo "$((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
