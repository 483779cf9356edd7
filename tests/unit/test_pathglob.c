/* SPDX-License-Identifier: MIT */
/* Unit tests for the suppression globs (util/pathglob): a table, and the bound on time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pathglob.h"
#include "xalloc.h"

static const struct {
    const char *pattern, *path;
    bool match;
} rows[] = {
    {"*.so", "a.so", true},
    {"*.so", "pkg/a.so", false}, /* '*' stays in its segment */
    {"**/*.so", "a.so", true},   /* '**' spans zero segments too */
    {"**/*.so", "pkg/sub/a.so", true},
    {"numpy/**", "numpy/core/x.so", true},
    {"numpy/**", "numpy", true},
    {"numpy/**", "numpyx/core.so", false},
    {"a/**/b", "a/b", true},
    {"a/**/b", "a/x/y/b", true},
    {"a/**/b", "a/x/y/c", false},
    {"**", "", true},
    {"**", "any/thing", true},
    {"pkg/?.so", "pkg/a.so", true},
    {"pkg/?.so", "pkg/ab.so", false},
    {"pkg/[ab].so", "pkg/b.so", true},
    {"pkg/[!ab].so", "pkg/b.so", false},
    {"pkg/[a-c]*.so", "pkg/cat.so", true},
    {"pkg/\\*.so", "pkg/*.so", true},
    {"pkg/\\*.so", "pkg/a.so", false},
    {"lib/libfoo.so*", "lib/libfoo.so.1.2", true},
    {"a*b*c", "aXXbYYc", true},
    {"a*b*c", "aXXbYY", false},
    {"pandas/_libs/json.*.so", "pandas/_libs/json.cpython-35m-x86_64-linux-gnu.so", true},
};

static void pathglob__table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        if (pathglob_match(rows[i].pattern, rows[i].path) != rows[i].match) {
            fail_msg("row %zu: '%s' on '%s' should %smatch", i, rows[i].pattern, rows[i].path,
                     rows[i].match ? "" : "not ");
        }
    }
}

static void pathglob__refuses_malformed(void **state)
{
    const char *why = NULL;

    (void)state;
    assert_false(pathglob_valid("pkg/[a", &why));
    assert_non_null(why);
    assert_false(pathglob_valid("pkg\\", &why));
    assert_false(pathglob_valid("", &why));
    assert_true(pathglob_valid("pkg/[]a]/**", &why));
}

/* A pattern that makes a backtracking matcher exponential: here it must stay quick. */
static void pathglob__bounded(void **state)
{
    char pat[4096] = "", *path = xmalloc(20001);
    clock_t t0 = clock();

    (void)state;
    for (int i = 0; i < 40; i++) {
        strcat(pat, "**/");
    }
    for (int i = 0; i < 60; i++) {
        strcat(pat, "*a");
    }
    strcat(pat, "b");
    for (int i = 0; i < 20000; i += 2) {
        path[i] = 'a';
        path[i + 1] = i % 200 == 198 ? '/' : 'a';
    }
    path[20000] = '\0';
    assert_false(pathglob_match(pat, path));
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pathglob__table),
        cmocka_unit_test(pathglob__refuses_malformed),
        cmocka_unit_test(pathglob__bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
