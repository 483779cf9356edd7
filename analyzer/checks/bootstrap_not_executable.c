/* SPDX-License-Identifier: MIT */
/*
 * ABI029 bootstrap-not-executable: the bootstrap of an OS-only runtime stored without an
 * execute bit, or in a zip made on Windows, whose members have no Unix mode at all: Lambda
 * extracts it as it is and cannot exec it (doc/sources.md#os-only-runtimes). A directory
 * given as the bundle says nothing of how it will be zipped, so only a zip's (or an image
 * layer's) mode is judged.
 */
#include <stdlib.h>

#include "advice.h"
#include "check.h"
#include "xalloc.h"

void check_bootstrap_not_executable(const struct check_ctx *ctx, struct findings *out)
{
    const struct image *img = ctx->img;

    for (size_t v = 0; v < img->inputs_nr; v++) {
        const struct member *m = img->inputs[v].view == v ? check_bootstrap(ctx, v) : NULL;
        struct advice_exec_bit fix;
        if (!m || m->link_target || (!m->mode_lost && (!m->mode || (m->mode & 0111)))) {
            continue;
        }
        advice_exec_bit(m, "sam build", &fix);
        struct tvar vars[] = {{"zip", img->inputs[m->input].name},
                              {"fix_command", fix.command},
                              {"fix_note", fix.note}};
        char *why = m->mode_lost ? xasprintf("the bootstrap has no Unix mode in the zip (a zip "
                                             "made on Windows): Lambda extracts it without an "
                                             "execute bit")
                                 : xasprintf("the bootstrap is stored without an execute bit "
                                             "(%s)",
                                             fix.found);
        check_report(ctx, out,
                     &(struct check_found){.m = m,
                                           .sev = ctx->rule->severity,
                                           .expected = "mode 0755",
                                           .found = fix.found,
                                           .vars = vars,
                                           .nvars = ARRAY_SIZE(vars)},
                     "%s, and %s cannot start it", why, ctx->profile->runtime);
        free(why);
        free(fix.note);
    }
}
