/* SPDX-License-Identifier: MIT */
/* Unit tests for the extension-module file-name grammar (pyname.c), one row per form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "pyname.h"

struct row {
    const char *name;
    enum pyext_kind kind;
    const char *module, *suffix;
    int major, minor;
    const char *flags, *platform;
    int module_suffix;
};

static const struct row rows[] = {
    /* CPython 3, PEP 3149 SOABI + multiarch triplet */
    {"json.cpython-35m-x86_64-linux-gnu.so", PYEXT_CPYTHON, "json",
     ".cpython-35m-x86_64-linux-gnu.so", 3, 5, "m", "x86_64-linux-gnu", 0},
    {"_core.cpython-311-aarch64-linux-gnu.so", PYEXT_CPYTHON, "_core",
     ".cpython-311-aarch64-linux-gnu.so", 3, 11, "", "aarch64-linux-gnu", 0},
    {"m.cpython-313t-x86_64-linux-gnu.so", PYEXT_CPYTHON, "m", ".cpython-313t-x86_64-linux-gnu.so",
     3, 13, "t", "x86_64-linux-gnu", 0},
    {"m.cpython-37dm-x86_64-linux-gnu.so", PYEXT_CPYTHON, "m", ".cpython-37dm-x86_64-linux-gnu.so",
     3, 7, "dm", "x86_64-linux-gnu", 0},
    {"m.cpython-311d-x86_64-linux-gnu.so", PYEXT_CPYTHON, "m", ".cpython-311d-x86_64-linux-gnu.so",
     3, 11, "d", "x86_64-linux-gnu", 0},
    {"m.cpython-32mu.so", PYEXT_CPYTHON, "m", ".cpython-32mu.so", 3, 2, "mu", "", 0},
    {"m.cpython-34m.so", PYEXT_CPYTHON, "m", ".cpython-34m.so", 3, 4, "m", "", 0},
    {"m.cpython-311-darwin.so", PYEXT_CPYTHON, "m", ".cpython-311-darwin.so", 3, 11, "", "darwin",
     0},
    {"m.cpython-311-x86_64-linux-musl.so", PYEXT_CPYTHON, "m", ".cpython-311-x86_64-linux-musl.so",
     3, 11, "", "x86_64-linux-musl", 0},
    {"m.cpython-39-arm-linux-gnueabihf.so", PYEXT_CPYTHON, "m",
     ".cpython-39-arm-linux-gnueabihf.so", 3, 9, "", "arm-linux-gnueabihf", 0},
    /* PEP 384 stable ABI */
    {"_rust.abi3.so", PYEXT_ABI3, "_rust", ".abi3.so", 3, 0, "", "", 0},
    /* untagged: every CPython; "module.so" is Python 2's second try */
    {"_speedups.so", PYEXT_UNTAGGED, "_speedups", ".so", 0, 0, "", "", 0},
    {"_sqlitemodule.so", PYEXT_UNTAGGED, "_sqlitemodule", ".so", 0, 0, "", "", 1},
    {"libfoo.so", PYEXT_UNTAGGED, "libfoo", ".so", 0, 0, "", "", 0},
    /* PyPy and others */
    {"m.pypy39-pp73-x86_64-linux-gnu.so", PYEXT_PYPY, "m", ".pypy39-pp73-x86_64-linux-gnu.so", 3, 9,
     "", "x86_64-linux-gnu", 0},
    {"m.pypy3-72-x86_64-linux-gnu.so", PYEXT_PYPY, "m", ".pypy3-72-x86_64-linux-gnu.so", 3, 0, "",
     "x86_64-linux-gnu", 0},
    {"m.pypy-41.so", PYEXT_PYPY, "m", ".pypy-41.so", 2, 0, "", "", 0},
    {"m.graalpy-38-native-x86_64-linux.so", PYEXT_OTHER_IMPL, "m",
     ".graalpy-38-native-x86_64-linux.so", 0, 0, "", "", 0},
    /* Windows */
    {"m.cp311-win_amd64.pyd", PYEXT_WINDOWS, "m", ".cp311-win_amd64.pyd", 3, 11, "", "win_amd64",
     0},
    {"m.pyd", PYEXT_WINDOWS, "m", ".pyd", 0, 0, "", "", 0},
    /* not extension-module names */
    {"libopenblasp-r0-39a31c03.2.18.so", PYEXT_NONE, "", "", 0, 0, "", "", 0},
    {"libgfortran-040039e1.so.5.0.0", PYEXT_NONE, "", "", 0, 0, "", "", 0},
    {"foo.bar.so", PYEXT_NONE, "", "", 0, 0, "", "", 0},
    {"module.py", PYEXT_NONE, "", "", 0, 0, "", "", 0},
    {".so", PYEXT_NONE, "", "", 0, 0, "", "", 0},
    {"m.cpython-3-x86_64-linux-gnu.so", PYEXT_NONE, "", "", 0, 0, "", "", 0},
    {"m.cpython-311-x86_64-linux-gnu.so.1", PYEXT_NONE, "", "", 0, 0, "", "", 0},
    {"m.cpython-312-x86_64-linux-gnu.so\n", PYEXT_NONE, "", "", 0, 0, "", "", 0},
    {"m.so\n", PYEXT_NONE, "", "", 0, 0, "", "", 0},
};

static void pyname__parses_every_form(void **state)
{
    struct diag d = DIAG_INIT;
    struct pyname *g = pyname_new(&d);

    (void)state;
    assert_non_null(g);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct row *r = &rows[i];
        struct pyext_name x;
        enum pyext_kind k = pyname_parse(g, r->name, &x);
        const char *mod = x.module ? x.module : "", *suf = x.suffix ? x.suffix : "";
        const char *plat = x.platform ? x.platform : "";
        if (k != r->kind || strcmp(mod, r->module) || strcmp(suf, r->suffix) ||
            x.major != r->major || x.minor != r->minor || strcmp(x.abiflags, r->flags) ||
            strcmp(plat, r->platform) || (int)x.module_suffix != r->module_suffix) {
            fail_msg("row %zu '%s': got kind %s module '%s' suffix '%s' %d.%d flags '%s' "
                     "platform '%s'",
                     i, r->name, pyname_kind_name(k), mod, suf, x.major, x.minor, x.abiflags, plat);
        }
        pyext_name_release(&x);
    }
    pyname_free(g);
}

/* No length limit of its own: a 223-character module name (as long as a file name
 * can hold with the tag) parses whole. */
static void pyname__parses_long_names(void **state)
{
    char name[600];
    struct diag d = DIAG_INIT;
    struct pyname *g = pyname_new(&d);
    struct pyext_name x;

    (void)state;
    memset(name, 'a', 300);
    strcpy(name + 300, ".cpython-311-x86_64-linux-gnu.so");
    assert_int_equal(pyname_parse(g, name, &x), PYEXT_CPYTHON);
    assert_int_equal(strlen(x.module), 300);
    assert_string_equal(x.platform, "x86_64-linux-gnu");
    pyext_name_release(&x);
    pyname_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pyname__parses_every_form),
        cmocka_unit_test(pyname__parses_long_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
