#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Real-data test: Node.js addons from the npm registry, and NAN addons built here against
Debian's Node.js headers, judged by abiscan and by Node.js itself.

The real consumers are Debian's nodejs: 18.20 (bookworm) for nodejs18.x and 20.19 (trixie)
for nodejs20.x, each in a Debian root (scripts/root, mmdebstrap), the function bound at
/var/task as Lambda places it. For every bundle and both releases:

 1. the root's Node.js is the profile's: process.versions.modules is its NODE_MODULE_VERSION
    and process.versions.napi its Node-API version;
 2. abiscan's verdict is what require() did: the bundle's package loads exactly when abiscan
    has no error, less the toolchain ceilings (glibc-too-new, libstdcxx-too-new,
    libgcc-too-new: Debian's glibc and libstdc++ are newer than Amazon Linux's, so Debian
    cannot stand for them; they are checked against readelf below) and runtime-deprecated;
 3. where both fail, abiscan's "Lambda says" for the addon is Node.js's own message (its first
    line, whitespace folded: Node.js breaks the NODE_MODULE_VERSION message over lines);
 4. the glibc ceiling: for each addon and library of the sharp bundle, abiscan reports
    glibc-too-new on nodejs18.x (Amazon Linux 2, glibc 2.26) exactly when the newest GLIBC_
    version `readelf -V` shows is above 2.26, naming that version;
 5. layers: with NODE_PATH as Lambda sets it and a layer at /opt, the function's require()
    of a package in the layer's nodejs/node_modules, at its top and in nodejs/node18/ fails
    exactly when abiscan reports an error (node-layer-path-ignored), with Node.js's message.

The bundles: sharp installed by npm for Linux x64 with glibc, for a Mac (darwin arm64) and
for Alpine (musl), as `npm install --os --cpu --libc` makes them, and the Mac one as a
devDependency the handler never requires (it loads: abiscan warns); rollup for glibc and for
musl; @parcel/watcher and @napi-rs/canvas for glibc; bufferutil (node-gyp-build prebuilds),
then without its Linux prebuilds (it falls back to JavaScript: a warning, and it loads), then
also without the fallback (require() throws node-gyp-build's error); NAN addons built with g++ against
bookworm's libnode-dev for NODE_MODULE_VERSION 108, one by NODE_MODULE (a static
registration) and one by NAN_MODULE_WORKER_ENABLED (an exported initializer); two Node-API
addons gcc builds against node_api.h asking for Node-API 9 and 10 (Node.js 18 and 20 have 9:
the second kills them with a segmentation fault); the Mac
build of sharp's addon, and its musl build, each put where a package built from source keeps
its addon (build/Release/).

Usage:
  /usr/bin/python3 tests/realdata/realdata_node.py --abiscan BUILD/abiscan --work DIR [--cache DIR]

npm's downloads are cached in <cache>/npm, the roots in <cache>/roots (scripts/root).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import realdata as rd  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Debian's Node.js releases, and the runtime each stands for.
ROOTS = {
    "nodejs18.x": ("bookworm", ["nodejs", "libnode-dev"]),
    "nodejs20.x": ("trixie", ["nodejs"]),
}
CEILINGS = ("glibc-too-new", "libstdcxx-too-new", "libgcc-too-new", "runtime-deprecated")
NAN = "nan@2.30.0"
# name -> (npm install arguments, the module to require)
NPM_BUNDLES = {
    "sharp-linux": (["--os=linux", "--cpu=x64", "--libc=glibc", "sharp@0.35.6"], "sharp"),
    "sharp-mac": (["--os=darwin", "--cpu=arm64", "sharp@0.35.6"], "sharp"),
    "sharp-musl": (["--os=linux", "--cpu=x64", "--libc=musl", "sharp@0.35.6"], "sharp"),
    "rollup-glibc": (["--os=linux", "--cpu=x64", "--libc=glibc", "rollup@4.69.3"], "rollup"),
    "rollup-musl": (["--os=linux", "--cpu=x64", "--libc=musl", "rollup@4.69.3"], "rollup"),
    "watcher-glibc": (["--os=linux", "--cpu=x64", "--libc=glibc", "@parcel/watcher@2.6.0"],
                      "@parcel/watcher"),
    "canvas-glibc": (["--os=linux", "--cpu=x64", "--libc=glibc", "@napi-rs/canvas@1.2.1"],
                     "@napi-rs/canvas"),
    "bufferutil": (["bufferutil@4.2.0"], "bufferutil"),
}
# A Node-API addon in C against node_api.h, asking for Node-API version VER.
NAPI_SOURCE = r"""#include <node_api.h>
static napi_value hello(napi_env env, napi_callback_info info)
{ napi_value s; (void)info; napi_create_string_utf8(env, "hi", 2, &s); return s; }
NAPI_MODULE_EXPORT int32_t node_api_module_get_api_version_v1(void) { return VER; }
NAPI_MODULE_EXPORT napi_value napi_register_module_v1(napi_env env, napi_value exports)
{ napi_value fn; napi_create_function(env, "hello", NAPI_AUTO_LENGTH, hello, NULL, &fn);
  napi_set_named_property(env, exports, "hello", fn); return exports; }
"""
NAN_SOURCE = r"""#include <nan.h>
NAN_METHOD(Hello) { info.GetReturnValue().Set(Nan::New("hi").ToLocalChecked()); }
NAN_MODULE_INIT(Init) { Nan::SetMethod(target, "hello", Hello); }
#ifdef WORKER
NAN_MODULE_WORKER_ENABLED(hello, Init)
#else
NODE_MODULE(hello, Init)
#endif
"""


def sh(argv, cwd=None, env=None, timeout=900):
    p = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return p


def make_root(suite, packages):
    p = sh([os.path.join(REPO, "scripts", "root"), "make", suite, "minbase", "amd64"] + packages)
    if p.returncode != 0:
        raise rd.Fatal("scripts/root make %s: %s" % (suite, p.stderr.strip()[-400:]))
    return p.stdout.strip().splitlines()[-1]


def in_root(root, bundle, script, layer=None, env=()):
    """node -e script in the root, the bundle at /var/task (its working directory), a layer
    at /opt, with the variables env (NAME=VALUE)."""
    binds = ["-b", bundle + ":/var/task"] + (["-b", layer + ":/opt"] if layer else [])
    return sh([os.path.join(REPO, "scripts", "root"), "run", root] + binds + list(env) +
              ["sh", "-c", 'cd /var/task && exec node -e "$1"', "sh", script])


def npm_install(cache, dest, args):
    os.makedirs(dest)
    with open(os.path.join(dest, "package.json"), "w") as f:
        json.dump({"name": "fn", "version": "1.0.0", "private": True}, f)
    p = sh(["npm", "install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts",
            "--cache", os.path.join(cache, "npm"), "--loglevel=error"] + args, cwd=dest)
    if p.returncode != 0:
        raise rd.Fatal("npm install %s: %s" % (" ".join(args), p.stderr.strip()[-400:]))


def package_dir(bundle, name, main):
    d = os.path.join(bundle, "node_modules", name)
    os.makedirs(os.path.join(d, "build", "Release"))
    with open(os.path.join(d, "package.json"), "w") as f:
        json.dump({"name": name, "version": "1.0.0", "main": main}, f)
    with open(os.path.join(bundle, "index.js"), "w") as f:
        f.write("exports.handler = async () => require('%s');\n" % name)
    return d


def build_nan(cache, work, root18):
    """hello.node by NODE_MODULE and by NAN_MODULE_WORKER_ENABLED, for bookworm's Node.js 18,
    and Node-API addons asking for Node-API 9 and 10."""
    src = os.path.join(work, "nan")
    npm_install(cache, src, [NAN])
    with open(os.path.join(src, "hello.cc"), "w") as f:
        f.write(NAN_SOURCE)
    out = {}
    with open(os.path.join(src, "napi.c"), "w") as f:
        f.write(NAPI_SOURCE)
    for ver in (9, 10):
        so = os.path.join(src, "napi%d.node" % ver)
        p = sh(["gcc", "-shared", "-fPIC", "-O2", "-DVER=%d" % ver,
                "-I" + os.path.join(root18, "usr/include/node"), "-o", so,
                os.path.join(src, "napi.c")])
        if p.returncode != 0:
            raise rd.Fatal("gcc napi%d: %s" % (ver, p.stderr.strip()[-400:]))
        out["napi%d" % ver] = so
    for kind, flags in (("static", []), ("worker", ["-DWORKER"])):
        so = os.path.join(src, "hello-%s.node" % kind)
        p = sh(["g++", "-shared", "-fPIC", "-O1", "-std=c++17", "-w"] + flags +
               ["-I" + os.path.join(root18, "usr/include/node"),
                "-idirafter", os.path.join(root18, "usr/include"),
                "-I" + os.path.join(src, "node_modules", "nan"), "-o", so,
                os.path.join(src, "hello.cc")])
        if p.returncode != 0:
            raise rd.Fatal("g++ %s: %s" % (kind, p.stderr.strip()[-400:]))
        out[kind] = so
    return out


def first(path_glob_dir, suffix):
    for dirpath, _dirs, files in os.walk(path_glob_dir):
        for name in sorted(files):
            if name.endswith(suffix):
                return os.path.join(dirpath, name)
    raise rd.Fatal("no *%s below %s" % (suffix, path_glob_dir))


def bundles(cache, work, root18):
    out = {}
    for name, (args, module) in NPM_BUNDLES.items():
        d = os.path.join(work, name)
        npm_install(cache, d, args)
        out[name] = (d, module)
    for kind, so in build_nan(cache, work, root18).items():
        d = os.path.join(work, kind if kind.startswith("napi") else "nan-" + kind)
        pkg = package_dir(d, "hello", "build/Release/hello.node")
        shutil.copy(so, os.path.join(pkg, "build", "Release", "hello.node"))
        out[os.path.basename(d)] = (d, "hello")
    # The Mac install of sharp as a devDependency the handler never requires: it loads.
    d = os.path.join(work, "sharp-mac-dev")
    shutil.copytree(os.path.join(work, "sharp-mac"), d, symlinks=True)
    with open(os.path.join(d, "package.json")) as f:
        pkg = json.load(f)
    pkg["devDependencies"] = pkg.pop("dependencies")
    with open(os.path.join(d, "package.json"), "w") as f:
        json.dump(pkg, f)
    with open(os.path.join(d, "index.js"), "w") as f:
        f.write("exports.handler = async () => 'no sharp here';\n")
    out["sharp-mac-dev"] = (d, "/var/task/index.js")
    # node-gyp-build's prebuilds with nothing for Linux: bufferutil, which falls back to
    # JavaScript, and a package that does not (the same prebuilds, an index.js without a catch).
    shutil.copytree(os.path.join(work, "bufferutil"), os.path.join(work, "bufferutil-nolinux"),
                    symlinks=True)
    pb = os.path.join(work, "bufferutil-nolinux", "node_modules", "bufferutil", "prebuilds")
    for tuple_dir in os.listdir(pb):
        if tuple_dir.startswith("linux-"):
            shutil.rmtree(os.path.join(pb, tuple_dir))
    out["bufferutil-nolinux"] = (os.path.join(work, "bufferutil-nolinux"), "bufferutil")
    d = os.path.join(work, "gyp-nolinux")
    shutil.copytree(os.path.join(work, "bufferutil-nolinux"), d, symlinks=True)
    pkg = os.path.join(d, "node_modules", "bufferutil")
    with open(os.path.join(pkg, "index.js"), "w") as f:
        f.write("module.exports = require('node-gyp-build')(__dirname);\n")
    out["gyp-nolinux"] = (d, "bufferutil")
    for name, src in (("macho", os.path.join(work, "sharp-mac", "node_modules", "@img")),
                      ("musl", os.path.join(work, "sharp-musl", "node_modules", "@img"))):
        d = os.path.join(work, "built-" + name)
        pkg = package_dir(d, "imgaddon", "build/Release/imgaddon.node")
        shutil.copy(first(src, ".node"), os.path.join(pkg, "build", "Release", "imgaddon.node"))
        out["built-" + name] = (d, "imgaddon")
    return out


def node_error(p):
    """The first line of the error require() threw, '' when it loaded."""
    said = (p.stdout + p.stderr).strip()
    m = re.search(r"^RESULT (ok|fail)(?:: ?(.*))?$", said, re.M)
    if not m:
        return "no result: " + said[-300:]
    return "" if m.group(1) == "ok" else m.group(2) or "(no message)"


def fold(s):
    return re.sub(r"\s+", " ", s or "").strip()


def abiscan(exe, runtime, bundle):
    p = sh([exe, "--no-config", "--runtime", runtime, "--format", "json", bundle])
    if p.returncode not in (0, 1):
        raise rd.Fatal("abiscan %s %s: exit %d: %s" % (runtime, bundle, p.returncode,
                                                       p.stderr.strip()[-300:]))
    return json.loads(p.stdout)


def readelf_glibc(path):
    p = sh(["readelf", "-V", "-W", path])
    found = re.findall(r"Name: GLIBC_([0-9.]+)", p.stdout)
    return max(found, key=lambda v: tuple(int(x) for x in v.split(".")), default=None)


def check_ceilings(res, exe, bundle):
    """nodejs18.x runs Amazon Linux 2 (glibc 2.26): glibc-too-new as readelf -V says."""
    rep = abiscan(exe, "nodejs18.x", bundle)
    flagged = {f["path"]: f for f in rep["findings"] if f["slug"] == "glibc-too-new"}
    for rel in rd.bundle_files(bundle):
        if not re.search(r"\.node$|\.so(\.[0-9]+)*$", rel) or "/@img/" not in "/" + rel:
            continue
        top = readelf_glibc(os.path.join(bundle, rel))
        over = top is not None and tuple(int(x) for x in top.split(".")) > (2, 26)
        f = flagged.get(rel)
        res.check(bool(f) == over and (not f or f.get("found") == "GLIBC_" + top),
                  "sharp-linux %s: readelf -V's newest GLIBC_%s %s 2.26, abiscan %s"
                  % (rel, top, ">" if over else "<=", "flags it" if f else "does not"),
                  repr(f and f.get("found")))


def check_layers(res, exe, work, roots):
    """A layer's packages where NODE_PATH, as Lambda sets it, finds them or not: semver (from
    the sharp install) in nodejs/node_modules, at the layer's top, in nodejs/node18/."""
    fn = os.path.join(work, "layer-fn")
    os.makedirs(fn)
    with open(os.path.join(fn, "index.js"), "w") as f:
        f.write("exports.handler = async () => require('semver').valid('1.2.3');\n")
    semver = os.path.join(work, "sharp-linux", "node_modules", "semver")
    layers = {}
    for name, where in (("nodejs", "nodejs/node_modules"), ("top", "node_modules"),
                        ("node18", "nodejs/node18/node_modules")):
        layers[name] = os.path.join(work, "layer-" + name)
        shutil.copytree(semver, os.path.join(layers[name], where, "semver"), symlinks=True)
    script = ("try { require('/var/task/index.js'); require('semver'); console.log('RESULT ok') }"
              " catch (e) { console.log('RESULT fail: ' + String(e.message).split('\\n')[0]) }")
    for rt, root in sorted(roots.items()):
        major = rt[len("nodejs"):-len(".x")]
        env = ["NODE_PATH=/opt/nodejs/node%s/node_modules:/opt/nodejs/node_modules:"
               "/var/runtime/node_modules" % major]
        for name, layer in sorted(layers.items()):
            error = node_error(in_root(root, fn, script, layer, env))
            p = sh([exe, "--no-config", "--runtime", rt, "--format", "json", fn, "--layer", layer])
            rep = json.loads(p.stdout)
            errors = [f for f in rep["findings"]
                      if f["severity"] == "error" and f["slug"] not in CEILINGS]
            res.check(bool(error) == bool(errors),
                      "layer %s on %s: require() %s, abiscan %s" % (
                          name, rt, "throws" if error else "finds semver",
                          ", ".join(sorted({f["slug"] for f in errors})) or "clean"),
                      "node: %r; abiscan: %r" % (error, [f["message"] for f in errors][:2]))
            if error and errors:
                said = [f.get("lambda_error") or "" for f in errors]
                res.check(any(("Error: " + error) in x for x in said),
                          "layer %s on %s: abiscan's 'Lambda says' holds Node.js's message"
                          % (name, rt), "node: %r; abiscan: %r" % (error, said))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--abiscan", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cache", default=None)
    args = ap.parse_args()
    exe = os.path.abspath(args.abiscan)
    work = os.path.abspath(args.work)
    cache = os.path.abspath(args.cache or rd.default_cache())
    res = rd.Results()
    try:
        rd.fresh_dir(work)
        roots = {rt: make_root(suite, pkgs) for rt, (suite, pkgs) in ROOTS.items()}
        for rt, root in roots.items():
            with open(os.path.join(REPO, "rules", "runtimes", rt + "-x86_64.json")) as f:
                node = json.load(f)["node"]
            p = in_root(root, work, "console.log(process.versions.modules, process.versions.napi)")
            said = p.stdout.split()
            res.check(said == [str(node["module_version"]["value"]), str(node["napi_max"]["value"])],
                      "%s: Debian's Node.js has the profile's NODE_MODULE_VERSION %s and "
                      "Node-API %s" % (rt, node["module_version"]["value"], node["napi_max"]["value"]),
                      p.stdout + p.stderr)
        for name, (bundle, module) in sorted(bundles(cache, work, roots["nodejs18.x"]).items()):
            script = ("try { require(%s); console.log('RESULT ok') } catch (e) "
                      "{ console.log('RESULT fail: ' + String(e.message).split('\\n')[0]) }"
                      % json.dumps(module))
            for rt, root in sorted(roots.items()):
                error = node_error(in_root(root, bundle, script))
                rep = abiscan(exe, rt, bundle)
                errors = [f for f in rep["findings"]
                          if f["severity"] == "error" and f["slug"] not in CEILINGS]
                res.check(bool(error) == bool(errors),
                          "%s on %s: require() %s, abiscan %s" % (
                              name, rt, "fails" if error else "loads",
                              ", ".join(sorted({f["slug"] for f in errors})) or "clean"),
                          "node: %r; abiscan: %r" % (error, [f["message"] for f in errors][:3]))
                if error and errors and any(f["slug"] in ("not-elf", "musl-linked",
                                                          "node-abi-mismatch",
                                                          "node-build-missing") for f in errors):
                    # node-gyp-build's line ends with the patch release (node=20.19.2): the
                    # rest is compared.
                    want = fold("Error: " + re.sub(r" node=[0-9.]+$", "", error))
                    said = {fold(f.get("lambda_error")) for f in errors if f.get("lambda_error")}
                    res.check(not said or want in said or any(s.startswith(want) for s in said),
                              "%s on %s: abiscan's 'Lambda says' is Node.js's message" % (name, rt),
                              "node: %r; abiscan: %r" % (error, sorted(said)))
        check_ceilings(res, exe, os.path.join(work, "sharp-linux"))
        check_layers(res, exe, work, roots)
    except rd.Fatal as exc:
        res.check(False, "setup", str(exc))
    print("%d passed, %d failed" % (res.passed, res.failed))
    return 0 if res.passed and not res.failed else 1


if __name__ == "__main__":
    sys.exit(main())
