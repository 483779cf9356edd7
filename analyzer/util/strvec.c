/* SPDX-License-Identifier: MIT */
/* Growable array of owned strings. */
#include "strvec.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void strvec_push_nodup(struct strvec *sv, char *s)
{
    ALLOC_GROW(sv->v, sv->nr + 1, sv->alloc);
    sv->v[sv->nr++] = s;
}

void strvec_push(struct strvec *sv, const char *s)
{
    strvec_push_nodup(sv, xstrdup(s));
}

bool strvec_contains(const struct strvec *sv, const char *s)
{
    for (size_t i = 0; i < sv->nr; i++) {
        if (!strcmp(sv->v[i], s)) {
            return true;
        }
    }
    return false;
}

char *strvec_join(const struct strvec *sv, const char *sep)
{
    size_t len = 1, seplen = strlen(sep);
    char *out, *p;

    for (size_t i = 0; i < sv->nr; i++) {
        len += strlen(sv->v[i]) + seplen;
    }
    out = p = xmalloc(len);
    *p = '\0';
    for (size_t i = 0; i < sv->nr; i++) {
        size_t n = strlen(sv->v[i]);
        if (i) {
            memcpy(p, sep, seplen);
            p += seplen;
        }
        memcpy(p, sv->v[i], n);
        p += n;
    }
    *p = '\0';
    return out;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void strvec_sort(struct strvec *sv)
{
    if (sv->nr > 1) {
        qsort(sv->v, sv->nr, sizeof(*sv->v), cmp_str);
    }
}

void strvec_release(struct strvec *sv)
{
    for (size_t i = 0; i < sv->nr; i++) {
        free(sv->v[i]);
    }
    free(sv->v);
    sv->v = NULL;
    sv->nr = sv->alloc = 0;
}
