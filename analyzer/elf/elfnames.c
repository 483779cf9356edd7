/* SPDX-License-Identifier: MIT */
/* Constant-to-name tables, each constant written once (pax-utils paxelf.c QUERY()). */
#include "elfnames.h"

#include <elf.h>
#include <stdio.h>

#include "xalloc.h"

/* glibc's <elf.h> names LoongArch from 2.36 on; the release builds against 2.31 (scripts/release). */
#ifndef EM_LOONGARCH
#define EM_LOONGARCH 258
#endif

struct pair {
    int value;
    const char *name;
};

/* Machine names as wheel platform tags and triplets spell them (PEP 599). */
static const struct pair machines[] = {
    {EM_386, "i386"},        {EM_X86_64, "x86_64"}, {EM_AARCH64, "aarch64"},
    {EM_ARM, "arm"},         {EM_PPC, "ppc"},       {EM_PPC64, "ppc64"},
    {EM_S390, "s390x"},      {EM_MIPS, "mips"},     {EM_RISCV, "riscv"},
    {EM_SPARCV9, "sparc64"}, {EM_IA_64, "ia64"},    {EM_LOONGARCH, "loongarch"},
};

static const struct pair classes[] = {{ELFCLASS32, "ELFCLASS32"}, {ELFCLASS64, "ELFCLASS64"}};
static const struct pair datas[] = {{ELFDATA2LSB, "little-endian"}, {ELFDATA2MSB, "big-endian"}};
static const char *lookup(const struct pair *t, size_t n, int v, const char *what, char *buf,
                          unsigned bufsz)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i].value == v) {
            return t[i].name;
        }
    }
    snprintf(buf, bufsz, "%s %d", what, v);
    return buf;
}

const char *elfnames_machine(int machine, char *buf, unsigned bufsz)
{
    return lookup(machines, ARRAY_SIZE(machines), machine, "machine", buf, bufsz);
}

const char *elfnames_class(int elfclass, char *buf, unsigned bufsz)
{
    return lookup(classes, ARRAY_SIZE(classes), elfclass, "class", buf, bufsz);
}

const char *elfnames_data(int data, char *buf, unsigned bufsz)
{
    return lookup(datas, ARRAY_SIZE(datas), data, "data", buf, bufsz);
}
