/* SPDX-License-Identifier: MIT */
/*
 * ABI004 elf-unreadable: an ELF object libelf cannot parse (in whole or in part), or whose
 * section headers say something else than its program headers. ld.so reads only the
 * latter, and so do the other rules; readelf, objdump and most tools read the former.
 */
#include "check.h"

void check_elf_unreadable(const struct check_ctx *ctx, const struct member *m, struct findings *out)
{
    const struct elfinfo *e = m->elf;

    if (e->error) {
        check_report(ctx, out,
                     &(struct check_found){.m = m,
                                           .sev = ctx->rule->severity,
                                           .expected = "a well-formed ELF object",
                                           .found = e->error},
                     "%s: %s",
                     e->header_ok ? "ELF object only partly readable" : "ELF header unreadable",
                     e->error);
    }
    if (e->views_disagree) {
        check_report(
            ctx, out,
            &(struct check_found){.m = m,
                                  .sev = ctx->rule->severity,
                                  .expected = "section headers that agree with the program headers",
                                  .found = e->views_disagree},
            "%s; ld.so reads the dynamic segment, and so does abiscan, but readelf and "
            "most tools show the sections",
            e->views_disagree);
    }
}
