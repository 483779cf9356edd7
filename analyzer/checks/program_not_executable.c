/* SPDX-License-Identifier: MIT */
/*
 * ABI031 program-not-executable: an ELF program (ET_EXEC, or a PIE: ET_DYN with an
 * interpreter and no shared-object name) that a zip stores without an execute bit, or with
 * no Unix mode at all (a zip made on Windows). Lambda extracts it as stored; the function
 * that runs it (subprocess, a layer's bin/ on PATH) fails with 'Permission denied'
 * (doc/sources.md#os-only-runtimes). A warning: whether anything runs it is not known. A
 * directory given as the bundle is not judged (how it will be zipped is not known), and an
 * OS-only runtime's bootstrap is bootstrap-not-executable's.
 */
#include <stdlib.h>

#include "advice.h"
#include "check.h"
#include "xalloc.h"

void check_program_not_executable(const struct check_ctx *ctx, const struct member *m,
                                  struct findings *out)
{
    struct advice_exec_bit fix;
    char *lambda;

    if (m->role != ROLE_EXECUTABLE || m->link_target || check_is_bootstrap(ctx, m) ||
        (!m->mode_lost && (!m->mode || (m->mode & 0111)))) {
        return;
    }
    advice_exec_bit(m, NULL, &fix);
    /* What Python's subprocess raises; another language's runtime says it its own way. */
    lambda = profile_python(ctx->profile)
                 ? xasprintf("PermissionError: [Errno 13] Permission denied: '%s'", m->abs)
                 : NULL;
    struct tvar vars[] = {{"zip", ctx->img->inputs[m->input].name},
                          {"lambda_error", lambda},
                          {"fix_command", fix.command},
                          {"fix_note", fix.note}};
    check_report(ctx, out,
                 &(struct check_found){.m = m,
                                       .sev = ctx->rule->severity,
                                       .expected = "mode 0755",
                                       .found = fix.found,
                                       .vars = vars,
                                       .nvars = ARRAY_SIZE(vars)},
                 m->mode_lost ? "a program with %s in the zip (a zip made on Windows): Lambda "
                                "extracts it without an execute bit, and running it fails with "
                                "'Permission denied'"
                              : "a program stored without an execute bit (%s): running it fails "
                                "with 'Permission denied'",
                 fix.found);
    free(lambda);
    free(fix.note);
}
