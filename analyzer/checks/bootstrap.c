/* SPDX-License-Identifier: MIT */
/*
 * The bootstrap of an OS-only runtime (provided.al2, provided.al2023): the file Lambda
 * execs to start the function, /var/task/bootstrap, else /opt/bootstrap from a layer
 * (doc/sources.md#os-only-runtimes). Shared by the bootstrap-* rules and by the rules that
 * say something else of executables (musl-linked), so that each defect is said once.
 */
#include <string.h>

#include "check.h"

const struct member *check_bootstrap(const struct check_ctx *ctx, size_t view)
{
    const struct image *img = ctx->img;
    const struct member *layer = NULL;

    if (profile_family(ctx->profile) != FAMILY_OS || img->inputs[view].container) {
        /* A Python runtime starts its own bootstrap, in /var/runtime; so does an image, its
         * entrypoint (image-handler-missing's). */
        return NULL;
    }
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        if (m->overwritten_by || !image_is_bootstrap(m) || image_view_of(img, m) != view) {
            continue;
        }
        if (img->inputs[m->input].role == INPUT_FUNCTION) {
            return m; /* the function's comes first: Lambda looks there first */
        }
        layer = m;
    }
    return layer;
}

bool check_is_bootstrap(const struct check_ctx *ctx, const struct member *m)
{
    return image_is_bootstrap(m) && check_bootstrap(ctx, image_view_of(ctx->img, m)) == m;
}
