/* SPDX-License-Identifier: MIT */
/*
 * ELF facts through libelf: the header, the program headers, and the two views of the
 * dynamic facts (elfinfo_int.h), merged; and the table walks both views share.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elfinfo_int.h"
#include "xalloc.h"

void elfread_error(struct elfinfo *info, const char *what)
{
    if (!info->error) {
        int e = elf_errno();
        info->error = e ? xasprintf("%s: %s", what, elf_errmsg(e)) : xstrdup(what);
    }
}

#define set_error elfread_error

const char *elfread_str(const struct elfread_strtab *st, size_t off)
{
    if (!st->raw) {
        return elf_strptr(st->elf, st->shndx, off);
    }
    if (off >= st->size || !memchr(st->raw + off, '\0', st->size - off)) {
        return NULL;
    }
    return st->raw + off;
}

bool elfinfo_is_elf(const void *data, size_t len)
{
    return len >= SELFMAG && !memcmp(data, ELFMAG, SELFMAG);
}

/* The identification bytes are read by hand so that a header libelf rejects
 * (bad class or data byte) still tells what it claims to be. */
static void read_ident(struct elfinfo *info, const unsigned char *p, size_t len)
{
    info->elfclass = len > EI_CLASS ? p[EI_CLASS] : ELFCLASSNONE;
    info->data = len > EI_DATA ? p[EI_DATA] : ELFDATANONE;
    info->osabi = len > EI_OSABI ? p[EI_OSABI] : 0;
}

static char *dup_str(const struct elfread_strtab *st, size_t off)
{
    const char *s = elfread_str(st, off);
    return s ? xstrdup(s) : NULL;
}

/* libelf quietly drops tables that lie past the end of an in-memory image;
 * ld.so fails on them ("file too short"). Say so, as readelf would. */
/* sh_size of section 0, read by hand: libelf will not give section 0 of a table it
 * finds out of reach. 1 when it cannot be read (the table is then cut short anyway). */
static size_t extended_shnum(const GElf_Ehdr *eh, const unsigned char *base, size_t len)
{
    bool is64 = eh->e_ident[EI_CLASS] == ELFCLASS64;
    size_t at = is64 ? 32 : 20, width = is64 ? 8 : 4;
    uint64_t v = 0;

    if (eh->e_shoff >= len || len - eh->e_shoff < at + width) {
        return 1;
    }
    for (size_t i = 0; i < width; i++) {
        size_t k = eh->e_ident[EI_DATA] == ELFDATA2MSB ? i : width - 1 - i;
        v = v << 8 | base[eh->e_shoff + at + k];
    }
    return v > SIZE_MAX / 2 ? SIZE_MAX / 2 : (v ? (size_t)v : 1);
}

static void check_bounds(struct elfinfo *info, Elf *elf, const GElf_Ehdr *eh,
                         const unsigned char *base, size_t len)
{
    size_t shnum = 0;
    uint64_t end;

    if (eh->e_phnum) {
        end = eh->e_phoff + (uint64_t)eh->e_phnum * eh->e_phentsize;
        if (eh->e_phoff >= len || end > len || end < eh->e_phoff) {
            set_error(info, "truncated: program header table past the end of the file");
            return;
        }
    }
    /* From the header, not elf_getshdrnum(): libelf counts 0 sections when the table
     * is out of reach. e_shnum 0 with an offset means the count is section 0's sh_size. */
    if (eh->e_shoff) {
        shnum = eh->e_shnum ? eh->e_shnum : extended_shnum(eh, base, len);
        end = eh->e_shoff + (uint64_t)shnum * eh->e_shentsize;
        if (eh->e_shoff >= len || end > len || end < eh->e_shoff ||
            (uint64_t)shnum > len / (eh->e_shentsize ? eh->e_shentsize : 1)) {
            set_error(info, "truncated: section header table past the end of the file");
            return;
        }
    }
    for (size_t i = 0; i < eh->e_phnum; i++) {
        GElf_Phdr mem, *ph = gelf_getphdr(elf, (int)i, &mem);
        if (ph && ph->p_type == PT_LOAD &&
            (ph->p_offset > len || ph->p_filesz > len - ph->p_offset)) {
            set_error(info, "truncated: a loadable segment lies past the end of the file");
            return;
        }
    }
}

static void read_interp(struct elfinfo *info, Elf *elf, const char *base, size_t len)
{
    size_t phnum;

    if (elf_getphdrnum(elf, &phnum) != 0) {
        set_error(info, "program headers");
        return;
    }
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr mem, *ph = gelf_getphdr(elf, (int)i, &mem);
        if (!ph) {
            set_error(info, "program header");
            return;
        }
        if (ph->p_type == PT_DYNAMIC) {
            info->has_dynamic = true;
        }
        if (ph->p_type == PT_GNU_STACK) {
            info->gnu_stack = true;
            info->exec_stack = (ph->p_flags & PF_X) != 0;
        }
        if (ph->p_type == PT_INTERP && !info->interp) {
            if (ph->p_offset >= len || ph->p_filesz > len - ph->p_offset || !ph->p_filesz) {
                set_error(info, "PT_INTERP out of bounds");
                continue;
            }
            info->interp =
                xstrndup(base + ph->p_offset, strnlen(base + ph->p_offset, ph->p_filesz));
        }
    }
}

void elfread_dyn_entry(struct elfinfo *info, const GElf_Dyn *dyn, const struct elfread_strtab *st)
{
    char **slot = NULL;

    switch (dyn->d_tag) {
    case DT_NEEDED: {
        char *s = dup_str(st, dyn->d_un.d_val);
        if (s) {
            strvec_push_nodup(&info->needed, s);
        } else {
            set_error(info, "DT_NEEDED string out of range");
        }
        return;
    }
    case DT_TEXTREL:
        info->textrel = true;
        return;
    case DT_FLAGS:
        info->textrel |= (dyn->d_un.d_val & DF_TEXTREL) != 0;
        return;
    case DT_SONAME:
        slot = &info->soname;
        break;
    case DT_RPATH:
        slot = &info->rpath;
        break;
    case DT_RUNPATH:
        slot = &info->runpath;
        break;
    default:
        return;
    }
    if (!*slot) {
        *slot = dup_str(st, dyn->d_un.d_val);
        if (!*slot) {
            set_error(info, "dynamic string out of range");
        }
    }
}

/* The next entry of a version chain: only forward, only inside the table. A hostile
 * vn_next/vd_next may wrap the offset or loop back; readelf bounds it the same way. */
static bool step(size_t *offset, uint64_t next, size_t size)
{
    if (!next || next > size || *offset > size - next) {
        return false;
    }
    *offset += (size_t)next;
    return true;
}

/* Walk the version needs as readelf's handle_verneed() does: bounded by the count and
 * vn_cnt, stepping by vn_next/vna_next, stopping at 0 or on any NULL. */
void elfread_verneed(struct elfinfo *info, Elf_Data *data, size_t count,
                     const struct elfread_strtab *st, struct elfread_vermap *map)
{
    size_t offset = 0;

    for (size_t cnt = 0; cnt < count && cnt < ELFREAD_MAX_VERSIONS && offset < data->d_size;
         cnt++) {
        GElf_Verneed nmem, *need = gelf_getverneed(data, (int)offset, &nmem);
        size_t auxoffset;
        const char *file;
        if (!need) {
            set_error(info, "version need entry");
            break;
        }
        file = elfread_str(st, need->vn_file);
        auxoffset = offset;
        if (!step(&auxoffset, need->vn_aux, data->d_size)) {
            set_error(info, "version need aux offset out of range");
            break;
        }
        for (size_t j = 0; j < need->vn_cnt && info->verneed_nr < ELFREAD_MAX_VERSIONS; j++) {
            GElf_Vernaux amem, *aux = gelf_getvernaux(data, (int)auxoffset, &amem);
            const char *name;
            struct elf_verneed *v;
            if (!aux) {
                set_error(info, "version need aux entry");
                break;
            }
            name = elfread_str(st, aux->vna_name);
            if (!name || !file) {
                set_error(info, "version need name out of range");
                break;
            }
            ALLOC_GROW(info->verneed, info->verneed_nr + 1, info->verneed_alloc);
            v = &info->verneed[info->verneed_nr];
            v->file = xstrdup(file);
            v->version = xstrdup(name);
            v->weak = (aux->vna_flags & VER_FLG_WEAK) != 0;
            if (map->nr < ELFREAD_MAX_VERSIONS) {
                map->idx[map->nr] = aux->vna_other & 0x7fff;
                map->verneed_at[map->nr++] = info->verneed_nr;
            }
            info->verneed_nr++;
            if (j + 1 < need->vn_cnt && !step(&auxoffset, aux->vna_next, data->d_size)) {
                set_error(info, "version need aux chain broken (vna_next)");
                break;
            }
        }
        if (cnt + 1 < count && !step(&offset, need->vn_next, data->d_size)) {
            set_error(info, "version need chain broken (vn_next)");
            break;
        }
    }
}

void elfread_verdef(struct elfinfo *info, Elf_Data *data, size_t count,
                    const struct elfread_strtab *st)
{
    size_t offset = 0;

    for (size_t cnt = 0; cnt < count && cnt < ELFREAD_MAX_VERSIONS && offset < data->d_size;
         cnt++) {
        GElf_Verdef dmem, *def = gelf_getverdef(data, (int)offset, &dmem);
        GElf_Verdaux amem, *aux;
        size_t auxoffset = offset;
        const char *name;
        if (!def) {
            set_error(info, "version definition entry");
            break;
        }
        aux = step(&auxoffset, def->vd_aux, data->d_size)
                  ? gelf_getverdaux(data, (int)auxoffset, &amem)
                  : NULL;
        name = aux ? elfread_str(st, aux->vda_name) : NULL;
        if (name && !(def->vd_flags & VER_FLG_BASE)) {
            strvec_push(&info->verdef, name);
        }
        if (cnt + 1 < count && !step(&offset, def->vd_next, data->d_size)) {
            set_error(info, "version definition chain broken (vd_next)");
            break;
        }
    }
}

bool elfread_is_py(const char *name)
{
    return !strncmp(name, "Py", 2) || !strncmp(name, "_Py", 3);
}

static bool is_init_symbol(const char *name)
{
    /* Python 3: PyInit_<name>; Python 2: init<name>. */
    return (!strncmp(name, "PyInit_", 7) && name[7]) || (!strncmp(name, "init", 4) && name[4]);
}

static bool is_node_symbol(const char *name)
{
    return !strncmp(name, "node_register_module_v", 22) ||
           !strncmp(name, "napi_register_module_v", 22) ||
           !strncmp(name, "node_api_module_get_api_version_v", 33);
}

static const char *version_of(const struct elfinfo *info, const struct elfread_vermap *map,
                              unsigned idx)
{
    for (size_t i = 0; i < map->nr; i++) {
        if (map->idx[i] == idx) {
            return info->verneed[map->verneed_at[i]].version;
        }
    }
    return NULL;
}

void elfread_symbols(struct elfinfo *info, Elf_Data *data, size_t n, Elf_Data *versym,
                     const struct elfread_strtab *st, const struct elfread_vermap *map)
{
    for (size_t i = 1; i < n; i++) {
        GElf_Sym mem, *sym = gelf_getsym(data, (int)i, &mem);
        const char *name;
        int bind, type;
        if (!sym) {
            set_error(info, "dynamic symbol");
            break;
        }
        name = elfread_str(st, sym->st_name);
        if (!name || !*name) {
            continue;
        }
        bind = GELF_ST_BIND(sym->st_info);
        type = GELF_ST_TYPE(sym->st_info);
        if (sym->st_shndx == SHN_UNDEF) {
            GElf_Versym vs;
            const char *ver;
            info->node_registers |= !strcmp(name, "node_module_register");
            if (elfread_is_py(name) && info->py_imports.nr < ELFREAD_MAX_PY_IMPORTS) {
                strvec_push(&info->py_imports, name);
                if (bind != STB_WEAK) { /* in symbol order; the relocations reorder them
                                         * (elf_dynamic.c); py_imports' string */
                    strvec_push_nodup(&info->py_binds, info->py_imports.v[info->py_imports.nr - 1]);
                }
            }
            if (!versym || !gelf_getversym(versym, (int)i, &vs)) {
                continue;
            }
            ver = (vs & 0x7fff) > 1 ? version_of(info, map, vs & 0x7fff) : NULL;
            if (ver) {
                ALLOC_GROW(info->imports, info->imports_nr + 1, info->imports_alloc);
                info->imports[info->imports_nr].name = xstrdup(name);
                info->imports[info->imports_nr++].version = ver;
            }
        } else if ((bind == STB_GLOBAL || bind == STB_WEAK) && type == STT_FUNC &&
                   is_init_symbol(name) && info->init_symbols.nr < ELFREAD_MAX_INIT_SYMBOLS) {
            strvec_push(&info->init_symbols, name);
        } else if ((bind == STB_GLOBAL || bind == STB_WEAK) && type == STT_FUNC &&
                   is_node_symbol(name) && info->node_symbols.nr < ELFREAD_MAX_INIT_SYMBOLS) {
            strvec_push(&info->node_symbols, name);
            if (!strcmp(name, "node_api_module_get_api_version_v1")) {
                info->napi_version_fn = sym->st_value;
            }
        }
    }
    strvec_sort(&info->py_imports);
    info->dynsym_count = n;
}

/* Move the dynamic facts (everything the two views read) from one view to another. */
static void take_dynamic(struct elfinfo *to, struct elfinfo *from)
{
    to->has_dynamic |= from->has_dynamic;
    to->soname = from->soname;
    to->rpath = from->rpath;
    to->runpath = from->runpath;
    to->needed = from->needed;
    to->textrel = from->textrel;
    from->soname = from->rpath = from->runpath = NULL;
    from->needed = (struct strvec)STRVEC_INIT;
}

static void take_versions(struct elfinfo *to, struct elfinfo *from)
{
    /* The imports point at version names of the same verneed array: they move together. */
    to->verneed = from->verneed;
    to->verneed_nr = from->verneed_nr;
    to->verneed_alloc = from->verneed_alloc;
    to->verdef = from->verdef;
    from->verneed = NULL;
    from->verneed_nr = from->verneed_alloc = 0;
    from->verdef = (struct strvec)STRVEC_INIT;
}

static void take_symbols(struct elfinfo *to, struct elfinfo *from)
{
    to->imports = from->imports;
    to->imports_nr = from->imports_nr;
    to->imports_alloc = from->imports_alloc;
    to->init_symbols = from->init_symbols;
    to->node_symbols = from->node_symbols;
    to->node_registers = from->node_registers;
    to->napi_version_fn = from->napi_version_fn;
    to->py_imports = from->py_imports;
    to->py_binds = from->py_binds;
    to->dynsym_count = from->dynsym_count;
    from->imports = NULL;
    from->imports_nr = from->imports_alloc = 0;
    from->init_symbols = from->py_imports = from->py_binds = (struct strvec)STRVEC_INIT;
    from->node_symbols = (struct strvec)STRVEC_INIT;
}

static bool same_strings(const struct strvec *a, const struct strvec *b)
{
    if (a->nr != b->nr) {
        return false;
    }
    for (size_t i = 0; i < a->nr; i++) {
        if (strcmp(a->v[i], b->v[i])) {
            return false;
        }
    }
    return true;
}

/* What the section headers say that the program headers do not: ld.so believes the
 * latter, readelf and most tools the former. */
static char *disagreement(const struct elfinfo *dyn, const struct elfinfo *sec)
{
    if (!sec->has_dynamic) {
        return NULL;
    }
    if (!same_strings(&dyn->needed, &sec->needed)) {
        char *a = strvec_join(&sec->needed, ", "), *b = strvec_join(&dyn->needed, ", ");
        char *out = xasprintf("the section headers list DT_NEEDED %s, the dynamic segment %s",
                              *a ? a : "(none)", *b ? b : "(none)");
        free(a);
        free(b);
        return out;
    }
    if (dyn->verneed_nr != sec->verneed_nr) {
        return xasprintf("the section headers list %zu version needs, the dynamic segment %zu",
                         sec->verneed_nr, dyn->verneed_nr);
    }
    if (sec->dynsym_count && dyn->dynsym_count && dyn->dynsym_count != sec->dynsym_count) {
        return xasprintf("the section headers hold %zu dynamic symbols, the hash table %zu",
                         sec->dynsym_count, dyn->dynsym_count);
    }
    return NULL;
}

/* The dynamic view where the object has one, the sections for what it lacks. */
static void merge_views(struct elfinfo *out, Elf *elf, const unsigned char *base, size_t len)
{
    struct elfinfo dyn, sec;

    memset(&dyn, 0, sizeof(dyn));
    memset(&sec, 0, sizeof(sec));
    elfread_dynamic(&dyn, elf, base, len);
    /* The sections' symbols are read only when the dynamic view cannot give them (below). */
    elfread_sections(&sec, elf, !dyn.has_dynamic || !dyn.dynsym_count);
    out->debug_bytes = sec.debug_bytes; /* only the section headers know */
    out->symtab_bytes = sec.symtab_bytes;
    out->comments = sec.comments;
    sec.comments = (struct strvec)STRVEC_INIT;
    elfread_strip(out, elf);
    if (dyn.has_dynamic) {
        /* The symbols and the versions they are bound to come from one view: the dynamic
         * one, unless it could not count the symbols (no hash table) and sections can. */
        struct elfinfo *tables = dyn.dynsym_count || !sec.dynsym_count ? &dyn : &sec;
        out->views_disagree = disagreement(&dyn, &sec);
        take_dynamic(out, &dyn);
        take_versions(out, tables);
        take_symbols(out, tables);
    } else {
        take_dynamic(out, &sec);
        take_versions(out, &sec);
        take_symbols(out, &sec);
    }
    out->node_module_version = out->node_registers ? elfread_node_module(elf) : -1;
    out->napi_version = out->napi_version_fn ? elfread_napi_version(elf, out->napi_version_fn) : -1;
    if (!out->error && (dyn.error || sec.error)) { /* the bounds check's reason comes first */
        out->error =
            dyn.error ? xasprintf("%s", dyn.error) : xasprintf("section headers: %s", sec.error);
    }
    elfinfo_release(&dyn);
    elfinfo_release(&sec);
}

/* libelf's version handshake writes a global: once, before any thread reads an object. */
static pthread_once_t libelf_once = PTHREAD_ONCE_INIT;

static void libelf_init(void)
{
    elf_version(EV_CURRENT);
}

int elfinfo_from_memory(struct elfinfo *out, void *data, size_t len)
{
    struct diag d = DIAG_INIT;
    Elf *elf = NULL;
    GElf_Ehdr ehdr;
    int ret = -1;

    memset(out, 0, sizeof(*out));
    out->type = out->machine = -1;
    read_ident(out, data, len);
    if (!elfinfo_is_elf(data, len)) {
        out->error = xstrdup("no ELF magic");
        return -1;
    }
    if (out->elfclass != ELFCLASS32 && out->elfclass != ELFCLASS64) {
        out->error = xasprintf("invalid ELF class byte (EI_CLASS) %d", out->elfclass);
        return -1;
    }
    if (out->data != ELFDATA2LSB && out->data != ELFDATA2MSB) {
        out->error = xasprintf("invalid ELF data byte (EI_DATA) %d", out->data);
        return -1;
    }
    if (elfapi_load(&d) != 0) {
        out->error = xstrdup(d.msg);
        return -1;
    }
    pthread_once(&libelf_once, libelf_init);
    elf = elf_memory(data, len);
    if (!elf || elf_kind(elf) != ELF_K_ELF) {
        set_error(out, "not an ELF object");
        goto out;
    }
    if (!gelf_getehdr(elf, &ehdr)) {
        set_error(out, "ELF header");
        goto out;
    }
    out->type = ehdr.e_type;
    out->machine = ehdr.e_machine;
    out->header_ok = true;
    ret = 0;
    check_bounds(out, elf, &ehdr, data, len);
    read_interp(out, elf, data, len);
    merge_views(out, elf, data, len);
out:
    elf_end(elf);
    return ret;
}

void elfinfo_release(struct elfinfo *info)
{
    if (!info) {
        return;
    }
    free(info->interp);
    free(info->soname);
    free(info->rpath);
    free(info->runpath);
    strvec_release(&info->needed);
    for (size_t i = 0; i < info->verneed_nr; i++) {
        free(info->verneed[i].file);
        free(info->verneed[i].version);
    }
    free(info->verneed);
    strvec_release(&info->verdef);
    for (size_t i = 0; i < info->imports_nr; i++) {
        free(info->imports[i].name);
    }
    free(info->imports);
    strvec_release(&info->init_symbols);
    strvec_release(&info->node_symbols);
    strvec_release(&info->py_imports);
    free(info->py_binds.v); /* py_imports' strings */
    strvec_release(&info->comments);
    free(info->views_disagree);
    free(info->error);
    memset(info, 0, sizeof(*info));
}
