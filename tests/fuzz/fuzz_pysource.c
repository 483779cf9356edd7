/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: Python source through pysource_read() (bundle content: anyone's bytes),
 * as scan.c gives it every .py on sys.path: each import names a module (or a relative one)
 * on a line of the text, and the reading ends on any input; read twice, as the handler's
 * module (the names it binds) and as a file beside extension modules (every import at module
 * level, those under an if or in an except clause too), whose imports pysource_module_imports() matches against the modules asked
 * about: a fixed set plus the input's first identifier. Every name returned is one asked
 * about, once per list, and the glance (pysource_imports_any) that decides whether the
 * scan reads a file at all says yes whenever one is.
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
    for (unsigned want = PYSOURCE_NAMES | PYSOURCE_HOOKS;; want = PYSOURCE_ALL) {
        struct pysource ps = {0};
        size_t lines = 1;
        for (size_t i = 0; i < size; i++) {
            lines += text[i] == '\n';
        }
        pysource_read(text, size, want, &ps);
        for (size_t i = 0; i < ps.nr; i++) {
            FUZZ_CHECK(ps.v[i].module && ps.v[i].module[0]);
            FUZZ_CHECK(ps.v[i].line >= 1 && ps.v[i].line <= lines);
            FUZZ_CHECK(!ps.v[i].name || ps.v[i].name[0]);
            FUZZ_CHECK(ps.v[i].runs || (want & PYSOURCE_ALL));
        }
        FUZZ_CHECK(ps.names_read == ((want & PYSOURCE_NAMES) != 0));
        if (want & PYSOURCE_ALL) {
            struct strmap set = {0};
            for (size_t i = 0; i < asked.nr; i++) {
                strmap_put(&set, asked.v[i], strlen(asked.v[i]), (void *)"");
            }
            pysource_module_imports(&ps, &set, &guarded, &unguarded);
            /* the glance that spares the reading never misses what the reading finds */
            FUZZ_CHECK(!(guarded.nr || unguarded.nr) ||
                       pysource_imports_any(text, size, &set, NULL));
            strmap_release(&set);
            pysource_release(&ps);
            break;
        }
        pysource_release(&ps);
    }
    check_list(&guarded, &asked);
    check_list(&unguarded, &asked);
    strvec_release(&guarded);
    strvec_release(&unguarded);
    strvec_release(&asked);
    return 0;
}
