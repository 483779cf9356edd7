/* SPDX-License-Identifier: MIT */
/*
 * The ELF reader's inside. An object is read twice: through its program headers, as
 * ld.so reads it (elfread_dynamic(), elf_dynamic.c), and through its section headers,
 * as readelf does (elfread_sections(), elf_sections.c). Each fills a struct elfinfo of
 * its own (a "view"); elfinfo_from_memory() keeps the dynamic view where there is one,
 * takes from the sections what it lacks, and says when the two disagree. The walks over
 * the tables themselves (dynamic entries, version needs and definitions, symbols) are
 * shared by both views (elfinfo.c). Only files of analyzer/elf/ include this.
 *
 * Ownership: as in elfinfo.h; a string table borrows the Elf or the buffer.
 */
#ifndef ANALYZER_ELFINFO_INT_H
#define ANALYZER_ELFINFO_INT_H

#include <gelf.h>
#include <libelf.h>

#include "diag.h"
#include "elfinfo.h"

/* libelf is bound when the first object is read (util/dynlib.h, elfinfo.c): a run that
 * meets no ELF file maps none of it. Its functions are called by their own names: each is
 * defined below as its slot of the table. */
#define ELF_FUNCTIONS(X)                                                                           \
    X(elf_version)                                                                                 \
    X(elf_memory)                                                                                  \
    X(elf_end)                                                                                     \
    X(elf_kind)                                                                                    \
    X(elf_getident)                                                                                \
    X(elf_errno)                                                                                   \
    X(elf_errmsg)                                                                                  \
    X(elf_rawfile)                                                                                 \
    X(elf_rawdata)                                                                                 \
    X(elf_getdata)                                                                                 \
    X(elf_getdata_rawchunk)                                                                        \
    X(elf_getscn)                                                                                  \
    X(elf_nextscn)                                                                                 \
    X(elf_strptr)                                                                                  \
    X(elf_getshdrnum)                                                                              \
    X(elf_getshdrstrndx)                                                                           \
    X(elf_getphdrnum)                                                                              \
    X(gelf_getclass)                                                                               \
    X(gelf_getehdr)                                                                                \
    X(gelf_getphdr)                                                                                \
    X(gelf_getshdr)                                                                                \
    X(gelf_getdyn)                                                                                 \
    X(gelf_getsym)                                                                                 \
    X(gelf_getversym)                                                                              \
    X(gelf_getverneed)                                                                             \
    X(gelf_getvernaux)                                                                             \
    X(gelf_getverdef)                                                                              \
    X(gelf_getverdaux)                                                                             \
    X(gelf_getrela)                                                                                \
    X(gelf_fsize)

struct elfapi {
#define ELF_SLOT(fn) __typeof__(fn) *fn;
    ELF_FUNCTIONS(ELF_SLOT)
#undef ELF_SLOT
};

/* Its functions: called only after a call of elfapi_load() returned 0. */
extern const struct elfapi *const elfapi;

/** Load libelf and resolve its functions, once (thread-safe); -1 with d set when it cannot
 * be. */
int elfapi_load(struct diag *d);

#define elf_version (elfapi->elf_version)
#define elf_memory (elfapi->elf_memory)
#define elf_end (elfapi->elf_end)
#define elf_kind (elfapi->elf_kind)
#define elf_getident (elfapi->elf_getident)
#define elf_errno (elfapi->elf_errno)
#define elf_errmsg (elfapi->elf_errmsg)
#define elf_rawfile (elfapi->elf_rawfile)
#define elf_rawdata (elfapi->elf_rawdata)
#define elf_getdata (elfapi->elf_getdata)
#define elf_getdata_rawchunk (elfapi->elf_getdata_rawchunk)
#define elf_getscn (elfapi->elf_getscn)
#define elf_nextscn (elfapi->elf_nextscn)
#define elf_strptr (elfapi->elf_strptr)
#define elf_getshdrnum (elfapi->elf_getshdrnum)
#define elf_getshdrstrndx (elfapi->elf_getshdrstrndx)
#define elf_getphdrnum (elfapi->elf_getphdrnum)
#define gelf_getclass (elfapi->gelf_getclass)
#define gelf_getehdr (elfapi->gelf_getehdr)
#define gelf_getphdr (elfapi->gelf_getphdr)
#define gelf_getshdr (elfapi->gelf_getshdr)
#define gelf_getdyn (elfapi->gelf_getdyn)
#define gelf_getsym (elfapi->gelf_getsym)
#define gelf_getversym (elfapi->gelf_getversym)
#define gelf_getverneed (elfapi->gelf_getverneed)
#define gelf_getvernaux (elfapi->gelf_getvernaux)
#define gelf_getverdef (elfapi->gelf_getverdef)
#define gelf_getverdaux (elfapi->gelf_getverdaux)
#define gelf_getrela (elfapi->gelf_getrela)
#define gelf_fsize (elfapi->gelf_fsize)

/* Bounds on what one object may make us collect: untrusted input (CONTRIBUTING.md#house-rules, untrusted). */
#define ELFREAD_MAX_INIT_SYMBOLS 64
#define ELFREAD_MAX_VERSIONS 4096
#define ELFREAD_MAX_PY_IMPORTS 8192
#define ELFREAD_MAX_SYMBOLS (1u << 21)
#define ELFREAD_MAX_COMMENTS 16     /* .comment strings kept */
#define ELFREAD_MAX_COMMENT_LEN 200 /* longer: no compiler's identification */

/* A string table: a section (through elf_strptr), or bytes of the file (DT_STRTAB). */
struct elfread_strtab {
    Elf *elf;
    size_t shndx;    /* the section, when raw is NULL */
    const char *raw; /* the bytes, size long */
    size_t size;
};

/* Version index (vna_other) -> the verneed entry it names, to bind symbols to versions. */
struct elfread_vermap {
    unsigned idx[ELFREAD_MAX_VERSIONS];
    size_t verneed_at[ELFREAD_MAX_VERSIONS];
    size_t nr;
};

/** The string at off, or NULL when it lies outside the table or is not terminated in it. */
const char *elfread_str(const struct elfread_strtab *st, size_t off);

/** Record why part of the object could not be read (the first reason wins). */
void elfread_error(struct elfinfo *v, const char *what);

/** One dynamic entry: DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH, DT_TEXTREL, DT_FLAGS. */
void elfread_dyn_entry(struct elfinfo *v, const GElf_Dyn *dyn, const struct elfread_strtab *st);

/** Version needs (count entries, as sh_info or DT_VERNEEDNUM says), as readelf walks them. */
void elfread_verneed(struct elfinfo *v, Elf_Data *data, size_t count,
                     const struct elfread_strtab *st, struct elfread_vermap *map);

/** Version definitions (count entries). */
void elfread_verdef(struct elfinfo *v, Elf_Data *data, size_t count,
                    const struct elfread_strtab *st);

/** Whether name is a C API symbol: Py* or _Py*. */
bool elfread_is_py(const char *name);

/** nsyms dynamic symbols (versym may be NULL): imports, init functions, C-API uses. */
void elfread_symbols(struct elfinfo *v, Elf_Data *syms, size_t nsyms, Elf_Data *versym,
                     const struct elfread_strtab *st, const struct elfread_vermap *map);

/** The view through the program headers; base[0..len) is the object. */
void elfread_dynamic(struct elfinfo *v, Elf *elf, const unsigned char *base, size_t len);

/** The view through the section headers; its symbols only when asked for (symbols),
 * else their count. */
void elfread_sections(struct elfinfo *v, Elf *elf, bool symbols);

/** The NODE_MODULE_VERSION of the static node_module a node.h addon registers (its
 * .symtab's _module), or -1 (elf_node.c). */
long elfread_node_module(Elf *elf);

/** The constant the function at addr returns, when its code is just that (the Node-API
 * version node_api_module_get_api_version_v1 asks for), or -1 (elf_node.c). */
long elfread_napi_version(Elf *elf, uint64_t addr);

/** What strip --strip-unneeded saves (v's debug and symbol table bytes counted already). */
void elfread_strip(struct elfinfo *v, Elf *elf);

#endif
