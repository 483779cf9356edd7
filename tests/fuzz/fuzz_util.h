/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the libFuzzer harnesses: walk what a parser returned, so that
 * AddressSanitizer sees every string it claims to own (a dangling or unterminated one is
 * reported here, at the harness, rather than much later in a check).
 */
#ifndef ABISCAN_FUZZ_UTIL_H
#define ABISCAN_FUZZ_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfinfo.h"
#include "strvec.h"

/* A property of the result that the interface promises does not hold: a bug to report. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond);     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Read s to its terminator (NULL allowed); the sum keeps the reads from being optimised out. */
static inline size_t fuzz_touch(const char *s)
{
    return s ? strlen(s) : 0;
}

static inline size_t fuzz_touch_strvec(const struct strvec *sv)
{
    size_t sum = 0;

    FUZZ_CHECK(sv->nr <= sv->alloc);
    for (size_t i = 0; i < sv->nr; i++) {
        FUZZ_CHECK(sv->v[i] != NULL);
        sum += fuzz_touch(sv->v[i]);
    }
    return sum;
}

/* Everything struct elfinfo owns, as the checks and the report read it. */
static inline int fuzz_cmp_name(const void *key, const void *elem)
{
    return strcmp(key, *(char *const *)elem);
}

static inline size_t fuzz_touch_elfinfo(const struct elfinfo *info)
{
    size_t sum = fuzz_touch(info->interp) + fuzz_touch(info->soname) + fuzz_touch(info->rpath) +
                 fuzz_touch(info->runpath) + fuzz_touch(info->error);

    sum += fuzz_touch_strvec(&info->needed) + fuzz_touch_strvec(&info->verdef) +
           fuzz_touch_strvec(&info->init_symbols) + fuzz_touch_strvec(&info->py_imports) +
           fuzz_touch_strvec(&info->py_binds);
    FUZZ_CHECK(info->verneed_nr <= info->verneed_alloc);
    for (size_t i = 0; i < info->verneed_nr; i++) {
        FUZZ_CHECK(info->verneed[i].file && info->verneed[i].version);
        sum += fuzz_touch(info->verneed[i].file) + fuzz_touch(info->verneed[i].version);
    }
    FUZZ_CHECK(info->imports_nr <= info->imports_alloc);
    for (size_t i = 0; i < info->imports_nr; i++) {
        FUZZ_CHECK(info->imports[i].name && info->imports[i].version);
        sum += fuzz_touch(info->imports[i].name) + fuzz_touch(info->imports[i].version);
    }
    /* elfinfo.h documents py_imports as sorted. */
    for (size_t i = 1; i < info->py_imports.nr; i++) {
        FUZZ_CHECK(strcmp(info->py_imports.v[i - 1], info->py_imports.v[i]) <= 0);
    }
    /* py_binds: the ones of py_imports that are not weak, in another order. */
    FUZZ_CHECK(info->py_binds.nr <= info->py_imports.nr);
    for (size_t i = 0; i < info->py_binds.nr; i++) {
        FUZZ_CHECK(bsearch(info->py_binds.v[i], info->py_imports.v, info->py_imports.nr,
                           sizeof(char *), fuzz_cmp_name) != NULL);
    }
    return sum;
}

#endif
