#!/bin/sh
# SPDX-License-Identifier: MIT
# links.sh ABISCAN FIXTURES [TEMPLATE]: the binary links cJSON (its data is JSON) and glibc
# only. Every other library of the project is bound when first needed (analyzer/util/dynlib.h),
# so that a start-up maps none of them: libelf when an ELF object is read, pcre2 when a file
# name is parsed, libdeflate and libzip when a zip is read (and never libcrypto, which libzip
# links, for a directory), libarchive and nettle when an image is, libyaml when a template is.
set -eu
abiscan=$1 fixtures=$2 template=${3:-}
# Its own DT_NEEDED (a sanitizer's runtime links libm and more of its own).
libs=$(readelf -d "$abiscan" 2>/dev/null | grep NEEDED || true)
fail=0 n=0
for lib in libelf libpcre2-8 libdeflate libyaml libnettle libzip libarchive libm; do
    n=$((n + 1))
    if echo "$libs" | grep -q "$lib[.-]"; then
        echo "not ok - links $lib"
        fail=$((fail + 1))
    else
        echo "ok - does not link $lib"
    fi
done
n=$((n + 1))
if echo "$libs" | grep -q "libcjson\.so"; then
    echo "ok - links libcjson"
else
    echo "not ok - does not link libcjson"
    fail=$((fail + 1))
fi
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
none() { # none BUNDLE LIB...: reading BUNDLE maps none of the libraries
    bundle=$1
    shift
    for lib in "$@"; do
        ! loads "$lib" "$bundle" || return 1
    done
}
empty=$(mktemp -d)
trap 'rmdir "$empty"' EXIT
zip=$fixtures/bundles/demo-py36.zip
check "an empty directory loads none of them" \
    none "$empty" libelf libpcre2 libdeflate libzip libarchive libyaml libnettle
check "reading a directory's ELF files loads libelf" loads libelf "$fixtures/bundles/demo-py36"
check "reading a zip loads libzip" loads libzip "$zip"
check "reading a zip loads libdeflate" loads libdeflate "$zip"
check "reading a directory loads neither libzip nor libcrypto" \
    neither libzip libcrypto "$fixtures/bundles/demo-py36"
check "reading an image loads libarchive" loads libarchive "$fixtures/images/img-clean.tar"
check "reading an image loads nettle (its digests)" loads libnettle "$fixtures/images/img-clean.tar"
if [ -n "$template" ]; then
    n=$((n + 1))
    if LD_DEBUG=files "$abiscan" --template "$template" 2>&1 >/dev/null | grep -q "file=libyaml"; then
        echo "ok - reading a template loads libyaml"
    else
        echo "not ok - reading a template loads libyaml"
        fail=$((fail + 1))
    fi
fi
check "reading a zip loads neither libarchive nor libxml2" neither libarchive libxml2 "$zip"
echo "$((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
