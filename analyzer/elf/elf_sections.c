/* SPDX-License-Identifier: MIT */
/* The section-header view of an ELF object: .dynamic, .gnu.version_r/_d, .dynsym, .gnu.version,
 * and .comment (who built it). */
#include <stdlib.h>
#include <string.h>

#include "elfinfo_int.h"
#include "xalloc.h"

static void read_dynamic(struct elfinfo *v, Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh)
{
    Elf_Data *data = elf_getdata(scn, NULL);
    struct elfread_strtab st = {elf, sh->sh_link, NULL, 0};
    size_t n;

    v->has_dynamic = true;
    if (!data || !sh->sh_entsize) {
        elfread_error(v, "dynamic section");
        return;
    }
    n = data->d_size / sh->sh_entsize;
    for (size_t i = 0; i < n; i++) {
        GElf_Dyn mem, *dyn = gelf_getdyn(data, (int)i, &mem);
        if (!dyn || dyn->d_tag == DT_NULL) {
            break;
        }
        elfread_dyn_entry(v, dyn, &st);
    }
}

static void read_table(struct elfinfo *v, Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh,
                       struct elfread_vermap *map)
{
    Elf_Data *data = elf_getdata(scn, NULL);
    struct elfread_strtab st = {elf, sh->sh_link, NULL, 0};

    if (!data) {
        elfread_error(v, sh->sh_type == SHT_GNU_verneed ? "version needs" : "version definitions");
        return;
    }
    if (sh->sh_type == SHT_GNU_verneed) {
        elfread_verneed(v, data, sh->sh_info, &st, map);
    } else {
        elfread_verdef(v, data, sh->sh_info, &st);
    }
}

static bool is_debug_name(const char *name)
{
    return !strncmp(name, ".debug_", 7) || !strncmp(name, ".zdebug_", 8) ||
           !strncmp(name, ".gnu.debuglto_", 14) || !strcmp(name, ".stab") ||
           !strcmp(name, ".stabstr") || !strcmp(name, ".gdb_index");
}

/* Bytes strip would take out of the file: sections that lie inside it, by name or type. */
/* Whether the section's bytes lie inside the file (filesize bytes; NOBITS has none). */
static bool in_file(const GElf_Shdr *sh, size_t filesize)
{
    return sh->sh_type != SHT_NOBITS && sh->sh_offset <= filesize &&
           sh->sh_size <= filesize - sh->sh_offset;
}

static void count_strippable(struct elfinfo *v, Elf *elf, size_t shstrndx, size_t filesize,
                             const GElf_Shdr *sh, size_t *symtab_link)
{
    const char *name;

    if (!in_file(sh, filesize)) {
        return;
    }
    if (sh->sh_type == SHT_SYMTAB) {
        v->symtab_bytes += sh->sh_size;
        *symtab_link = sh->sh_link;
        return;
    }
    name = elf_strptr(elf, shstrndx, sh->sh_name);
    if (name && is_debug_name(name)) {
        v->debug_bytes += sh->sh_size;
    }
}

/* .comment: the NUL-separated identification strings of the compilers, assemblers and linkers
 * that made the object ("GCC: (Debian 12.2.0-14) 12.2.0", "clang version 14.0.6"), each once,
 * printable ASCII only (a string with anything else is no identification and is skipped). */
static void read_comment(struct elfinfo *v, Elf_Scn *scn, const GElf_Shdr *sh, size_t filesize)
{
    Elf_Data *data = in_file(sh, filesize) ? elf_rawdata(scn, NULL) : NULL;
    const char *p, *end;

    if (!data || !data->d_buf) {
        return;
    }
    for (p = data->d_buf, end = p + data->d_size;
         p < end && v->comments.nr < ELFREAD_MAX_COMMENTS;) {
        const char *nul = memchr(p, '\0', (size_t)(end - p)), *stop = nul ? nul : end;
        size_t n = (size_t)(stop - p);
        bool plain = n && n <= ELFREAD_MAX_COMMENT_LEN;
        for (size_t i = 0; plain && i < n; i++) {
            plain = p[i] >= 0x20 && p[i] < 0x7f;
        }
        if (plain) {
            char *s = xstrndup(p, n);
            if (!strvec_contains(&v->comments, s)) {
                strvec_push(&v->comments, s);
            }
            free(s);
        }
        p = stop + 1;
    }
}

void elfread_sections(struct elfinfo *v, Elf *elf, bool symbols)
{
    size_t shstrndx = 0, symtab_link = 0, filesize = 0;
    Elf_Scn *scn = NULL, *dynsym = NULL, *versym = NULL;
    GElf_Shdr dynsym_hdr;
    struct elfread_vermap *map = xmalloc(sizeof(*map));
    size_t shnum;

    map->nr = 0; /* only its first nr entries are ever read: no need to zero 48 KiB per object */

    if (elf_getshdrnum(elf, &shnum) != 0) {
        elfread_error(v, "section headers");
        goto out;
    }
    if (elf_getshdrstrndx(elf, &shstrndx) != 0 || !elf_rawfile(elf, &filesize)) {
        shstrndx = 0; /* nothing counted for strip */
    }
    while ((scn = elf_nextscn(elf, scn)) != NULL) {
        GElf_Shdr mem, *sh = gelf_getshdr(scn, &mem);
        if (!sh) {
            elfread_error(v, "section header");
            goto out;
        }
        if (shstrndx) {
            count_strippable(v, elf, shstrndx, filesize, sh, &symtab_link);
        }
        switch (sh->sh_type) {
        case SHT_DYNAMIC:
            read_dynamic(v, elf, scn, sh);
            break;
        case SHT_GNU_verneed:
        case SHT_GNU_verdef:
            read_table(v, elf, scn, sh, map);
            break;
        case SHT_DYNSYM:
            dynsym = scn;
            dynsym_hdr = *sh;
            break;
        case SHT_GNU_versym:
            versym = scn;
            break;
        case SHT_PROGBITS: {
            const char *name = shstrndx ? elf_strptr(elf, shstrndx, sh->sh_name) : NULL;
            if (name && !strcmp(name, ".comment")) {
                read_comment(v, scn, sh, filesize);
            }
            break;
        }
        default:
            break;
        }
    }
    /* .symtab's own string table goes with it (never the section names' table). */
    if (symtab_link && symtab_link != shstrndx) {
        GElf_Shdr mem, *sh = gelf_getshdr(elf_getscn(elf, symtab_link), &mem);
        if (sh && sh->sh_type == SHT_STRTAB && in_file(sh, filesize)) {
            v->symtab_bytes += sh->sh_size;
        }
    }
    /* Symbols last: binding them to versions needs the whole verneed table. */
    if (dynsym) {
        Elf_Data *syms = elf_getdata(dynsym, NULL);
        struct elfread_strtab st = {elf, dynsym_hdr.sh_link, NULL, 0};
        if (!syms || !dynsym_hdr.sh_entsize) {
            elfread_error(v, "dynamic symbol table");
            goto out;
        }
        if (symbols) {
            elfread_symbols(v, syms, syms->d_size / dynsym_hdr.sh_entsize,
                            versym ? elf_getdata(versym, NULL) : NULL, &st, map);
        } else {
            v->dynsym_count = syms->d_size / dynsym_hdr.sh_entsize; /* the count disagreement()
                                                                      * compares */
        }
    }
out:
    free(map);
}
