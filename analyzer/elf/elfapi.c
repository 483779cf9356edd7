/* SPDX-License-Identifier: MIT */
/* libelf through dlopen (elfinfo_int.h); its soname comes from the build (CMake reads it). */
#include "dynlib.h"
#include "elfinfo_int.h"

static struct elfapi api;

const struct elfapi *const elfapi = &api;

/* The names and slots without elfinfo_int.h's macros, which turn each name into its slot. */
#undef elf_version
#undef elf_memory
#undef elf_end
#undef elf_kind
#undef elf_getident
#undef elf_errno
#undef elf_errmsg
#undef elf_rawfile
#undef elf_rawdata
#undef elf_getdata
#undef elf_getdata_rawchunk
#undef elf_getscn
#undef elf_nextscn
#undef elf_strptr
#undef elf_getshdrnum
#undef elf_getshdrstrndx
#undef elf_getphdrnum
#undef gelf_getclass
#undef gelf_getehdr
#undef gelf_getphdr
#undef gelf_getshdr
#undef gelf_getdyn
#undef gelf_getsym
#undef gelf_getversym
#undef gelf_getverneed
#undef gelf_getvernaux
#undef gelf_getverdef
#undef gelf_getverdaux
#undef gelf_getrela
#undef gelf_fsize

static const char *const names[] = {
#define ELF_NAME(fn) #fn,
    ELF_FUNCTIONS(ELF_NAME)
#undef ELF_NAME
};

static void **const slots[] = {
#define ELF_ADDR(fn) (void **)&api.fn,
    ELF_FUNCTIONS(ELF_ADDR)
#undef ELF_ADDR
};

static struct dynlib lib = DYNLIB_INIT(ABISCAN_LIBELF_SONAME, names, slots);

int elfapi_load(struct diag *d)
{
    return dynlib_load(&lib, "libelf", d);
}
