#!/bin/sh
# SPDX-License-Identifier: MIT
# deb.sh BUILD FIXTURES WORK: the .deb CPack makes (dependencies from dpkg-shlibdeps),
# installed with apt-get as a user would (`apt-get install ./abiscan_*.deb`), run from /
# on a fixture zip with the data under /usr/share/abiscan, then removed. Needs root and
# dpkg; skipped (77) otherwise, and when an abiscan package is already installed (it is
# not this test's to replace). Run alone (ctest RESOURCE_LOCK dpkg).
set -u
build=$1 fixtures=$2 work=$3
[ "$(id -u)" = 0 ] || { echo "skip: needs root to install a package"; exit 77; }
command -v dpkg >/dev/null && command -v apt-get >/dev/null || { echo "skip: no dpkg/apt-get"; exit 77; }
if dpkg-query -W -f '${Status}' abiscan 2>/dev/null | grep -q 'install ok installed'; then
    echo "skip: an abiscan package is installed already"
    exit 77
fi
rm -rf "$work" && mkdir -p "$work"
fail=0 pass=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
nok() { echo "not ok - $1"; fail=$((fail + 1)); }
cleanup() { dpkg -r abiscan >/dev/null 2>&1; }
trap cleanup EXIT

if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work" >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log"
    nok "cpack -G DEB"
    exit 1
fi
deb=$(ls "$work"/abiscan_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] && ok "cpack made $(basename "$deb")" || { nok "no .deb in $work"; exit 1; }
deps=$(dpkg-deb -f "$deb" Depends)
case $deps in
*libcjson1*) ok "Depends computed by dpkg-shlibdeps: $deps" ;;
*) nok "Depends lacks the libraries abiscan links: '$deps'" ;;
esac
# libzip, libarchive, pcre2, libyaml, nettle, libdeflate and libelf are loaded with dlopen,
# which dpkg-shlibdeps cannot see: the build names their packages itself (CMakeLists.txt), or
# an installed abiscan cannot read a zip.
for pkg in libzip4 libarchive13 libpcre2-8-0 libyaml-0-2 libnettle8 libdeflate0 libelf1; do
    case ", $deps," in
    *", $pkg,"* | *", $pkg "*) ok "Depends names $pkg (loaded with dlopen)" ;;
    *) nok "Depends lacks $pkg, which abiscan loads with dlopen: '$deps'" ;;
    esac
done
if (cd "$work" && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    -o DPkg::Lock::Timeout=300 "./$(basename "$deb")") >"$work/install.log" 2>&1; then
    ok "apt-get install ./$(basename "$deb")"
else
    sed 's/^/#   /' "$work/install.log"
    nok "apt-get install ./$(basename "$deb")"
    exit 1
fi
test -f /usr/share/abiscan/rules/catalog.json && ok "data in /usr/share/abiscan" \
    || nok "no /usr/share/abiscan/rules/catalog.json"
test -f /usr/share/man/man1/abiscan.1 && ok "man page installed" || nok "no man page"
cd /
/usr/bin/abiscan --no-config --runtime python3.12 "$fixtures/bundles/demo-py36.zip" >"$work/run.out" 2>&1
rc=$?
[ "$rc" = 1 ] && grep -q python-tag-mismatch "$work/run.out" \
    && ok "abiscan --runtime python3.12 some.zip: exit 1 with the findings" \
    || { nok "installed abiscan: exit $rc"; sed 's/^/#   /' "$work/run.out"; }
/usr/bin/abiscan --no-config --runtime python3.12 "$fixtures/bundles/stableabi.zip" >/dev/null 2>&1 \
    && ok "a clean zip: exit 0" || nok "installed abiscan on a clean zip"
if dpkg -r abiscan >"$work/remove.log" 2>&1 && [ ! -e /usr/bin/abiscan ]; then
    ok "dpkg -r abiscan removes it"
else
    nok "dpkg -r abiscan"
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
