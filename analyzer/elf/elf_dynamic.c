/* SPDX-License-Identifier: MIT */
/*
 * The program-header view of an ELF object, as ld.so reads it (glibc elf/dl-load.c,
 * elf/get-dynamic-info.h) and as scanelf does: PT_DYNAMIC, and through its entries the
 * string table (DT_STRTAB, DT_STRSZ), the dynamic symbols (DT_SYMTAB, counted from
 * DT_GNU_HASH or DT_HASH), their versions (DT_VERSYM) and the version needs and
 * definitions (DT_VERNEED/DT_VERNEEDNUM, DT_VERDEF/DT_VERDEFNUM), each address mapped
 * to the file through the PT_LOAD segment that holds it; the relocations (DT_RELA or DT_REL,
 * then DT_JMPREL) give the order ld.so binds the symbols in. An object whose section headers
 * were stripped (e_shoff 0, as sstrip leaves it) loads all the same: this view still
 * sees what it needs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elfinfo_int.h"
#include "xalloc.h"

#define MAX_LOADS 64
#define MAX_TABLE (1u << 20) /* a version table of a real object is a few KiB */

struct segments {
    GElf_Phdr load[MAX_LOADS];
    size_t nload;
    size_t len; /* the file's */
};

/* The dynamic entries ld.so reads, by tag (0 when absent). */
struct dyninfo {
    uint64_t strtab, strsz, symtab, syment, hash, gnu_hash, versym;
    uint64_t verneed, verneednum, verdef, verdefnum;
    uint64_t rela, relasz, rel, relsz, jmprel, pltrelsz, pltrel;
};

/* The file offset of [addr, addr + size) and how far the segment goes past it (*room),
 * or false when no PT_LOAD holds it in the file. */
static bool map_addr(const struct segments *s, uint64_t addr, uint64_t size, uint64_t *off,
                     uint64_t *room)
{
    for (size_t i = 0; i < s->nload; i++) {
        const GElf_Phdr *ph = &s->load[i];
        if (addr < ph->p_vaddr || addr - ph->p_vaddr >= ph->p_filesz ||
            size > ph->p_filesz - (addr - ph->p_vaddr)) {
            continue;
        }
        *off = ph->p_offset + (addr - ph->p_vaddr);
        *room = ph->p_filesz - (addr - ph->p_vaddr);
        if (*off > s->len || *room > s->len - *off) {
            return false; /* check_bounds says the segment is cut */
        }
        return true;
    }
    return false;
}

/* A table at addr, converted to memory representation, size bytes (0: to the segment's
 * end, at most MAX_TABLE). NULL when it is not in the file. */
static Elf_Data *chunk(Elf *elf, const struct segments *s, uint64_t addr, uint64_t size,
                       Elf_Type type)
{
    uint64_t off, room;

    if (!addr || !map_addr(s, addr, size, &off, &room)) {
        return NULL;
    }
    if (!size) {
        size = room < MAX_TABLE ? room : MAX_TABLE;
    }
    return size ? elf_getdata_rawchunk(elf, (int64_t)off, (size_t)size, type) : NULL;
}

static uint32_t word_at(Elf_Data *d, size_t i)
{
    return i < d->d_size / 4 ? ((const uint32_t *)d->d_buf)[i] : 0;
}

/* The symbols up to DT_STRTAB: GNU ld puts .dynstr right after .dynsym. */
static size_t symbols_before_strtab(const struct dyninfo *di)
{
    return di->strtab > di->symtab && di->syment ? (size_t)((di->strtab - di->symtab) / di->syment)
                                                 : 0;
}

/* The number of dynamic symbols, which no dynamic entry states (readelf's way): DT_HASH's
 * nchain, else the end of the last DT_GNU_HASH chain (when it hashes any); else the gap up
 * to DT_STRTAB. */
static size_t count_symbols(Elf *elf, const struct segments *s, const struct dyninfo *di)
{
    Elf_Data *d;

    if (di->hash && (d = chunk(elf, s, di->hash, 8, ELF_T_WORD)) != NULL) {
        return word_at(d, 1);
    }
    if (di->gnu_hash && (d = chunk(elf, s, di->gnu_hash, 16, ELF_T_WORD)) != NULL) {
        uint32_t nbuckets = word_at(d, 0), symoffset = word_at(d, 1), bloom = word_at(d, 2);
        uint64_t words = gelf_getclass(elf) == ELFCLASS64 ? 2 : 1, maxb = 0;
        uint64_t at = di->gnu_hash + 16 + (uint64_t)bloom * 4 * words;
        Elf_Data *buckets, *chains;
        if (nbuckets > MAX_TABLE / 4 || bloom > MAX_TABLE ||
            !(buckets = chunk(elf, s, at, (uint64_t)nbuckets * 4, ELF_T_WORD))) {
            return 0;
        }
        for (uint32_t i = 0; i < nbuckets; i++) {
            maxb = word_at(buckets, i) > maxb ? word_at(buckets, i) : maxb;
        }
        if (maxb < symoffset) {
            /* No symbol is hashed (an executable that exports nothing): the table says only
             * that the first symoffset are not, and GNU ld writes 1 there whatever the
             * count. The symbols end where the next table starts. */
            size_t gap = symbols_before_strtab(di);
            return gap > symoffset ? gap : symoffset;
        }
        at += (uint64_t)nbuckets * 4 + (maxb - symoffset) * 4;
        if (!(chains = chunk(elf, s, at, 0, ELF_T_WORD))) {
            return 0;
        }
        for (size_t i = 0; i < chains->d_size / 4; i++) {
            if (word_at(chains, i) & 1) {
                return (size_t)(maxb + i + 1);
            }
        }
        return 0;
    }
    return symbols_before_strtab(di);
}

static void note_tag(struct dyninfo *di, const GElf_Dyn *dyn)
{
    uint64_t v = dyn->d_un.d_val;

    switch (dyn->d_tag) {
    case DT_STRTAB:
        di->strtab = v;
        break;
    case DT_STRSZ:
        di->strsz = v;
        break;
    case DT_SYMTAB:
        di->symtab = v;
        break;
    case DT_SYMENT:
        di->syment = v;
        break;
    case DT_HASH:
        di->hash = v;
        break;
    case DT_GNU_HASH:
        di->gnu_hash = v;
        break;
    case DT_VERSYM:
        di->versym = v;
        break;
    case DT_VERNEED:
        di->verneed = v;
        break;
    case DT_VERNEEDNUM:
        di->verneednum = v;
        break;
    case DT_VERDEF:
        di->verdef = v;
        break;
    case DT_VERDEFNUM:
        di->verdefnum = v;
        break;
    case DT_RELA:
        di->rela = v;
        break;
    case DT_RELASZ:
        di->relasz = v;
        break;
    case DT_REL:
        di->rel = v;
        break;
    case DT_RELSZ:
        di->relsz = v;
        break;
    case DT_JMPREL:
        di->jmprel = v;
        break;
    case DT_PLTRELSZ:
        di->pltrelsz = v;
        break;
    case DT_PLTREL:
        di->pltrel = v;
        break;
    default:
        break;
    }
}

/* Symbol idx of syms, if it is an undefined, non-weak Py* / _Py* symbol seen for the first
 * time (a bit of seen each): its name; else NULL. */
static const char *first_py_bind(Elf_Data *syms, size_t idx, const struct elfread_strtab *st,
                                 unsigned char *seen)
{
    GElf_Sym mem, *sym;
    const char *name;

    if (seen[idx / 8] >> (idx % 8) & 1) {
        return NULL;
    }
    seen[idx / 8] |= (unsigned char)(1u << (idx % 8));
    sym = gelf_getsym(syms, (int)idx, &mem);
    name = sym ? elfread_str(st, sym->st_name) : NULL;
    return name && sym->st_shndx == SHN_UNDEF && GELF_ST_BIND(sym->st_info) != STB_WEAK &&
                   elfread_is_py(name)
               ? name
               : NULL;
}

static int cmp_name(const void *key, const void *elem)
{
    return strcmp(key, *(char *const *)elem);
}

/* name, as py_imports (sorted by now) holds it, onto order: py_binds borrows its strings. */
static void push_bind(struct elfinfo *v, struct strvec *order, const char *name)
{
    char **at = bsearch(name, v->py_imports.v, v->py_imports.nr, sizeof(char *), cmp_name);

    if (at) {
        strvec_push_nodup(order, *at);
    }
}

/* The symbol each relocation of the table at addr (size bytes, RELA or REL entries) names, in
 * order: the undefined, non-weak Py* / _Py* ones not seen yet go to *order. */
static void walk_relocs(struct elfinfo *v, Elf *elf, const struct segments *s, uint64_t addr,
                        uint64_t size, bool rela, Elf_Data *syms, size_t nsyms,
                        const struct elfread_strtab *st, unsigned char *seen, struct strvec *order)
{
    size_t entsize = gelf_fsize(elf, rela ? ELF_T_RELA : ELF_T_REL, 1, EV_CURRENT), n;
    Elf_Data *d = entsize ? chunk(elf, s, addr, size, rela ? ELF_T_RELA : ELF_T_REL) : NULL;
    bool is64 = gelf_getclass(elf) == ELFCLASS64;

    if (!addr || !size) {
        return;
    }
    if (!d) {
        elfread_error(v, "relocations outside the loadable segments");
        return;
    }
    /* The table in memory form (libelf translated it): each r_info read in place, not through
     * a gelf_getrela() call per entry of tables whose entries are mostly RELATIVE ones. */
    n = d->d_size / (is64   ? rela ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel)
                       : rela ? sizeof(Elf32_Rela)
                            : sizeof(Elf32_Rel));
    for (size_t i = 0; i < n && order->nr < v->py_binds.nr; i++) {
        size_t idx;
        const char *name;
        if (is64) {
            idx = ELF64_R_SYM(rela ? ((const Elf64_Rela *)d->d_buf)[i].r_info
                                   : ((const Elf64_Rel *)d->d_buf)[i].r_info);
        } else {
            idx = ELF32_R_SYM(rela ? ((const Elf32_Rela *)d->d_buf)[i].r_info
                                   : ((const Elf32_Rel *)d->d_buf)[i].r_info);
        }
        if (idx && idx < nsyms && (name = first_py_bind(syms, idx, st, seen)) != NULL) {
            push_bind(v, order, name);
        }
    }
}

/* v->py_binds (in symbol order) in the order ld.so binds them, from the relocations: glibc
 * processes DT_RELA (DT_REL) first, then DT_JMPREL, and stops at the first symbol it cannot
 * bind (elf/dynamic-link.h, elf/do-rel.h). Where the two overlap, a symbol counts once. */
static void bind_order(struct elfinfo *v, Elf *elf, const struct segments *s,
                       const struct dyninfo *di, Elf_Data *syms, size_t nsyms,
                       const struct elfread_strtab *st)
{
    struct strvec order = STRVEC_INIT;
    unsigned char *seen;
    bool plt_rela = di->pltrel ? di->pltrel == DT_RELA : di->rela != 0;

    if (!v->py_binds.nr || v->py_imports.nr >= ELFREAD_MAX_PY_IMPORTS ||
        (!di->rela && !di->rel && !di->jmprel)) {
        return; /* none, more than were kept (symbol order, then), or no relocations */
    }
    seen = xcalloc(nsyms / 8 + 1, 1);
    walk_relocs(v, elf, s, di->rela, di->relasz, true, syms, nsyms, st, seen, &order);
    walk_relocs(v, elf, s, di->rel, di->relsz, false, syms, nsyms, st, seen, &order);
    walk_relocs(v, elf, s, di->jmprel, di->pltrelsz, plt_rela, syms, nsyms, st, seen, &order);
    for (size_t i = 1; i < nsyms && order.nr < v->py_binds.nr; i++) {
        const char *name = first_py_bind(syms, i, st, seen); /* no relocation names it: last */
        if (name) {
            push_bind(v, &order, name);
        }
    }
    free(v->py_binds.v); /* py_imports' strings */
    v->py_binds = order;
    free(seen);
}

/* The symbols and their versions, once the string table is known. */
static void read_tables(struct elfinfo *v, Elf *elf, const struct segments *s,
                        const struct dyninfo *di, const struct elfread_strtab *st)
{
    struct elfread_vermap *map = xmalloc(sizeof(*map));
    size_t nsyms = count_symbols(elf, s, di), symsize = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
    Elf_Data *d;

    map->nr = 0; /* only its first nr entries are ever read: no need to zero 48 KiB per object */
    if (di->verneed && di->verneednum) {
        if ((d = chunk(elf, s, di->verneed, 0, ELF_T_VNEED)) != NULL) {
            elfread_verneed(v, d, di->verneednum, st, map);
        } else {
            elfread_error(v, "DT_VERNEED outside the loadable segments");
        }
    }
    if (di->verdef && di->verdefnum) {
        if ((d = chunk(elf, s, di->verdef, 0, ELF_T_VDEF)) != NULL) {
            elfread_verdef(v, d, di->verdefnum, st);
        } else {
            elfread_error(v, "DT_VERDEF outside the loadable segments");
        }
    }
    if (di->symtab && nsyms > ELFREAD_MAX_SYMBOLS) {
        elfread_error(v, "dynamic symbol count out of range");
    } else if (di->symtab && nsyms && symsize) {
        Elf_Data *syms = chunk(elf, s, di->symtab, (uint64_t)nsyms * symsize, ELF_T_SYM);
        Elf_Data *vers =
            di->versym ? chunk(elf, s, di->versym, (uint64_t)nsyms * 2, ELF_T_HALF) : NULL;
        if (syms) {
            elfread_symbols(v, syms, nsyms, vers, st, map);
            v->dynsym_count = nsyms;
            bind_order(v, elf, s, di, syms, nsyms, st);
        } else {
            elfread_error(v, "DT_SYMTAB outside the loadable segments");
        }
    }
    free(map);
}

void elfread_dynamic(struct elfinfo *v, Elf *elf, const unsigned char *base, size_t len)
{
    struct segments *s = xcalloc(1, sizeof(*s));
    struct dyninfo di = {0};
    GElf_Phdr dynph = {0};
    struct elfread_strtab st = {NULL, 0, NULL, 0};
    Elf_Data *dyn = NULL;
    size_t phnum = 0, n;
    uint64_t off, room;

    s->len = len;
    if (elf_getphdrnum(elf, &phnum) != 0) {
        goto out;
    }
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr mem, *ph = gelf_getphdr(elf, (int)i, &mem);
        if (ph && ph->p_type == PT_LOAD && s->nload < MAX_LOADS) {
            s->load[s->nload++] = *ph;
        } else if (ph && ph->p_type == PT_DYNAMIC && !v->has_dynamic) {
            dynph = *ph;
            v->has_dynamic = true;
        }
    }
    if (!v->has_dynamic) {
        goto out;
    }
    if (dynph.p_offset > len || dynph.p_filesz > len - dynph.p_offset ||
        !(dyn = elf_getdata_rawchunk(elf, (int64_t)dynph.p_offset, (size_t)dynph.p_filesz,
                                     ELF_T_DYN))) {
        elfread_error(v, "dynamic segment outside the file");
        goto out;
    }
    n = dyn->d_size / gelf_fsize(elf, ELF_T_DYN, 1, EV_CURRENT);
    for (size_t i = 0; i < n; i++) {
        GElf_Dyn mem, *d = gelf_getdyn(dyn, (int)i, &mem);
        if (!d || d->d_tag == DT_NULL) {
            break;
        }
        note_tag(&di, d);
    }
    /* The strings first: the entries that name things point into them. */
    if (!di.strtab || !map_addr(s, di.strtab, di.strsz ? di.strsz : 1, &off, &room)) {
        elfread_error(v, "DT_STRTAB outside the loadable segments");
        goto out;
    }
    st.raw = (const char *)base + off;
    st.size = (size_t)(di.strsz && di.strsz <= room ? di.strsz : room);
    for (size_t i = 0; i < n; i++) {
        GElf_Dyn mem, *d = gelf_getdyn(dyn, (int)i, &mem);
        if (!d || d->d_tag == DT_NULL) {
            break;
        }
        elfread_dyn_entry(v, d, &st);
    }
    read_tables(v, elf, s, &di, &st);
out:
    free(s);
}
