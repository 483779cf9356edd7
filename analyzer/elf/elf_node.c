/* SPDX-License-Identifier: MIT */
/*
 * What an addon says of the Node.js it needs, beyond its symbols' names.
 *
 * The NODE_MODULE_VERSION of an addon built with node.h's NODE_MODULE: a static
 *   node::node_module _module = {NODE_MODULE_VERSION, flags, ...};
 * (src/node.h) that a static constructor hands to node_module_register(). Its first field
 * is the version, an int in the object's byte order. The object is local: .symtab names it
 * (_module in C, _ZL7_module in C++) unless the addon was stripped.
 *
 * The Node-API version a Node-API addon asks for: node_api_module_get_api_version_v1()
 * returns NAPI_VERSION as compiled (src/node_api.h NAPI_MODULE_INIT); compiled, it is one
 * constant loaded and returned, which is read from its first instructions.
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

/* The file bytes at virtual address addr, up to n of them, through the PT_LOAD that maps
 * it; NULL when none does. */
static const unsigned char *code_at(Elf *elf, uint64_t addr, size_t n)
{
    size_t size = 0, phnum = 0;
    const unsigned char *raw = (const unsigned char *)elf_rawfile(elf, &size);

    if (!raw || elf_getphdrnum(elf, &phnum) != 0) {
        return NULL;
    }
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr mem, *ph = gelf_getphdr(elf, (int)i, &mem);
        if (!ph || ph->p_type != PT_LOAD || addr < ph->p_vaddr ||
            addr - ph->p_vaddr >= ph->p_filesz) {
            continue;
        }
        uint64_t off = ph->p_offset + (addr - ph->p_vaddr);
        return off <= size && n <= size - off && addr - ph->p_vaddr <= ph->p_filesz - n ? raw + off
                                                                                        : NULL;
    }
    return NULL;
}

static uint32_t le32(const unsigned char *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* x86-64: [endbr64] [push %rbp; mov %rsp,%rbp] mov $imm32,%eax [pop %rbp] ret. */
static long x86_64_constant(const unsigned char *c)
{
    static const unsigned char endbr64[] = {0xf3, 0x0f, 0x1e, 0xfa},
                               frame[] = {0x55, 0x48, 0x89, 0xe5};
    bool framed = false;

    if (!memcmp(c, endbr64, 4)) {
        c += 4;
    }
    if (!memcmp(c, frame, 4)) {
        c += 4;
        framed = true;
    }
    if (c[0] != 0xb8) {
        return -1;
    }
    uint32_t v = le32(c + 1);
    c += 5;
    if (framed && *c++ != 0x5d) {
        return -1;
    }
    return *c == 0xc3 && v <= 1000 ? (long)v : -1;
}

/* AArch64: [bti c | paciasp] movz w0, #imm16 ; ret. */
static long aarch64_constant(const unsigned char *c)
{
    uint32_t insn = le32(c);

    if (insn == 0xd503245f || insn == 0xd503233f) {
        insn = le32(c += 4);
    }
    if ((insn & 0xffe0001f) != 0x52800000 || le32(c + 4) != 0xd65f03c0) {
        return -1;
    }
    return (long)((insn >> 5) & 0xffff);
}

long elfread_napi_version(Elf *elf, uint64_t addr)
{
    GElf_Ehdr mem, *eh = gelf_getehdr(elf, &mem);
    const unsigned char *code = code_at(elf, addr, 16);

    if (!eh || !code || eh->e_ident[EI_DATA] != ELFDATA2LSB) {
        return -1;
    }
    return eh->e_machine == EM_X86_64    ? x86_64_constant(code)
           : eh->e_machine == EM_AARCH64 ? aarch64_constant(code)
                                         : -1;
}
