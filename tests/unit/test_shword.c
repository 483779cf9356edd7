/* SPDX-License-Identifier: MIT */
/* Unit tests for shword.c: a value the bundle chose, as one word of a shell command. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shword.h"
#include "xalloc.h"

static const struct {
    const char *in, *out;
} rows[] = {
    {"sp/fast.cpython-312-x86_64-linux-gnu.so", "sp/fast.cpython-312-x86_64-linux-gnu.so"},
    {"numpy==1.24.2", "numpy==1.24.2"},
    {"a b.so", "'a b.so'"},
    {"$(rm -rf ~).so", "'$(rm -rf ~).so'"},
    {"`id`", "'`id`'"},
    {"x; rm -rf /", "'x; rm -rf /'"},
    {"a|b&c>d<e", "'a|b&c>d<e'"},
    {"\"dq\" $HOME", "'\"dq\" $HOME'"},
    {"it's.so", "'it'\\''s.so'"},
    {"''", "''\\'''\\'''"},
    {"-x.so", "'-x.so'"},
    {"*.so", "'*.so'"},
    {"#c", "'#c'"},
    {"~user", "'~user'"},
    {"", "''"},
    {"caf\xc3\xa9.so", "'caf\xc3\xa9.so'"},
    {"a\nb.so", NULL},
    {"a\tb", NULL},
    {"a\rb", NULL},
    {"bad\xff.so", NULL},
};

/* Plain when no shell reads a byte specially, else single-quoted; nothing for a value no
 * one-line command carries as text. */
static void shword__quotes_what_a_shell_reads(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char *got = sh_word(rows[i].in);
        if (rows[i].out ? !got || strcmp(got, rows[i].out) : got != NULL) {
            fail_msg("%s: got %s, wanted %s", rows[i].in, got ? got : "NULL",
                     rows[i].out ? rows[i].out : "NULL");
        }
        free(got);
    }
}

/* What /bin/sh makes of each word is the value itself, as one argument. */
static void shword__sh_reads_the_value_back(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char *word = sh_word(rows[i].in), *cmd, got[256] = "";
        FILE *p;
        size_t n;
        if (!word) {
            continue;
        }
        cmd = xasprintf("set -- %s; printf '%%s|%%s' \"$#\" \"$1\"", word);
        char *argv_cmd = xasprintf("/bin/sh -c \"$ABISCAN_CMD\"");
        setenv("ABISCAN_CMD", cmd, 1);
        p = popen(argv_cmd, "r");
        assert_non_null(p);
        n = fread(got, 1, sizeof(got) - 1, p);
        got[n] = '\0';
        assert_int_equal(pclose(p), 0);
        char *want = xasprintf("1|%s", rows[i].in);
        if (strcmp(got, want)) {
            fail_msg("%s: sh read %s", word, got);
        }
        free(want);
        free(argv_cmd);
        free(cmd);
        free(word);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shword__quotes_what_a_shell_reads),
        cmocka_unit_test(shword__sh_reads_the_value_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
