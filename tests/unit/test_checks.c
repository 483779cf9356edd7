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

/* The shipped catalogue matches the registry; a row short, or one too many, does not. */
static void checks__verify_catalogue_against_registry(void **state)
{
    struct ruleset rs = {0};
    struct diag d = DIAG_INIT;
    struct rule saved;

    (void)state;
    if (rules_load(&rs, getenv("ABISCAN_TEST_RULES"), &d) != 0) {
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checks__render_templates),
        cmocka_unit_test(checks__verify_catalogue_against_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
