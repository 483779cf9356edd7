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

void check_layerpath(const struct check_ctx *ctx, struct findings *out)
{
    const struct profile *p = ctx->profile;
    struct strmap done = {0};
    char want[64];

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
                where.path = prefix;
                check_report(ctx, out, &where, ctx->rule->severity, want, prefix, NULL, 0,
                             "%s is on sys.path only for Python 3.%d; %s never sees it: "
                             "its modules do not import",
                             prefix, m->site_minor, p->runtime);
            }
        } else if (strncmp(m->path, "python/", 7) && strncmp(m->path, "lib/", 4) &&
                   strncmp(m->path, "bin/", 4)) {
            snprintf(prefix, sizeof(prefix), "%.*s", (int)strcspn(m->path, "/"), m->path);
            if (!seen(&done, m->input, prefix)) {
                struct member where = *m;
                where.path = prefix;
                check_report(ctx, out, &where, SEV_WARNING, "python/, lib/ or bin/", prefix, NULL,
                             0,
                             "/opt/%s is on neither sys.path, LD_LIBRARY_PATH nor PATH: "
                             "nothing finds it there",
                             prefix);
            }
        }
    }
    strmap_release(&done);
}
