#!/bin/sh
# SPDX-License-Identifier: MIT
# layout.sh SCRATCH FIXTURES REPO KIND: lay out, in SCRATCH/KIND, a project as the tool that
# makes KIND leaves it: its declaration files (from tests/targets/KIND) and its functions'
# and layers' code, which are fixture bundles (build/fixtures/bundles) copied where the
# declaration says. The functions differ in runtime and architecture:
#   clean-x86_64  for python3.11 x86_64 (passes)      clean-arm64  for python3.11 arm64
#   demo-py36     python3.6 (past its end of support) fn-layered   python3.12, needs layer-a
# and each function's handler module as its declaration names it (handler-not-found stays
# silent: its cases are under tests/golden/rules/).
set -eu
scratch=$1 fixtures=$2/bundles repo=$3 kind=$4
src=$repo/tests/targets/$kind
out=$scratch/$kind
mkdir -p "$out"
cp -R "$src/." "$out/"
put() { # put BUNDLE DEST: a zip or a directory of the fixtures at DEST
    mkdir -p "$(dirname "$out/$2")"
    cp -R "$fixtures/$1" "$out/$2"
}
handler() { # handler DEST MODULE FUNCTION: the declared handler's module, in a directory or zip
    src="def $3(event, context):\n    return None\n"
    if [ -d "$out/$1" ]; then
        printf "$src" >"$out/$1/$2.py"
    else
        tmp=$(mktemp -d)
        printf "$src" >"$tmp/$2.py"
        (cd "$tmp" && zip -qX "$out/$1" "$2.py")
        rm -rf "$tmp"
    fi
}
case $kind in
sam)
    put clean-x86_64 functions/api
    put clean-arm64.zip functions/worker.zip
    put demo-py36.zip functions/legacy.zip
    put fn-layered functions/ingest
    put layer-a.zip layers/deps.zip
    mkdir -p "$out/functions/notify" "$out/functions/thumbnail"
    echo 'exports.handler = async () => "ok";' >"$out/functions/notify/index.js"
    handler functions/api app lambda_handler
    handler functions/worker.zip worker handler
    handler functions/legacy.zip report handler
    handler functions/ingest lambda_function lambda_handler
    ;;
sam-app)
    # No CodeUri: the project's directory is the function's code, template and all. The
    # inline function's CodeUri does not exist: read, it would be an error.
    cp -R "$fixtures/clean-x86_64/." "$out/"
    mkdir -p "$out/src/api"
    printf 'def lambda_handler(event, context):\n    return []\n' >"$out/src/api/bookings.py"
    put clean-x86_64 functions/report # PackageType Zip despite its ImageUri: checked
    handler functions/report lambda_function handler
    ;;
sam-handlers)
    put handler-clean functions/orders
    mkdir -p "$out/functions/bookings/src/api"
    printf 'def lambda_handler(event, context):\n    return []\n' \
        >"$out/functions/bookings/src/api/bookings.py"
    put handler-deep.zip functions/deep.zip
    put handler-chain.zip functions/chain.zip
    ;;
sam-runtimes)
    put clean-x86_64 functions/api
    mkdir -p "$out/functions/notify"
    echo 'exports.handler = async () => "ok";' >"$out/functions/notify/index.js"
    handler functions/api app handler
    ;;
sam-provided)
    put clean-x86_64 functions/api
    put provided-go-cgo functions/resize
    put provided-windows.zip functions/windows.zip
    put provided-fn.zip functions/layered.zip
    put provided-layer.zip layers/runtime.zip
    put node-abi108 functions/notify
    handler functions/api app handler
    ;;
sam-loops)
    # A function per loop value: each value's code where the template puts it.
    put clean-x86_64 functions/ingest
    put clean-x86_64 functions/export
    put clean-x86_64.zip functions/consumers/orders.zip
    put clean-x86_64.zip functions/consumers/invoices.zip
    put layer-b.zip layers/orders.zip
    put layer-b.zip layers/invoices.zip
    put clean-arm64 functions/images
    put clean-x86_64 functions/reports
    handler functions/ingest app handler
    handler functions/export app handler
    handler functions/consumers/orders.zip consumer handler
    handler functions/consumers/invoices.zip consumer handler
    handler functions/images resize handler
    handler functions/reports report handler
    ;;
cfn-loops)
    put clean-x86_64 build/resize
    put clean-x86_64 build/export
    put clean-x86_64 build/probe-x86_64
    put clean-arm64 build/probe-arm64
    handler build/resize resize handler
    handler build/export export handler
    handler build/probe-x86_64 probe handler
    handler build/probe-arm64 probe handler
    ;;
sam-conditions)
    put clean-x86_64 functions/reports
    for m in api nightly canary regional; do handler functions/reports $m handler; done
    ;;
cfn)
    put clean-arm64 build/resize
    put clean-x86_64.zip build/export.zip
    handler build/resize resize handler
    handler build/export.zip export handler
    ;;
sam-build)
    put clean-x86_64 .aws-sam/build/HelloWorldFunction
    put clean-arm64 .aws-sam/build/ArmWorkerFunction
    put layer-a .aws-sam/build/DepsLayer
    handler .aws-sam/build/HelloWorldFunction app lambda_handler
    handler .aws-sam/build/ArmWorkerFunction worker handler
    ;;
cdk)
    put clean-x86_64 cdk.out/asset.5f1c8e0a4d1b7c2e9f3a6b8d0c4e2f1a7b9d3c5e8f0a2b4c6d8e0f1a3b5c7d9e
    put clean-arm64.zip cdk.out/asset.9b2e4d6f8a0c1e3f5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e.zip
    put layer-a cdk.out/asset.3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a
    put demo-py36 cdk.out/assembly-Prod/asset.7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e
    mkdir -p "$out/cdk.out/asset.0c2e4a6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e"
    echo 'exports.handler = async () => {};' \
        >"$out/cdk.out/asset.0c2e4a6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e/index.js"
    handler cdk.out/asset.5f1c8e0a4d1b7c2e9f3a6b8d0c4e2f1a7b9d3c5e8f0a2b4c6d8e0f1a3b5c7d9e app handler
    handler cdk.out/asset.9b2e4d6f8a0c1e3f5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e.zip worker handler
    handler cdk.out/assembly-Prod/asset.7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e report handler
    ;;
serverless)
    put clean-x86_64.zip .serverless/hello.zip
    put clean-arm64.zip .serverless/worker.zip
    put layer-a.zip .serverless/pythonRequirements.zip
    handler .serverless/hello.zip handler hello
    handler .serverless/worker.zip worker run
    ;;
terraform)
    put clean-x86_64.zip build/api.zip
    put clean-arm64 src/worker
    put layer-a.zip build/deps.zip
    put demo-py36.zip modules/legacy/build/legacy.zip
    put fn-layered.zip build/ingest.zip
    handler build/api.zip app handler
    handler src/worker worker handler
    handler modules/legacy/build/legacy.zip report handler
    handler build/ingest.zip lambda_function lambda_handler
    ;;
lambda)
    put fn-layered.zip orders-ingest.zip
    put layer-a.zip orders-deps.zip
    put clean-arm64.zip code/orders-worker.zip
    put clean-x86_64.zip code/orders-api.zip
    put demo-py36 code/orders-legacy
    put node-napi.zip code/orders-notify.zip
    handler orders-ingest.zip lambda_function lambda_handler
    handler code/orders-worker.zip worker handler
    handler code/orders-api.zip app handler
    handler code/orders-legacy report handler
    ;;
*)
    echo "layout.sh: no layout for '$kind'" >&2
    exit 1
    ;;
esac
