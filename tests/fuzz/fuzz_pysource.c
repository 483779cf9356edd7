/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: Python source through pysource_imports(), as scan.c gives it each .py
 * file beside extension modules (bundle content: anyone's bytes). The modules asked about
 * are a fixed set plus the input's first identifier; the result is checked against what
 * pysource.h promises: every name returned is one asked about, once per list. Then through
 * pysource_read(), as scan.c gives it every .py on sys.path: each import names a module (or
 * a relative one) on a line of the text, and the reading ends on any input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "pysource.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_list(const struct strvec *got, const struct strvec *asked)
{
    for (size_t i = 0; i < got->nr; i++) {
        FUZZ_CHECK(strvec_contains(asked, got->v[i]));
        for (size_t j = i + 1; j < got->nr; j++) {
            FUZZ_CHECK(strcmp(got->v[i], got->v[j]) != 0);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const fixed[] = {"_speedups", "_c", "md", "fuzz_cpp", "_psycopg", "x"};
    struct strvec asked = STRVEC_INIT, guarded = STRVEC_INIT, unguarded = STRVEC_INIT;
    const char *text = (const char *)data;
    size_t n = 0;

    if (size > PYSOURCE_MAX) {
        return 0; /* scan.c reads no larger source */
    }
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        strvec_push(&asked, fixed[i]);
    }
    while (n < size && n < 64 && (text[n] == '_' || (text[n] >= 'a' && text[n] <= 'z'))) {
        n++;
    }
    if (n) {
        char *word = strndup(text, n);
        if (!strvec_contains(&asked, word)) {
            strvec_push(&asked, word);
        }
        free(word);
    }
    pysource_imports(text, size, &asked, &guarded, &unguarded);
    {
        struct pysource ps = {0};
        size_t lines = 1;
        for (size_t i = 0; i < size; i++) {
            lines += text[i] == '\n';
        }
        pysource_read(text, size, PYSOURCE_NAMES | PYSOURCE_HOOKS, &ps);
        for (size_t i = 0; i < ps.nr; i++) {
            FUZZ_CHECK(ps.v[i].module && ps.v[i].module[0]);
            FUZZ_CHECK(ps.v[i].line >= 1 && ps.v[i].line <= lines);
            FUZZ_CHECK(!ps.v[i].name || ps.v[i].name[0]);
        }
        FUZZ_CHECK(ps.names_read);
        pysource_release(&ps);
    }
    check_list(&guarded, &asked);
    check_list(&unguarded, &asked);
    strvec_release(&guarded);
    strvec_release(&unguarded);
    strvec_release(&asked);
    return 0;
}
