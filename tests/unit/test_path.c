/* SPDX-License-Identifier: MIT */
/* Unit tests for the one path normaliser (util/path.c), in each of its three modes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"

struct row {
    const char *raw, *want;
    bool escapes;
};

static void run(const struct row *rows, size_t n, enum path_mode mode)
{
    for (size_t i = 0; i < n; i++) {
        bool esc = !rows[i].escapes;
        char *got = path_normalize(rows[i].raw, mode, &esc);
        if (strcmp(got, rows[i].want) || esc != rows[i].escapes) {
            fail_msg("mode %d row %zu '%s': got '%s' escapes %d", (int)mode, i, rows[i].raw, got,
                     esc);
        }
        free(got);
    }
}

/* Member names: ".." is kept as written and flagged, never resolved. */
static void path__normalises_member_names(void **state)
{
    static const struct row rows[] = {
        {"a/b.so", "a/b.so", false},
        {"./a/b.so", "a/b.so", false},
        {"a//b/./c", "a/b/c", false},
        {"/etc/passwd", "etc/passwd", true},
        {"../x.so", "../x.so", true},
        {"a/../../x", "a/../../x", true},
        {"a/b/", "a/b", false},
        {".", "", false},
        {"", "", false},
        {"a/..b/c", "a/..b/c", false},
    };

    (void)state;
    run(rows, sizeof(rows) / sizeof(rows[0]), PATH_MEMBER);
}

/* Paths relative to a root (RECORD): ".." resolved; climbing out is flagged. */
static void path__resolves_relative_paths(void **state)
{
    static const struct row rows[] = {
        {"a/b/../c", "a/c", false},
        {"a/./b//c", "a/b/c", false},
        {"../../bin/tool", "bin/tool", true},
        {"a/../../x", "x", true},
        {"a/..", "", false},
        {"/abs/x", "abs/x", false},
        {"pkg-1.0.data/../pkg/x.py", "pkg/x.py", false},
    };

    (void)state;
    run(rows, sizeof(rows) / sizeof(rows[0]), PATH_RELATIVE);
}

/* Absolute paths in the Lambda filesystem: ".." clamped at "/" as the kernel does. */
static void path__resolves_absolute_paths(void **state)
{
    static const struct row rows[] = {
        {"/var/task/a/../lib/./x", "/var/task/lib/x", false},
        {"/var/task/../../../etc", "/etc", true},
        {"/", "/", false},
        {"", "/", false},
        {"//opt//lib/", "/opt/lib", false},
        {"/..", "/", true},
        {"var/task", "/var/task", false},
    };

    (void)state;
    run(rows, sizeof(rows) / sizeof(rows[0]), PATH_ABSOLUTE);
}

static void path__relates_two_paths(void **state)
{
    static const char *const rows[][3] = {
        {"a/b", "a/c/x.so", "../c/x.so"},
        {"", "lib/x.so", "lib/x.so"},
        {"lib", "lib/x.so", "x.so"},
        {"a/b/c", "x", "../../../x"},
        {"ab", "a/x", "../a/x"},
        {"a", "ab/x", "../ab/x"},
        {"pkg", "pkg.libs/y.so", "../pkg.libs/y.so"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char *got = path_relative(rows[i][0], rows[i][1]);
        if (strcmp(got, rows[i][2])) {
            fail_msg("row %zu: from '%s' to '%s': got '%s'", i, rows[i][0], rows[i][1], got);
        }
        free(got);
    }
}

static void path__splits_names(void **state)
{
    (void)state;
    assert_string_equal(path_base("a/b/c.so"), "c.so");
    assert_string_equal(path_base("c.so"), "c.so");
    assert_string_equal(path_base("a/"), "");
    assert_int_equal(path_dir_len("a/b/c.so"), 3);
    assert_int_equal(path_dir_len("c.so"), 0);
    assert_true(path_has_suffix("x.whl", ".whl"));
    assert_false(path_has_suffix("whl", ".whl"));
    assert_true(path_has_suffix("", ""));
}

/* A small tree of links, as an image holds them: /lib64 -> usr/lib64, a soname chain, a
 * loop, an absolute link. */
static const char *tree_link(void *ctx, const char *path, size_t len)
{
    static const char *const links[][2] = {
        {"/lib64", "usr/lib64"},
        {"/usr/lib64/libc.so.6", "libc-2.34.so"},
        {"/usr/lib64/libstdc++.so.6", "libstdc++.so.6.0.29"},
        {"/etc/os-release", "../usr/lib/os-release"},
        {"/loop/a", "b"},
        {"/loop/b", "a"},
        {"/abs", "/usr/lib64"},
        {"/up", "../../.."},
    };

    (void)ctx;
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
        if (strlen(links[i][0]) == len && !strncmp(path, links[i][0], len)) {
            return links[i][1];
        }
    }
    return NULL;
}

/* Every component's links followed, relative targets from the link's directory. */
static void path__resolves_links_on_the_way(void **state)
{
    static const char *const rows[][2] = {
        {"/lib64/libc.so.6", "/usr/lib64/libc-2.34.so"},
        {"/lib64/libstdc++.so.6", "/usr/lib64/libstdc++.so.6.0.29"},
        {"/etc/os-release", "/usr/lib/os-release"},
        {"/abs/libm.so.6", "/usr/lib64/libm.so.6"},
        {"/var/task/app.py", "/var/task/app.py"},
        {"/lib64/../lib64/libc.so.6", "/usr/lib64/libc-2.34.so"},
        {"/up/etc/passwd", "/etc/passwd"}, /* clamped at the root, as the kernel does */
        {"/loop/a", NULL},
        {"/", "/"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char *got = path_resolve(rows[i][0], tree_link, NULL, 16);
        if ((!got) != (!rows[i][1]) || (got && strcmp(got, rows[i][1]))) {
            fail_msg("row %zu '%s': got '%s', want '%s'", i, rows[i][0], got ? got : "NULL",
                     rows[i][1] ? rows[i][1] : "NULL");
        }
        free(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(path__normalises_member_names),
        cmocka_unit_test(path__resolves_relative_paths),
        cmocka_unit_test(path__resolves_absolute_paths),
        cmocka_unit_test(path__relates_two_paths),
        cmocka_unit_test(path__splits_names),
        cmocka_unit_test(path__resolves_links_on_the_way),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
