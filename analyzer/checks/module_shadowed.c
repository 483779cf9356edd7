/* SPDX-License-Identifier: MIT */
/*
 * ABI017 module-shadowed: the same top-level module or package in the function and a layer, or in
 * two layers. sys.path puts /var/task first, then /opt/python...: a function's package hides a
 * layer's whole. Layers are extracted in order into one /opt, file by file
 * (doc/sources.md#import-path-and-layers): two layers' copies of a package merge, the later layer's
 * file winning where both have one, so the copies mix.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pyclass.h"
#include "xalloc.h"

struct top {
    char *name; /* "numpy" */
    char *path; /* "python/numpy" as it stands in its input */
    size_t input;
    size_t view;            /* the function the input is part of */
    const struct member *m; /* a member under it, for its distribution */
};

/* The top-level importable name of m on this runtime, or NULL. */
static char *top_name(const struct member *m, const struct profile *p, size_t *len)
{
    const char *rel = m->path + m->site_off;
    size_t n = strcspn(rel, "/");
    char *name;

    if (!image_on_sys_path(m, p->py_major, p->py_minor) || m->role == ROLE_DISTINFO ||
        !strncmp(rel, "__pycache__", 11) ||
        (m->input == 0 && m->site_off == 0 && rel[n] == '\0' && m->role != ROLE_EXTENSION &&
         !strstr(rel, ".py"))) {
        return NULL;
    }
    *len = (size_t)(rel - m->path) + n;
    if (rel[n] == '/') {
        /* a package directory, if its name can be imported (not pkg.libs, not a .data) */
        for (size_t k = 0; k < n; k++) {
            char c = rel[k];
            if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (k && c >= '0' && c <= '9'))) {
                return NULL;
            }
        }
        return xstrndup(rel, n);
    }
    if (m->role == ROLE_EXTENSION) {
        return xstrdup(m->ext.module);
    }
    name = xstrndup(rel, n);
    if (strlen(name) > 3 && !strcmp(name + strlen(name) - 3, ".py")) {
        name[strlen(name) - 3] = '\0'; /* a module file */
        return name;
    }
    free(name);
    return NULL;
}

static int cmp_top(const void *a, const void *b)
{
    const struct top *x = a, *y = b;
    int c = x->view < y->view ? -1 : x->view > y->view;

    if (c) {
        return c;
    }
    c = strcmp(x->name, y->name);
    return c ? c : x->input < y->input ? -1 : x->input > y->input;
}

static const char *describe(const struct check_ctx *ctx, const struct top *t, char *buf, size_t n)
{
    const struct image_input *in = &ctx->img->inputs[t->input];
    const struct distribution *d = t->m->dist;

    snprintf(buf, n, "%s %s%s%s%s", in->role == INPUT_LAYER ? "layer" : "function", in->name,
             d ? " (" : "", d ? d->name : "", d ? ")" : "");
    if (d && d->version) {
        size_t len = strlen(buf);
        snprintf(buf + len - 1, n - len + 1, " %s)", d->version);
    }
    return buf;
}

/* Two layers' copies of one package, extracted into one /opt: the later layer's files replace
 * those of t's that share their paths; the rest of t's stay beside them. */
static void merged(const struct check_ctx *ctx, struct findings *out, const struct member *where,
                   const struct top *t, const char *win, const char *lose)
{
    size_t len = strlen(t->path), replaced = 0, kept = 0;
    const struct member *by = NULL;

    for (size_t i = 0; i < ctx->img->nr; i++) {
        const struct member *m = &ctx->img->members[i];
        if (m->input != t->input || strncmp(m->path, t->path, len) != 0 ||
            (m->path[len] != '/' && m->path[len] != '\0' && m->path[len] != '.')) {
            continue;
        }
        if (m->overwritten_by) {
            replaced++;
            by = by ? by : m->overwritten_by;
        } else {
            kept++;
        }
    }
    if (!replaced) {
        return; /* the copies sit side by side, each file where it was: Python chooses */
    }
    char *fix =
        xasprintf("keep one copy of %s: remove it from layer %s or from layer %s, or "
                  "build one layer that holds everything",
                  t->name, ctx->img->inputs[t->input].name, ctx->img->inputs[by->input].name);
    struct tvar vars[] = {{"fix_note", fix}};

    if (!kept) {
        check_report(ctx, out,
                     &(struct check_found){.m = where,
                                           .sev = SEV_WARNING,
                                           .expected = win,
                                           .found = lose,
                                           .vars = vars,
                                           .nvars = 1},
                     "'%s' here is never imported: layer %s, extracted over it in /opt, "
                     "replaces every one of its %zu file%s",
                     t->name, ctx->img->inputs[by->input].name, replaced, replaced == 1 ? "" : "s");
        free(fix);
        return;
    }
    check_report(ctx, out,
                 &(struct check_found){.m = where,
                                       .sev = SEV_WARNING,
                                       .expected = win,
                                       .found = lose,
                                       .vars = vars,
                                       .nvars = 1},
                 "'%s' of two layers merges in /opt: layer %s, extracted over it, replaces %zu "
                 "of its files and leaves %zu, so the two copies mix",
                 t->name, ctx->img->inputs[by->input].name, replaced, kept);
    free(fix);
}

void check_module_shadowed(const struct check_ctx *ctx, struct findings *out)
{
    struct top *tops = NULL;
    size_t nr = 0, alloc = 0;

    for (size_t i = 0; i < ctx->img->nr; i++) {
        const struct member *m = &ctx->img->members[i];
        size_t len = 0;
        char *name = top_name(m, ctx->profile, &len);
        if (!name) {
            continue;
        }
        if (nr && !strcmp(tops[nr - 1].name, name) && tops[nr - 1].input == m->input) {
            free(name); /* members come in path order: one row per top-level name per input */
            continue;
        }
        ALLOC_GROW(tops, nr + 1, alloc);
        tops[nr++] =
            (struct top){name, xstrndup(m->path, len), m->input, image_view_of(ctx->img, m), m};
    }
    if (nr > 1) {
        qsort(tops, nr, sizeof(*tops), cmp_top);
    }
    for (size_t i = 0; i < nr;) {
        size_t j = i, winner;
        while (j < nr && tops[j].view == tops[i].view && !strcmp(tops[j].name, tops[i].name)) {
            j++;
        }
        /* The function (input 0 and other function inputs) wins; else the last layer. */
        winner = j - 1;
        for (size_t k = i; k < j; k++) {
            if (ctx->img->inputs[tops[k].input].role == INPUT_FUNCTION) {
                winner = k;
                break;
            }
        }
        bool function_wins = ctx->img->inputs[tops[winner].input].role == INPUT_FUNCTION;
        for (size_t k = i; j - i > 1 && k < j; k++) {
            char lose[512], win[512];
            /* Two function bundles are two functions: neither shadows the other. */
            if (k == winner || ctx->img->inputs[tops[k].input].role == INPUT_FUNCTION) {
                continue;
            }
            struct member where = *tops[k].m;
            where.path = tops[k].path;
            describe(ctx, &tops[winner], win, sizeof(win));
            describe(ctx, &tops[k], lose, sizeof(lose));
            if (function_wins) {
                check_report(
                    ctx, out,
                    &(struct check_found){
                        .m = &where, .sev = ctx->rule->severity, .expected = win, .found = lose},
                    "'%s' here is never imported: the function's copy comes first on "
                    "sys.path",
                    tops[k].name);
            } else {
                merged(ctx, out, &where, &tops[k], win, lose);
            }
        }
        i = j;
    }
    for (size_t i = 0; i < nr; i++) {
        free(tops[i].name);
        free(tops[i].path);
    }
    free(tops);
}
