/* SPDX-License-Identifier: MIT */
/* Unit tests for the check registry (checks.c): templates and the catalogue cross-check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "testimg.h"
#include "jsonread.h"
#include "xalloc.h"

static void checks__render_templates(void **state)
{
    static const struct tvar vars[] = {
        {"pyver", "3.6"},
        {"req", "pandas==0.22.0"},
        {"empty", ""},
        {"pyver", "3.12"},
    };
    static const struct {
        const char *tmpl, *want;
    } rows[] = {
        {"--python-version {pyver} {req}", "--python-version 3.12 pandas==0.22.0"},
        {"{unknown} stays", "{unknown} stays"},
        {"a{empty}b", "ab"},
        {"{", "{"},
        {"}{pyver", "}{pyver"},
        {"", ""},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char *got = check_render(rows[i].tmpl, vars, sizeof(vars) / sizeof(vars[0]));
        if (strcmp(got, rows[i].want)) {
            fail_msg("row %zu '%s': got '%s'", i, rows[i].tmpl, got);
        }
        free(got);
    }
}

/* A fix command: every value the bundle chose is one shell word, whatever it holds; the
 * composed {pip_install} goes in as it is; a value no one-line command carries, or a
 * variable without a value, leaves no command at all. */
static void checks__render_commands_quote_values(void **state)
{
    static const struct tvar vars[] = {
        {"path", "pkg/mod.so"},
        {"pip_install", "pip install --target ./package 'a b==1.0'"},
        {"hostile", "a b/$(rm -rf ~);`id`|x's.so"},
        {"newline", "a\nb.so"},
        {"unset", NULL},
    };
    static const struct {
        const char *tmpl, *want;
    } rows[] = {
        {"patchelf --clear-execstack {path}", "patchelf --clear-execstack pkg/mod.so"},
        {"patchelf --clear-execstack {hostile}",
         "patchelf --clear-execstack 'a b/$(rm -rf ~);`id`|x'\\''s.so'"},
        {"(cd {hostile} && zip -r ../layer.zip .)",
         "(cd 'a b/$(rm -rf ~);`id`|x'\\''s.so' && zip -r ../layer.zip .)"},
        {"{pip_install}", "pip install --target ./package 'a b==1.0'"},
        {"docker run -v \"$PWD\":/src x", "docker run -v \"$PWD\":/src x"}, /* the template's own */
        {"{unknown} stays", "{unknown} stays"},
        {"patchelf --clear-execstack {newline}", NULL},
        {"abiscan --runtime {unset} x.zip", NULL},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char *got = check_render_command(rows[i].tmpl, vars, sizeof(vars) / sizeof(vars[0]));
        if (rows[i].want ? !got || strcmp(got, rows[i].want) : got != NULL) {
            fail_msg("row %zu '%s': got '%s'", i, rows[i].tmpl, got ? got : "NULL");
        }
        free(got);
    }
    /* in words, a value is as it is */
    char *words = check_render("{hostile}", vars, sizeof(vars) / sizeof(vars[0]));
    assert_string_equal(words, "a b/$(rm -rf ~);`id`|x's.so");
    free(words);
}

/* The shipped catalogue matches the registry; a row short, or one too many, does not. */
static void checks__verify_catalogue_against_registry(void **state)
{
    struct ruleset rs = {0};
    struct diag d = DIAG_INIT;
    struct rule saved;

    (void)state;
    if (rules_load(&rs, &(struct datasrc){getenv("ABISCAN_TEST_RULES"), true}, &d) != 0) {
        fail_msg("%s", d.msg);
    }
    assert_int_equal(checks_verify(&rs, &d), 0);
    rs.nr--; /* the last row gone: its check is an orphan */
    assert_int_equal(checks_verify(&rs, &d), -1);
    assert_non_null(strstr(d.msg, rs.v[rs.nr].id));
    rs.nr++;
    saved = rs.v[0];
    rs.v[0].id = "ABI999"; /* a row with no check */
    rs.v[0].slug = "orphan";
    assert_int_equal(checks_verify(&rs, &d), -1);
    rs.v[0] = saved;
    rules_release(&rs);
}

/* What a finding says of a library agrees with the OS data the verdict used: for every
 * exact row of every OS list, a module needing that soname gets no needed-not-found where
 * the OS ships it, an error that says the OS does not where it does not, a warning that says
 * it is not known where the data says unconfirmed; and no fix names an OS at all (what an OS
 * ships is the data's to say, and the message says it). */
static void checks__needed_agrees_with_os_data(void **state)
{
    struct datadir dd;
    size_t rows = 0;

    (void)state;
    testdata_load(&dd);
    const struct profiles *ps = datadir_profiles(&dd);
    for (size_t pi = 0; pi < ps->nr; pi++) {
        const struct profile *p = &ps->v[pi];
        if (strcmp(p->arch, "x86_64") != 0) {
            continue;
        }
        for (size_t li = 0; li < p->os->libs_nr; li++) {
            const struct oslib *row = &p->os->libs[li];
            struct image img = {0};
            struct findings fs = {0};
            const struct finding *f = NULL;
            size_t fn;
            struct member *m;
            if (!row->soname || !strcmp(row->family, "musl") || !strcmp(row->family, "libpython")) {
                continue; /* rules of their own */
            }
            fn = testimg_input(&img, "fn", INPUT_FUNCTION);
            m = testimg_elf(&img, fn, "m.so", NULL, row->soname, NULL, NULL);
            m->role = ROLE_EXECUTABLE; /* a root, whatever the runtime's Python */
            image_index(&img);
            checks_run(&img, p, &dd, NULL, 1, false, &fs);
            for (size_t k = 0; k < fs.nr; k++) {
                if (!strcmp(fs.items[k].rule->slug, "needed-not-found")) {
                    f = &fs.items[k];
                }
            }
            rows++;
            if (row->status == LIB_PRESENT && f) {
                fail_msg("%s on %s: present, but reported: %s", row->soname, p->id, f->message);
            }
            if (row->status == LIB_ABSENT &&
                (!f || f->severity != SEV_ERROR || !strstr(f->message, "does not ship it") ||
                 !strstr(f->message, p->os->name))) {
                fail_msg("%s on %s: absent, but the finding says: %s", row->soname, p->id,
                         f ? f->message : "(nothing)");
            }
            if (row->status == LIB_UNKNOWN &&
                (!f || f->severity != SEV_WARNING || !strstr(f->message, "not known"))) {
                fail_msg("%s on %s: unconfirmed, but the finding says: %s", row->soname, p->id,
                         f ? f->message : "(nothing)");
            }
            for (int k = 0; f && k < 2; k++) {
                const char *fix = k ? f->fix_note : f->fix_command;
                if (fix && (strstr(fix, "Amazon Linux") || strstr(fix, "AL2") ||
                            strstr(fix, "AL1") || strchr(fix, '<'))) {
                    fail_msg("%s on %s: the fix names an OS or a placeholder: %s", row->soname,
                             p->id, fix);
                }
            }
            findings_release(&fs);
            image_release(&img);
        }
    }
    assert_true(rows > 100);
    datadir_release(&dd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checks__render_templates),
        cmocka_unit_test(checks__render_commands_quote_values),
        cmocka_unit_test(checks__verify_catalogue_against_registry),
        cmocka_unit_test(checks__needed_agrees_with_os_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
