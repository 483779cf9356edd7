/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: Python source through pysource_imports(), as scan.c gives it each .py
 * file beside extension modules (bundle content: anyone's bytes). The modules asked about
 * are a fixed set plus the input's first identifier; the result is checked against what
 * pysource.h promises: every name returned is one asked about, once per list.
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
    check_list(&guarded, &asked);
    check_list(&unguarded, &asked);
    strvec_release(&guarded);
    strvec_release(&unguarded);
    strvec_release(&asked);
    return 0;
}
