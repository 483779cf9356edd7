/* SPDX-License-Identifier: MIT */
/* ABI003 not-elf: a file named like a shared object that is not ELF. */
#include <string.h>

#include "check.h"
#include "pyclass.h"

void check_notelf(const struct check_ctx *ctx, struct findings *out)
{
    for (size_t i = 0; i < ctx->img->nr; i++) {
        const struct member *m = &ctx->img->members[i];
        const char *base = strrchr(m->path, '/') ? strrchr(m->path, '/') + 1 : m->path;
        const char *found;
        if (m->problem || m->content == CONTENT_UNREAD || m->content == CONTENT_ELF ||
            !pyclass_shared_object_name(base)) {
            continue;
        }
        found = pyclass_content_name(m->content);
        struct tvar vars[1] = {
            {"loader_error", m->content == CONTENT_EMPTY ? "file too short" : "invalid ELF header"},
        };
        check_report(ctx, out, m, ctx->rule->severity, "ELF", found, vars, 1,
                     "named like a shared object but %s",
                     m->content == CONTENT_MACHO ? "is a Mach-O file (built on macOS)"
                     : m->content == CONTENT_PE  ? "is a PE file (built on Windows)"
                     : m->content == CONTENT_EMPTY ? "is empty"
                     : m->content == CONTENT_TEXT  ? "is a text file"
                                                   : "is not ELF");
    }
}
