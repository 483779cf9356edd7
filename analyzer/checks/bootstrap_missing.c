/* SPDX-License-Identifier: MIT */
/*
 * ABI028 bootstrap-missing: a function on an OS-only runtime (provided.al2, provided.al2023)
 * with no bootstrap, neither at the top of its bundle (/var/task/bootstrap) nor in a layer
 * (/opt/bootstrap): Lambda has nothing to start (doc/sources.md#os-only-runtimes). The usual
 * cause is a bundle zipped one directory too high (target/lambda/fn/bootstrap), or a binary
 * not renamed: the finding names the file that looks meant.
 */
#include <string.h>
#include <strings.h>

#include "check.h"
#include "path.h"

/* A member of the view that looks like the bootstrap put in the wrong place or under the
 * wrong name (a directory below, Bootstrap, bootstrap.sh), or NULL. */
static const struct member *misplaced(const struct check_ctx *ctx, size_t view)
{
    const struct image *img = ctx->img;

    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        const char *base = m->path + path_dir_len(m->path);
        if (image_view_of(img, m) != view || m->overwritten_by) {
            continue;
        }
        base += *base == '/';
        if (!strncasecmp(base, "bootstrap", 9) && (!base[9] || base[9] == '.')) {
            return m;
        }
    }
    return NULL;
}

void check_bootstrap_missing(const struct check_ctx *ctx, struct findings *out)
{
    const struct image *img = ctx->img;

    if (profile_family(ctx->profile) != FAMILY_OS) {
        return;
    }
    for (size_t v = 0; v < img->inputs_nr; v++) {
        const struct image_input *in = &img->inputs[v];
        struct member where = {0};
        const struct member *near;
        if (in->view != v || in->role != INPUT_FUNCTION || in->container ||
            check_bootstrap(ctx, v)) {
            continue; /* a layer checked alone need not carry one; an image has its own */
        }
        near = misplaced(ctx, v);
        where.path = "bootstrap";
        where.abs = "/var/task/bootstrap";
        where.input = v;
        check_report(ctx, out,
                     &(struct check_found){.m = &where,
                                           .sev = ctx->rule->severity,
                                           .expected = "bootstrap",
                                           .found = near ? near->path : "no bootstrap"},
                     near ? "%s runs the executable named bootstrap at the top of the bundle or "
                            "of a layer; this bundle has %s instead: move it to the top, named "
                            "bootstrap"
                          : "%s runs the executable named bootstrap at the top of the bundle or "
                            "of a layer; there is none%s",
                     ctx->profile->runtime, near ? near->path : "");
    }
}
