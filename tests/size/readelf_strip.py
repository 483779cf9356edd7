"""What strip would take out of an ELF file, as binutils' readelf -SW says it.

The size plan's "debug" bytes are, per file, the bytes of the sections named
.debug_*, .zdebug_*, .gnu.debuglto_*, .stab, .stabstr and .gdb_index, plus .symtab and the
string table it links to (never .shstrtab); SHT_NOBITS sections hold no bytes. This module
computes the same from readelf's own reading, so that the tests compare abiscan's libelf
reading with binutils'.
"""

import re
import subprocess

_ROW = re.compile(r"^\s*\[\s*(\d+)\]\s+(.*)$")
_DEBUG = (".debug_", ".zdebug_", ".gnu.debuglto_")


def sections(path):
    """[(index, name, type, offset, size, link)] from readelf -SW."""
    out = subprocess.run(["readelf", "-SW", path], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, check=True,
                         env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"}).stdout.decode()
    rows = []
    for line in out.splitlines():
        m = _ROW.match(line)
        if not m or m.group(1) == "0":
            continue
        tok = m.group(2).split()
        # Name Type Address Off Size ES [Flg] Lk Inf Al
        name, typ, off, size = tok[0], tok[1], int(tok[3], 16), int(tok[4], 16)
        rows.append((int(m.group(1)), name, typ, off, size, int(tok[-3])))
    return rows


def strippable(path):
    """(debug bytes, symbol table bytes) of the ELF file at path."""
    rows = sections(path)
    by_index = {r[0]: r for r in rows}
    shstr = {r[0] for r in rows if r[1] == ".shstrtab"}
    debug = symtab = 0
    for idx, name, typ, _off, size, link in rows:
        if typ == "NOBITS":
            continue
        if typ == "SYMTAB":
            symtab += size
            strtab = by_index.get(link)
            if strtab and strtab[2] == "STRTAB" and link not in shstr:
                symtab += strtab[4]
        elif name.startswith(_DEBUG) or name in (".stab", ".stabstr", ".gdb_index"):
            debug += size
    return debug, symtab
