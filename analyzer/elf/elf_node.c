/* SPDX-License-Identifier: MIT */
/*
 * The NODE_MODULE_VERSION of an addon built with node.h's NODE_MODULE: a static
 *   node::node_module _module = {NODE_MODULE_VERSION, flags, ...};
 * (src/node.h) that a static constructor hands to node_module_register(). Its first field
 * is the version, an int in the object's byte order. The object is local: .symtab names it
 * (_module in C, _ZL7_module in C++) unless the addon was stripped.
 */
#include <string.h>

#include "elfinfo_int.h"

/* The int at address addr of section scn's contents, from the file's bytes. */
static long read_int(Elf *elf, Elf_Scn *scn, GElf_Addr addr)
{
    GElf_Shdr mem, *sh = gelf_getshdr(scn, &mem);
    size_t size = 0;
    const unsigned char *raw = (const unsigned char *)elf_rawfile(elf, &size);
    const unsigned char *ident = (const unsigned char *)elf_getident(elf, NULL);

    if (!sh || !raw || !ident || sh->sh_type != SHT_PROGBITS || sh->sh_size < 4 || size < 4 ||
        addr < sh->sh_addr || addr - sh->sh_addr > sh->sh_size - 4 || sh->sh_offset > size - 4 ||
        addr - sh->sh_addr > size - 4 - sh->sh_offset) {
        return -1; /* not file bytes of a section, or past the end of the file */
    }
    const unsigned char *b = raw + sh->sh_offset + (addr - sh->sh_addr);
    unsigned long v = ident[EI_DATA] == ELFDATA2MSB
                          ? (unsigned long)b[0] << 24 | (unsigned long)b[1] << 16 |
                                (unsigned long)b[2] << 8 | b[3]
                          : (unsigned long)b[3] << 24 | (unsigned long)b[2] << 16 |
                                (unsigned long)b[1] << 8 | b[0];
    return v <= 100000 ? (long)v : -1; /* a version, not whatever else sits there */
}

long elfread_node_module(Elf *elf)
{
    Elf_Scn *scn = NULL;

    while ((scn = elf_nextscn(elf, scn))) {
        GElf_Shdr mem, *sh = gelf_getshdr(scn, &mem);
        Elf_Data *data;
        if (!sh || sh->sh_type != SHT_SYMTAB || !sh->sh_entsize ||
            !(data = elf_getdata(scn, NULL))) {
            continue;
        }
        size_t n = sh->sh_size / sh->sh_entsize;
        for (size_t i = 1; i < n && i < ELFREAD_MAX_SYMBOLS; i++) {
            GElf_Sym smem, *sym = gelf_getsym(data, (int)i, &smem);
            const char *name = sym ? elf_strptr(elf, sh->sh_link, sym->st_name) : NULL;
            if (!name || GELF_ST_TYPE(sym->st_info) != STT_OBJECT || sym->st_size < 4 ||
                (strcmp(name, "_module") != 0 && strcmp(name, "_ZL7_module") != 0)) {
                continue;
            }
            return read_int(elf, elf_getscn(elf, sym->st_shndx), sym->st_value);
        }
    }
    return -1;
}
