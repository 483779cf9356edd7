/* SPDX-License-Identifier: MIT */
/* Causes: one function's findings grouped by what made them, each with its one fix. */
#include "cause.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "rules.h"
#include "strmap.h"
#include "verutil.h"
#include "xalloc.h"

/* "3.11" of ".cpython-311-x86_64-linux-gnu.so", or NULL: the Python a module was built for. */
static char *cpython_of(const char *found)
{
    const char *p = found ? strstr(found, "cpython-") : NULL;
    size_t n = 0;

    if (!p) {
        return NULL;
    }
    p += strlen("cpython-");
    while (p[n] >= '0' && p[n] <= '9') {
        n++;
    }
    return n >= 2 ? xasprintf("%c.%.*s", p[0], (int)(n - 1), p + 1) : NULL;
}

/* What groups a finding: those that rebuilding the bundle removes, by what the build got
 * wrong (the Python, the machine, the glibc ...), one soname per missing library; every
 * other by its rule and its fix, so that a cause has one fix. Fresh. */
static char *cause_key(const struct finding *f)
{
    const char *slug = f->rule->slug;

    if (f->rebuild && !strcmp(slug, "needed-not-found")) {
        return xasprintf("needed:%s", f->found ? f->found : "");
    }
    if (f->rebuild) {
        char *py = !strcmp(slug, "python-tag-mismatch") ? cpython_of(f->found) : NULL;
        char *key;
        if (py) {
            key = xasprintf("python:%s", py);
        } else if (!strcmp(slug, "python-tag-mismatch") || !strcmp(slug, "arch-mismatch")) {
            key = xasprintf("%s:%s", slug, f->found ? f->found : "");
        } else {
            key = xasprintf("%s", slug); /* glibc-too-new: the newest need is in the title */
        }
        free(py);
        return key;
    }
    return xasprintf("rule:%s\037%s\037%s\037%s", f->rule->id,
                     !strcmp(slug, "needed-not-found") && f->found ? f->found : "",
                     f->fix_command ? f->fix_command : "", f->fix_note ? f->fix_note : "");
}

/* The cause in words, from its first finding and the newest version any of them needs. */
static char *cause_title(const struct cause *c, const struct finding *f, const char *newest,
                         const struct profile *p)
{
    const char *slug = f->rule->slug, *os = p && p->os_name ? p->os_name : "the runtime";
    const char *rt = p ? p->runtime : "the target";
    char *py;

    if (!strncmp(c->key, "python:", 7)) {
        return xasprintf("built for CPython %s; target %s", c->key + 7, rt);
    }
    if (!strcmp(slug, "python-tag-mismatch") && c->nr == 1 && (py = cpython_of(f->found))) {
        char *t = xasprintf("built for CPython %s; target %s", py, rt); /* its own fix's */
        free(py);
        return t;
    }
    if (!strcmp(slug, "python-tag-mismatch") && c->rebuild) {
        return xasprintf("built for another Python (%s); target %s", f->found ? f->found : "?", rt);
    }
    if (!strcmp(slug, "arch-mismatch") && c->rebuild) {
        return xasprintf("built for %s; target %s", f->found ? f->found : "another machine",
                         p ? p->arch : "the function's");
    }
    if (!strcmp(slug, "glibc-too-new")) {
        return xasprintf("built on a newer glibc than %s (%s; it has %s)", os,
                         newest ? newest : "?", p && p->glibc_max ? p->glibc_max : "?");
    }
    if (!strcmp(slug, "libstdcxx-too-new")) {
        return xasprintf("built with a newer libstdc++ than %s has (%s)", os,
                         newest ? newest : "?");
    }
    if (!strcmp(slug, "libgcc-too-new")) {
        return xasprintf("built with a newer libgcc than %s has (%s)", os, newest ? newest : "?");
    }
    if (!strcmp(slug, "musl-linked")) {
        return xasprintf("built for musl (Alpine, musllinux); %s runs glibc", os);
    }
    if (!strcmp(slug, "needed-not-found")) {
        return f->found ? xasprintf("a library the runtime does not ship: %s", f->found)
                        : xstrdup("a library the runtime does not ship");
    }
    if (!strcmp(slug, "wheel-tag-mismatch")) {
        return xasprintf("wheels built for another target than %s %s", rt, p ? p->arch : "");
    }
    return xstrdup(f->rule->title);
}

static void tally(struct cause *c, const struct finding *f, size_t index)
{
    ALLOC_GROW(c->findings, c->nr + 1, c->findings_alloc);
    c->findings[c->nr++] = index;
    c->errors += f->severity == SEV_ERROR;
    c->warnings += f->severity == SEV_WARNING;
    c->notes += f->severity == SEV_NOTE;
    if (f->severity > c->severity) {
        c->severity = f->severity;
    }
    if (f->dist_name) {
        char *d = xasprintf("%s %s", f->dist_name, f->dist_version ? f->dist_version : "");
        size_t n = strlen(d);
        if (n && d[n - 1] == ' ') {
            d[n - 1] = '\0';
        }
        if (!strvec_contains(&c->dists, d)) {
            strvec_push(&c->dists, d);
        }
        free(d);
    }
}

/* Whether version name a ("GLIBC_2.35", "GLIBCXX_3.4.30") is newer than b: by number under
 * one prefix; across prefixes (CXXABI_ and GLIBCXX_ of one libstdc++) the later name. */
static bool newer(const char *a, const char *b)
{
    const char *na = strrchr(a, '_'), *nb = strrchr(b, '_');
    size_t la = na ? (size_t)(na - a) : 0, lb = nb ? (size_t)(nb - b) : 0;

    if (la != lb || strncmp(a, b, la) != 0) {
        return strcmp(a, b) > 0;
    }
    return verutil_cmp(na ? na + 1 : a, nb ? nb + 1 : b) > 0;
}

static int cmp_cause(const void *a, const void *b)
{
    const struct cause *x = a, *y = b;

    if (x->severity != y->severity) {
        return x->severity > y->severity ? -1 : 1;
    }
    if (x->nr != y->nr) {
        return x->nr > y->nr ? -1 : 1;
    }
    return strcmp(x->key, y->key);
}

/* The cause's fix: the bundle's rebuild when rebuilding removes it, else the fix its
 * findings share (they were grouped by it). */
static void cause_fix(struct cause *c, const struct finding *first, const struct cause_rebuild *rb)
{
    const char *cmd = first->fix_command, *note = first->fix_note;

    if (c->rebuild && rb) {
        cmd = rb->command;
        note = rb->note;
    }
    c->fix_command = cmd ? xstrdup(cmd) : NULL;
    c->fix_note = note ? xstrdup(note) : NULL;
}

void causes_group(struct causes *out, const struct findings *fs, size_t from, size_t to,
                  size_t input, const struct profile *p, const struct cause_rebuild *rb)
{
    struct strmap by_key = {0};
    size_t first = out->nr;
    char **newest = NULL;

    for (size_t i = from; i < to; i++) {
        const struct finding *f = &fs->items[i];
        char *key = cause_key(f);
        struct cause *c;
        uintptr_t at = (uintptr_t)strmap_get(&by_key, key, strlen(key));
        if (!at) {
            ALLOC_GROW(out->v, out->nr + 1, out->alloc);
            c = &out->v[out->nr++];
            memset(c, 0, sizeof(*c));
            c->key = key;
            c->input = input;
            c->severity = f->severity;
            c->rebuild = f->rebuild;
            strmap_put(&by_key, key, strlen(key), (void *)(uintptr_t)out->nr);
            newest = xrealloc_array(newest, out->nr - first, sizeof(*newest));
            newest[out->nr - first - 1] = NULL;
        } else {
            c = &out->v[at - 1];
            free(key);
        }
        tally(c, f, i);
        char **n = &newest[c - out->v - first];
        if (f->found && (!*n || newer(f->found, *n))) {
            *n = f->found;
        }
    }
    for (size_t k = first; k < out->nr; k++) {
        struct cause *c = &out->v[k];
        const struct finding *f = &fs->items[c->findings[0]];
        c->title = cause_title(c, f, newest[k - first], p);
        if (!c->rebuild && c->nr == 1 && strcmp(c->title, f->rule->title) != 0 &&
            strcmp(f->rule->slug, "needed-not-found") != 0) { /* that one names its soname */
            /* A build's words on one file its own fix answers (a program, a renamed
             * distribution): said with the file, so that it reads apart from the build's. */
            char *one = xasprintf("%s: %s", c->title, f->path);
            free(c->title);
            c->title = one;
        }
        cause_fix(c, f, rb);
        if (!strncmp(c->key, "rule:", 5)) {
            /* Grouped by rule and fix: said as "rule:SLUG", then ":2", ":3" for the rule's
             * second and third fix. */
            size_t same = 1;
            for (size_t j = first; j < k; j++) {
                same += !strncmp(out->v[j].key, "rule:", 5) && out->v[j].findings &&
                        fs->items[out->v[j].findings[0]].rule == f->rule;
            }
            free(c->key);
            c->key = same > 1 ? xasprintf("rule:%s:%zu", f->rule->slug, same)
                              : xasprintf("rule:%s", f->rule->slug);
        }
    }
    if (out->nr - first > 1) {
        qsort(out->v + first, out->nr - first, sizeof(*out->v), cmp_cause);
    }
    free(newest);
    strmap_release(&by_key);
}

void causes_take(struct causes *out, struct causes *src, size_t findings, size_t inputs)
{
    for (size_t k = 0; k < src->nr; k++) {
        struct cause *c = &src->v[k];
        for (size_t i = 0; i < c->nr; i++) {
            c->findings[i] += findings;
        }
        c->input += inputs;
        ALLOC_GROW(out->v, out->nr + 1, out->alloc);
        out->v[out->nr++] = *c;
    }
    free(src->v);
    memset(src, 0, sizeof(*src));
}

size_t *causes_index(const struct causes *c, size_t findings)
{
    size_t *of = xcalloc(findings + 1, sizeof(*of));

    for (size_t i = 0; i < findings; i++) {
        of[i] = c->nr;
    }
    for (size_t k = 0; k < c->nr; k++) {
        for (size_t i = 0; i < c->v[k].nr; i++) {
            if (c->v[k].findings[i] < findings) {
                of[c->v[k].findings[i]] = k;
            }
        }
    }
    return of;
}

void causes_release(struct causes *c)
{
    for (size_t k = 0; k < c->nr; k++) {
        free(c->v[k].key);
        free(c->v[k].title);
        free(c->v[k].findings);
        free(c->v[k].fix_command);
        free(c->v[k].fix_note);
        strvec_release(&c->v[k].dists);
    }
    free(c->v);
    memset(c, 0, sizeof(*c));
}
