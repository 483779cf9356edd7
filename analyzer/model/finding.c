/* SPDX-License-Identifier: MIT */
/* Findings: a growable vector, sorted before anything is emitted. */
#include "finding.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "strmap.h"
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

void finding_release(struct finding *f)
{
    free(f->path);
    free(f->path_bytes);
    strvec_release(&f->aliases);
    strvec_release(&f->chain);
    free(f->dist_name);
    free(f->dist_version);
    free(f->expected);
    free(f->found);
    free(f->message);
    free(f->lambda_error);
    free(f->fix_command);
    free(f->fix_note);
    for (size_t i = 0; i < f->also_nr; i++) {
        free(f->also[i].expected);
        free(f->also[i].found);
        free(f->also[i].message);
    }
    free(f->also);
    memset(f, 0, sizeof(*f));
}

static int cmp_also(const void *a, const void *b)
{
    const struct finding_also *x = a, *y = b;
    int c = strcmp(x->rule->id, y->rule->id);

    return c ? c : cmp_opt(x->found, y->found);
}

void findings_fold_unopened(struct findings *fs, size_t from)
{
    struct strmap reason = {0}; /* "input:path" -> index + 1 of the finding that says why */
    size_t to = from;

    for (size_t i = from; i < fs->nr; i++) {
        const struct finding *f = &fs->items[i];
        if (!f->unopened) {
            char *key = xasprintf("%zu:%s", f->input, f->path);
            if (!strmap_get(&reason, key, strlen(key))) {
                strmap_put(&reason, key, strlen(key), (void *)(uintptr_t)(i + 1));
            }
            free(key);
        }
    }
    for (size_t i = from; i < fs->nr; i++) {
        struct finding *f = &fs->items[i];
        char *key = f->unopened ? xasprintf("%zu:%s", f->input, f->path) : NULL;
        size_t at = key ? (size_t)(uintptr_t)strmap_get(&reason, key, strlen(key)) : 0;
        free(key);
        if (at) {
            struct finding *r = &fs->items[at - 1];
            ALLOC_GROW(r->also, r->also_nr + 1, r->also_alloc);
            r->also[r->also_nr++] = (struct finding_also){.rule = f->rule,
                                                          .severity = f->severity,
                                                          .expected = f->expected,
                                                          .found = f->found,
                                                          .message = f->message};
            f->expected = f->found = f->message = NULL;
            finding_release(f); /* f->rule is NULL now: dropped below */
        }
    }
    for (size_t i = from; i < fs->nr; i++) {
        if (fs->items[i].rule) {
            fs->items[to++] = fs->items[i];
        }
    }
    fs->nr = to;
    for (size_t i = from; i < fs->nr; i++) {
        if (fs->items[i].also_nr > 1) {
            qsort(fs->items[i].also, fs->items[i].also_nr, sizeof(*fs->items[i].also), cmp_also);
        }
    }
    strmap_release(&reason);
}

void findings_release(struct findings *fs)
{
    for (size_t i = 0; i < fs->nr; i++) {
        finding_release(&fs->items[i]);
    }
    free(fs->items);
    memset(fs, 0, sizeof(*fs));
}

char *finding_also_words(const struct finding *f)
{
    struct strvec parts = STRVEC_INIT;
    char *list, *words;

    if (!f->also_nr) {
        return NULL;
    }
    for (size_t i = 0; i < f->also_nr; i++) {
        const struct finding_also *a = &f->also[i];
        strvec_push_nodup(&parts, a->found ? xasprintf("%s (%s)", a->rule->slug, a->found)
                                           : xstrdup(a->rule->slug));
    }
    list = strvec_join(&parts, ", ");
    words = xasprintf("renamed or rebuilt as it is, it would also fail: %s", list);
    free(list);
    strvec_release(&parts);
    return words;
}
