/* SPDX-License-Identifier: MIT */
/*
 * What strip --strip-unneeded saves on a shared object or an executable, to the byte: the
 * file GNU binutils writes, laid out as it lays it out (bfd/elf.c, as binutils 2.40 does).
 *
 *   - The sections it removes: .symtab and the string table it links to, the debug
 *     sections (.debug_*, .zdebug_*, .gnu.debuglto_*, .stab, .stabstr, .gdb_index) and
 *     the relocations that apply to them.
 *   - What the segments hold stays where it is: the file keeps its bytes up to the end of
 *     the last segment's (and of the program headers).
 *   - After them, the sections no segment holds, in their order, each at an offset
 *     aligned to its own alignment; then the section names (.shstrtab), rebuilt from the
 *     names kept (a name that ends another is stored once, inside it); then the section
 *     header table, aligned to 8 bytes (4 in a 32-bit file), one header per section kept.
 *   - Whatever else the file held (bytes no section or segment claims) is gone.
 *
 * Anything else (a relocatable object, a removed section inside a segment, a section kept
 * that links to a removed one, extended section numbering) is not laid out here: the
 * saving is then the removed sections' bytes alone, which strip saves at least, and
 * strip_exact says so.
 */
#include <stdlib.h>
#include <string.h>

#include "elfinfo_int.h"
#include "xalloc.h"

/* More sections than this and the layout is not worked out (the names are sorted). */
#define STRIP_MAX_SECTIONS 65535

struct sec {
    GElf_Shdr sh;
    const char *name;
    bool removed;
    bool in_segment;
};

static bool debug_name(const char *name)
{
    return !strncmp(name, ".debug_", 7) || !strncmp(name, ".zdebug_", 8) ||
           !strncmp(name, ".gnu.debuglto_", 14) || !strcmp(name, ".stab") ||
           !strcmp(name, ".stabstr") || !strcmp(name, ".gdb_index");
}

static uint64_t align_up(uint64_t off, uint64_t align)
{
    return align > 1 ? (off + align - 1) / align * align : off;
}

static int cmp_rev(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The bytes of a string table holding names (and "" at its start): a name that ends
 * another one is stored inside it (BFD's _bfd_elf_strtab_finalize), a repeated name once. */
static uint64_t strtab_bytes(const char **names, size_t n)
{
    char **rev = xcalloc(n + 1, sizeof(*rev));
    uint64_t bytes = 1;
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        if (!len) {
            continue; /* the empty name is the table's first byte */
        }
        rev[k] = xmalloc(len + 1);
        for (size_t j = 0; j < len; j++) {
            rev[k][j] = names[i][len - 1 - j];
        }
        rev[k++][len] = '\0';
    }
    qsort(rev, k, sizeof(*rev), cmp_rev);
    for (size_t i = 0; i < k; i++) {
        size_t len = strlen(rev[i]);
        /* In reversed order a suffix is a prefix of the names that follow it. */
        if (i + 1 < k && !strncmp(rev[i], rev[i + 1], len)) {
            continue;
        }
        bytes += len + 1;
    }
    for (size_t i = 0; i < k; i++) {
        free(rev[i]);
    }
    free(rev);
    return bytes;
}

/* Whether the section's bytes lie in the file range of a loadable segment (or any segment
 * with bytes: what a segment holds, strip leaves where it is). */
static bool inside(const GElf_Shdr *sh, const GElf_Phdr *ph, size_t phnum)
{
    for (size_t i = 0; i < phnum; i++) {
        uint64_t end = ph[i].p_offset + ph[i].p_filesz;
        if (!ph[i].p_filesz || end < ph[i].p_offset) {
            continue;
        }
        if (sh->sh_type == SHT_NOBITS) {
            if ((sh->sh_flags & SHF_ALLOC) && ph[i].p_type == PT_LOAD &&
                sh->sh_addr >= ph[i].p_vaddr && sh->sh_addr - ph[i].p_vaddr <= ph[i].p_memsz) {
                return true;
            }
            continue;
        }
        if (sh->sh_offset >= ph[i].p_offset && sh->sh_offset < end &&
            sh->sh_size <= end - sh->sh_offset) {
            return true;
        }
    }
    return false;
}

/* The saving as the removed sections' bytes alone: what strip saves at least. */
static void at_least(struct elfinfo *v)
{
    v->strip_saves = v->debug_bytes + v->symtab_bytes;
    v->strip_exact = false;
}

void elfread_strip(struct elfinfo *v, Elf *elf)
{
    GElf_Ehdr eh;
    GElf_Phdr *ph = NULL;
    struct sec *s = NULL;
    const char **names = NULL;
    size_t shnum = 0, phnum = 0, shstrndx = 0, filesize = 0, kept = 0, nnames = 0;
    uint64_t off = 0;
    bool exact = true;

    if (!v->debug_bytes && !v->symtab_bytes) {
        v->strip_saves = 0;
        v->strip_exact = true; /* nothing to remove: strip is not asked for */
        return;
    }
    if (!gelf_getehdr(elf, &eh) || (eh.e_type != ET_DYN && eh.e_type != ET_EXEC) ||
        elf_getshdrnum(elf, &shnum) != 0 || elf_getphdrnum(elf, &phnum) != 0 ||
        elf_getshdrstrndx(elf, &shstrndx) != 0 || !elf_rawfile(elf, &filesize) || !phnum ||
        shnum < 2 || shnum > STRIP_MAX_SECTIONS || eh.e_shnum != shnum || shstrndx >= shnum ||
        eh.e_shstrndx != shstrndx || phnum > filesize / 32 || eh.e_phoff > filesize) {
        at_least(v);
        return;
    }
    ph = xcalloc(phnum, sizeof(*ph));
    for (size_t i = 0; i < phnum && exact; i++) {
        exact = gelf_getphdr(elf, (int)i, &ph[i]) != NULL && ph[i].p_offset <= filesize &&
                ph[i].p_filesz <= filesize;
        if (exact && ph[i].p_filesz && ph[i].p_offset + ph[i].p_filesz > off) {
            off = ph[i].p_offset + ph[i].p_filesz;
        }
    }
    /* The headers before the segments stay too. */
    if (eh.e_phoff + (uint64_t)phnum * eh.e_phentsize > off) {
        off = eh.e_phoff + (uint64_t)phnum * eh.e_phentsize;
    }
    s = xcalloc(shnum, sizeof(*s));
    for (size_t i = 1; i < shnum && exact; i++) {
        Elf_Scn *scn = elf_getscn(elf, i);
        exact =
            scn && gelf_getshdr(scn, &s[i].sh) &&
            (s[i].name = elf_strptr(elf, shstrndx, s[i].sh.sh_name)) != NULL &&
            (s[i].sh.sh_type == SHT_NOBITS ||
             (s[i].sh.sh_offset <= filesize && s[i].sh.sh_size <= filesize - s[i].sh.sh_offset)) &&
            s[i].sh.sh_addralign <= filesize;
    }
    /* What goes: the symbol table and its strings, the debug sections, their relocations. */
    for (size_t i = 1; i < shnum && exact; i++) {
        if (s[i].sh.sh_type == SHT_SYMTAB) {
            s[i].removed = true;
            if (s[i].sh.sh_link && s[i].sh.sh_link < shnum && s[i].sh.sh_link != shstrndx &&
                s[s[i].sh.sh_link].sh.sh_type == SHT_STRTAB) {
                s[s[i].sh.sh_link].removed = true;
            }
        } else if (debug_name(s[i].name)) {
            s[i].removed = true;
        }
    }
    for (size_t i = 1; i < shnum && exact; i++) {
        if ((s[i].sh.sh_type == SHT_REL || s[i].sh.sh_type == SHT_RELA) &&
            !(s[i].sh.sh_flags & SHF_ALLOC) && s[i].sh.sh_info && s[i].sh.sh_info < shnum &&
            s[s[i].sh.sh_info].removed) {
            s[i].removed = true;
        }
    }
    for (size_t i = 1; i < shnum && exact; i++) {
        s[i].in_segment = inside(&s[i].sh, ph, phnum);
        if (s[i].removed) {
            exact = !s[i].in_segment && !(s[i].sh.sh_flags & SHF_ALLOC);
        } else {
            /* A section kept that names a removed one: strip would rewrite more than this,
             * but for a loaded relocation section (a static executable's .rela.plt) linked
             * to .symtab, whose link it clears. */
            bool reloc = s[i].sh.sh_type == SHT_REL || s[i].sh.sh_type == SHT_RELA;
            exact = !(s[i].sh.sh_link && s[i].sh.sh_link < shnum && s[s[i].sh.sh_link].removed &&
                      !(reloc && s[s[i].sh.sh_link].sh.sh_type == SHT_SYMTAB)) &&
                    ((s[i].sh.sh_flags & SHF_ALLOC) ? s[i].in_segment || !s[i].sh.sh_size
                                                    : !s[i].in_segment);
        }
    }
    if (!exact) {
        free(ph);
        free(s);
        at_least(v);
        return;
    }
    /* The sections no segment holds, in order; the section names last. */
    names = xcalloc(shnum, sizeof(*names));
    for (size_t i = 1; i < shnum; i++) {
        if (s[i].removed) {
            continue;
        }
        kept++;
        names[nnames++] = s[i].name;
        if (s[i].in_segment || i == shstrndx || (s[i].sh.sh_flags & SHF_ALLOC)) {
            continue;
        }
        off = align_up(off, s[i].sh.sh_addralign);
        off += s[i].sh.sh_type == SHT_NOBITS ? 0 : s[i].sh.sh_size;
    }
    off = align_up(off, s[shstrndx].sh.sh_addralign);
    off += strtab_bytes(names, nnames);
    off = align_up(off, gelf_getclass(elf) == ELFCLASS64 ? 8 : 4);
    off += (uint64_t)(kept + 1) * eh.e_shentsize;
    if (off > filesize) {
        at_least(v);
    } else {
        v->strip_saves = filesize - off;
        v->strip_exact = true;
    }
    free(names);
    free(ph);
    free(s);
}
