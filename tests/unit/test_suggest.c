/* SPDX-License-Identifier: MIT */
/* Unit tests for suggest.c: the names a mistyped word meant. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "suggest.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *guess(const char *word, const char *const *names, size_t n)
{
    static char buf[256];
    return suggest_words(word, names, n, buf, sizeof(buf));
}

static void suggest__typos_find_their_name(void **state)
{
    static const char *const fmts[] = {"text", "json", "jsonl", "sarif", "junit", "github"};
    static const char *const archs[] = {"x86_64", "arm64", "amd64", "aarch64"};
    static const char *const runtimes[] = {"python3.9", "python3.10", "python3.11", "python3.12"};
    (void)state;
    assert_string_equal(guess("jsn", fmts, N(fmts)), "json");      /* a deletion */
    assert_string_equal(guess("sarfi", fmts, N(fmts)), "sarif");   /* a swap */
    assert_string_equal(guess("GitHub", fmts, N(fmts)), "github"); /* case */
    assert_string_equal(guess("x86", archs, N(archs)), "x86_64");  /* a prefix */
    assert_string_equal(guess("python3.1", runtimes, N(runtimes)),
                        "python3.10, python3.11 or python3.12");
    assert_string_equal(guess("python3.21", runtimes, N(runtimes)), "python3.11 or python3.12");
}

static void suggest__no_guess(void **state)
{
    static const char *const fmts[] = {"text", "json", "jsonl", "sarif", "junit", "github"};
    static const char *const many[] = {"a1", "a2", "a3", "a4", "a5", "a6"};
    char small[4];
    (void)state;
    assert_null(guess("xml", fmts, N(fmts)));  /* nothing close */
    assert_null(guess("json", fmts, N(fmts))); /* a name itself */
    assert_null(guess("a", many, N(many)));    /* six as close: no guess */
    assert_null(guess("", fmts, 0));
    /* a buffer too small is cut, never overrun */
    assert_non_null(suggest_words("sarfi", fmts, N(fmts), small, sizeof(small)));
    assert_int_equal(strlen(small), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(suggest__typos_find_their_name),
        cmocka_unit_test(suggest__no_guess),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
