/* SPDX-License-Identifier: MIT */
/*
 * ABI016 layer-path-ignored: layer content Python or the loader never sees: a
 * python/lib/python3.X/site-packages for another X (silently invisible), and anything
 * outside python/, lib/ and bin/ (lambda-facts.md §2.2, [aws-layers]).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
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

/* For each top-level directory of a layer outside python/, lib/ and bin/: whether it holds
 * only shared libraries (those load by absolute path: an ODBC driver named in odbcinst.ini). */
static void index_outside(const struct check_ctx *ctx, struct strmap *only_libs)
{
    for (size_t i = 0; i < ctx->img->nr; i++) {
        const struct member *m = &ctx->img->members[i];
        char *key;
        bool lib = m->role == ROLE_LIBRARY && m->elf;
        if (ctx->img->inputs[m->input].role != INPUT_LAYER || !strncmp(m->path, "python/", 7) ||
            !strncmp(m->path, "lib/", 4) || !strncmp(m->path, "bin/", 4)) {
            continue;
        }
        key = xasprintf("%zu:%.*s", m->input, (int)strcspn(m->path, "/"), m->path);
        if (!strmap_has(only_libs, key, strlen(key))) {
            strmap_put(only_libs, key, strlen(key), lib ? (void *)m : NULL);
        } else if (!lib) {
            strmap_put(only_libs, key, strlen(key), NULL);
        }
        free(key);
    }
}

static void report_outside(const struct check_ctx *ctx, struct findings *out,
                           const struct member *m, const char *prefix, bool libs)
{
    struct member where = *m;

    where.path = (char *)prefix;
    if (libs) {
        struct tvar vars[] = {{"lambda_error", NULL},
                              {"remediation", "nothing, if what loads them names their absolute "
                                              "path; else move them to the layer's lib/"}};
        check_report(ctx, out, &where, SEV_NOTE, "python/, lib/ or bin/", prefix, vars, 2,
                     "/opt/%s is on no search path: its shared libraries load only when "
                     "something names them by absolute path (as odbcinst.ini names an ODBC "
                     "driver)",
                     prefix);
        return;
    }
    struct tvar vars[] = {{"lambda_error", NULL},
                          {"remediation", "move it under python/ (code), lib/ (libraries) or bin/ "
                                          "(programs), or leave it out of the layer"}};
    check_report(ctx, out, &where, SEV_WARNING, "python/, lib/ or bin/", prefix, vars, 2,
                 "/opt/%s is on neither sys.path, LD_LIBRARY_PATH nor PATH: nothing finds it "
                 "there",
                 prefix);
}

void check_layerpath(const struct check_ctx *ctx, struct findings *out)
{
    const struct profile *p = ctx->profile;
    struct strmap done = {0}, only_libs = {0};
    char want[64];

    index_outside(ctx, &only_libs);
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
                check_report(ctx, out, &where, ctx->rule->severity, want, prefix, vars, 1,
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
                report_outside(ctx, out, m, prefix, strmap_get(&only_libs, key, strlen(key)));
            }
            free(key);
        }
    }
    strmap_release(&only_libs);
    strmap_release(&done);
}
