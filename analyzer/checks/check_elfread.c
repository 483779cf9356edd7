/* SPDX-License-Identifier: MIT */
/* ABI004 elf-unreadable: an ELF object libelf cannot parse (in whole or in part). */
#include "check.h"

void check_elfread(const struct check_ctx *ctx, const struct member *m, struct findings *out)
{
    if (!m->elf->error) {
        return;
    }
    check_report(ctx, out, m, ctx->rule->severity, "a well-formed ELF object", m->elf->error, NULL,
                 0, "%s: %s",
                 m->elf->header_ok ? "ELF object only partly readable" : "ELF header unreadable",
                 m->elf->error);
}
