#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed corpora for the fuzzers, made from what the build and the source tree already have:
# nothing binary is committed.
#   make_corpus.sh BUILD_DIR OUT_DIR
# BUILD_DIR is a build tree whose 'fixtures' target is built (the fuzz build's own, or a
# normal one). OUT_DIR is replaced by OUT_DIR/{elfinfo,zip,pyname,json}/:
#   elfinfo  every fixture object (ELF of five machines, Mach-O, PE, truncated, bad class...)
#   zip      every fixture bundle zip
#   pyname   one file per name: the members' base names of the staged fixture bundles, and
#            the grammar's forms (pyname.c) with their near misses
#   json     rules/*.json, rules/runtimes/*.json, rules/os/*.json of this source tree
#   yaml     the example configurations (examples/), the JSON Schemas, small hand-made ones
#   template the declarations of tests/targets (SAM, CloudFormation, CDK, Serverless,
#            Terraform, aws lambda), small hand-made ones
#   image    every fixture image archive (docker save of both eras, oci-archive)
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 BUILD_DIR OUT_DIR" >&2
    exit 2
fi
build=$1
out=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
fx=$build/fixtures

if [ ! -d "$fx/obj" ] || ! ls "$fx"/bundles/*.zip >/dev/null 2>&1; then
    echo "$0: no fixtures in $fx: build the 'fixtures' target of $build first" >&2
    exit 1
fi

rm -rf "$out"
mkdir -p "$out/elfinfo" "$out/zip" "$out/pyname" "$out/json" "$out/yaml" "$out/template" \
    "$out/pysource" "$out/image" "$out/npmpkg"

# ELF and not-ELF objects.
for f in "$fx"/obj/*; do
    [ -f "$f" ] && cp "$f" "$out/elfinfo/"
done
printf '' >"$out/elfinfo/empty"
printf '\177ELF' >"$out/elfinfo/magic-only"

# Bundles, and images (their archive forms; a layout directory is these files untarred).
cp "$fx"/bundles/*.zip "$out/zip/"
cp "$fx"/images/*.tar "$out/image/"
# ... and the same layers in a docker save that names no digest, so that a mutated layer is
# still applied and streamed (a digest that no longer matches drops the layer).
t=$fx/images/trees
k=0
for spec in "al2023-base task-ok" "al2023-base site-from-debian" "al2023-base task-ok wh-add wh-del"; do
    k=$((k + 1))
    set --
    for tree in $spec; do set -- "$@" --layer "$t/$tree"; done
    "${PYTHON3:-python3}" "$src/fixtures/tools/mkimage.py" --out "$out/image/undigested-$k.tar" \
        --form docker-archive-legacy --no-digests --entrypoint /lambda-entrypoint.sh \
        --cmd app.handler --env LAMBDA_TASK_ROOT=/var/task "$@"
done

# File names, without a trailing newline: a member's name is exactly its bytes.
n=0
name() {
    n=$((n + 1))
    printf '%s' "$1" >"$out/pyname/name-$n"
}
find "$fx/bundles" -mindepth 2 -type f | sed 's|.*/||' | sort -u >"$out/pyname.list"
while IFS= read -r base; do
    name "$base"
done <"$out/pyname.list"
rm -f "$out/pyname.list"
for base in \
    mod.so modmodule.so mod.abi3.so mod.cpython-312-x86_64-linux-gnu.so \
    mod.cpython-35m-x86_64-linux-gnu.so mod.cpython-313t-aarch64-linux-gnu.so \
    mod.cpython-27mu.so mod.cpython-34m.so mod.cpython-311-darwin.so mod.cpython-39d.so \
    mod.pypy39-pp73-x86_64-linux-gnu.so mod.pypy3-72-x86_64-linux-gnu.so mod.pypy-41.so \
    mod.graalpy-38-native-x86_64-linux.so mod.pyd mod.cp311-win_amd64.pyd \
    foo.bar.so mod.cpython-3.so mod.cpython-312-.so .so mod. mod.so.1 libfoo.so.1 \
    pkg/sub/mod.cpython-312-x86_64-linux-gnu.so mod.cpython-3123456-x86_64-linux-gnu.so \
    "mod.cpython-312-x86_64-linux-gnu.so " "mod é.so" "__init__.py" "mod.pyc"; do
    name "$base"
done

# Data files of the rules directory.
for f in "$src"/rules/*.json; do
    cp "$f" "$out/json/"
done
for sub in runtimes os; do
    for f in "$src"/rules/$sub/*.json; do
        cp "$f" "$out/json/$sub-$(basename "$f")"
    done
done

for d in elfinfo zip pyname json image; do
    echo "$d: $(ls "$out/$d" | wc -l) seeds"
done

# Configurations: the examples, JSON (which is YAML), and the shapes the loader refuses.
for f in "$src"/examples/*/.abiscan.yaml "$src"/examples/*/*.yml "$src"/rules/schema/config.schema.json; do
    [ -f "$f" ] && cp "$f" "$out/yaml/$(echo "$f" | sed 's|.*/examples/||; s|/|-|g')"
done
printf 'runtime: python3.12\narch: arm64\nfail-on: warning\nbundles: [build/fn]\nlayers: [l.zip]\n' >"$out/yaml/full.yaml"
printf 'suppress:\n  - rule: ABI001\n    path: "numpy/**/*.so"\n    reason: r\n    until: 2030-01-01\n' >"$out/yaml/suppress.yaml"
printf 'a: &x [1]\nb: *x\n' >"$out/yaml/alias.yaml"
printf '{"runtime": "python3.9", "suppress": [{"rule": "glibc-too-new", "reason": "x"}]}' >"$out/yaml/flow.json"

# Declarations: every file of tests/targets that is a template or aws lambda JSON.
find "$src/tests/targets" -type f \( -name '*.json' -o -name '*.yaml' \) | sort | while read -r f; do
    cp "$f" "$out/template/$(echo "${f#"$src"/tests/targets/}" | tr / -)"
done
printf 'Resources:\n  F: {Type: AWS::Lambda::Function, Properties: {Runtime: !Ref P, Code: c, Layers: [!Ref F, !Sub "arn:${X}"]}}\n' >"$out/template/self.yaml"
printf '{"Functions": [{"FunctionName": "../x", "Runtime": "python3.12"}]}' >"$out/template/names.json"
echo "template: $(ls "$out/template" | wc -l) seeds"

# Python source beside extension modules: the fallback fixtures, the tests' own scripts, and
# the shapes pysource.c reads (guards, re-raises, nested tries, tabs, CRLF).
n=0
for f in "$src"/fixtures/data/fallbacks/*.py "$src"/tests/cli/*.py "$src"/tools/*.py; do
    [ -f "$f" ] && n=$((n + 1)) && cp "$f" "$out/pysource/src-$n.py"
done
printf 'try:\n    from ._speedups import x\nexcept ImportError:\n    x = None\n' >"$out/pysource/guard.py"
printf 'try:\n    import _c\nexcept ImportError as e:\n    raise ImportError(e)\n' >"$out/pysource/reraise.py"
printf 'if a:\n\ttry:\n\t\timport md\n\texcept:\n\t\tpass\nelse:\n    import md\n' >"$out/pysource/tabs.py"
printf 'try:\r\n  import fuzz_cpp\r\nexcept (ImportError, OSError):\r\n  pass\r\n' >"$out/pysource/crlf.py"
echo "pysource: $(ls "$out/pysource" | wc -l) seeds"

# Node.js packages: the fixtures' package.json files and index.js, and their members' paths.
n=0
for f in "$src"/fixtures/data/node/*/package.json "$src"/fixtures/data/node/index.js; do
    n=$((n + 1)) && cp "$f" "$out/npmpkg/file-$n"
done
find "$fx/bundles" -path '*/node_modules/*' -type f | sed "s|^$fx/bundles/[^/]*/||" | sort -u |
    while IFS= read -r rel; do
        n=$((n + 1))
        printf '%s' "$rel" >"$out/npmpkg/path-$n"
    done
printf 'try { module.exports = require("node-gyp-build")(__dirname) } catch (e) { module.exports = require("./fallback") }' >"$out/npmpkg/fallback.js"
echo "npmpkg: $(ls "$out/npmpkg" | wc -l) seeds"
