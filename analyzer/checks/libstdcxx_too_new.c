/* SPDX-License-Identifier: MIT */
/* ABI007 libstdcxx-too-new: GLIBCXX_ and CXXABI_ versions above the runtime's libstdc++. */
#include <stddef.h>

#include "check.h"

void check_libstdcxx_too_new(const struct check_ctx *ctx, const struct member *m,
                             struct findings *out)
{
    static const char *const prefixes[] = {"GLIBCXX_", "CXXABI_"};
    static const size_t offs[] = {offsetof(struct profile, glibcxx_max),
                                  offsetof(struct profile, cxxabi_max)};

    /* The message users see names /usr/lib64 (doc/sources.md#error-lines, LIEF#103). */
    check_versions(ctx, m, out, prefixes, offs, 2, "/usr/lib64");
}
