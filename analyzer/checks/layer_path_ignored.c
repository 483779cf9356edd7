/* SPDX-License-Identifier: MIT */
/*
 * ABI016 layer-path-ignored: layer content Python or the loader never sees: a
 * python/lib/python3.X/site-packages for another X (silently invisible); a layer zipped one
 * directory too deep (X/lib/, X/python/); code outside python/, lib/ and bin/
 * (doc/sources.md#import-path-and-layers, [aws-layers]). Other content there is found by absolute
 * path only: a note.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "path.h"
#include "strmap.h"
#include "xalloc.h"

/* Report each distinct prefix once per layer: the first member under it stands for all. */
static bool seen(struct strmap *done, size_t input, const char *prefix)
{
    char *key = xasprintf("%zu:%s", input, prefix);
    bool hit = strmap_has(done, key, strlen(key));

    if (!hit) {
        strmap_put(done, key, strlen(key), NULL);
    }
    free(key);
    return hit;
}

/* The importable name a member stands for below its sys.path entry: "numpy" for
 * python/lib/python3.11/site-packages/numpy/core/x.so. Caller frees. */
static char *top_name(const struct member *m)
{
    const char *rel = m->path + m->site_off;
    size_t n = strcspn(rel, "/.");

    return xstrndup(rel, n);
}

/* What a top-level entry of a layer outside python/, lib/ and bin/ holds. */
struct outside {
    bool wrapper; /* X/python/, X/lib/ or X/bin/: a layer zipped one directory too deep */
    bool native;  /* ELF files (libraries, programs) or extension modules */
    bool code;    /* Python source, bytecode or extension modules */
    bool other;   /* anything else: configuration, headers, documentation, data */
};

static bool under(const char *path, size_t top, const char *dir)
{
    size_t n = strlen(dir);

    return path[top] == '/' && !strncmp(path + top + 1, dir, n) && path[top + 1 + n] == '/';
}

static void index_outside(const struct check_ctx *ctx, struct strmap *tops)
{
    for (size_t i = 0; i < ctx->img->nr; i++) {
        const struct member *m = &ctx->img->members[i];
        size_t top = strcspn(m->path, "/");
        struct outside *o;
        char *key;
        if (ctx->img->inputs[m->input].role != INPUT_LAYER || !strncmp(m->path, "python/", 7) ||
            !strncmp(m->path, "lib/", 4) || !strncmp(m->path, "bin/", 4)) {
            continue;
        }
        key = xasprintf("%zu:%.*s", m->input, (int)top, m->path);
        if (!(o = strmap_get(tops, key, strlen(key)))) {
            o = xcalloc(1, sizeof(*o));
            strmap_put(tops, key, strlen(key), o);
        }
        free(key);
        o->wrapper |= under(m->path, top, "python") || under(m->path, top, "lib") ||
                      under(m->path, top, "bin");
        o->native |= m->elf != NULL;
        o->code |=
            m->role == ROLE_EXTENSION || m->role == ROLE_PYC || path_has_suffix(m->path, ".py");
        o->other |= !m->elf && m->role != ROLE_EXTENSION && m->role != ROLE_PYC &&
                    !path_has_suffix(m->path, ".py");
    }
}

static void release_outside(struct strmap *tops)
{
    for (size_t i = 0; i < tops->cap; i++) {
        if (tops->slots[i].key) {
            free(tops->slots[i].value);
        }
    }
    strmap_release(tops);
}

static void report_outside(const struct check_ctx *ctx, struct findings *out,
                           const struct member *m, const char *prefix, const struct outside *o)
{
    struct member where = *m;

    where.path = (char *)prefix;
    if (o->wrapper) {
        /* The layer's own python/, lib/ or bin/, under a directory of its own: Lambda
         * extracts it to /opt/X/lib, which nothing searches. */
        char *fix = xasprintf("zip the contents of %s/, not the directory", prefix);
        struct tvar vars[] = {{"lambda_error", NULL},
                              {"prefix", prefix},
                              {"fix_command", "(cd {prefix} && zip -r ../layer.zip .)"},
                              {"fix_note", fix}};
        check_report(
            ctx, out,
            &(struct check_found){.m = &where,
                                  .sev = o->native || o->code ? ctx->rule->severity : SEV_WARNING,
                                  .expected = "python/, lib/ or bin/ at the top",
                                  .found = prefix,
                                  .vars = vars,
                                  .nvars = ARRAY_SIZE(vars)},
            "%s/ holds a layer's python/, lib/ or bin/ one directory too deep: Lambda "
            "extracts them to /opt/%s/, where neither Python, ld.so nor PATH looks",
            prefix, prefix);
        free(fix);
        return;
    }
    if (o->code) {
        struct tvar vars[] = {{"lambda_error", NULL},
                              {"fix_note", "move it under python/ (code), lib/ (libraries) or "
                                           "bin/ (programs)"}};
        check_report(ctx, out,
                     &(struct check_found){.m = &where,
                                           .sev = SEV_WARNING,
                                           .expected = "python/, lib/ or bin/",
                                           .found = prefix,
                                           .vars = vars,
                                           .nvars = 2},
                     "/opt/%s holds Python code, but is on no sys.path entry: nothing imports "
                     "it from there",
                     prefix);
        return;
    }
    /* Libraries, configuration, data: what names them by absolute path finds them (an ODBC
     * driver named in odbcinst.ini, the odbc.ini that ODBCSYSINI=/opt points at). */
    struct tvar vars[] = {{"lambda_error", NULL},
                          {"fix_note", o->native ? "nothing, if what loads them names their "
                                                   "absolute path; else move them to the "
                                                   "layer's lib/"
                                                 : "nothing, if what reads it names its "
                                                   "absolute path"}};
    check_report(ctx, out,
                 &(struct check_found){.m = &where,
                                       .sev = SEV_NOTE,
                                       .expected = "python/, lib/ or bin/",
                                       .found = prefix,
                                       .vars = vars,
                                       .nvars = 2},
                 "/opt/%s is on no search path: %s", prefix,
                 o->native ? "its shared libraries load only when something names them by "
                             "absolute path (as odbcinst.ini names an ODBC driver)"
                           : "only what names it by absolute path finds it (a configuration "
                             "file, a driver's data)");
}

void check_layer_path_ignored(const struct check_ctx *ctx, struct findings *out)
{
    const struct profile *p = ctx->profile;
    struct strmap done = {0}, tops = {0};
    char want[64];

    index_outside(ctx, &tops);
    snprintf(want, sizeof(want), "python/lib/python%s/site-packages or python/", p->python_version);
    for (size_t i = 0; i < ctx->img->nr; i++) {
        const struct member *m = &ctx->img->members[i];
        char prefix[256];
        if (ctx->img->inputs[m->input].role != INPUT_LAYER) {
            continue;
        }
        if (m->site_minor >= 0 && (p->py_major != 3 || m->site_minor != p->py_minor)) {
            snprintf(prefix, sizeof(prefix), "%.*s", (int)m->site_off - 1, m->path);
            if (!seen(&done, m->input, prefix)) {
                struct member where = *m;
                char *module = top_name(m);
                struct tvar vars[] = {{"module", module}};
                where.path = prefix;
                check_report(ctx, out,
                             &(struct check_found){.m = &where,
                                                   .sev = ctx->rule->severity,
                                                   .expected = want,
                                                   .found = prefix,
                                                   .vars = vars,
                                                   .nvars = 1},
                             "%s is on sys.path only for Python 3.%d; %s never sees it: "
                             "its modules do not import",
                             prefix, m->site_minor, p->runtime);
                free(module);
            }
        } else if (strncmp(m->path, "python/", 7) && strncmp(m->path, "lib/", 4) &&
                   strncmp(m->path, "bin/", 4)) {
            char *key;
            snprintf(prefix, sizeof(prefix), "%.*s", (int)strcspn(m->path, "/"), m->path);
            key = xasprintf("%zu:%s", m->input, prefix);
            if (!seen(&done, m->input, prefix)) {
                report_outside(ctx, out, m, prefix, strmap_get(&tops, key, strlen(key)));
            }
            free(key);
        }
    }
    release_outside(&tops);
    strmap_release(&done);
}
