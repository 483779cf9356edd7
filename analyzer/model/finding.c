/* SPDX-License-Identifier: MIT */
/* Findings: a growable vector, sorted before anything is emitted. */
#include "finding.h"

#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "xalloc.h"

struct finding *findings_push(struct findings *fs)
{
    struct finding *f;

    ALLOC_GROW(fs->items, fs->nr + 1, fs->alloc);
    f = &fs->items[fs->nr++];
    memset(f, 0, sizeof(*f));
    return f;
}

static int cmp_opt(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_finding(const void *a, const void *b)
{
    const struct finding *x = a, *y = b;
    int c;

    if (x->input != y->input) {
        return x->input < y->input ? -1 : 1;
    }
    if ((c = strcmp(x->path, y->path)) != 0) {
        return c;
    }
    if ((c = strcmp(x->rule->id, y->rule->id)) != 0) {
        return c;
    }
    return cmp_opt(x->found, y->found);
}

void findings_sort(struct findings *fs)
{
    if (fs->nr > 1) {
        qsort(fs->items, fs->nr, sizeof(*fs->items), cmp_finding);
    }
}

size_t findings_count(const struct findings *fs, enum severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < fs->nr; i++) {
        n += fs->items[i].severity == sev;
    }
    return n;
}

void findings_release(struct findings *fs)
{
    for (size_t i = 0; i < fs->nr; i++) {
        struct finding *f = &fs->items[i];
        free(f->path);
        free(f->path_bytes);
        strvec_release(&f->aliases);
        free(f->dist_name);
        free(f->dist_version);
        free(f->expected);
        free(f->found);
        free(f->message);
        free(f->lambda_error);
        free(f->remediation);
    }
    free(fs->items);
    memset(fs, 0, sizeof(*fs));
}
