/* SPDX-License-Identifier: MIT */
/*
 * ELF facts, read once through libelf (gelf). This module decides nothing:
 * pyclass and the checks read struct elfinfo and draw the conclusions.
 *
 * Ownership: struct elfinfo owns every string and array in it (copied out of
 * libelf before elf_end), so it outlives the buffer it was read from.
 * elfinfo_release() frees it all and accepts a zeroed struct. The buffer given
 * to elfinfo_from_memory() is only borrowed for the duration of the call, and
 * must be writable: libelf converts a foreign byte order in place.
 */
#ifndef ANALYZER_ELFINFO_H
#define ANALYZER_ELFINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strvec.h"

/* One version a file needs from another (.gnu.version_r): GLIBC_2.28 from libc.so.6. */
struct elf_verneed {
    char *file;    /* "libc.so.6" */
    char *version; /* "GLIBC_2.28" */
    bool weak;     /* VER_FLG_WEAK */
};

/* An undefined dynamic symbol bound to a needed version: fcntl64@GLIBC_2.28. */
struct elf_import {
    char *name;
    const char *version; /* borrowed from the verneed array of the same elfinfo */
};

struct elfinfo {
    /* From e_ident and the ELF header: read even when the rest is damaged. */
    int elfclass;   /* ELFCLASS32 / ELFCLASS64, or the raw byte when invalid */
    int data;       /* ELFDATA2LSB / ELFDATA2MSB, or the raw byte */
    int osabi;      /* EI_OSABI */
    int type;       /* e_type: ET_DYN, ET_EXEC, ... (-1 if the header is unreadable) */
    int machine;    /* e_machine (-1 if the header is unreadable) */
    bool header_ok; /* class, data, type and machine are valid */

    /* From the program headers and, through PT_DYNAMIC, the dynamic segment (as ld.so reads
     * it); from the section headers only where the segment does not say. */
    char *interp;         /* PT_INTERP, NULL if none */
    bool gnu_stack;       /* a PT_GNU_STACK header: the stack the object asks for */
    bool exec_stack;      /* ... with PF_X: it asks for an executable stack */
    bool has_dynamic;     /* a SHT_DYNAMIC section or PT_DYNAMIC segment */
    char *soname;         /* DT_SONAME */
    struct strvec needed; /* DT_NEEDED, in order */
    char *rpath;          /* DT_RPATH */
    char *runpath;        /* DT_RUNPATH */

    /* Symbol versioning and the dynamic symbol table. */
    struct elf_verneed *verneed;
    size_t verneed_nr, verneed_alloc;
    struct strvec verdef;       /* version names this object defines */
    struct elf_import *imports; /* undefined symbols that carry a version */
    size_t imports_nr, imports_alloc;
    struct strvec init_symbols; /* exported PyInit_* and init* functions */
    /* Exported functions Node.js looks up in an addon it loads (src/node_binding.cc):
     * node_register_module_v<N> (built for NODE_MODULE_VERSION N), napi_register_module_v1
     * (Node-API) and node_api_module_get_api_version_v1 (the Node-API version it asks). */
    struct strvec node_symbols;
    /* An addon that registers itself from a static constructor (node.h's NODE_MODULE, which
     * calls node_module_register): the NODE_MODULE_VERSION in its static node_module, read
     * through .symtab; -1 when it does not, or the symbol table does not say (stripped). */
    long node_module_version;
    bool node_registers; /* it calls node_module_register */
    /* A Node-API addon that exports node_api_module_get_api_version_v1: the address of that
     * function, and the Node-API version it returns when its code is one constant returned
     * (decoded for x86_64 and aarch64, elf_node.c), else -1. */
    uint64_t napi_version_fn;
    long napi_version;
    struct strvec py_imports; /* undefined Py* / _Py* symbols (C API use), sorted */
    /* The ones of them that are not weak, in the order ld.so binds them: the order of their
     * first relocations, DT_RELA (or DT_REL) then DT_JMPREL (glibc elf/do-rel.h), those no
     * relocation names after them; dynamic-symbol order when only the sections were read.
     * The first one the interpreter does not export is the one a failed import names
     * ("undefined symbol: X"); a weak one it lacks binds to nothing and fails nothing.
     * Its strings are py_imports' own (borrowed: the vector alone is py_binds'). */
    struct strvec py_binds;

    size_t dynsym_count; /* dynamic symbols read (the hash table's count, or .dynsym's) */
    bool textrel;        /* DT_TEXTREL, or DF_TEXTREL in DT_FLAGS: code written at load time */

    /* What strip would remove, from the section headers (what the loader needs is never in
     * them): .debug_*, .zdebug_*, .stab*, .gnu.debuglto_* (strip --strip-debug), and
     * .symtab with its string table (strip --strip-unneeded removes those too). Bytes in
     * the file (SHT_NOBITS counts nothing). */
    uint64_t debug_bytes;
    uint64_t symtab_bytes;
    /* What strip --strip-unneeded saves on the file as a whole: those sections, their
     * headers and names, and the padding that aligned them (elf_strip.c). strip_exact:
     * laid out as binutils lays it out, to the byte; false: the sections' bytes alone,
     * which it saves at least (a layout it does not model, a relocatable object). */
    uint64_t strip_saves;
    bool strip_exact;

    /* .comment's strings: who compiled and linked it ("GCC: (GNU) 10.2.1 20210130 (Red Hat
     * 10.2.1-11)" in a manylinux2014 image, "GCC: (Debian 12.2.0-14) 12.2.0", "clang version
     * 14.0.6", "rustc version 1.70.0"), each once, at most ELFREAD_MAX_COMMENTS. Only the
     * section headers know: strip keeps the section, strip -R .comment removes it. */
    struct strvec comments;

    /* Where the program headers (what ld.so reads) and the section headers disagree about
     * the dynamic facts; NULL when they agree or there are no sections. The facts above
     * are the program headers'. */
    char *views_disagree;

    /* Why libelf could not read the object (past the header, or at all); NULL if it could. */
    char *error;
};

/**
 * Read the facts of the ELF object in data[0..len). Returns 0 when the ELF
 * header was read (out->error may still say why later parts were not), -1
 * when the object is not readable ELF at all (out->error says why).
 * out is initialised by this call; release it with elfinfo_release() either way.
 */
int elfinfo_from_memory(struct elfinfo *out, void *data, size_t len);

void elfinfo_release(struct elfinfo *info);

/** True if data starts with the ELF magic (needs len >= 4). */
bool elfinfo_is_elf(const void *data, size_t len);

#endif
