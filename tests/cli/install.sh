#!/bin/sh
# SPDX-License-Identifier: MIT
# install.sh BUILD: `cmake --install` into a scratch prefix; the installed binary finds its
# data from any directory (issue: "the installed binary works from any directory").
set -eu
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
test -x "$prefix/bin/abiscan"
test -f "$prefix/share/abiscan/rules/catalog.json"
cd /
"$prefix/bin/abiscan" --list-runtimes | grep -q '^python3.12 *arm64'
set +e
"$prefix/bin/abiscan" --runtime python3.6 "$build/fixtures/bundles/demo-py35.zip" >/dev/null
status=$?
set -e
test "$status" = 1
# Moved elsewhere with its data, it still works: nothing absolute is compiled in.
mv "$prefix" "$prefix.moved" && mkdir "$prefix"
trap 'rm -rf "$prefix" "$prefix.moved"' EXIT
"$prefix.moved/bin/abiscan" --list-runtimes >/dev/null
echo "1 passed, 0 failed"
