/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: a file name through the extension-module grammar (pyname_parse),
 * as pyclass_classify() gives it the base name of a bundle member. A member name is a C
 * string, so the input ends at its first NUL byte; the base name is what follows the
 * last '/'. The result is checked against what pyname.h promises (kind, the owned
 * strings all set or all NULL, module + suffix is the name, versions in range), then
 * released with pyext_name_release().
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "pyclass.h"
#include "pyname.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Compiled once, as the application does, and read-only afterwards. */
static struct pyname *grammar;
static const struct pyext_name zeroed;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct diag d = DIAG_INIT;

    grammar = pyname_new(&d);
    if (!grammar) {
        fprintf(stderr, "fuzz_pyname: %s\n", d.msg);
        abort();
    }
    return 0;
}

static void check_result(const char *base, enum pyext_kind kind, const struct pyext_name *n)
{
    FUZZ_CHECK(kind == n->kind);
    FUZZ_CHECK(kind >= PYEXT_NONE && kind <= PYEXT_WINDOWS);
    FUZZ_CHECK(strnlen(n->abiflags, sizeof(n->abiflags)) < sizeof(n->abiflags));
    fuzz_touch(pyname_kind_name(kind));
    if (kind == PYEXT_NONE) {
        FUZZ_CHECK(!memcmp(n, &zeroed, sizeof(zeroed))); /* "with out zeroed" */
        return;
    }
    /* "all set for a module name" */
    FUZZ_CHECK(n->module && n->suffix && n->platform);
    fuzz_touch(n->platform);
    /* module: the part before the first dot; suffix: from the first dot. */
    FUZZ_CHECK(n->module[0] != '\0' && !strchr(n->module, '.'));
    FUZZ_CHECK(n->suffix[0] == '.');
    FUZZ_CHECK(strlen(n->module) + strlen(n->suffix) == strlen(base));
    FUZZ_CHECK(!strncmp(base, n->module, strlen(n->module)));
    FUZZ_CHECK(!strcmp(base + strlen(n->module), n->suffix));
    switch (kind) {
    case PYEXT_CPYTHON:
        FUZZ_CHECK((n->major == 2 || n->major == 3) && n->minor >= 0 && n->minor <= 99);
        break;
    case PYEXT_ABI3:
        FUZZ_CHECK(n->major == 3);
        break;
    case PYEXT_WINDOWS:
        FUZZ_CHECK(n->major == 0 || ((n->major == 2 || n->major == 3) && n->minor <= 99));
        break;
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *name = malloc(size + 1);
    const char *base;
    struct pyext_name out;
    enum pyext_kind kind;

    if (!name) {
        return 0;
    }
    if (size) {
        memcpy(name, data, size);
    }
    name[size] = '\0';
    base = strrchr(name, '/');
    base = base ? base + 1 : name;
    kind = pyname_parse(grammar, base, &out);
    check_result(base, kind, &out);
    pyext_name_release(&out);
    FUZZ_CHECK(!memcmp(&out, &zeroed, sizeof(zeroed))); /* released: zeroed */
    pyext_name_release(&out);                           /* and a zeroed one is accepted */
    (void)pyclass_shared_object_name(base);
    free(name);
    return 0;
}
