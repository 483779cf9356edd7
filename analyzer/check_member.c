/* SPDX-License-Identifier: MIT */
/* ABI005 member-unreadable: a member that could not be read at all. */
#include "check.h"

void check_member(const struct check_ctx *ctx, struct findings *out)
{
    for (size_t i = 0; i < ctx->img->nr; i++) {
        const struct member *m = &ctx->img->members[i];
        if (!m->problem) {
            continue;
        }
        check_report(ctx, out, m, ctx->rule->severity, "a readable regular file", m->problem,
                     NULL, 0, "cannot be read: %s", m->problem);
    }
}
