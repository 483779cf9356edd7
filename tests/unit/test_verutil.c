/* SPDX-License-Identifier: MIT */
/* Unit tests for version compare (verutil.c): numeric, component by component. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "verutil.h"

static void verutil__compares_numerically(void **state)
{
    static const struct {
        const char *a, *b;
        int want;
    } rows[] = {
        {"2.17", "2.28", -1},   {"2.28", "2.3.4", 1}, {"2.3.4", "2.17", -1},
        {"2.26", "2.26", 0},    {"2.2.5", "2.2", 1},  {"3.4.30", "3.4.29", 1},
        {"1.3.13", "1.3.9", 1}, {"7.0.0", "7", 0},    {"12.0.0", "7.0.0", 1},
        {"3.10", "3.9", 1},     {"99999999", "1", 1}, {"", "0", 0},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        int got = verutil_cmp(rows[i].a, rows[i].b);
        got = got < 0 ? -1 : got > 0;
        if (got != rows[i].want) {
            fail_msg("row %zu: %s vs %s gave %d", i, rows[i].a, rows[i].b, got);
        }
    }
}

static void verutil__splits_version_names(void **state)
{
    (void)state;
    assert_string_equal(verutil_number("GLIBC_2.28", "GLIBC_"), "2.28");
    assert_string_equal(verutil_number("GLIBCXX_3.4.30", "GLIBCXX_"), "3.4.30");
    assert_null(verutil_number("GLIBC_PRIVATE", "GLIBC_"));
    assert_null(verutil_number("CXXABI_TM_1", "CXXABI_"));
    assert_null(verutil_number("GLIBCXX_3.4", "GLIBC_"));
    assert_null(verutil_number("GCC_3.0x", "GCC_"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(verutil__compares_numerically),
        cmocka_unit_test(verutil__splits_version_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
