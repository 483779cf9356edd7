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
#include "xalloc.h"

static void checks__render_templates(void **state)
{
    static const struct tvar vars[] = {
        {"pyver", "3.6"}, {"req", "pandas==0.22.0"}, {"empty", ""}, {"pyver", "3.12"},
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

static void checks__verify_catalogue_against_registry(void **state)
{
    struct rule rules[5] = {
        {.id = "ABI001"}, {.id = "ABI002"}, {.id = "ABI003"}, {.id = "ABI004"}, {.id = "ABI005"},
    };
    struct ruleset rs = {rules, 5};
    struct diag d = DIAG_INIT;

    (void)state;
    assert_int_equal(checks_verify(&rs, &d), 0);
    rs.nr = 4;
    assert_int_equal(checks_verify(&rs, &d), -1);
    assert_non_null(strstr(d.msg, "ABI005"));
    rs.nr = 5;
    rules[4].id = "ABI999";
    rules[4].slug = "orphan";
    assert_int_equal(checks_verify(&rs, &d), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checks__render_templates),
        cmocka_unit_test(checks__verify_catalogue_against_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
