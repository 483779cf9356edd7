# SPDX-License-Identifier: MIT
"""Hostile container images for the hostile matrix, imported by hostile.py.

Each case is an image built here (fixtures/tools/mkimage.py's writers, then bent): a layer
whose digest lies, whiteouts that climb out, tar bombs (zstd and gzip), indexes that refer
to themselves or nest without end, a manifest naming a blob the archive lacks, layers that
are no tar, break half way, stop short of their size, are an HTML page typed gzip or are
garbled inside their zstd stream, a hard link out of the root, names that are not
UTF-8, a layout whose blob is a link out of it, a compressed docker save, garbage JSON. A
layer that cannot be read is the image's error (one line naming the layer, exit 2: nothing
is checked in an image missing a layer); a bad member of a layer read whole is a finding,
the rest of the image still reported; nothing written, time and memory bounded. The good-but-wrong member of every readable case is
var/task/pkg/old.cpython-36m-x86_64-linux-gnu.so (a good ELF for CPython 3.6).
"""
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "fixtures", "tools"))
import mkimage  # noqa: E402

GOOD = "var/task/pkg/old.cpython-36m-x86_64-linux-gnu.so"
ENTRY = dict(entrypoint=["/lambda-entrypoint.sh"], cmd=["app.handler"], workdir="/var/task",
             env=["LAMBDA_TASK_ROOT=/var/task"])


def good_layer(ctx, comp="gzip"):
    """The function's code, and what ENTRY starts: /lambda-entrypoint.sh and the Python it
    runs (stand-ins with their execute bits), so that an image starts unless a case says."""
    return mkimage.Layer(mkimage.tar_of_members([
        mkimage.file_member("lambda-entrypoint.sh", b"#!/bin/sh\nexec /var/lang/bin/python3 "
                            b"-m awslambdaric \"$@\"\n", 0o755),
        mkimage.file_member("var/lang/bin/python3.12", b"#!/bin/false\n", 0o755),
        mkimage.dir_member("var/task"),
        mkimage.file_member("var/task/app.py", b"def handler(e, c):\n    return 1\n"),
        mkimage.file_member(GOOD, ctx.obj("ext-old-x86_64.so"))]), comp)


def layer_of(members, comp="gzip"):
    return mkimage.Layer(mkimage.tar_of_members(members), comp)


def layout(d, layers, name="image.oci", **kw):
    path = os.path.join(d, name)
    mkimage.write(path, "oci-layout", [mkimage.Image(layers, **dict(ENTRY, **kw))])
    return path


def blob_path(path, digest):
    return os.path.join(path, "blobs", "sha256", digest[7:])


def manifest_of(path):
    with open(os.path.join(path, "index.json")) as f:
        index = json.load(f)
    with open(blob_path(path, index["manifests"][0]["digest"])) as f:
        return json.load(f)


def tar_dir(src, out):
    """An oci-archive of a layout directory, links kept as links."""
    with tarfile.open(out, "w") as t:
        for name in sorted(os.listdir(src)):
            t.add(os.path.join(src, name), arcname=name)
    shutil.rmtree(src)
    return out


def layer_is(predicate_text):
    return ("a layer (blobs/sha256/...)", lambda p: p.startswith("blobs/sha256/"),
            ("member-unreadable",), predicate_text)


def stream_zeros(comp, size, name="var/task/zeros.bin"):
    """A layer of one file of size zero bytes, compressed as it is written (never whole in
    memory): gzip or zstd (Debian's CLI)."""
    head = tarfile.TarInfo(name)
    head.size = size
    header = head.tobuf(format=tarfile.PAX_FORMAT)
    pad = (512 - size % 512) % 512
    tail = b"\0" * (pad + 1024)
    if comp == "zstd":
        p = subprocess.Popen([shutil.which("zstd"), "-q", "-c", "-1", "--no-progress"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        import threading
        out = []
        t = threading.Thread(target=lambda: out.append(p.stdout.read()))
        t.start()
        p.stdin.write(header)
        chunk = b"\0" * (1 << 20)
        for _ in range(size >> 20):
            p.stdin.write(chunk)
        p.stdin.write(tail)
        p.stdin.close()
        t.join()
        p.wait()
        return out[0]
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as g:
        g.write(header)
        chunk = b"\0" * (1 << 20)
        for _ in range(size >> 20):
            g.write(chunk)
        g.write(tail)
    return buf.getvalue()


class RawLayer(mkimage.Layer):
    """A layer whose stored bytes are given as they are (a bomb, garbage, a cut stream)."""

    def __init__(self, data, comp="gzip", tar=b""):
        self.tar, self.comp, self.data = tar, comp, data
        self.media_type = mkimage.LAYER_TYPES[comp]


# ---- the cases -------------------------------------------------------------------------


def digest_lies(ctx, d):
    path = layout(d, [good_layer(ctx), layer_of([mkimage.file_member("var/task/x.py", b"1")])])
    man = manifest_of(path)
    with open(blob_path(path, man["layers"][1]["digest"]), "ab") as f:
        f.write(b"tampered")
    return path


def legacy_rewritten(ctx, d, edit):
    """A legacy docker save of the good layer and a second one (x.py), rewritten member by
    member: edit(ti, data, extra) gives the (TarInfo, bytes or None) pairs written instead."""
    out = os.path.join(d, "image.tar")
    tmp = os.path.join(d, "plain.tar")
    extra = layer_of([mkimage.file_member("var/task/x.py", b"1")], "none")
    mkimage.write(tmp, "docker-archive-legacy",
                  [mkimage.Image([good_layer(ctx, "none"), extra], **ENTRY)])
    with tarfile.open(tmp) as src, tarfile.open(out, "w") as dst:
        for ti in src.getmembers():
            data = src.extractfile(ti).read() if ti.isfile() else None
            for t, b in edit(ti, data, extra):
                dst.addfile(t, io.BytesIO(b) if b is not None else None)
    os.unlink(tmp)
    return out


def digest_lies_legacy(ctx, d):
    def edit(ti, data, extra):
        # the second layer.tar rewritten: its bytes no longer hash to the config's diff_id
        if data == extra.tar:
            data = mkimage.tar_of_members([mkimage.file_member("var/task/y.py", b"22")])
            ti.size = len(data)
        return [(ti, data)]
    return legacy_rewritten(ctx, d, edit)


def whiteouts_climb(ctx, d):
    evil = layer_of([mkimage.file_member("../../.wh.var", b""),
                     mkimage.file_member("var/task/.wh...", b""),
                     mkimage.file_member("var/task/pkg/.wh..", b""),
                     mkimage.file_member("../../etc/passwd", b"root::0:0::/:/bin/sh\n")])
    return layout(d, [good_layer(ctx), evil])


def tar_bomb(comp, size):
    def build(ctx, d):
        return layout(d, [good_layer(ctx), RawLayer(stream_zeros(comp, size), comp)])
    return build


def index_self(with_good):
    def build(ctx, d):
        path = layout(d, [good_layer(ctx)])
        with open(os.path.join(path, "index.json")) as f:
            index = json.load(f)
        # a nested index whose one entry names the digest it is stored under: what a self
        # reference would be (a blob cannot hold its own digest, so the digest lies too)
        fake = "sha256:" + "ab" * 32
        with open(blob_path(path, fake), "w") as f:
            json.dump({"schemaVersion": 2, "mediaType": mkimage.OCI_INDEX, "manifests": [
                {"mediaType": mkimage.OCI_INDEX, "digest": fake, "size": 200}]}, f)
        loop = {"mediaType": mkimage.OCI_INDEX, "digest": fake, "size": 200}
        index["manifests"] = ([loop] + index["manifests"]) if with_good else [loop]
        with open(os.path.join(path, "index.json"), "w") as f:
            json.dump(index, f)
        return path
    return build


def index_deep(ctx, d):
    """Indexes nested 12 deep, each honest about its digest."""
    path = layout(d, [good_layer(ctx)])
    with open(os.path.join(path, "index.json")) as f:
        index = json.load(f)
    for _ in range(12):
        data = json.dumps(index).encode()
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        with open(blob_path(path, digest), "wb") as f:
            f.write(data)
        index = {"schemaVersion": 2, "mediaType": mkimage.OCI_INDEX, "manifests": [
            {"mediaType": mkimage.OCI_INDEX, "digest": digest, "size": len(data)}]}
    with open(os.path.join(path, "index.json"), "w") as f:
        json.dump(index, f)
    return path


def missing_layer_blob(ctx, d):
    path = layout(d, [good_layer(ctx), layer_of([mkimage.file_member("var/task/x.py", b"1")])])
    os.unlink(blob_path(path, manifest_of(path)["layers"][1]["digest"]))
    return tar_dir(path, os.path.join(d, "image.oci.tar"))


def missing_config(ctx, d):
    path = layout(d, [good_layer(ctx)])
    os.unlink(blob_path(path, manifest_of(path)["config"]["digest"]))
    return path


def missing_manifest(ctx, d):
    path = layout(d, [good_layer(ctx)])
    with open(os.path.join(path, "index.json")) as f:
        index = json.load(f)
    os.unlink(blob_path(path, index["manifests"][0]["digest"]))
    return path


def rewrite_layer(path, k, data, comp="gzip"):
    """Layer k of the layout replaced by data, its manifest (and the index) made honest."""
    man = manifest_of(path)
    old = man["layers"][k]["digest"]
    os.unlink(blob_path(path, old))
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    with open(blob_path(path, digest), "wb") as f:
        f.write(data)
    man["layers"][k].update(digest=digest, size=len(data), mediaType=mkimage.LAYER_TYPES[comp])
    mdata = json.dumps(man).encode()
    mdigest = "sha256:" + hashlib.sha256(mdata).hexdigest()
    with open(blob_path(path, mdigest), "wb") as f:
        f.write(mdata)
    with open(os.path.join(path, "index.json")) as f:
        index = json.load(f)
    index["manifests"][0].update(digest=mdigest, size=len(mdata))
    with open(os.path.join(path, "index.json"), "w") as f:
        json.dump(index, f)


def layer_not_tar(ctx, d):
    path = layout(d, [good_layer(ctx), layer_of([mkimage.file_member("var/task/x.py", b"1")])])
    rewrite_layer(path, 1, os.urandom(4096) + b"\x7fELF not a tar" * 100, "none")
    return path


def layer_cut(ctx, d):
    big = layer_of([mkimage.file_member("var/task/lib%d.py" % i, os.urandom(2048))
                    for i in range(64)])
    path = layout(d, [good_layer(ctx), big])
    rewrite_layer(path, 1, big.data[:len(big.data) // 2])
    return path


def layer_short(ctx, d):
    """A blob cut short of the size its descriptor gives (a copy that stopped half way), its
    manifest left as it was: the digest and the size still name the whole layer."""
    path = layout(d, [good_layer(ctx),
                      layer_of([mkimage.file_member("var/task/x.py", b"1" * 4000)])])
    blob = blob_path(path, manifest_of(path)["layers"][1]["digest"])
    with open(blob, "rb") as f:
        data = f.read()
    with open(blob, "wb") as f:
        f.write(data[:len(data) // 3])
    return path


def layer_not_gzip(ctx, d):
    """A layer typed tar+gzip whose bytes are an HTML page, the manifest made honest about
    its digest and size: what a mirror that failed may store."""
    path = layout(d, [good_layer(ctx), layer_of([mkimage.file_member("var/task/x.py", b"1")])])
    rewrite_layer(path, 1, b"<html><body>503 Service Unavailable</body></html>\n" * 20)
    return path


def layer_garbled(comp):
    """A compressed layer whose middle is garbled, the manifest made honest: zstd's frame
    checksum says so. (libarchive checks no gzip CRC, and the config's diff_ids are not
    hashed: a gzip layer garbled so is not caught unless its digest is stale.)"""
    def build(ctx, d):
        big = layer_of([mkimage.file_member("var/task/lib%d.py" % i, os.urandom(2048))
                        for i in range(32)], comp)
        path = layout(d, [good_layer(ctx), big])
        data = bytearray(big.data)
        for k in range(len(data) // 3, len(data) // 3 + 64):
            data[k] ^= 0xA5
        rewrite_layer(path, 1, bytes(data), comp)
        return path
    return build


def entrypoint_games(which):
    """What Lambda starts, bent: a link that loops, a directory, a path that climbs out of
    the root from the WorkingDir, a name on a PATH of 5,000 entries none of which has it."""
    def build(ctx, d):
        extra = [mkimage.link_member("loop-a", "/loop-b"),
                 mkimage.link_member("loop-b", "loop-a"), mkimage.dir_member("entry.d")]
        kw = {"loop": dict(entrypoint=["/loop-a"]),
              "dir": dict(entrypoint=["/entry.d"]),
              "climb": dict(entrypoint=["../../../../lambda-entrypoint.sh/.."]),
              "path": dict(entrypoint=["run-me"],
                           env=["PATH=" + ":".join("/p%d" % i for i in range(5000))])}[which]
        return layout(d, [good_layer(ctx), layer_of(extra)], **kw)
    return build


def hardlink_out(ctx, d):
    return layout(d, [good_layer(ctx), layer_of([
        mkimage.link_member("var/task/shadow", "../../../etc/shadow", hard=True),
        mkimage.link_member("var/task/ok-link", "var/task/app.py", hard=True),
        mkimage.link_member("var/task/dangling", "var/task/nothing.py", hard=True)])])


def huge_declared(ctx, d):
    ti = tarfile.TarInfo("var/task/huge.so")
    ti.size = 1 << 40
    header = ti.tobuf(format=tarfile.PAX_FORMAT)
    return layout(d, [good_layer(ctx), RawLayer(gzip.compress(header + os.urandom(8192),
                                                              mtime=0))])


def nonutf8_names(ctx, d):
    members = []
    for raw in (b"var/task/caf\xe9.so", b"var/task/\xff\xfe/x.so", b"var/task/ok\x1b[31m.py"):
        ti = tarfile.TarInfo(raw.decode("utf-8", "surrogateescape"))
        members.append((ti, ctx.obj("ext-ok-x86_64.so")))
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT,
                      encoding="utf-8", errors="surrogateescape") as t:
        for ti, data in members:
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
    return layout(d, [good_layer(ctx), RawLayer(gzip.compress(buf.getvalue(), mtime=0))])


def many_entries(ctx, d):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        for i in range(100000):
            ti = tarfile.TarInfo("var/task/many/d%03d/f%05d.py" % (i % 500, i))
            t.addfile(ti, io.BytesIO(b""))
    return layout(d, [good_layer(ctx), RawLayer(gzip.compress(buf.getvalue(), 1, mtime=0))])


def layout_blob_link(ctx, d):
    path = layout(d, [good_layer(ctx), layer_of([mkimage.file_member("var/task/x.py", b"1")])])
    blob = blob_path(path, manifest_of(path)["layers"][1]["digest"])
    os.unlink(blob)
    os.symlink("/etc/passwd", blob)
    return path


def layer_path_escapes(ctx, d):
    def edit(ti, data, extra):
        if ti.name == "manifest.json":
            man = json.loads(data)
            man[0]["Layers"][1] = "../../../../etc/passwd"
            data = json.dumps(man).encode()
            ti.size = len(data)
        return [(ti, data)]
    return legacy_rewritten(ctx, d, edit)


def outer_link_loop(ctx, d):
    """A legacy docker save whose second layer.tar is a link to a link to itself."""
    def edit(ti, data, extra):
        if data != extra.tar:
            return [(ti, data)]
        a = tarfile.TarInfo(ti.name)
        a.type, a.linkname = tarfile.SYMTYPE, "loop.tar"
        b = tarfile.TarInfo(os.path.dirname(ti.name) + "/loop.tar")
        b.type, b.linkname = tarfile.SYMTYPE, "layer.tar"
        return [(a, None), (b, None)]
    return legacy_rewritten(ctx, d, edit)


def compressed_save(ctx, d):
    tmp = os.path.join(d, "plain.tar")
    mkimage.write(tmp, "docker-archive", [mkimage.Image([good_layer(ctx, "none")], **ENTRY)])
    out = os.path.join(d, "image.tar.gz")
    with open(tmp, "rb") as f, open(out, "wb") as o, \
            gzip.GzipFile(fileobj=o, mode="wb", mtime=0) as g:
        g.write(f.read())
    os.unlink(tmp)
    return out


def garbage_json(which):
    def build(ctx, d):
        path = layout(d, [good_layer(ctx)])
        target = os.path.join(path, "index.json")
        if which == "manifest":
            with open(target) as f:
                target = blob_path(path, json.load(f)["manifests"][0]["digest"])
        with open(target, "wb") as f:
            f.write(b"{\"manifests\": [" * 5000 + b"\xff\xfe")
        return path
    return build


def no_layers(ctx, d):
    return layout(d, [])


def same_layer_games(ctx, d):
    """One path twice in a layer (the later wins), a whiteout beside the file it names and an
    opaque marker beside what it would hide, in the same layer (a whiteout hides only what
    lower layers hold: image-spec layer.md), a whiteout of a file no layer has, and the
    handler's module removed by a whiteout and put back by the same layer: it is there."""
    return layout(d, [good_layer(ctx), layer_of([
        mkimage.file_member("var/task/dup.py", b"first"),
        mkimage.file_member("var/task/dup.py", b"second"),
        mkimage.file_member("var/task/other/.wh..wh..opq", b""),
        mkimage.file_member("var/task/other/new.py", b""),
        mkimage.file_member("var/task/.wh.never-there", b""),
        mkimage.file_member("var/task/.wh.app.py", b""),
        mkimage.file_member("var/task/app.py", b"def handler(e, c):\n    return 2\n")])])


def opaque_hides_lower(ctx, d):
    """An opaque directory in a higher layer hides what lower layers put in it: the module
    that would be reported is gone, and the new one stays."""
    return layout(d, [good_layer(ctx), layer_of([
        mkimage.file_member("var/task/pkg/.wh..wh..opq", b""),
        mkimage.file_member("var/task/pkg/fresh.cpython-36m-x86_64-linux-gnu.so",
                            ctx.obj("ext-old-x86_64.so"))])])


def cannot_start(report):
    return [] if any(f["slug"] == "image-handler-missing" and "cannot start" in f["message"]
                     for f in report["findings"]) else ["the image is not said not to start"]


def cases():
    """Each: name, build(ctx, d), exit2, whether the good member must be reported, what
    must be found (description, path predicate, slugs), extra args, heavy, memory."""
    unreadable = ("member-unreadable",)
    return [
        dict(name="img-digest-lies", build=digest_lies, exit2=True, good=False),
        dict(name="img-digest-lies-docker-legacy", build=digest_lies_legacy, exit2=True,
             good=False),
        dict(name="img-whiteout-climbs", build=whiteouts_climb,
             expect=[("../../.wh.var", lambda p: ".wh.var" in p, unreadable),
                     ("var/task/.wh...", lambda p: p == "var/task/.wh...", unreadable),
                     ("../../etc/passwd", lambda p: "etc/passwd" in p, unreadable)]),
        dict(name="img-tar-bomb-zstd", build=tar_bomb("zstd", 4 << 30), mem_mb=256, heavy=True,
             exit2=True, good=False),
        dict(name="img-tar-bomb-gzip", build=tar_bomb("gzip", 1 << 30), mem_mb=256, heavy=True,
             exit2=True, good=False),
        dict(name="img-index-self", build=index_self(True)),
        dict(name="img-index-self-only", build=index_self(False), exit2=True, good=False),
        dict(name="img-index-deep", build=index_deep, exit2=True, good=False),
        dict(name="img-missing-layer-blob", build=missing_layer_blob, exit2=True, good=False),
        dict(name="img-missing-config", build=missing_config, exit2=True, good=False),
        dict(name="img-missing-manifest", build=missing_manifest, exit2=True, good=False),
        dict(name="img-layer-not-tar", build=layer_not_tar, exit2=True, good=False),
        dict(name="img-layer-cut", build=layer_cut, exit2=True, good=False),
        dict(name="img-layer-short", build=layer_short, exit2=True, good=False),
        dict(name="img-layer-not-gzip", build=layer_not_gzip, exit2=True, good=False),
        dict(name="img-layer-zstd-garbled", build=layer_garbled("zstd"), exit2=True,
             good=False),
        dict(name="img-hardlink-out", build=hardlink_out,
             expect=[("var/task/shadow", lambda p: p == "var/task/shadow", unreadable),
                     ("var/task/dangling", lambda p: p == "var/task/dangling", unreadable)]),
        dict(name="img-huge-declared", build=huge_declared, exit2=True, good=False),
        dict(name="img-names-not-utf8", build=nonutf8_names),
        dict(name="img-100000-entries", build=many_entries, heavy=True),
        dict(name="img-layout-blob-link", build=layout_blob_link, exit2=True, good=False),
        dict(name="img-layer-path-escapes", build=layer_path_escapes, exit2=True, good=False),
        dict(name="img-outer-link-loop", build=outer_link_loop, exit2=True, good=False),
        dict(name="img-docker-save-gzipped", build=compressed_save, exit2=True, good=False),
        dict(name="img-index-garbage", build=garbage_json("index"), exit2=True, good=False),
        dict(name="img-manifest-garbage", build=garbage_json("manifest"), exit2=True,
             good=False),
        dict(name="img-no-layers", build=no_layers, good=False),
        dict(name="img-entrypoint-loop", build=entrypoint_games("loop"), check=cannot_start),
        dict(name="img-entrypoint-dir", build=entrypoint_games("dir"), check=cannot_start),
        dict(name="img-entrypoint-climbs", build=entrypoint_games("climb"), check=cannot_start),
        dict(name="img-entrypoint-long-path", build=entrypoint_games("path"),
             check=cannot_start),
        dict(name="img-same-layer-games", build=same_layer_games,
             check=lambda report: [] if not any(
                 f["slug"] == "image-handler-missing" for f in report["findings"])
             else ["the handler's module, put back in the layer that whites it out, is "
                   "reported missing"]),
        dict(name="img-opaque-hides-lower", build=opaque_hides_lower, good=False,
             expect=[("the module of the upper layer",
                      lambda p: p == "var/task/pkg/fresh.cpython-36m-x86_64-linux-gnu.so",
                      ("python-tag-mismatch",))],
             check=lambda report: ["the opaque directory left the lower layer's module"]
             if any(f["path"] == GOOD for f in report["findings"]) else []),
    ]
