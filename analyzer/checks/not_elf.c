/* SPDX-License-Identifier: MIT */
/* ABI003 not-elf: a file named like a shared object, or a Node.js addon, that is not ELF. */
#include "check.h"
#include "imports.h"
#include "path.h"
#include "pyclass.h"

void check_not_elf(const struct check_ctx *ctx, const struct member *m, struct findings *out)
{
    const char *found;

    enum import_fate fate = imports_of(ctx->imports, m)->fate;

    if (m->problem || m->content == CONTENT_UNREAD || m->content == CONTENT_ELF ||
        (!pyclass_shared_object_name(path_base(m->path)) && m->role != ROLE_ADDON)) {
        return;
    }
    /* A module file Python never opens (python-tag-mismatch says so) fails on its name,
     * whatever it holds. */
    if (fate == IMPORT_SKIPPED || fate == IMPORT_SHADOWED) {
        return;
    }
    found = pyclass_content_name(m->content);
    struct tvar vars[1] = {
        {"loader_error", m->content == CONTENT_EMPTY ? "file too short" : "invalid ELF header"},
    };
    check_report(ctx, out,
                 &(struct check_found){.m = m,
                                       .sev = ctx->rule->severity,
                                       .expected = "ELF",
                                       .found = found,
                                       .vars = vars,
                                       .nvars = 1},
                 "named like a %s but %s",
                 m->role == ROLE_ADDON ? "Node.js addon" : "shared object",
                 m->content == CONTENT_MACHO   ? "is a Mach-O file (built on macOS)"
                 : m->content == CONTENT_PE    ? "is a PE file (built on Windows)"
                 : m->content == CONTENT_EMPTY ? "is empty"
                 : m->content == CONTENT_TEXT  ? "is a text file"
                                               : "is not ELF");
}
