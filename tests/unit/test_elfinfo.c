/* SPDX-License-Identifier: MIT */
/* Unit tests for the ELF fact reader (elfinfo.c) on fixtures built from source. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfinfo.h"
#include "xalloc.h"

static unsigned char *load(const char *name, size_t *len)
{
    const char *dir = getenv("ABISCAN_TEST_FIXTURES");
    char *path;
    FILE *f;
    unsigned char *buf;
    long n;

    if (!dir) {
        fail_msg("ABISCAN_TEST_FIXTURES is not set (ctest sets it)");
    }
    path = xasprintf("%s/obj/%s", dir, name);
    f = fopen(path, "rb");
    if (!f) {
        fail_msg("cannot open fixture %s", path);
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = xmalloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    free(path);
    *len = (size_t)n;
    return buf;
}

struct row {
    const char *file;
    int rc, machine, elfclass, data, type;
    const char *soname, *needed0, *init0, *error;
};

static const struct row rows[] = {
    {"ext-ok-x86_64.so", 0, EM_X86_64, ELFCLASS64, ELFDATA2LSB, ET_DYN, NULL, NULL, "PyInit_ok",
     NULL},
    {"ext-arm-aarch64.so", 0, EM_AARCH64, ELFCLASS64, ELFDATA2LSB, ET_DYN, NULL, NULL, "PyInit_arm",
     NULL},
    {"ext-i386-i386.so", 0, EM_386, ELFCLASS32, ELFDATA2LSB, ET_DYN, NULL, NULL, "PyInit_i386",
     NULL},
    {"ext-ppc-ppc64.so", 0, EM_PPC64, ELFCLASS64, ELFDATA2MSB, ET_DYN, NULL, NULL, "PyInit_ppc",
     NULL},
    {"ext-py2mod-x86_64.so", 0, EM_X86_64, ELFCLASS64, ELFDATA2LSB, ET_DYN, NULL, NULL,
     "initpy2mod", NULL},
    {"lib-x86_64.so", 0, EM_X86_64, ELFCLASS64, ELFDATA2LSB, ET_DYN, "libhelper.so.1", NULL, NULL,
     NULL},
    {"exe-aarch64", 0, EM_AARCH64, ELFCLASS64, ELFDATA2LSB, ET_EXEC, NULL, NULL, NULL, NULL},
    {"obj-aarch64.o", 0, EM_AARCH64, ELFCLASS64, ELFDATA2LSB, ET_REL, NULL, NULL, NULL, NULL},
    {"ext-fcntl64-x86_64.so", 0, EM_X86_64, ELFCLASS64, ELFDATA2LSB, ET_DYN, NULL, "libc.so.6",
     "PyInit_fcntl", NULL},
    {"trunc-x86_64.so", 0, EM_X86_64, ELFCLASS64, ELFDATA2LSB, ET_DYN, NULL, NULL, NULL,
     "truncated"},
    {"badclass-x86_64.so", -1, -1, 7, ELFDATA2LSB, -1, NULL, NULL, NULL, "EI_CLASS"},
    {"ext-mac-macho.so", -1, -1, -1, -1, -1, NULL, NULL, NULL, "no ELF magic"},
};

static void elfinfo__reads_fixture_facts(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct row *r = &rows[i];
        size_t len;
        unsigned char *buf = load(r->file, &len);
        struct elfinfo e;
        int rc = elfinfo_from_memory(&e, buf, len);
        if (rc != r->rc || e.machine != r->machine ||
            (r->elfclass >= 0 && e.elfclass != r->elfclass) ||
            (r->data >= 0 && e.data != r->data) || e.type != r->type) {
            fail_msg("%s: rc %d machine %d class %d data %d type %d", r->file, rc, e.machine,
                     e.elfclass, e.data, e.type);
        }
        if ((r->soname && (!e.soname || strcmp(e.soname, r->soname))) ||
            (r->needed0 && (!e.needed.nr || strcmp(e.needed.v[0], r->needed0))) ||
            (r->init0 && (!e.init_symbols.nr || strcmp(e.init_symbols.v[0], r->init0))) ||
            (r->error ? !e.error || !strstr(e.error, r->error) : e.error != NULL)) {
            fail_msg("%s: soname %s needed %s init %s error %s", r->file, e.soname ? e.soname : "-",
                     e.needed.nr ? e.needed.v[0] : "-",
                     e.init_symbols.nr ? e.init_symbols.v[0] : "-", e.error ? e.error : "-");
        }
        elfinfo_release(&e);
        free(buf);
    }
}

/* Version needs and the symbols bound to them, as readelf -V --dyn-syms shows them. */
static void elfinfo__binds_imports_to_versions(void **state)
{
    size_t len;
    unsigned char *buf = load("ext-fcntl64-x86_64.so", &len);
    struct elfinfo e;
    int seen = 0;

    (void)state;
    assert_int_equal(elfinfo_from_memory(&e, buf, len), 0);
    assert_int_equal(e.verneed_nr, 2);
    for (size_t i = 0; i < e.verneed_nr; i++) {
        assert_string_equal(e.verneed[i].file, "libc.so.6");
        seen |= !strcmp(e.verneed[i].version, "GLIBC_2.28")    ? 1
                : !strcmp(e.verneed[i].version, "GLIBC_2.2.5") ? 2
                                                               : 4;
    }
    assert_int_equal(seen, 3);
    assert_int_equal(e.imports_nr, 2);
    for (size_t i = 0; i < e.imports_nr; i++) {
        if (!strcmp(e.imports[i].name, "fcntl64")) {
            assert_string_equal(e.imports[i].version, "GLIBC_2.28");
        } else {
            assert_string_equal(e.imports[i].name, "puts");
            assert_string_equal(e.imports[i].version, "GLIBC_2.2.5");
        }
    }
    elfinfo_release(&e);
    free(buf);
}

/* The C API symbols in the order ld.so binds them: the GOT's data object (DT_RELA) before the
 * PLT's functions (DT_JMPREL), the weak one left out; the same through the program headers
 * alone. py_imports keeps them all, sorted. */
static void elfinfo__orders_py_binds_as_ld_so(void **state)
{
    static const char *const files[] = {"ext-binds-x86_64.so", "ext-binds-nosections.so"};

    (void)state;
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        size_t len;
        unsigned char *buf = load(files[f], &len);
        struct elfinfo e;
        assert_int_equal(elfinfo_from_memory(&e, buf, len), 0);
        assert_int_equal(e.py_imports.nr, 4);
        assert_string_equal(e.py_imports.v[0], "PyA_First");
        assert_string_equal(e.py_imports.v[1], "PyA_Weak");
        assert_int_equal(e.py_binds.nr, 3);
        assert_string_equal(e.py_binds.v[0], "PyZ_Data");
        for (size_t i = 1; i < e.py_binds.nr; i++) {
            assert_true(!strcmp(e.py_binds.v[i], "PyA_First") ||
                        !strcmp(e.py_binds.v[i], "PyB_Second"));
        }
        assert_string_not_equal(e.py_binds.v[1], e.py_binds.v[2]);
        elfinfo_release(&e);
        free(buf);
    }
}

/* Every prefix of a real object: never a crash, and the header facts whenever it is whole. */
static void elfinfo__survives_every_truncation(void **state)
{
    size_t len;
    unsigned char *full = load("ext-fcntl64-x86_64.so", &len);

    (void)state;
    for (size_t n = 0; n <= len; n++) {
        unsigned char *copy = xmalloc(n + 1);
        struct elfinfo e;
        int rc;
        memcpy(copy, full, n);
        rc = elfinfo_from_memory(&e, copy, n);
        if (n >= sizeof(Elf64_Ehdr)) {
            assert_int_equal(rc, 0);
            assert_int_equal(e.machine, EM_X86_64);
        } else {
            assert_int_equal(rc, -1);
            assert_non_null(e.error);
        }
        if (n < len && !e.error) {
            fail_msg("cut at %zu of %zu bytes, reported as whole", n, len);
        }
        elfinfo_release(&e);
        free(copy);
    }
    free(full);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(elfinfo__reads_fixture_facts),
        cmocka_unit_test(elfinfo__binds_imports_to_versions),
        cmocka_unit_test(elfinfo__orders_py_binds_as_ld_so),
        cmocka_unit_test(elfinfo__survives_every_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
