#!/usr/bin/python3
"""Hostile-input matrix for abiscan: broken ELF objects, broken zips, hostile directories.

Every case is generated at run time into --work (nothing binary is committed), from the
fixture objects the build makes (BUILD/fixtures/obj). For EVERY case abiscan is run with
`--runtime python3.11 --format json` (and again with `--format text`, except for the heavy
cases) in an empty scratch cwd, under a timeout, and the run must:

  * end by itself (no timeout), by exit (no signal), with status 0, 1 or 2;
  * on an ASan/UBSan build, print no "ERROR: AddressSanitizer", "runtime error:" or
    "LeakSanitizer" line on stderr;
  * status 0/1: print valid UTF-8, valid JSON (no duplicate keys, no NaN, no lone surrogate
    escapes) that validates against rules/schema/report.schema.json, with summary counts that
    match the findings, and status 1 exactly when there is an error finding;
    status 2 for a bundle that cannot be read: print the report all the same (valid JSON, by
    the schema, that input's verdict "error" with a reason naming it; every --report file
    written, each showing the input as a failure), and on stderr one line starting
    "abiscan: " that names the input (then, for JSON, the summary line); status 2 for a run
    that cannot start (a hostile configuration): nothing on stdout, no report, exactly one
    line on stderr naming the file;
  * leave the bundle unchanged (hash of the zip; type, mode, size, hash or link target of
    every entry of a directory tree), create nothing next to it and nothing in the cwd;
  * report the "good but wrong" member (pkg/old.cpython-36m-x86_64-linux-gnu.so, a good ELF
    built for CPython 3.6) as python-tag-mismatch: one broken member never hides the rest;
  * give the broken member the finding the case expects (elf-unreadable, member-unreadable,
    not-elf, ...), or exit 2 when the bundle itself is unreadable;
  * text output: no ESC byte and no other C0 control byte but TAB and LF on stdout;
  * cases marked with a memory limit: peak RSS of the abiscan process (wait4 rusage) under it.

Usage:
  /usr/bin/python3 tests/hostile/hostile.py --abiscan BUILD/abiscan --work DIR
        [--fixtures BUILD/fixtures] [--only NAME[,NAME...]] [--timeout S] [--asan] [-j N]
        [--list]

--only takes exact names or shell patterns (elf-trunc-*). Prints "ok - <case>" or
"not ok - <case>: <why>" (followed by "#   repro: ..." lines) per case, then
"N passed, M failed"; exits 1 if anything failed.
"""

import argparse
import concurrent.futures
import fnmatch
import hashlib
import io
import json
import os
import random
import resource
import shlex
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import tarfile
import threading
import time
import zipfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gate_cases  # noqa: E402  (the CI gate's reports and configurations)
import audit_cases  # noqa: E402  (templates, aws lambda JSON, --files-from lists)
import image_cases  # noqa: E402  (container images)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lint"))
import fix_commands  # noqa: E402  (every fix command parses: /bin/sh -n)

try:
    import jsonschema
except ImportError:  # reported as a failure of every case, not a crash
    jsonschema = None

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMA = os.path.join(HERE, "..", "..", "rules", "schema", "report.schema.json")

RUNTIME = "python3.11"
GOOD_PATH = "pkg/old.cpython-36m-x86_64-linux-gnu.so"   # good ELF, wrong CPython: ABI001
FCNTL_PATH = "pkg/fcntl.cpython-311-x86_64-linux-gnu.so"  # ext-fcntl64: GLIBC_2.28 need
OK_PATH = "pkg/ok.cpython-311-x86_64-linux-gnu.so"        # ext-ok: no finding when intact
LIB_PATH = "lib/libhelper.so.1"                            # lib-x86_64: SONAME, no module
I386_PATH = "pkg/i386.cpython-311-x86_64-linux-gnu.so"     # ext-i386: ELF32
MEM_LIMIT_MB = 256

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "runtime error:", "LeakSanitizer")

# Shared-object flags and ELF constants.
PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_NOTE = 1, 2, 3, 4
SHT_STRTAB, SHT_DYNAMIC, SHT_DYNSYM = 3, 6, 11
SHT_GNU_VERDEF, SHT_GNU_VERNEED, SHT_GNU_VERSYM = 0x6FFFFFFD, 0x6FFFFFFE, 0x6FFFFFFF
DT_NULL, DT_NEEDED, DT_DEBUG = 0, 1, 21


# --------------------------------------------------------------------------------------------
# ELF patching


class Elf:
    """A mutable copy of a little-endian ELF object with typed field access."""

    EH64 = {"e_phoff": (0x20, "Q"), "e_shoff": (0x28, "Q"), "e_phentsize": (0x36, "H"),
            "e_phnum": (0x38, "H"), "e_shentsize": (0x3A, "H"), "e_shnum": (0x3C, "H"),
            "e_shstrndx": (0x3E, "H")}
    EH32 = {"e_phoff": (0x1C, "I"), "e_shoff": (0x20, "I"), "e_phentsize": (0x2A, "H"),
            "e_phnum": (0x2C, "H"), "e_shentsize": (0x2E, "H"), "e_shnum": (0x30, "H"),
            "e_shstrndx": (0x32, "H")}
    SH64 = {"sh_name": (0, "I"), "sh_type": (4, "I"), "sh_flags": (8, "Q"), "sh_addr": (16, "Q"),
            "sh_offset": (24, "Q"), "sh_size": (32, "Q"), "sh_link": (40, "I"),
            "sh_info": (44, "I"), "sh_addralign": (48, "Q"), "sh_entsize": (56, "Q")}
    SH32 = {"sh_name": (0, "I"), "sh_type": (4, "I"), "sh_flags": (8, "I"), "sh_addr": (12, "I"),
            "sh_offset": (16, "I"), "sh_size": (20, "I"), "sh_link": (24, "I"),
            "sh_info": (28, "I"), "sh_addralign": (32, "I"), "sh_entsize": (36, "I")}
    PH64 = {"p_type": (0, "I"), "p_flags": (4, "I"), "p_offset": (8, "Q"), "p_vaddr": (16, "Q"),
            "p_paddr": (24, "Q"), "p_filesz": (32, "Q"), "p_memsz": (40, "Q"),
            "p_align": (48, "Q")}
    PH32 = {"p_type": (0, "I"), "p_offset": (4, "I"), "p_vaddr": (8, "I"), "p_paddr": (12, "I"),
            "p_filesz": (16, "I"), "p_memsz": (20, "I"), "p_flags": (24, "I"),
            "p_align": (28, "I")}

    def __init__(self, data):
        self.b = bytearray(data)
        if self.b[:4] != b"\x7fELF" or self.b[5] != 1:
            raise ValueError("fixture is not a little-endian ELF object")
        self.is64 = self.b[4] == 2
        self.eh = self.EH64 if self.is64 else self.EH32
        self.shf = self.SH64 if self.is64 else self.SH32
        self.phf = self.PH64 if self.is64 else self.PH32
        # The layout of the intact object, for patching by position.
        self.shoff, self.phoff = self.get("e_shoff"), self.get("e_phoff")
        self.shentsize, self.phentsize = self.get("e_shentsize"), self.get("e_phentsize")
        self.shnum, self.phnum = self.get("e_shnum"), self.get("e_phnum")

    def _rw(self, at, fmt, value=None):
        if value is None:
            return struct.unpack_from("<" + fmt, self.b, at)[0]
        struct.pack_into("<" + fmt, self.b, at, value)
        return value

    def get(self, field):
        return self._rw(*self.eh[field])

    def set(self, field, value):
        off, fmt = self.eh[field]
        self._rw(off, fmt, value)

    def sh(self, i, field, value=None):
        off, fmt = self.shf[field]
        return self._rw(self.shoff + i * self.shentsize + off, fmt, value)

    def ph(self, i, field, value=None):
        off, fmt = self.phf[field]
        return self._rw(self.phoff + i * self.phentsize + off, fmt, value)

    def find_sh(self, sh_type):
        for i in range(self.shnum):
            if self.sh(i, "sh_type") == sh_type:
                return i
        raise ValueError("no section of type %#x" % sh_type)

    def find_ph(self, p_type):
        for i in range(self.phnum):
            if self.ph(i, "p_type") == p_type:
                return i
        raise ValueError("no program header of type %#x" % p_type)

    def section(self, sh_type):
        """(index, file offset, size) of the first section of that type."""
        i = self.find_sh(sh_type)
        return i, self.sh(i, "sh_offset"), self.sh(i, "sh_size")

    def u16(self, at, value=None):
        return self._rw(at, "H", value)

    def u32(self, at, value=None):
        return self._rw(at, "I", value)

    def u64(self, at, value=None):
        return self._rw(at, "Q", value)

    def bytes(self):
        return bytes(self.b)


# --------------------------------------------------------------------------------------------
# Zip writing: by hand, so that every header field can lie


def dos_time():
    return 0x6000, 0x5821  # 2024-01-01 12:00


class Member:
    """One zip member. Everything the writer would compute can be overridden."""

    def __init__(self, name, data=b"", method=8, **kw):
        self.name = name.encode("utf-8") if isinstance(name, str) else name
        self.data = data
        self.method = method
        self.flags = kw.pop("flags", 0x800 if isinstance(name, str) and not name.isascii() else 0)
        self.raw = kw.pop("raw", None)            # compressed bytes as stored
        self.crc = kw.pop("crc", None)
        self.csize = kw.pop("csize", None)
        self.usize = kw.pop("usize", None)
        self.local = kw.pop("local", {})          # overrides for the local header only
        self.central = kw.pop("central", {})      # overrides for the central header only
        self.ext_attr = kw.pop("ext_attr", 0o100644 << 16)
        self.made_by = kw.pop("made_by", 0x031E)  # Unix, 3.0
        self.extra = kw.pop("extra", b"")
        self.central_extra = kw.pop("central_extra", None)
        self.descriptor = kw.pop("descriptor", False)
        if kw:
            raise TypeError("unknown member options: %s" % ", ".join(kw))

    def compressed(self):
        if self.raw is not None:
            return self.raw
        if self.method == 0:
            return self.data
        if self.method == 8:
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            return c.compress(self.data) + c.flush()
        raise ValueError("no compressor for method %d" % self.method)


def build_zip(members, comment=b"", prefix=b"", eocd=None, offsets_from_zip_start=False):
    """The bytes of a zip and where its parts are: {"lho": [...], "data": [...], "cd": off,
    "cd_size": n, "eocd": off}. With a prefix, the offsets count from the start of the file
    (as `zip -A` leaves a self-extractor), or from the start of the zip data
    (offsets_from_zip_start: `cat sfx a.zip`)."""
    out = bytearray(prefix)
    base = len(prefix) if offsets_from_zip_start else 0
    info = {"lho": [], "data": [], "cd_entries": []}
    central = []
    mtime, mdate = dos_time()
    for m in members:
        comp = m.compressed()
        crc = m.crc if m.crc is not None else zlib.crc32(m.data)
        csize = m.csize if m.csize is not None else len(comp)
        usize = m.usize if m.usize is not None else len(m.data)
        lho = len(out)
        info["lho"].append(lho)
        lf = {"sig": 0x04034B50, "version": 20, "flags": m.flags | (8 if m.descriptor else 0),
              "method": m.method, "crc": 0 if m.descriptor else crc,
              "csize": 0 if m.descriptor else csize, "usize": 0 if m.descriptor else usize,
              "name": m.name, "extra": m.extra}
        lf.update(m.local)
        out += struct.pack("<IHHHHHIIIHH", lf["sig"], lf["version"], lf["flags"], lf["method"],
                           mtime, mdate, lf["crc"] & 0xFFFFFFFF, lf["csize"] & 0xFFFFFFFF,
                           lf["usize"] & 0xFFFFFFFF, lf.get("name_len", len(lf["name"])),
                           lf.get("extra_len", len(lf["extra"])))
        out += lf["name"] + lf["extra"]
        info["data"].append(len(out))
        out += comp
        if m.descriptor:
            out += struct.pack("<IIII", 0x08074B50, crc & 0xFFFFFFFF, csize & 0xFFFFFFFF,
                               usize & 0xFFFFFFFF)
        cf = {"sig": 0x02014B50, "made_by": m.made_by, "version": 20,
              "flags": m.flags | (8 if m.descriptor else 0), "method": m.method, "crc": crc,
              "csize": csize, "usize": usize, "name": m.name,
              "extra": m.extra if m.central_extra is None else m.central_extra,
              "ext_attr": m.ext_attr, "lho": lho - base}
        cf.update(m.central)
        central.append(cf)
    cd = len(out)
    info["cd"] = cd
    for cf in central:
        info["cd_entries"].append(len(out))
        out += struct.pack("<IHHHHHHIIIHHHHHII", cf["sig"], cf["made_by"], cf["version"],
                           cf["flags"], cf["method"], mtime, mdate, cf["crc"] & 0xFFFFFFFF,
                           cf["csize"] & 0xFFFFFFFF, cf["usize"] & 0xFFFFFFFF,
                           cf.get("name_len", len(cf["name"])),
                           cf.get("extra_len", len(cf["extra"])), 0, 0, 0,
                           cf["ext_attr"] & 0xFFFFFFFF, cf["lho"] & 0xFFFFFFFF)
        out += cf["name"] + cf["extra"]
    info["cd_size"] = len(out) - cd
    info["eocd"] = len(out)
    e = {"disk": 0, "cd_disk": 0, "n_disk": len(members), "n_total": len(members),
         "cd_size": info["cd_size"], "cd_off": cd - base, "comment_len": len(comment)}
    e.update(eocd or {})
    out += struct.pack("<IHHHHIIH", 0x06054B50, e["disk"], e["cd_disk"], e["n_disk"] & 0xFFFF,
                       e["n_total"] & 0xFFFF, e["cd_size"] & 0xFFFFFFFF,
                       e["cd_off"] & 0xFFFFFFFF, e["comment_len"])
    out += comment
    return bytes(out), info


# --------------------------------------------------------------------------------------------
# The run context


class Ctx:
    def __init__(self, args):
        self.abiscan = os.path.abspath(args.abiscan)
        self.work = os.path.abspath(args.work)
        self.fixtures = os.path.abspath(args.fixtures or os.path.join(
            os.path.dirname(self.abiscan), "fixtures"))
        self.obj_dir = os.path.join(self.fixtures, "obj")
        self.asan = args.asan or self._is_asan()
        self.timeout = args.timeout if args.timeout else (30.0 if self.asan else 10.0)
        self.root = os.geteuid() == 0
        self.methods = libzip_methods(self.abiscan)
        self._objs = {}
        self.sarif_files = []
        with open(args.schema or DEFAULT_SCHEMA) as f:
            self.schema = json.load(f)
        self.validator = None
        if jsonschema is not None:
            cls = jsonschema.validators.validator_for(self.schema)
            cls.check_schema(self.schema)
            self.validator = cls(self.schema)

    def _is_asan(self):
        try:
            with open(self.abiscan, "rb") as f:
                blob = f.read()
        except OSError:
            return False
        return b"__asan_init" in blob or b"__ubsan_handle" in blob

    def obj(self, name):
        if name not in self._objs:
            with open(os.path.join(self.obj_dir, name), "rb") as f:
                self._objs[name] = f.read()
        return self._objs[name]

    def good(self):
        return Member(GOOD_PATH, self.obj("ext-old-x86_64.so"))


def libzip_methods(abiscan):
    """Which optional compression methods the libzip abiscan runs with can decode:
    {"bzip2": bool, "lzma": bool, "zstd": bool}, None for what could not be told."""
    unknown = {"bzip2": None, "lzma": None, "zstd": None}

    def deps(path):
        try:
            r = subprocess.run(["ldd", path], capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.SubprocessError):
            return None
        return r.stdout if r.returncode == 0 else None

    top = deps(abiscan)
    if top is None:
        return unknown
    libzip = None
    for line in top.splitlines():
        parts = line.split()
        if parts and parts[0].startswith("libzip.so") and "=>" in parts and len(parts) > 2:
            libzip = parts[2]
    if not libzip:
        return unknown  # static libzip: cannot tell
    sub = deps(libzip)
    if sub is None:
        return unknown
    return {"bzip2": "libbz2" in sub, "lzma": "liblzma" in sub, "zstd": "libzstd" in sub}


# --------------------------------------------------------------------------------------------
# Expectations


class Expect:
    """At least one finding on a member matched by `match` (an exact path, or a predicate) whose
    slug is in `slugs`."""

    def __init__(self, match, slugs, desc=None):
        self.match = match if callable(match) else (lambda p, m=match: p == m)
        self.slugs = set(slugs)
        self.desc = desc or (match if isinstance(match, str) else "the broken member")

    def check(self, findings):
        on = [f for f in findings if isinstance(f.get("path"), str) and self.match(f["path"])]
        if any(f.get("slug") in self.slugs for f in on):
            return None
        return "no %s finding for %r (its findings: %s)" % (
            " or ".join(sorted(self.slugs)), self.desc,
            ", ".join(sorted({f.get("slug", "?") for f in on})) or "none")


def E(path, *slugs):
    return Expect(path, slugs)


def EP(desc, pred, *slugs):
    return Expect(pred, slugs, desc)


class Case:
    def __init__(self, name, build, expect=(), exit2=False, maybe_exit2=False, good=True,
                 args=(), heavy=False, mem_mb=None, text=True, check=None, skip=None,
                 names=None):
        self.name = name
        self.build = build          # build(ctx, d) -> bundle path (d: the bundle's directory)
        self.expect = list(expect)
        self.exit2 = exit2          # the bundle itself is unreadable: status 2 required
        self.maybe_exit2 = maybe_exit2  # status 2, or a full report (good member included)
        self.good = good            # the good-but-wrong member must be reported
        self.args = list(args)
        self.heavy = heavy          # no second (text) run
        self.mem_mb = mem_mb        # peak RSS limit
        self.text = text
        self.check = check          # check(ctx, report) -> [errors]
        self.skip = skip            # skip(ctx) -> reason or None
        self.names = names          # what an exit-2 line must name (default: the bundle);
                                    # "@D@" in args and names is the case's directory


# --------------------------------------------------------------------------------------------
# Builders


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def zip_of(members_fn, name="bundle.zip", **zkw):
    """A builder: the zip of ctx.good() plus what members_fn(ctx) returns."""
    def build(ctx, d):
        data, _ = build_zip([ctx.good()] + list(members_fn(ctx)), **zkw)
        path = os.path.join(d, name)
        write(path, data)
        return path
    return build


def elf_case(name, base, patch, slugs, path=None, method=8):
    """A zip holding the good-but-wrong member and `base` patched by patch(Elf) (which may
    return bytes to replace the whole object)."""
    member_path = path or {"ext-fcntl64-x86_64.so": FCNTL_PATH, "ext-ok-x86_64.so": OK_PATH,
                           "lib-x86_64.so": LIB_PATH, "ext-i386-i386.so": I386_PATH}[base]

    def build(ctx, d):
        elf = Elf(ctx.obj(base))
        out = patch(elf)
        data = out if isinstance(out, (bytes, bytearray)) else elf.bytes()
        blob, _ = build_zip([ctx.good(), Member(member_path, bytes(data), method=method)])
        p = os.path.join(d, "bundle.zip")
        write(p, blob)
        return p

    return Case(name, build, [E(member_path, *slugs)] if slugs else [])


def trunc_at(where):
    def patch(elf):
        n = where(elf) if callable(where) else where
        return elf.bytes()[:n]
    return patch


def dyn_entries(elf):
    """(offset of each Elf64_Dyn/Elf32_Dyn in .dynamic, entry size)."""
    _, off, size = elf.section(SHT_DYNAMIC)
    ent = 16 if elf.is64 else 8
    return [off + i * ent for i in range(size // ent)], ent


def p_dyn_no_null(elf):
    """Overwrite every DT_NULL (the terminator and the padding after it) with DT_DEBUG."""
    offs, _ = dyn_entries(elf)
    for at in offs:
        if elf.u64(at) == DT_NULL:
            elf.u64(at, DT_DEBUG)
            elf.u64(at + 8, 0)


def p_dyn_all_needed(elf):
    """Every slot of .dynamic a DT_NEEDED on the same string, no terminator."""
    offs, _ = dyn_entries(elf)
    val = next(elf.u64(at + 8) for at in offs if elf.u64(at) == DT_NEEDED)
    for at in offs:
        elf.u64(at, DT_NEEDED)
        elf.u64(at + 8, val)


def p_needed_huge(elf):
    offs, _ = dyn_entries(elf)
    at = next(a for a in offs if elf.u64(a) == DT_NEEDED)
    elf.u64(at + 8, 0xFFFFFFFFFFFFFF00)


def p_needed_past_strtab(elf):
    offs, _ = dyn_entries(elf)
    at = next(a for a in offs if elf.u64(a) == DT_NEEDED)
    i = elf.sh(elf.find_sh(SHT_DYNAMIC), "sh_link")
    elf.u64(at + 8, elf.sh(i, "sh_size"))  # one past the last byte of .dynstr


def p_dynstr_unterminated(elf):
    i = elf.sh(elf.find_sh(SHT_DYNAMIC), "sh_link")
    off, size = elf.sh(i, "sh_offset"), elf.sh(i, "sh_size")
    elf.b[off:off + size] = b"A" * size


def verneed_layout(elf):
    """(section index, offset, file string offset, first aux name offset)."""
    i, off, _ = elf.section(SHT_GNU_VERNEED)
    vn_file = elf.u32(off + 4)
    aux = off + elf.u32(off + 8)
    return i, off, vn_file, elf.u32(aux + 8)


def p_verneed_loop(elf):
    """Two version-need entries that point at each other through 32-bit wrap-around
    (0x20 + 0xFFFFFFE0 = 2^32, which an int offset sees as 0), sh_info 0xFFFFFFFF."""
    i, off, vn_file, name = verneed_layout(elf)
    elf.b[off:off + 0x30] = (
        struct.pack("<HHIII", 1, 1, vn_file, 0x10, 0x20)                    # A @0 -> B
        + struct.pack("<IHHII", 0x0D696918, 0, 3, name, 0)                  # aux @0x10
        + struct.pack("<HHIII", 1, 1, vn_file, 0xFFFFFFF0, 0xFFFFFFE0))     # B @0x20 -> A
    elf.sh(i, "sh_info", 0xFFFFFFFF)


def p_verneed_aux_loop(elf):
    """vn_cnt 0xFFFF and an aux chain that cycles (0x20 + 0xFFFFFFF0 wraps to 0x10)."""
    i, off, vn_file, name = verneed_layout(elf)
    elf.b[off:off + 0x30] = (
        struct.pack("<HHIII", 1, 0xFFFF, vn_file, 0x10, 0)
        + struct.pack("<IHHII", 0x0D696918, 0, 3, name, 0x10)
        + struct.pack("<IHHII", 0x0D696918, 0, 4, name, 0xFFFFFFF0))


def p_verneed_cnt_huge(elf):
    """vn_next 0 (last entry) with vn_cnt 0xFFFF, the last aux pointing past the section."""
    i, off, _, _ = verneed_layout(elf)
    elf.u16(off + 2, 0xFFFF)
    elf.u32(off + 0x20 + 12, 0x10)


def p_verneed_aux_huge(elf):
    _, off, _, _ = verneed_layout(elf)
    elf.u32(off + 8, 0x7FFFFFF0)


def p_verneed_next_huge(elf):
    i, off, _, _ = verneed_layout(elf)
    elf.u32(off + 12, 0x7FFFFFF0)
    elf.sh(i, "sh_info", 2)


def p_verdef_loop(elf):
    """.gnu.version_r retyped as .gnu.version_d: two definitions pointing at each other
    through 32-bit wrap-around (0x14 + 0xFFFFFFEC = 2^32), names out of range, sh_info huge."""
    i, off, _, _ = verneed_layout(elf)
    elf.b[off:off + 0x30] = (
        struct.pack("<HHHHIII", 1, 0, 2, 1, 0, 0x28, 0x14)                 # D0 @0 -> D1
        + struct.pack("<HHHHIII", 1, 0, 3, 1, 0, 0x14, 0xFFFFFFEC)         # D1 @0x14 -> D0
        + struct.pack("<II", 0xFFFFFFF0, 0))                               # aux @0x28
    elf.sh(i, "sh_type", SHT_GNU_VERDEF)
    elf.sh(i, "sh_info", 0xFFFFFFFF)


def p_shlink(sh_type, value):
    def patch(elf):
        elf.sh(elf.find_sh(sh_type), "sh_link", value)
    return patch


def p_sh(sh_type, field, value):
    def patch(elf):
        elf.sh(elf.find_sh(sh_type), field, value)
    return patch


def p_eh(field, value):
    def patch(elf):
        elf.set(field, value(elf) if callable(value) else value)
    return patch


def p_ident(index, value):
    def patch(elf):
        elf.b[index] = value
    return patch


def p_shdr_garbage(typed):
    """Seeded random bytes over the whole section header table; typed: every entry gets one
    of the types abiscan reads, with wild offsets, sizes and links (entry 1 is a DYNAMIC
    section far past the end of the file)."""
    def patch(elf):
        rng = random.Random(0xAB15CA4 + typed)
        n = elf.shnum * elf.shentsize
        elf.b[elf.shoff:elf.shoff + n] = bytes(rng.getrandbits(8) for _ in range(n))
        if typed:
            types = [SHT_DYNAMIC, SHT_GNU_VERNEED, SHT_GNU_VERDEF, SHT_DYNSYM, SHT_GNU_VERSYM,
                     SHT_STRTAB]
            for i in range(elf.shnum):
                elf.sh(i, "sh_type", types[i % len(types)])
                elf.sh(i, "sh_link", rng.choice([0, 1, 4, elf.shnum - 1, elf.shnum, 0xFFFF]))
                elf.sh(i, "sh_info", rng.choice([0, 1, 2, 0x7FFFFFFF, 0xFFFFFFFF]))
                elf.sh(i, "sh_entsize", rng.choice([0, 1, 8, 16, 24, 0xFFFFFFFF]))
                elf.sh(i, "sh_offset", rng.choice([0, 0x40, len(elf.b) - 8, len(elf.b),
                                                   1 << 40, (1 << 64) - 16]))
                elf.sh(i, "sh_size", rng.choice([0, 8, 0x30, 1 << 31, (1 << 64) - 1]))
            elf.sh(1, "sh_type", SHT_DYNAMIC)
            elf.sh(1, "sh_offset", 1 << 40)
            elf.sh(1, "sh_size", 0x100)
            elf.sh(1, "sh_entsize", 16)
    return patch


def p_shnum_extended(elf):
    """e_shnum 0: the count is in section 0's sh_size, here 0xFFFFFFFF."""
    elf.set("e_shnum", 0)
    elf.sh(0, "sh_size", 0xFFFFFFFF)


def p_shstrndx_xindex(elf):
    """e_shstrndx SHN_XINDEX: the index is in section 0's sh_link, here out of range."""
    elf.set("e_shstrndx", 0xFFFF)
    elf.sh(0, "sh_link", 0xFFFFFFF0)


def p_interp_oob(elf):
    i = elf.find_ph(PT_NOTE)
    elf.ph(i, "p_type", PT_INTERP)
    elf.ph(i, "p_offset", 0xFFFFFFFFFFFFFF00)
    elf.ph(i, "p_filesz", 0x200)


def p_interp_unterminated(elf):
    """PT_INTERP over the last 16 bytes of the file, no NUL in them."""
    i = elf.find_ph(PT_NOTE)
    elf.b[-16:] = b"/lib/ld-hostile!"
    elf.ph(i, "p_type", PT_INTERP)
    elf.ph(i, "p_offset", len(elf.b) - 16)
    elf.ph(i, "p_filesz", 16)


def p_load_past_end(elf):
    i = elf.find_ph(PT_LOAD)
    elf.ph(i, "p_filesz", 0xFFFFFFFFFFFF0000)


def p_random_after_ident(elf):
    rng = random.Random(1234)
    body = bytes(rng.getrandbits(8) for _ in range(4096))
    return bytes(elf.b[:16]) + body


def elf_cases():
    F, OK, LIB, I386 = ("ext-fcntl64-x86_64.so", "ext-ok-x86_64.so", "lib-x86_64.so",
                        "ext-i386-i386.so")
    U = ["elf-unreadable"]
    # What an intact ext-fcntl64 gets on python3.11: where damage may go unnoticed by design
    # (section names, ld.so-irrelevant fields), the run must still be clean and report that.
    FU = ["elf-unreadable", "glibc-too-new"]

    def dyn_off(e):
        return e.section(SHT_DYNAMIC)[1]

    def dynstr_off(e):
        return e.sh(e.sh(e.find_sh(SHT_DYNAMIC), "sh_link"), "sh_offset")

    cs = [
        elf_case("elf-trunc-0", F, trunc_at(0), ["not-elf"]),
        elf_case("elf-trunc-4", F, trunc_at(4), U),
        elf_case("elf-trunc-16", F, trunc_at(16), U),
        elf_case("elf-trunc-63", F, trunc_at(63), U),
        elf_case("elf-trunc-64", F, trunc_at(64), U),
        elf_case("elf-trunc-after-phdrs", F,
                 trunc_at(lambda e: e.phoff + e.phnum * e.phentsize), U),
        elf_case("elf-trunc-in-dynamic", F, trunc_at(lambda e: dyn_off(e) + 0x48), U),
        elf_case("elf-trunc-in-dynstr", F, trunc_at(lambda e: dynstr_off(e) + 7), U),
        elf_case("elf-trunc-before-shdrs", F, trunc_at(lambda e: e.shoff), U),
        elf_case("elf-trunc-one-short", F, trunc_at(lambda e: len(e.b) - 1), U),
        elf_case("elf-trunc-one-short-ok", OK, trunc_at(lambda e: len(e.b) - 1), U),
        elf_case("elf-trunc-one-short-lib", LIB, trunc_at(lambda e: len(e.b) - 1), U),
        elf_case("elf-trunc-one-short-elf32", I386, trunc_at(lambda e: len(e.b) - 1), U),
        elf_case("elf-shoff-past-end", F, p_eh("e_shoff", lambda e: len(e.b) + 4096), U),
        elf_case("elf-shoff-wraps", F, p_eh("e_shoff", 0xFFFFFFFFFFFFFFC0), U),
        elf_case("elf-phoff-past-end", F, p_eh("e_phoff", lambda e: len(e.b) + 4096), U),
        elf_case("elf-phoff-wraps", F, p_eh("e_phoff", 0xFFFFFFFFFFFFFFC8), U),
        elf_case("elf-shoff-past-end-elf32", I386, p_eh("e_shoff", 0xFFFFFF00), U),
        elf_case("elf-phnum-ffff", F, p_eh("e_phnum", 0xFFFF), U),
        elf_case("elf-shnum-ffff", F, p_eh("e_shnum", 0xFFFF), U),
        elf_case("elf-shnum-extended-huge", F, p_shnum_extended, U),
        elf_case("elf-shstrndx-bogus", F, p_eh("e_shstrndx", 0x7FFF), FU),
        elf_case("elf-shstrndx-xindex", F, p_shstrndx_xindex, FU),
        elf_case("elf-shentsize-one", F, p_eh("e_shentsize", 1), FU),
        elf_case("elf-phentsize-zero", F, p_eh("e_phentsize", 0), FU),
        elf_case("elf-class-bad", F, p_ident(4, 7), U),
        elf_case("elf-class-none", F, p_ident(4, 0), U),
        elf_case("elf-data-bad", F, p_ident(5, 9), U),
        elf_case("elf-class32-body64", F, p_ident(4, 1), ["elf-unreadable", "arch-mismatch"]),
        elf_case("elf-data-msb", F, p_ident(5, 2), ["elf-unreadable", "arch-mismatch"]),
        elf_case("elf-random-after-ident", F, p_random_after_ident, U),
        elf_case("elf-shdr-garbage", F, p_shdr_garbage(False), None),
        elf_case("elf-shdr-garbage-typed", F, p_shdr_garbage(True), U),
        elf_case("elf-dynamic-no-null", F, p_dyn_no_null, FU),
        elf_case("elf-dynamic-all-needed", F, p_dyn_all_needed, FU),
        elf_case("elf-dynamic-size-huge", F, p_sh(SHT_DYNAMIC, "sh_size", 1 << 62), U),
        elf_case("elf-dynamic-entsize-zero", F, p_sh(SHT_DYNAMIC, "sh_entsize", 0), U),
        elf_case("elf-needed-strtab-huge", F, p_needed_huge, U),
        elf_case("elf-needed-strtab-end", F, p_needed_past_strtab, U),
        elf_case("elf-dynstr-unterminated", F, p_dynstr_unterminated, U),
        elf_case("elf-verneed-loop", F, p_verneed_loop, U),
        elf_case("elf-verneed-aux-loop", F, p_verneed_aux_loop, U),
        elf_case("elf-verneed-cnt-huge", F, p_verneed_cnt_huge, U),
        elf_case("elf-verneed-aux-huge", F, p_verneed_aux_huge, U),
        elf_case("elf-verneed-next-huge", F, p_verneed_next_huge, U),
        elf_case("elf-verneed-info-huge", F, p_sh(SHT_GNU_VERNEED, "sh_info", 0xFFFFFFFF), FU),
        elf_case("elf-verdef-loop", F, p_verdef_loop, U),
        elf_case("elf-shlink-dynamic-missing", F, p_shlink(SHT_DYNAMIC, 200), U),
        elf_case("elf-shlink-verneed-missing", F, p_shlink(SHT_GNU_VERNEED, 0xFFFF), U),
        elf_case("elf-shlink-dynsym-missing", F, p_shlink(SHT_DYNSYM, 0xFFFFFFFF),
                 ["elf-unreadable", "module-init-missing", "glibc-too-new"]),
        elf_case("elf-dynsym-entsize-zero", F, p_sh(SHT_DYNSYM, "sh_entsize", 0), U),
        elf_case("elf-dynsym-size-huge", F, p_sh(SHT_DYNSYM, "sh_size", 1 << 40), U),
        elf_case("elf-versym-short", F, p_sh(SHT_GNU_VERSYM, "sh_size", 2), FU),
        elf_case("elf-interp-out-of-bounds", F, p_interp_oob, U),
        elf_case("elf-interp-unterminated", F, p_interp_unterminated, FU),
        elf_case("elf-load-past-end", F, p_load_past_end, U),
        Case("notelf-text", zip_of(lambda c: [Member("pkg/text.cpython-311-x86_64-linux-gnu.so",
                                                     b"this is not a shared object\n")]),
             [E("pkg/text.cpython-311-x86_64-linux-gnu.so", "not-elf")]),
        Case("notelf-empty", zip_of(lambda c: [Member("pkg/empty.cpython-311-x86_64-linux-gnu.so",
                                                      b"", method=0)]),
             [E("pkg/empty.cpython-311-x86_64-linux-gnu.so", "not-elf")]),
        Case("notelf-macho", zip_of(lambda c: [Member("pkg/mac.cpython-311-x86_64-linux-gnu.so",
                                                      c.obj("ext-mac-macho.so"))]),
             [E("pkg/mac.cpython-311-x86_64-linux-gnu.so", "not-elf")]),
        Case("notelf-pe", zip_of(lambda c: [Member("pkg/win.cpython-311-x86_64-linux-gnu.so",
                                                   c.obj("ext-win-pe.so"))]),
             [E("pkg/win.cpython-311-x86_64-linux-gnu.so", "not-elf")]),
        Case("notelf-random", zip_of(lambda c: [Member(
            "pkg/rnd.cpython-311-x86_64-linux-gnu.so",
            b"\x01" + bytes(random.Random(7).getrandbits(8) for _ in range(3000)))]),
             [E("pkg/rnd.cpython-311-x86_64-linux-gnu.so", "not-elf")]),
    ]
    return cs


# ---- zips


def trunc_elf(ctx):
    return ctx.obj("ext-fcntl64-x86_64.so")[:-1]


def fcntl(ctx, **kw):
    return Member(FCNTL_PATH, ctx.obj("ext-fcntl64-x86_64.so"), **kw)


def patched_zip(members_fn, patch, name="bundle.zip"):
    """A builder: build_zip(good + members), then patch(bytearray, info) in place."""
    def build(ctx, d):
        data, info = build_zip([ctx.good()] + list(members_fn(ctx)))
        b = bytearray(data)
        out = patch(b, info)
        p = os.path.join(d, name)
        write(p, bytes(out if out is not None else b))
        return p
    return build


def eocd_patch(**fields):
    offs = {"n_disk": (8, "H"), "n_total": (10, "H"), "cd_size": (12, "I"), "cd_off": (16, "I")}

    def patch(b, info):
        for k, v in fields.items():
            off, fmt = offs[k]
            struct.pack_into("<" + fmt, b, info["eocd"] + off,
                             v(b, info) if callable(v) else v)
    return patch


def bomb_chunks(mib, head=b""):
    """A raw deflate stream of `head` then `mib` MiB of zeros, as a list of (bytes, repeat)
    pieces, streamed with zlib.compressobj: `head` compressed and ended with Z_FULL_FLUSH, then
    one 1 MiB chunk of zeros compressed by a fresh compressor and ended with Z_FULL_FLUSH. A
    full flush byte-aligns the output and resets the compressor (nothing after it refers back),
    so every further chunk compresses to the same bytes (checked: else every chunk is
    compressed), then the final empty block. ~1 KiB per MiB; nothing large is in memory."""
    pieces = []
    if head:
        h = zlib.compressobj(9, zlib.DEFLATED, -15)
        pieces.append((h.compress(head) + h.flush(zlib.Z_FULL_FLUSH), 1))
    zero = bytes(1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    a = c.compress(zero) + c.flush(zlib.Z_FULL_FLUSH)
    b = c.compress(zero) + c.flush(zlib.Z_FULL_FLUSH)
    if a != b:  # zlib behaved differently: compress it all (slower, same stream)
        pieces += [(a, 1), (b, 1)]
        for _ in range(mib - 2):
            pieces.append((c.compress(zero) + c.flush(zlib.Z_FULL_FLUSH), 1))
        return pieces + [(c.flush(), 1)]
    return pieces + [(a, mib), (c.flush(), 1)]


def crc_of_zeros(mib, crc=0):
    zero = bytes(1 << 20)
    for _ in range(mib):
        crc = zlib.crc32(zero, crc)
    return crc


def write_bomb_zip(path, lead, name, mib, declared=None, local_declared=None, content=None,
                   head=b""):
    """A zip streamed to `path`: the members of `lead` (built in memory), then `name`, whose
    deflate stream inflates to `head` and `mib` MiB of zeros (or to `content`), declaring
    `declared` bytes uncompressed (default: the truth) in the central header and
    `local_declared` in the local header."""
    lead_zip, info = build_zip(lead)
    # build_zip's local records and central entries for the lead members, without its end.
    lead_local, lead_cd = lead_zip[:info["cd"]], lead_zip[info["cd"]:info["eocd"]]
    if content is not None:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        pieces = [(c.compress(content) + c.flush(), 1)]
        crc, usize = zlib.crc32(content), len(content)
    else:
        pieces = bomb_chunks(mib, head)
        crc, usize = crc_of_zeros(mib, zlib.crc32(head)), len(head) + (mib << 20)
    csize = sum(len(p) * n for p, n in pieces)
    cdecl = usize if declared is None else declared
    ldecl = cdecl if local_declared is None else local_declared
    mtime, mdate = dos_time()
    nameb = name.encode()
    with open(path, "wb") as f:
        f.write(lead_local)
        lho = f.tell()
        f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, mtime, mdate, crc, csize,
                            ldecl & 0xFFFFFFFF, len(nameb), 0) + nameb)
        for piece, n in pieces:
            for _ in range(n):
                f.write(piece)
        cd = f.tell()
        f.write(lead_cd)
        f.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 20, 0, 8, mtime, mdate,
                            crc, csize, cdecl & 0xFFFFFFFF, len(nameb), 0, 0, 0, 0,
                            0o100644 << 16, lho) + nameb)
        cd_size = f.tell() - cd
        n = len(lead) + 1
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, cd_size, cd, 0))


def bomb_case(name, member, mib=None, declared=None, local_declared=None, content=None,
              elf_head=False, expect_slugs=("member-unreadable",)):
    """elf_head: the member starts with a whole ELF object (ext-fcntl64), so that a reader that
    reads ELF members in full has to inflate all of it."""
    def build(ctx, d):
        p = os.path.join(d, "bundle.zip")
        head = ctx.obj("ext-fcntl64-x86_64.so") if elf_head else b""
        write_bomb_zip(p, [ctx.good()], member, mib, declared, local_declared, content, head)
        return p
    return Case(name, build, [E(member, *expect_slugs)], heavy=True, mem_mb=MEM_LIMIT_MB)


# zipfile's limits are module globals: a case that patches them must not overlap another
# case's zipfile writes on the other thread (which then fail with "File size unexpectedly
# exceeded ZIP64 limit").
ZIPFILE_LIMITS = threading.Lock()


def zipfile_build(entries, name="bundle.zip", patch_limits=False):
    """A builder using Python's zipfile: entries(ctx) -> [(arcname, data, compress_type,
    force_zip64)]."""
    def build(ctx, d):
        with ZIPFILE_LIMITS:
            return locked_build(ctx, d)

    def locked_build(ctx, d):
        p = os.path.join(d, name)
        saved = (zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT)
        if patch_limits:  # every size and offset "needs" zip64: zip64 extras + zip64 EOCD
            zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = 0, 0
        try:
            with zipfile.ZipFile(p, "w", allowZip64=True) as zf:
                for arc, data, ctype, z64 in entries(ctx):
                    zi = zipfile.ZipInfo(arc, date_time=(2024, 1, 1, 12, 0, 0))
                    zi.compress_type = ctype
                    zi.external_attr = 0o100644 << 16
                    with zf.open(zi, "w", force_zip64=z64) as w:
                        w.write(data)
        finally:
            zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = saved
        return p
    return build


def method_case(name, ctype, key):
    """bzip2 / lzma members: decoded (and reported on content) when libzip can, else
    member-unreadable. The stored good member beside them is reported either way."""
    OLDC = "pkg/oldc.cpython-36m-x86_64-linux-gnu.so"

    def entries(ctx):
        return [(GOOD_PATH, ctx.obj("ext-old-x86_64.so"), zipfile.ZIP_STORED, False),
                (OLDC, ctx.obj("ext-old-x86_64.so"), ctype, False),
                (FCNTL_PATH, ctx.obj("ext-fcntl64-x86_64.so"), ctype, False)]

    def check(ctx, report):
        sup = ctx.methods.get(key)
        fs = report["findings"]
        errs = []
        if sup is None:
            want_old, want_f = ["python-tag-mismatch", "member-unreadable"], \
                ["glibc-too-new", "member-unreadable"]
        elif sup:
            want_old, want_f = ["python-tag-mismatch"], ["glibc-too-new"]
            for f in fs:
                if f["path"] in (OLDC, FCNTL_PATH) and f["slug"] == "member-unreadable":
                    errs.append("libzip decodes %s, yet %s is member-unreadable: %s"
                                % (key, f["path"], f["message"]))
        else:
            want_old, want_f = ["member-unreadable"], ["member-unreadable"]
        for e in (E(OLDC, *want_old), E(FCNTL_PATH, *want_f)):
            msg = e.check(fs)
            if msg:
                errs.append("%s (libzip %s %s)" % (msg, "decodes" if sup else "lacks", key))
        return errs

    return Case(name, zipfile_build(entries), check=check)


def ansi_names():
    return [b"pkg/\x1b[31mred\x1b[0m\x1b]0;pwned\x07.cpython-311-x86_64-linux-gnu.so",
            b"pkg/clear\x1b[2J\x1b[H.so", b"pkg/csi\x9b31m.so"]


def control_names():
    names = [b"pkg/c%02x_\x78%c_.so" % (c, c) for c in list(range(1, 32)) + [0x7F]]
    return names


def zip_cases():
    cs = []

    # -- the bundle itself unreadable
    def half(ctx, d):
        data, _ = build_zip([ctx.good(), fcntl(ctx)])
        p = os.path.join(d, "bundle.zip")
        write(p, data[:len(data) // 2])
        return p

    def local_only(ctx, d):
        data, info = build_zip([ctx.good()])
        p = os.path.join(d, "bundle.zip")
        write(p, data[:info["data"][0]])
        return p

    def empty(ctx, d):
        p = os.path.join(d, "bundle.zip")
        write(p, b"")
        return p

    def junk(ctx, d):
        p = os.path.join(d, "bundle.zip")
        rng = random.Random(99)
        write(p, b"J" + bytes(rng.getrandbits(8) for _ in range(8191)))
        return p

    def junk_pk(ctx, d):
        p = os.path.join(d, "bundle.bin")   # a zip by content only
        rng = random.Random(98)
        write(p, b"PK\x03\x04" + bytes(rng.getrandbits(8) for _ in range(8188)))
        return p

    def text_whl(ctx, d):
        p = os.path.join(d, "bundle-1.0-py3-none-any.whl")
        write(p, b"this is a text file, not a wheel\n" * 20)
        return p

    def eocd_only(ctx, d):
        p = os.path.join(d, "bundle.zip")
        write(p, struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0, 0, 0, 0, 0))
        return p

    def files_zero(ctx, report):
        n = report["inputs"][0]["files"]
        return [] if n == 0 else ["an empty zip reports %d files" % n]

    cs += [
        Case("zip-truncated-half", half, exit2=True, good=False),
        Case("zip-local-header-only", local_only, exit2=True, good=False),
        Case("zip-empty-file", empty, exit2=True, good=False),
        Case("zip-junk", junk, exit2=True, good=False),
        Case("zip-junk-pk-magic", junk_pk, exit2=True, good=False),
        Case("zip-text-named-whl", text_whl, exit2=True, good=False),
        Case("zip-eocd-only", eocd_only, good=False, check=files_zero),
    ]

    # -- central directory / end record that lie: unreadable (2) or read in full
    three = lambda c: [fcntl(c), Member("pkg/zz_old.cpython-36m-x86_64-linux-gnu.so",  # noqa
                                        c.obj("ext-old-x86_64.so"))]
    cs += [
        Case("zip-cd-offset-past-end", patched_zip(three, eocd_patch(
            cd_off=lambda b, i: len(b) + 1000)), maybe_exit2=True),
        Case("zip-cd-offset-middle", patched_zip(three, eocd_patch(
            cd_off=lambda b, i: i["data"][1] + 100)), maybe_exit2=True),
        Case("zip-count-lies-65535", patched_zip(three, eocd_patch(n_disk=0xFFFF,
                                                                  n_total=0xFFFF)),
             maybe_exit2=True),
        Case("zip-count-lies-small", patched_zip(three, eocd_patch(n_disk=1, n_total=1)),
             maybe_exit2=True,
             expect=[E("pkg/zz_old.cpython-36m-x86_64-linux-gnu.so", "python-tag-mismatch")]),
        Case("zip-cd-size-lies", patched_zip(three, eocd_patch(cd_size=0x00FFFFFF)),
             maybe_exit2=True),
    ]

    def sfx(adjust):
        def build(ctx, d):
            data, _ = build_zip([ctx.good(), fcntl(ctx)], prefix=b"#!/bin/sh\nexit 0\n" +
                                bytes(4079), offsets_from_zip_start=not adjust)
            p = os.path.join(d, "bundle.zip")
            write(p, data)
            return p
        return build

    def fake_eocd_comment(ctx, d):
        rng = random.Random(5)
        chunk = bytearray()
        while len(chunk) < 65535 - 22:
            chunk += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 7, 7, rng.getrandbits(32),
                                 rng.getrandbits(32), rng.getrandbits(16))
            chunk += bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 40)))
        data, _ = build_zip([ctx.good(), fcntl(ctx)], comment=bytes(chunk[:65535]))
        p = os.path.join(d, "bundle.zip")
        write(p, data)
        return p

    cs += [
        Case("zip-sfx-prefix-unadjusted", sfx(False), maybe_exit2=True),
        Case("zip-sfx-prefix-adjusted", sfx(True), [E(FCNTL_PATH, "glibc-too-new")]),
        Case("zip-comment-fake-eocds", fake_eocd_comment, maybe_exit2=True),
    ]

    # -- one broken member
    def crc_both(b, info):
        for at in (info["lho"][1] + 14, info["cd_entries"][1] + 16):
            struct.pack_into("<I", b, at, struct.unpack_from("<I", b, at)[0] ^ 0xDEADBEEF)

    def corrupt_data(b, info):
        at = info["data"][1] + 200
        for i in range(64):
            b[at + i] ^= 0x5A

    def bad_local_sig(b, info):
        b[info["lho"][1]:info["lho"][1] + 4] = b"XXXX"

    def lho_past_end(b, info):
        struct.pack_into("<I", b, info["cd_entries"][1] + 42, len(b) + 100)

    def local_extra_huge(b, info):
        struct.pack_into("<H", b, info["lho"][1] + 28, 0xFFFF)

    cs += [
        Case("zip-bad-crc", patched_zip(lambda c: [fcntl(c)], crc_both),
             [E(FCNTL_PATH, "member-unreadable")]),
        Case("zip-corrupt-deflate", patched_zip(lambda c: [fcntl(c)], corrupt_data),
             [E(FCNTL_PATH, "member-unreadable")]),
        # libzip reads a member through the central directory and does not insist on the
        # local header's signature (unzip and Python's zipfile do): either the member is
        # refused, or it is read and reported for what it is. Decided, not a weakening: abiscan
        # reads zips only through libzip (CONTRIBUTING.md#house-rules, zip), and Lambda's own unpacker is unknown.
        Case("zip-bad-local-signature", patched_zip(lambda c: [fcntl(c)], bad_local_sig),
             [E(FCNTL_PATH, "member-unreadable", "glibc-too-new")]),
        Case("zip-local-offset-past-end", patched_zip(lambda c: [fcntl(c)], lho_past_end),
             [E(FCNTL_PATH, "member-unreadable")]),
        Case("zip-local-extra-len-huge", patched_zip(lambda c: [fcntl(c)], local_extra_huge),
             [E(FCNTL_PATH, "member-unreadable")]),
        Case("zip-central-extra-garbage", zip_of(lambda c: [fcntl(
            c, central_extra=struct.pack("<HH", 0x0001, 2) + b"\xff\xff")]),
            maybe_exit2=True, expect=[E(FCNTL_PATH, "member-unreadable", "glibc-too-new")]),
        Case("zip-encrypted-flag", zip_of(lambda c: [fcntl(c, method=0, flags=1)]),
             [E(FCNTL_PATH, "member-unreadable")]),
        Case("zip-unsupported-method", zip_of(lambda c: [fcntl(
            c, method=97, raw=c.obj("ext-fcntl64-x86_64.so"))]),
            [E(FCNTL_PATH, "member-unreadable")]),
        Case("zip-stored", zip_of(lambda c: [
            Member(FCNTL_PATH, trunc_elf(c), method=0),
            Member("pkg/txt.cpython-311-x86_64-linux-gnu.so", b"text\n", method=0),
            Member("pkg/fine.cpython-311-x86_64-linux-gnu.so",
                   c.obj("ext-fcntl64-x86_64.so"), method=0)]),
            [E(FCNTL_PATH, "elf-unreadable"),
             E("pkg/txt.cpython-311-x86_64-linux-gnu.so", "not-elf"),
             E("pkg/fine.cpython-311-x86_64-linux-gnu.so", "glibc-too-new")]),
        Case("zip-data-descriptor", zip_of(lambda c: [fcntl(c, descriptor=True)]),
             [E(FCNTL_PATH, "glibc-too-new")]),
        Case("zip-over-size-limit", zip_of(lambda c: [fcntl(c)]),
             [E(FCNTL_PATH, "member-unreadable")],
             args=["--max-member-size", str(13472)]),
        Case("zip-unix-fifo-mode-member", zip_of(lambda c: [fcntl(
            c, ext_attr=(stat.S_IFIFO | 0o644) << 16)]),
            [E(FCNTL_PATH, "member-unreadable", "glibc-too-new")]),
    ]

    # -- zip64
    def z64_entries(ctx):
        return [(GOOD_PATH, ctx.obj("ext-old-x86_64.so"), zipfile.ZIP_DEFLATED, True),
                (FCNTL_PATH, trunc_elf(ctx), zipfile.ZIP_DEFLATED, True),
                ("pkg/fine.cpython-311-x86_64-linux-gnu.so", ctx.obj("ext-fcntl64-x86_64.so"),
                 zipfile.ZIP_STORED, True)]
    z64_expect = [E(FCNTL_PATH, "elf-unreadable"),
                  E("pkg/fine.cpython-311-x86_64-linux-gnu.so", "glibc-too-new")]
    cs += [
        Case("zip64-force-members", zipfile_build(z64_entries), z64_expect),
        Case("zip64-end-records", zipfile_build(z64_entries, patch_limits=True), z64_expect),
    ]

    # -- names
    def dup(ctx):
        return [ctx.good(),
                Member("pkg/x.cpython-311-x86_64-linux-gnu.so", b"text, not ELF\n"),
                Member("pkg/x.cpython-311-x86_64-linux-gnu.so", trunc_elf(ctx))]

    escape_pred = lambda p: p.endswith("escape.so")  # noqa: E731
    cs += [
        Case("zip-duplicate-names", zip_of(dup),
             [E("pkg/x.cpython-311-x86_64-linux-gnu.so", "not-elf", "elf-unreadable")]),
        Case("zip-dotdot-names", zip_of(lambda c: [
            Member("../escape.so", c.obj("ext-fcntl64-x86_64.so")),
            Member("pkg/../../twice-escape.so", c.obj("ext-fcntl64-x86_64.so"))]),
            [EP("../escape.so", escape_pred, "member-unreadable"),
             EP("pkg/../../twice-escape.so", lambda p: p.endswith("twice-escape.so"),
                "member-unreadable")]),
        Case("zip-absolute-name", zip_of(lambda c: [
            Member("/abs.so", c.obj("ext-fcntl64-x86_64.so")),
            Member("//etc/abs2.so", c.obj("ext-fcntl64-x86_64.so"))]),
            [EP("/abs.so", lambda p: p.endswith("abs.so") and "abs2" not in p,
                "member-unreadable"),
             EP("//etc/abs2.so", lambda p: p.endswith("abs2.so"), "member-unreadable")]),
    ]

    long_name = "pkg/" + ("y" * 99 + "/") * 50 + "long.cpython-36m-x86_64-linux-gnu.so"
    comp255 = "pkg/" + "m" * (255 - len(".cpython-36m-x86_64-linux-gnu.so")) + \
        ".cpython-36m-x86_64-linux-gnu.so"
    comp300 = "pkg/" + "n" * (300 - len(".cpython-36m-x86_64-linux-gnu.so")) + \
        ".cpython-36m-x86_64-linux-gnu.so"
    assert len(long_name) >= 5000 and len(comp255.split("/")[1]) == 255
    cs += [
        Case("zip-name-5000-chars", zip_of(lambda c: [Member(long_name,
                                                             c.obj("ext-old-x86_64.so"))]),
             [E(long_name, "python-tag-mismatch", "member-unreadable")]),
        Case("zip-name-component-255", zip_of(lambda c: [Member(comp255,
                                                                c.obj("ext-old-x86_64.so"))]),
             [E(comp255, "python-tag-mismatch")]),
        Case("zip-name-component-300", zip_of(lambda c: [Member(comp300,
                                                                c.obj("ext-old-x86_64.so"))]),
             [E(comp300, "python-tag-mismatch", "member-unreadable")]),
    ]

    bad_utf8 = b"pkg/bad\xff\xfe.cpython-36m-x86_64-linux-gnu.so"
    bad_pred = lambda p: p.startswith("pkg/bad") and p.endswith("-linux-gnu.so")  # noqa
    cs += [
        Case("zip-name-non-utf8", zip_of(lambda c: [Member(bad_utf8,
                                                           c.obj("ext-old-x86_64.so"))]),
             [EP("pkg/bad\\xff\\xfe.cpython-36m-...so", bad_pred,
                 "python-tag-mismatch", "member-unreadable")]),
        # A name flagged UTF-8 that is not: libzip refuses the whole archive at open ("Zip
        # archive inconsistent"). abiscan reads zips only through libzip, so the bundle is
        # unreadable: exit 2 with one line, decided and documented (no hand-written zip parser).
        Case("zip-name-utf8-flag-invalid", zip_of(lambda c: [
            Member(bad_utf8, c.obj("ext-old-x86_64.so"), flags=0x800)]),
            exit2=True, good=False),
    ]
    # The UTF-8 flag set on other malformed sequences: an overlong '/' (C0 AF, which a lax
    # decoder turns into a path separator), a cut sequence, an encoded surrogate.
    for tag, raw in (("overlong-slash", b"pkg/overlong\xc0\xaf..\xc0\xafx.so"),
                     ("truncated-sequence", b"pkg/cut\xe2\x82.so"),
                     ("surrogate", b"pkg/surrogate\xed\xa0\x80.so")):
        stem = raw[4:7].decode()
        # libzip refuses the archive when its own UTF-8 check fails (the cut sequence); the
        # overlong and surrogate forms pass it and must then be escaped by abiscan.
        refused = tag == "truncated-sequence"
        cs.append(Case("zip-name-utf8-flag-" + tag, zip_of(
            lambda c, raw=raw: [Member(raw, trunc_elf(c), flags=0x800)]),
            [] if refused else [EP(raw.decode("latin-1"),
                                   lambda p, s=stem: p.startswith("pkg/" + s),
                                   "elf-unreadable", "member-unreadable")],
            exit2=refused, good=not refused))

    def ansi(ctx):
        return [Member(n, trunc_elf(ctx)) for n in ansi_names()]

    def controls(ctx):
        return [Member(n, trunc_elf(ctx)) for n in control_names()] + \
            [Member(b"pkg/nul\x00hidden.so", trunc_elf(ctx)),
             Member(b"pkg/line\nbreak\r\n.so", trunc_elf(ctx))]

    def count_unreadable(n, marker):
        def check(ctx, report):
            k = sum(1 for f in report["findings"]
                    if f["slug"] == "elf-unreadable" and marker in f["path"])
            return [] if k >= n else ["%d elf-unreadable findings for the %d %s* members"
                                      % (k, n, marker)]
        return check

    cs += [
        Case("zip-name-ansi-escapes", zip_of(ansi),
             [EP("pkg/ESC[31mred...", lambda p: "red" in p and "pwned" in p, "elf-unreadable"),
              EP("pkg/clearESC[2J...", lambda p: "clear" in p, "elf-unreadable"),
              EP("pkg/csi\\x9b31m.so", lambda p: "csi" in p, "elf-unreadable")]),
        Case("zip-name-control-chars", zip_of(controls),
             check=count_unreadable(len(control_names()), "pkg/c")),
    ]

    # -- weird and empty names: the report must still validate (path: minLength 1, no ./ or /)
    def weird(ctx):
        t = trunc_elf(ctx)
        return [Member(n, t) for n in (b"", b".", b"..", b"./", b"//", b"a//b.so",
                                       b"./pkg/./c.so", b"pkg/")] + \
            [Member(b"pkg/dir-with-data/", b"data in a directory entry")]
    cs += [Case("zip-weird-names", zip_of(weird))]

    # -- symlinks stored in the zip: never followed on disk
    def links(ctx):
        L = (stat.S_IFLNK | 0o777) << 16
        return [Member("pkg/evil.cpython-311-x86_64-linux-gnu.so", b"/etc/passwd", ext_attr=L),
                Member("pkg/up.so", b"../../../../../../etc/shadow", ext_attr=L),
                Member("pkg/loop_a.so", b"loop_b.so", ext_attr=L),
                Member("pkg/loop_b.so", b"loop_a.so", ext_attr=L),
                Member("pkg/self.so", b"self.so", ext_attr=L),
                Member("pkg/dangling.so", b"nowhere.so", ext_attr=L),
                Member("pkg/long.so", b"x/" * 40000, ext_attr=L),
                Member("pkg/empty.so", b"", ext_attr=L, method=0)]

    def no_host_content(ctx, report):
        for f in report["findings"]:
            for k in ("found", "message", "expected"):
                if isinstance(f.get(k), str) and "root:" in f[k]:
                    return ["a finding quotes host file content: %r" % f[k][:80]]
        return []
    cs += [Case("zip-symlink-members", zip_of(links), check=no_host_content)]

    # -- compression methods, encryption
    cs += [
        method_case("zip-bzip2-members", zipfile.ZIP_BZIP2, "bzip2"),
        method_case("zip-lzma-members", zipfile.ZIP_LZMA, "lzma"),
    ]

    def nested(ctx):
        inner, _ = build_zip([Member("pkg/inner.cpython-36m-x86_64-linux-gnu.so",
                                     ctx.obj("ext-old-x86_64.so"))])
        return [Member("pkg/inner.zip", inner), Member("pkg/inner.whl", inner),
                Member("pkg/inner.so", inner)]
    cs += [Case("zip-nested-zips", zip_of(nested),
                [E("pkg/inner.so", "not-elf")])]

    # -- size: bombs and lies
    cs += [
        bomb_case("zip-bomb-1gib", "bomb.so", mib=1024),
        bomb_case("zip-bomb-1gib-elf-head", "bomb.so", mib=1024, elf_head=True),
        bomb_case("zip-bomb-ratio-200mib-elf-head", "bomb.so", mib=200, elf_head=True),
        bomb_case("zip-size-lies-small", "liar.so", mib=64, declared=4096, elf_head=True),
        bomb_case("zip-size-lies-big", "liar.so", content=b"\x7fELF" + bytes(96),
                  declared=100 << 20),
    ]

    def local_lies(ctx, d):
        p = os.path.join(d, "bundle.zip")
        write_bomb_zip(p, [ctx.good()], FCNTL_PATH, None, local_declared=100,
                       content=ctx.obj("ext-fcntl64-x86_64.so"))
        return p
    cs += [Case("zip-local-size-lies", local_lies,
                [E(FCNTL_PATH, "glibc-too-new", "member-unreadable")], mem_mb=MEM_LIMIT_MB)]

    # -- 100,000 entries
    def many(ctx, d, zip64=True):
        """Streamed to the file (the harness stays small: its peak RSS is the floor of what
        wait4 reports for its children). 100,000 entries need the zip64 end records (as
        Python's zipfile writes them); without them (zip64=False) the 16-bit count wraps."""
        p = os.path.join(d, "bundle.zip")
        lead, info = build_zip([ctx.good()])
        tail, tinfo = build_zip([Member("zlast/" + FCNTL_PATH, trunc_elf(ctx))])
        mtime, mdate = dos_time()
        central = [lead[info["cd"]:info["eocd"]]]
        with open(p, "wb") as f:
            f.write(lead[:info["cd"]])
            for i in range(100000 - 2):
                name, data = b"data/f%06d.bin" % i, b"%c" % (65 + i % 26)
                crc, lho = zlib.crc32(data), f.tell()
                f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, mtime, mdate, crc,
                                    1, 1, len(name), 0) + name + data)
                central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 20, 0, 0,
                                           mtime, mdate, crc, 1, 1, len(name), 0, 0, 0, 0,
                                           0o100644 << 16, lho) + name)
            last = f.tell()
            f.write(tail[:tinfo["cd"]])
            # the last member's central entry, its local header offset moved to where it is
            cd_last = bytearray(tail[tinfo["cd"]:tinfo["eocd"]])
            struct.pack_into("<I", cd_last, 42, last)
            central.append(bytes(cd_last))
            cd = f.tell()
            for c in central:
                f.write(c)
            cd_size = f.tell() - cd
            n = 100000
            if zip64:
                z64 = f.tell()
                f.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 0x032D, 45, 0, 0, n, n,
                                    cd_size, cd))
                f.write(struct.pack("<IIQI", 0x07064B50, 0, z64, 1))
                f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, cd_size, cd,
                                    0))
            else:
                f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n & 0xFFFF, n & 0xFFFF,
                                    cd_size, cd, 0))
        return p

    def many_check(ctx, report):
        n = report["inputs"][0]["files"]
        return [] if n >= 100000 - 1 else ["only %d files counted of 100000 entries" % n]
    cs += [Case("zip-100000-entries", many, [E("zlast/" + FCNTL_PATH, "elf-unreadable")],
                heavy=True, check=many_check),
           Case("zip-100000-entries-count-wrapped", lambda c, d: many(c, d, zip64=False),
                [E("zlast/" + FCNTL_PATH, "elf-unreadable")], heavy=True, check=many_check,
                maybe_exit2=True)]
    return cs


# ---- directories


def tree_builder(fill, sibling=None):
    """A builder: a directory bundle d/tree holding the good member, filled by
    fill(ctx, tree_path); sibling(ctx, d) may add files next to it (before the snapshot)."""
    def build(ctx, d):
        root = os.path.join(d, "tree")
        os.makedirs(os.path.join(root, "pkg"))
        write(os.path.join(root, GOOD_PATH), ctx.obj("ext-old-x86_64.so"))
        if sibling:
            sibling(ctx, d)
        fill(ctx, root)
        return root
    return build


def make_socket_in(root, rel):
    """A Unix socket file at root/rel, bound through /proc/self/fd/N/ (sun_path holds only
    108 bytes; the work directory may be deeper than that)."""
    fd = os.open(os.path.join(root, os.path.dirname(rel)), os.O_RDONLY | os.O_DIRECTORY)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.bind("/proc/self/fd/%d/%s" % (fd, os.path.basename(rel)))
    finally:
        s.close()
        os.close(fd)


def mkdir_chain(root, names):
    """mkdir a chain of nested directories by dir_fd (no PATH_MAX limit); the fd of the last."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    for n in names:
        os.mkdir(n, dir_fd=fd)
        nfd = os.open(n, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = nfd
    return fd


def write_at(dirfd, name, data):
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644, dir_fd=dirfd)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def dir_cases():
    cs = []
    F = "pkg/fifo.cpython-311-x86_64-linux-gnu.so"

    cs.append(Case("dir-fifo", tree_builder(lambda c, r: os.mkfifo(os.path.join(r, F))),
                   [E(F, "member-unreadable")]))

    def loop(c, r):
        os.symlink("loop_b.so", os.path.join(r, "pkg/loop_a.so"))
        os.symlink("loop_a.so", os.path.join(r, "pkg/loop_b.so"))
        os.symlink("self.so", os.path.join(r, "pkg/self.so"))
    cs.append(Case("dir-symlink-loop", tree_builder(loop),
                   [E("pkg/loop_a.so", "member-unreadable"),
                    E("pkg/loop_b.so", "member-unreadable"),
                    E("pkg/self.so", "member-unreadable")]))

    cs.append(Case("dir-symlink-dangling", tree_builder(
        lambda c, r: os.symlink("missing.so", os.path.join(r, "pkg/dangling.so"))),
        [E("pkg/dangling.so", "member-unreadable")]))

    def outside(c, d):
        write(os.path.join(d, "outside.cpython-311-x86_64-linux-gnu.so"),
              c.obj("ext-fcntl64-x86_64.so"))

    def links_out(c, r):
        os.symlink("../../outside.cpython-311-x86_64-linux-gnu.so",
                   os.path.join(r, "pkg/rel.cpython-311-x86_64-linux-gnu.so"))
        os.symlink("/etc/passwd", os.path.join(r, "pkg/abs.so"))
        os.symlink(os.path.join(os.path.dirname(r), "outside.cpython-311-x86_64-linux-gnu.so"),
                   os.path.join(r, "pkg/absout.cpython-311-x86_64-linux-gnu.so"))
    cs.append(Case("dir-symlink-out-of-root", tree_builder(links_out, sibling=outside),
                   [E("pkg/rel.cpython-311-x86_64-linux-gnu.so", "member-unreadable"),
                    E("pkg/abs.so", "member-unreadable"),
                    E("pkg/absout.cpython-311-x86_64-linux-gnu.so", "member-unreadable")]))

    def dir_links(c, r):
        os.symlink("/etc", os.path.join(r, "pkg/etc"))
        os.symlink("..", os.path.join(r, "pkg/up"))
        os.symlink(".", os.path.join(r, "pkg/here"))

    def not_walked(c, report):
        bad = [f["path"] for f in report["findings"]
               if f["path"].startswith(("pkg/etc/", "pkg/up/", "pkg/here/"))]
        return ["followed a directory link: %s" % bad[:3]] if bad else []
    cs.append(Case("dir-symlink-directories", tree_builder(dir_links),
                   [E("pkg/etc", "member-unreadable")], check=not_walked))

    DEEP_FILE = "deep.cpython-36m-x86_64-linux-gnu.so"

    def deep(n, name_fn):
        def fill(c, r):
            fd = mkdir_chain(r, [name_fn(i) for i in range(n)])
            try:
                write_at(fd, DEEP_FILE, c.obj("ext-old-x86_64.so"))
            finally:
                os.close(fd)
        deep_path = "/".join([name_fn(i) for i in range(n)] + [DEEP_FILE])

        def check(c, report):
            for f in report["findings"]:
                p = f["path"]
                if p == deep_path or (f["slug"] == "member-unreadable" and
                                      deep_path.startswith(p + "/")):
                    return []
            notes = report["inputs"][0].get("notes", [])
            if any(w in n.lower() for n in notes for w in ("deep", "depth", "nest", "level")):
                return []
            return ["the deep member is neither reported nor said to be skipped (no finding on"
                    " it or an ancestor, no input note)"]
        return fill, check

    fill, check = deep(200, lambda i: "d")
    cs.append(Case("dir-nesting-200", tree_builder(fill), check=check))
    fill, check = deep(30, lambda i: "p%03d" % i + "q" * 196)  # 30 x 201 bytes > PATH_MAX
    cs.append(Case("dir-path-over-path-max", tree_builder(fill), check=check))

    def unreadable_file(c, r):
        p = os.path.join(r, FCNTL_PATH)
        write(p, c.obj("ext-fcntl64-x86_64.so"))
        os.chmod(p, 0)

    def unreadable_dir(c, r):
        os.mkdir(os.path.join(r, "sub"))
        write(os.path.join(r, "sub", "x.cpython-311-x86_64-linux-gnu.so"),
              c.obj("ext-fcntl64-x86_64.so"))
        os.chmod(os.path.join(r, "sub"), 0)

    def as_root_or(path, slugs_nonroot, slugs_root):
        def check(ctx, report):
            e = E(path, *(slugs_root if ctx.root else slugs_nonroot))
            msg = e.check(report["findings"])
            return [msg] if msg else []
        return check

    # As root, modes do not stop reads: the content must then be read (glibc-too-new).
    cs.append(Case("dir-unreadable-file", tree_builder(unreadable_file),
                   check=as_root_or(FCNTL_PATH, ["member-unreadable"], ["glibc-too-new"])))
    def unreadable_dir_check(ctx, report):
        e = E("sub/x.cpython-311-x86_64-linux-gnu.so", "glibc-too-new") if ctx.root \
            else E("sub", "member-unreadable")
        msg = e.check(report["findings"])
        return [msg] if msg else []
    cs.append(Case("dir-unreadable-directory", tree_builder(unreadable_dir),
                   check=unreadable_dir_check))

    S = "pkg/sock.cpython-311-x86_64-linux-gnu.so"
    cs.append(Case("dir-socket", tree_builder(lambda c, r: make_socket_in(r, S)),
                   [E(S, "member-unreadable")]))

    D = "pkg/dev.cpython-311-x86_64-linux-gnu.so"

    def device(c, r):
        os.mknod(os.path.join(r, D), stat.S_IFCHR | 0o644, os.makedev(1, 3))

    def can_mknod(ctx):
        if not ctx.root:
            return "not root: cannot mknod"
        probe = os.path.join(ctx.work, ".mknod-probe")
        try:
            os.mknod(probe, stat.S_IFCHR | 0o600, os.makedev(1, 3))
        except OSError as e:
            return "mknod refused: %s" % e
        os.unlink(probe)
        return None
    cs.append(Case("dir-device", tree_builder(device), [E(D, "member-unreadable")],
                   skip=can_mknod))

    bad = b"pkg/bad\xff\xfe.cpython-36m-x86_64-linux-gnu.so"

    def nonutf8(c, r):
        write(os.path.join(os.fsencode(r), bad), c.obj("ext-old-x86_64.so"))
    cs.append(Case("dir-name-non-utf8", tree_builder(nonutf8),
                   [EP("pkg/bad\\xff\\xfe...", lambda p: p.startswith("pkg/bad"),
                       "python-tag-mismatch", "member-unreadable")]))

    def ansi(c, r):
        for n in ansi_names():
            write(os.path.join(os.fsencode(r), n), trunc_elf(c))
        for n in control_names():
            if b"/" not in n[4:]:
                write(os.path.join(os.fsencode(r), n), trunc_elf(c))
    cs.append(Case("dir-name-ansi-and-controls", tree_builder(ansi),
                   [EP("pkg/ESC[31mred...", lambda p: "red" in p and "pwned" in p,
                       "elf-unreadable")]))

    def fifo_in_distinfo(c, r):
        os.makedirs(os.path.join(r, "evil-1.0.dist-info"))
        os.mkfifo(os.path.join(r, "evil-1.0.dist-info", "METADATA"))
        os.mkfifo(os.path.join(r, "evil-1.0.dist-info", "RECORD"))
        os.mkfifo(os.path.join(r, "pkg", "__init__.py"))
    cs.append(Case("dir-fifo-metadata", tree_builder(fifo_in_distinfo)))
    return cs


# ---- the argument itself


def arg_cases():
    cs = []

    def missing(c, d):
        return os.path.join(d, "no-such-bundle.zip")

    def fifo(c, d):
        p = os.path.join(d, "bundle.zip")
        os.mkfifo(p)
        return p

    def loop(c, d):
        p = os.path.join(d, "bundle.zip")
        os.symlink("bundle.zip", p)
        return p

    def dangling(c, d):
        p = os.path.join(d, "bundle.zip")
        os.symlink("gone.zip", p)
        return p

    def newline_name(c, d):
        return os.path.join(d, "missing\nsecond line.zip")

    def single_trunc(c, d):
        p = os.path.join(d, "fcntl.cpython-311-x86_64-linux-gnu.so")
        write(p, trunc_elf(c))
        return p

    def good_zip_as(name):
        def build(c, d):
            data, _ = build_zip([c.good(), fcntl(c)])
            p = os.path.join(os.fsencode(d), name)
            write(p, data)
            return p
        return build

    def elf_named_zip(c, d):
        p = os.path.join(d, "bundle.zip")
        write(p, c.obj("ext-old-x86_64.so"))
        return p

    def unreadable_zip(c, d):
        p = os.path.join(d, "bundle.zip")
        data, _ = build_zip([c.good()])
        write(p, data)
        os.chmod(p, 0)
        return p

    def plain(name, data):
        """An input that is no bundle: exit 2, saying what it looks like (issue: a gate never
        passes what it did not read)."""
        def build(c, d):
            p = os.path.join(d, name)
            write(p, data(c) if callable(data) else data)
            return p
        return build

    def plain_tar(c):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as t:
            for n, b in (("etc/os-release", b"ID=debian\n"), ("var/task/app.py", b"x = 1\n"),
                         (GOOD_PATH, c.obj("ext-old-x86_64.so"))):
                ti = tarfile.TarInfo(n)
                ti.size = len(b)
                t.addfile(ti, io.BytesIO(b))
        return buf.getvalue()

    cs += [
        Case("arg-empty-file", plain("function.zip", b""), exit2=True, good=False),
        Case("arg-empty-file-no-suffix", plain("function", b""), exit2=True, good=False),
        Case("arg-html-as-image", plain("image.tar", b"<!DOCTYPE html><html><body>403</body>"
                                                     b"</html>\n"), exit2=True, good=False),
        Case("arg-html-as-zip", plain("bundle.zip", b"<html>\x00\xff</html>"), exit2=True,
             good=False),
        Case("arg-plain-tar", plain("export.tar", plain_tar), exit2=True, good=False),
        Case("arg-random-bytes", plain("bundle.bin", bytes(range(256)) * 64), exit2=True,
             good=False),
        Case("arg-text-with-escapes", plain("notes.txt", b"\x1b[31mred\x1b[0m\n"),
             exit2=True, good=False),
        Case("arg-missing", missing, exit2=True, good=False),
        Case("arg-fifo", fifo, exit2=True, good=False),
        Case("arg-symlink-loop", loop, exit2=True, good=False),
        Case("arg-symlink-dangling", dangling, exit2=True, good=False),
        Case("arg-missing-newline-in-name", newline_name, exit2=True, good=False),
        Case("arg-single-truncated-elf", single_trunc,
             [E("fcntl.cpython-311-x86_64-linux-gnu.so", "elf-unreadable")], good=False),
        Case("arg-zip-named-so", good_zip_as(b"bundle.so"), [E(FCNTL_PATH, "glibc-too-new")]),
        Case("arg-zip-name-non-utf8", good_zip_as(b"bund\xff\xfele.zip"),
             [E(FCNTL_PATH, "glibc-too-new")]),
        Case("arg-zip-name-ansi", good_zip_as(b"bund\x1b[31mle\x1b[0m.zip"),
             [E(FCNTL_PATH, "glibc-too-new")]),
        Case("arg-elf-named-zip", elf_named_zip, good=False),
        # As root the mode does not stop the read: a full report; otherwise exit 2.
        Case("arg-unreadable-zip", unreadable_zip, maybe_exit2=True),
    ]
    return cs


def gate_matrix_cases():
    """Issue 10: names aimed at the workflow commands; hostile configuration files."""
    cs = [Case("zip-name-workflow-commands", zip_of(
        lambda c: [Member(n, trunc_elf(c)) for n in gate_cases.workflow_names()]),
        [EP("pkg/nl...", lambda p: "owned" in p, "elf-unreadable"),
         EP("pkg/pct%0A...", lambda p: "pwned%0D" in p, "elf-unreadable"),
         EP("pkg/colons...", lambda p: "colons" in p, "elf-unreadable")])]

    def with_config(text, bundle_members=lambda c: []):
        def build(ctx, d):
            write(os.path.join(d, "cfg.yaml"), text)
            return zip_of(bundle_members)(ctx, d)
        return build

    for name, text in sorted(gate_cases.config_texts().items()):
        cs.append(Case(name, with_config(text), exit2=True, good=False,
                       args=["--config", "@D@/cfg.yaml"], names="@D@/cfg.yaml"))
    cs.append(Case("config-glob-bomb", with_config(
        gate_cases.glob_bomb_config(),
        lambda c: [Member(gate_cases.long_path_name(), trunc_elf(c))]),
        [EP("pkg/a/a/...", lambda p: p.startswith("pkg/a/a/"), "elf-unreadable")],
        args=["--config", "@D@/cfg.yaml"]))
    return cs


def image_matrix_cases():
    """Issue 13: hostile container images (image_cases.py); their good-but-wrong member sits
    in /var/task."""
    cs = []
    for spec in image_cases.cases():
        expect = [EP(desc, pred, *slugs) for desc, pred, slugs in spec.get("expect", [])]
        if spec.get("good", True):
            expect.append(E(image_cases.GOOD, "python-tag-mismatch"))
        check = spec.get("check")
        cs.append(Case(spec["name"], spec["build"], expect, exit2=spec.get("exit2", False),
                       good=False, heavy=spec.get("heavy", False), mem_mb=spec.get("mem_mb"),
                       check=(lambda ctx, report, f=check: f(report)) if check else None))
    return cs


def all_cases():
    cs = (elf_cases() + zip_cases() + dir_cases() + arg_cases() + gate_matrix_cases() +
          image_matrix_cases())
    names = [c.name for c in cs]
    dups = {n for n in names if names.count(n) > 1}
    if dups:
        raise SystemExit("duplicate case names: %s" % ", ".join(sorted(dups)))
    return cs


# --------------------------------------------------------------------------------------------
# Running and checking


class Result:
    pass


TIME = "/usr/bin/time"  # GNU time (Debian package `time`)


def run_abiscan(ctx, argv, cwd, io_prefix, timeout, measure=False):
    """Run argv in cwd with stdout/stderr to files. measure: peak RSS of abiscan alone, by
    GNU time when installed (its child is forked from the small `time` process); else by
    wait4's ru_maxrss, which for a child of this (vforking) harness also counts the harness's
    own peak at spawn time: an upper bound, exact whenever it exceeds the harness's peak."""
    env = dict(os.environ)
    if ctx.asan:
        env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"),
                                                     "detect_leaks=1", "exitcode=86"]))
        env["UBSAN_OPTIONS"] = ":".join(filter(None, [env.get("UBSAN_OPTIONS"),
                                                      "print_stacktrace=1"]))
    out_path, err_path = io_prefix + ".stdout", io_prefix + ".stderr"
    r = Result()
    r.argv, r.cwd = argv, cwd
    time_path = io_prefix + ".time"
    use_time = measure and os.access(TIME, os.X_OK)
    spawn = [TIME, "-f", "%M", "-o", time_path] + argv if use_time else argv
    t0 = time.monotonic()
    with open(out_path, "wb") as fo, open(err_path, "wb") as fe:
        p = subprocess.Popen(spawn, cwd=cwd, stdin=subprocess.DEVNULL, stdout=fo, stderr=fe,
                             env=env, start_new_session=True)
        r.timed_out = False
        delay = 0.0005
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - t0 > timeout:
                r.timed_out = True
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                pid, status, ru = os.wait4(p.pid, 0)
                break
            time.sleep(delay)
            delay = min(delay * 2, 0.02)
        p.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from reaping again
    r.elapsed = time.monotonic() - t0
    r.signal = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    r.rc = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    r.maxrss_mb = ru.ru_maxrss / 1024.0
    r.rss_how = "wait4 (upper bound: the harness peaked at %.0f MB)" % (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)
    if use_time and not r.timed_out:
        try:
            with open(time_path) as f:
                lines = f.read().split("\n")
            lines = [x for x in lines if x.strip()]
            r.maxrss_mb, r.rss_how = int(lines[-1]) / 1024.0, "GNU time"
            for line in lines[:-1]:  # time exits 128+N for a signal: undo that
                if line.startswith("Command terminated by signal"):
                    r.signal, r.rc = int(line.split()[-1]), None
        except (OSError, ValueError, IndexError) as e:
            r.rss_how = "unknown (cannot read %s: %s)" % (time_path, e)
    with open(out_path, "rb") as f:
        r.stdout = f.read()
    with open(err_path, "rb") as f:
        r.stderr = f.read()
    return r


def snapshot(root):
    """{relative path: description} of everything under root, by dir_fd (no PATH_MAX limit,
    no link followed, no FIFO opened)."""
    out = {}

    def walk(dirfd, rel):
        for name in sorted(os.listdir(dirfd)):
            key = rel + "/" + name if rel else name
            st = os.stat(name, dir_fd=dirfd, follow_symlinks=False)
            mode = st.st_mode
            if stat.S_ISDIR(mode):
                out[key] = ("dir", oct(mode))
                try:
                    fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW,
                                 dir_fd=dirfd)
                except OSError:
                    continue
                try:
                    walk(fd, key)
                finally:
                    os.close(fd)
            elif stat.S_ISREG(mode):
                h = hashlib.sha256()
                try:
                    fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=dirfd)
                    with os.fdopen(fd, "rb") as f:
                        for chunk in iter(lambda: f.read(1 << 20), b""):
                            h.update(chunk)
                    digest = h.hexdigest()
                except OSError:
                    digest = "unreadable"
                out[key] = ("file", oct(mode), st.st_size, digest)
            elif stat.S_ISLNK(mode):
                out[key] = ("link", os.readlink(name, dir_fd=dirfd))
            else:
                out[key] = ("special", oct(mode))

    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        walk(fd, "")
    finally:
        os.close(fd)
    return out


def diff_snapshots(before, after):
    errs = []
    for k in sorted(set(before) | set(after)):
        if k not in after:
            errs.append("removed %r" % k)
        elif k not in before:
            errs.append("created %r" % k)
        elif before[k] != after[k]:
            errs.append("changed %r: %s -> %s" % (k, before[k][:3], after[k][:3]))
    return errs


def make_writable(path):
    """chmod u+rwx every directory (and u+r every file) below path, by dir_fd."""
    def walk(dirfd):
        for name in os.listdir(dirfd):
            st = os.stat(name, dir_fd=dirfd, follow_symlinks=False)
            if stat.S_ISDIR(st.st_mode):
                os.chmod(name, 0o700, dir_fd=dirfd)
                fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=dirfd)
                try:
                    walk(fd)
                finally:
                    os.close(fd)
            elif stat.S_ISREG(st.st_mode):
                os.chmod(name, 0o600, dir_fd=dirfd)
    if os.path.isdir(path) and not os.path.islink(path):
        os.chmod(path, 0o700)
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            walk(fd)
        finally:
            os.close(fd)


def strict_json(text):
    """json.loads, refusing duplicate keys, NaN/Infinity and lone surrogate escapes."""
    def pairs(kv):
        seen = {}
        for k, v in kv:
            if k in seen:
                raise ValueError("duplicate key %r" % k)
            seen[k] = v
        return seen

    def bad_constant(name):
        raise ValueError("non-JSON constant %s" % name)

    doc = json.loads(text, object_pairs_hook=pairs, parse_constant=bad_constant)

    def walk(x):
        if isinstance(x, str):
            x.encode("utf-8")  # raises on a lone surrogate (\ud800 escapes)
        elif isinstance(x, dict):
            for k, v in x.items():
                walk(k)
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(doc)
    return doc


def sanitizer_errors(r):
    errs = []
    for line in r.stderr.decode("utf-8", "replace").splitlines():
        if any(m in line for m in SANITIZER_MARKS):
            errs.append("sanitizer: %s" % line.strip()[:200])
            if len(errs) >= 3:
                break
    return errs


def names_input(line, bundle):
    """Does the stderr line name the input? The path or its base name verbatim, or (when
    abiscan escapes odd bytes) every printable ASCII run of 3+ bytes of the base name."""
    b = os.fsencode(bundle)
    base = os.path.basename(b)
    if b in line or base in line:
        return True
    runs, cur = [], b""
    for ch in base:
        if 0x20 < ch < 0x7F and ch != 0x5C:
            cur += bytes([ch])
        else:
            if len(cur) >= 3:
                runs.append(cur)
            cur = b""
    if len(cur) >= 3:
        runs.append(cur)
    return bool(runs) and all(r in line for r in runs)


def check_process(ctx, r, what):
    errs = []
    if r.timed_out:
        errs.append("%s: timed out after %.1f s (killed)" % (what, r.elapsed))
    elif r.signal is not None:
        errs.append("%s: killed by signal %d (%s)" % (what, r.signal,
                                                       signal.Signals(r.signal).name))
    elif r.rc not in (0, 1, 2):
        errs.append("%s: exit status %d" % (what, r.rc))
    if ctx.asan:
        errs += ["%s: %s" % (what, e) for e in sanitizer_errors(r)]
    return errs


def check_exit2(r, bundle, whole):
    """Exit 2: whole, the run could not start (nothing on stdout, one line on stderr); else
    the bundle could not be read (one line naming it, then the summary line, which a text
    report on stdout leaves out)."""
    errs = []
    if whole and r.stdout:
        errs.append("exit 2 with %d bytes on stdout" % len(r.stdout))
    if not whole and not r.stdout:
        errs.append("exit 2 for an unreadable bundle, but no report on stdout")
    lines = r.stderr.split(b"\n")
    if not r.stderr.endswith(b"\n") or len(lines) != (2 if whole else 3 if r.json else 2):
        errs.append("exit 2: stderr is not exactly one line (and the summary): %r"
                    % r.stderr[:300])
    elif not whole and r.json and not lines[1].startswith(b"abiscan: the input could not be "
                                                          b"checked;"):
        errs.append("exit 2: the second line is not the summary: %r" % lines[1][:200])
    elif not lines[0].startswith(b"abiscan: "):
        errs.append("exit 2: stderr line does not start with 'abiscan: ': %r" % lines[0][:200])
    elif not names_input(lines[0], bundle):
        errs.append("exit 2: stderr line does not name the input: %r" % lines[0][:200])
    return errs


def check_unread_report(ctx, r, bundle):
    """Exit 2 for a bundle that cannot be read: the report says so. (errors, report)"""
    try:
        report = strict_json(r.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        return ["exit 2: stdout is not a JSON report: %s" % str(e)[:200]], None
    errs = []
    if ctx.validator is not None:
        errs += ["schema: %s" % e.message[:160] for e in ctx.validator.iter_errors(report)][:3]
    ins = report.get("inputs", [])
    if not ins or ins[0].get("verdict") != "error":
        errs.append("exit 2: the input's verdict is not error: %r" % [i.get("verdict")
                                                                     for i in ins])
    elif not names_input(os.fsencode(ins[0].get("reason") or ""), bundle):
        errs.append("exit 2: the input's reason does not name it: %r" % ins[0].get("reason"))
    if report.get("findings"):
        errs.append("exit 2: findings for a bundle that could not be read")
    return errs, report


def check_report(ctx, case, r):
    """Status 0/1: stdout is a valid report; the case's expectations hold. (errors, report)"""
    errs = []
    try:
        text = r.stdout.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = r.stdout[max(0, e.start - 40):e.end + 20]
        return ["stdout is not valid UTF-8 at byte %d: ...%r..." % (e.start, bad)], None
    try:
        report = strict_json(text)
    except ValueError as e:
        return ["stdout is not valid JSON: %s" % str(e)[:200]], None
    if ctx.validator is None:
        errs.append("jsonschema is not importable: cannot validate (install python3-jsonschema)")
    else:
        verrs = sorted(ctx.validator.iter_errors(report), key=lambda e: list(e.absolute_path))
        for e in verrs[:3]:
            errs.append("schema: %s at /%s" % (e.message[:160],
                                               "/".join(map(str, e.absolute_path))))
        if len(verrs) > 3:
            errs.append("schema: %d more errors" % (len(verrs) - 3))
    # Every fix command is one line /bin/sh parses, whatever names the bundle chose
    # (tests/lint/fix_commands.py): each value in it is quoted as one word.
    for cmd, why in fix_commands.parse_errors(fix_commands.json_commands(report))[:3]:
        errs.append("fix command does not parse (%s): %r" % (why[:80], cmd[:200]))
    try:  # a report that fails the schema is still checked as far as its shape allows
        errs += check_findings(ctx, case, r, report)
    except (KeyError, TypeError, AttributeError) as e:
        errs.append("report too malformed to check the findings (%s: %s)"
                    % (type(e).__name__, e))
    return errs, report


def check_findings(ctx, case, r, report):
    errs = []
    findings = report["findings"]
    sev = {s: sum(1 for f in findings if f["severity"] == s) for s in ("error", "warning",
                                                                        "note")}
    for s, n in sev.items():
        if report["summary"][s] != n:
            errs.append("summary.%s is %d, the findings hold %d" % (s, report["summary"][s], n))
    want_rc = 1 if sev["error"] else 0
    if r.rc != want_rc:
        errs.append("exit %d with %d error findings (want %d)" % (r.rc, sev["error"], want_rc))
    if case.good or case.maybe_exit2:
        msg = E(GOOD_PATH, "python-tag-mismatch").check(findings)
        if msg:
            errs.append("the good-but-wrong member is not reported: " + msg)
    for e in case.expect:
        msg = e.check(findings)
        if msg:
            errs.append(msg)
    if case.check:
        errs += case.check(ctx, report)
    return errs


def text_errors(r):
    bad = sorted({b for b in r.stdout if (b < 0x20 and b not in (0x09, 0x0A)) or b == 0x7F})
    if not bad:
        return []
    i = min(r.stdout.index(bytes([b])) for b in bad)
    return ["text output carries raw control bytes %s, e.g. ...%r..." % (
        ",".join("0x%02x" % b for b in bad), r.stdout[max(0, i - 30):i + 20])]


def sh_quote(arg):
    """A shell word for arg (str or bytes): shlex.quote when printable ASCII, else bash's
    $'...' with \\xNN escapes, so that the repro line itself carries no raw control byte."""
    raw = os.fsencode(arg)
    if all(0x20 <= c < 0x7F for c in raw):
        return shlex.quote(raw.decode("ascii"))
    return "$'" + "".join(chr(c) if 0x20 <= c < 0x7F and c not in b"'\\" else "\\x%02x" % c
                          for c in raw) + "'"


def printable(text):
    """text with every control character, lone surrogate and non-ASCII character escaped:
    this harness's own output carries no raw byte from a hostile name."""
    return "".join(ch if " " <= ch <= "~" else "\\x%02x" % ord(ch) if ord(ch) < 0x100
                   else "\\u%04x" % ord(ch) for ch in text)


def repro(r):
    return "(cd %s && %s)" % (sh_quote(r.cwd), " ".join(sh_quote(a) for a in r.argv))


def run_case(ctx, case):
    base = os.path.join(ctx.work, case.name)
    if os.path.lexists(base):
        make_writable(base)
        shutil.rmtree(base)
    d, io = os.path.join(base, "b"), os.path.join(base, "io")
    for x in (d, io):
        os.makedirs(x)
    if case.skip:
        why = case.skip(ctx)
        if why:
            return True, ["# skip: " + why], []
    try:
        bundle = case.build(ctx, d)
    except Exception as e:  # a harness bug, not abiscan's
        import traceback
        return False, ["cannot generate the case: %s" % traceback.format_exc(limit=3)], []
    before = snapshot(d)
    errs, repros, notes = [], [], []
    runs = [("json", ["--format", "json"])]
    if case.text and not case.heavy:
        runs.append(("text", ["--format", "text"]))
    rcs = {}
    for what, fmt in runs:
        if what == "text" and rcs.get("json", 0) is None:
            break  # the json run hung or crashed: do not spend the timeout twice
        cwd = os.path.join(base, "cwd-" + what)
        os.makedirs(cwd)
        args = [a.replace("@D@", d) for a in case.args]
        paths, extra = gate_cases.report_args(os.path.join(io, "r"), what)
        if what == "text":
            extra = []
        argv = [ctx.abiscan, "--runtime", RUNTIME] + fmt + extra + args + [bundle]
        r = run_abiscan(ctx, argv, cwd, os.path.join(io, what), ctx.timeout,
                        measure=case.mem_mb is not None or case.heavy)
        rcs[what] = r.rc
        if what == "json":
            r_json = r
        e = check_process(ctx, r, what)
        if not e and r.rc is not None:
            if case.exit2 and r.rc != 2:
                e.append("%s: exit %d, want 2 (the bundle itself is unreadable)" % (what, r.rc))
            elif r.rc == 2 and not (case.exit2 or case.maybe_exit2):
                e.append("%s: exit 2 for a readable bundle: %r" % (what, r.stderr[:300]))
            elif r.rc == 2:
                whole = case.names is not None
                r.json = what == "json"
                e += ["%s: %s" % (what, x) for x in check_exit2(
                    r, case.names.replace("@D@", d) if case.names else bundle, whole)]
                report = None
                if what == "json" and not whole:
                    errs_json, report = check_unread_report(ctx, r, bundle)
                    e += errs_json
                elif what == "text" and not whole:
                    e += text_errors(r)
                if extra:
                    e += ["%s: %s" % (what, x) for x in gate_cases.check_reports(
                        paths, r.rc, report, ctx.sarif_files)]
            elif what == "json":
                errs_json, report = check_report(ctx, case, r)
                e += errs_json
                if report is not None and extra:
                    e += ["%s: %s" % (what, x) for x in gate_cases.check_reports(
                        paths, r.rc, report, ctx.sarif_files)]
            else:
                e += text_errors(r)
        if case.mem_mb is not None and r.maxrss_mb > case.mem_mb:
            e.append("%s: peak RSS %.0f MB, over %d MB (%s)" % (what, r.maxrss_mb, case.mem_mb,
                                                                r.rss_how))
        elif case.mem_mb is not None and e:
            e.append("%s: peak RSS %.0f MB (limit %d MB, %s)" % (what, r.maxrss_mb,
                                                                 case.mem_mb, r.rss_how))
        left = os.listdir(cwd)
        if left:
            e.append("%s: wrote into its cwd: %s" % (what, left[:5]))
        if e:
            errs += e
            repros.append(repro(r))
    if case.heavy or case.mem_mb is not None:
        notes.append("# %s: json run %.2f s, peak RSS %.0f MB (%s)" % (
            case.name, r_json.elapsed, r_json.maxrss_mb, r_json.rss_how))
    if len(rcs) == 2 and None not in rcs.values() and rcs["json"] != rcs["text"]:
        errs.append("exit %d with --format json but %d with --format text"
                    % (rcs["json"], rcs["text"]))
    try:
        after = snapshot(d)
        errs += ["bundle or its directory changed: " + x for x in diff_snapshots(before,
                                                                                  after)][:5]
    except OSError as e:
        errs.append("cannot re-read the bundle directory: %s" % e)
    return not errs, errs + notes, repros


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--abiscan", required=True)
    ap.add_argument("--work", required=True, help="where the cases are generated")
    ap.add_argument("--fixtures", help="BUILD/fixtures (default: next to the binary)")
    ap.add_argument("--schema", help="report schema (default: rules/schema/report.schema.json)")
    ap.add_argument("--only", help="case names or shell patterns, comma-separated")
    ap.add_argument("--timeout", type=float, help="seconds per run (10; 30 for ASan builds)")
    ap.add_argument("--asan", action="store_true", help="treat the binary as a sanitizer build")
    ap.add_argument("-j", "--jobs", type=int, default=1)
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    args = ap.parse_args()

    cases = all_cases()
    if args.list:
        for c in cases:
            print(c.name)
        return 0
    if args.only:
        pats = [p.strip() for p in args.only.split(",") if p.strip()]
        cases = [c for c in cases if any(fnmatch.fnmatchcase(c.name, p) for p in pats)]
        if not cases and not any(p.startswith("audit-") for p in pats):
            print("no case matches %r" % args.only, file=sys.stderr)
            return 2
    ctx = Ctx(args)
    if not os.access(ctx.abiscan, os.X_OK):
        print("not executable: %s" % ctx.abiscan, file=sys.stderr)
        return 2
    os.makedirs(ctx.work, exist_ok=True)
    print("# abiscan %s%s, timeout %.0f s, libzip methods %s, %s" % (
        ctx.abiscan, " (sanitizers)" if ctx.asan else "", ctx.timeout,
        ",".join("%s=%s" % kv for kv in sorted(ctx.methods.items())),
        "root" if ctx.root else "not root"), flush=True)

    passed = failed = 0

    def report(case, res):
        nonlocal passed, failed
        ok, msgs, repros = res
        errs = [m for m in msgs if not m.startswith("# ")]
        skip = [m for m in msgs if m.startswith("# skip")]
        if ok:
            passed += 1
            print("ok - %s%s" % (case.name, (" " + skip[0]) if skip else ""), flush=True)
        else:
            failed += 1
            print("not ok - %s: %s" % (case.name, printable("; ".join(errs))), flush=True)
            for rp in repros[:1]:
                print("#   repro: %s" % rp, flush=True)
        for m in msgs:
            if m.startswith("# ") and not m.startswith("# skip"):
                print(printable(m), flush=True)

    if args.jobs > 1:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
            futs = [(c, ex.submit(run_case, ctx, c)) for c in cases]
            for c, f in futs:
                report(c, f.result())
    else:
        for c in cases:
            report(c, run_case(ctx, c))
    def report_audit(name, ok, errs, r, note):
        nonlocal passed, failed
        if args.only and not any(fnmatch.fnmatchcase(name, p.strip())
                                 for p in args.only.split(",")):
            return
        if ok:
            passed += 1
            print("ok - %s" % name, flush=True)
        else:
            failed += 1
            print("not ok - %s: %s" % (name, printable("; ".join(errs))), flush=True)
            print("#   repro: %s" % repro(r), flush=True)
        if note:
            print(printable(note), flush=True)

    if not args.only or "audit-" in args.only:
        audit_cases.run_all(ctx, run_abiscan, check_process, strict_json, report_audit)
    ok, msg = gate_cases.validate_sarif_all(ctx.sarif_files, ctx.work)
    if ok:
        print("# " + msg)
    elif ctx.sarif_files or passed:
        failed += 1
        print("not ok - sarif-multitool validate: " + printable(msg))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
