/* SPDX-License-Identifier: MIT */
/* Unit tests for the runtime-profile loader (profile.c): the real data, and broken copies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profile.h"
#include "jsonread.h"
#include "xalloc.h"

static const char *rules_dir(void)
{
    const char *dir = getenv("ABISCAN_TEST_RULES");
    if (!dir) {
        fail_msg("ABISCAN_TEST_RULES is not set (ctest sets it)");
    }
    return dir;
}

static void profile__loads_the_shipped_profiles(void **state)
{
    struct profiles ps = {0};
    struct diag d = DIAG_INIT;
    const struct profile *p;

    (void)state;
    if (profiles_load(&ps, &(struct datasrc){rules_dir(), true}, &d) != 0) {
        fail_msg("%s", d.msg);
    }
    assert_int_equal(ps.nr, 29);
    assert_string_equal(ps.v[0].id, "python2.7-x86_64"); /* sorted by version, x86_64 first */
    assert_string_equal(ps.v[16].id, "python3.14-arm64");
    /* then the Node.js runtimes, by release: no Python */
    assert_string_equal(ps.v[17].id, "nodejs18.x-x86_64");
    assert_string_equal(ps.v[24].id, "nodejs24.x-arm64");
    p = profiles_find(&ps, "nodejs20.x", "arm64");
    assert_non_null(p);
    assert_true(profile_node(p));
    assert_false(profile_python(p));
    assert_int_equal(p->node_abi, 115);
    assert_int_equal(p->napi_max, 9);
    assert_string_equal(p->deprecated, "2026-04-30");
    /* then the OS-only runtimes, by name: no Python, no deprecation scheduled */
    assert_string_equal(ps.v[ps.nr - 1].id, "provided.al2023-arm64");
    p = profiles_find(&ps, "provided.al2", "x86_64");
    assert_non_null(p);
    assert_false(profile_python(p));
    assert_null(p->abi_tag);
    assert_null(p->pip_platform);
    assert_null(p->deprecated);
    assert_int_equal(p->ext_suffixes.nr, 0);
    assert_string_equal(p->glibc_max, "2.26");
    assert_string_equal(p->interpreter, "/lib64/ld-linux-x86-64.so.2");
    p = profiles_find(&ps, "provided.al2023", "arm64");
    assert_non_null(p);
    assert_string_equal(p->os_id, "al2023");
    assert_string_equal(p->glibc_max, "2.34");
    assert_int_equal(p->elf_machine, 183);
    p = profiles_find(&ps, "python3.6", "x86_64");
    assert_non_null(p);
    assert_int_equal(p->py_major, 3);
    assert_int_equal(p->py_minor, 6);
    assert_string_equal(p->ext_suffixes.v[0], ".cpython-36m-x86_64-linux-gnu.so");
    assert_int_equal(p->pyc_magic, 3379);
    assert_int_equal(p->elf_machine, 62);
    assert_string_equal(p->glibc_max, "2.17");
    p = profiles_find(&ps, "python3.12", "arm64");
    assert_non_null(p);
    assert_int_equal(p->elf_machine, 183);
    assert_string_equal(p->pip_platform, "manylinux2014_aarch64");
    assert_null(profiles_find(&ps, "python3.7", "arm64"));
    profiles_release(&ps);
}

/* A scratch rules dir: the real schema and one profile, edited by a sed expression. */
static char *broken_copy(const char *sed_expr, const char *name)
{
    char tmpl[] = "/tmp/abiscan-profile-XXXXXX";
    char *dir = mkdtemp(tmpl);
    char *cmd;

    assert_non_null(dir);
    cmd = xasprintf("mkdir -p %s/runtimes %s/schema && cp %s/schema/profile.schema.json "
                    "%s/schema/ && sed '%s' %s/runtimes/python3.11-x86_64.json > %s/runtimes/%s",
                    dir, dir, rules_dir(), dir, sed_expr, rules_dir(), dir, name);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return xstrdup(dir);
}

struct broken {
    const char *sed, *file, *error;
};

static const struct broken broken[] = {
    {"s/\"value\": 62,/\"value\": \"x\",/", "python3.11-x86_64.json",
     "python3.11-x86_64.json: elf.machine.value: expected integer"},
    {"s/\"triplet\"/\"tripplet\"/", "python3.11-x86_64.json",
     "elf.tripplet: unexpected key 'tripplet': did you mean triplet?"},
    {"s/\"pip_platform\": {/\"extra\": 1, \"pip_platform\": {/", "python3.11-x86_64.json",
     "unexpected key 'extra'"},
    {"/\"pip_platform\"/,/},/d", "python3.11-x86_64.json", "missing required key 'pip_platform'"},
    {"s/\"2.26\"/\"2.x\"/", "python3.11-x86_64.json",
     "toolchain.glibc_max.value: does not match the pattern"},
    {"s/\"data\": {/\"data\": [/", "python3.11-x86_64.json", "invalid JSON"},
    {"p", "python3.11-x86_64.json", "invalid JSON"}, /* every line twice */
    {"s/x/x/", "python3.12-x86_64.json", "id: 'python3.11-x86_64' does not match the file name"},
};

static void profile__rejects_broken_profiles(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
        char *dir = broken_copy(broken[i].sed, broken[i].file);
        char *cmd = xasprintf("rm -rf %s", dir);
        struct profiles ps = {0};
        struct diag d = DIAG_INIT;
        int rc = profiles_load(&ps, &(struct datasrc){dir, true}, &d);
        if (rc != -1 || !strstr(d.msg, broken[i].error) || !strstr(d.msg, broken[i].file)) {
            fail_msg("row %zu: rc %d, msg '%s', wanted '%s'", i, rc, d.msg, broken[i].error);
        }
        assert_int_equal(ps.nr, 0);
        assert_int_equal(system(cmd), 0);
        free(cmd);
        free(dir);
    }
}

static void profile__missing_directory_is_an_error(void **state)
{
    struct profiles ps = {0};
    struct diag d = DIAG_INIT;

    (void)state;
    assert_int_equal(profiles_load(&ps, &(struct datasrc){"/nonexistent-abiscan-rules", true}, &d),
                     -1);
    assert_non_null(strstr(d.msg, "cannot open"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(profile__loads_the_shipped_profiles),
        cmocka_unit_test(profile__rejects_broken_profiles),
        cmocka_unit_test(profile__missing_directory_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
