/* SPDX-License-Identifier: MIT */
/* ABI008 libgcc-too-new: GCC_ versions above the runtime's libgcc_s. */
#include <stddef.h>

#include "check.h"

void check_libgcc_too_new(const struct check_ctx *ctx, const struct member *m, struct findings *out)
{
    static const char *const prefixes[] = {"GCC_"};
    static const size_t offs[] = {offsetof(struct profile, gcc_max)};

    check_versions(ctx, m, out, prefixes, offs, 1, "/lib64");
}
