/* SPDX-License-Identifier: MIT */
/* ABI006 glibc-too-new: GLIBC_ versions above the runtime's glibc, or GLIBC_PRIVATE. */
#include <stddef.h>

#include "check.h"

void check_glibc_too_new(const struct check_ctx *ctx, const struct member *m, struct findings *out)
{
    static const char *const prefixes[] = {"GLIBC_"};
    static const size_t offs[] = {offsetof(struct profile, glibc_max)};

    check_versions(ctx, m, out, prefixes, offs, 1, "/lib64");
}
