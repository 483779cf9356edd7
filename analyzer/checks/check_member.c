/* SPDX-License-Identifier: MIT */
/* ABI005 member-unreadable: a member that could not be read at all. */
#include "check.h"

void check_member(const struct check_ctx *ctx, const struct member *m, struct findings *out)
{
    if (!m->problem) {
        return;
    }
    check_report(ctx, out, m, ctx->rule->severity, "a readable regular file", m->problem, NULL, 0,
                 "cannot be read: %s", m->problem);
}
