/* SPDX-License-Identifier: MIT */
/* ABI010 musl-linked: an object built against musl (Alpine) on a glibc runtime. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "loader.h"
#include "xalloc.h"

/* The three marks of a musl build (doc/sources.md#wheel-tags): its libc soname, its
 * interpreter, its platform triplet. */
static const char *musl_mark(const struct member *m)
{
    const struct elfinfo *e = m->elf;

    for (size_t i = 0; e && i < e->needed.nr; i++) {
        if (loader_musl_soname(e->needed.v[i])) {
            return e->needed.v[i];
        }
    }
    if (e && e->interp && strstr(e->interp, "/ld-musl-")) {
        return e->interp;
    }
    if (m->ext.platform && strstr(m->ext.platform, "-linux-musl")) {
        return m->ext.platform;
    }
    return NULL;
}

void check_musl_linked(const struct check_ctx *ctx, const struct member *m, struct findings *out)
{
    /* Of an object that cannot load at all (arch-mismatch), nothing more is said: the
     * registry calls this on loadable objects only. */
    const char *mark = musl_mark(m);
    const char *interp = m->elf->interp;

    if (!mark || (interp && check_is_bootstrap(ctx, m))) {
        return; /* a bootstrap's missing interpreter is bootstrap-interpreter-missing's */
    }
    if (m->role == ROLE_EXECUTABLE && interp) {
        /* exec() fails with ENOENT for the missing interpreter, not for the file: the most
         * confusing error there is (the file is right there). */
        char *lambda = xasprintf("[Errno 2] No such file or directory: '%s'", m->abs);
        struct tvar vars[] = {{"soname", mark}, {"lambda_error", lambda}};
        check_report(ctx, out,
                     &(struct check_found){.m = m,
                                           .sev = ctx->rule->severity,
                                           .expected = "glibc (manylinux)",
                                           .found = mark,
                                           .vars = vars,
                                           .nvars = 2},
                     "a musl executable (interpreter %s), built on Alpine; running it on %s "
                     "fails with 'No such file or directory' although the file is there: %s "
                     "has no %s",
                     interp, ctx->profile->runtime, ctx->profile->os_name, interp);
        free(lambda);
        return;
    }
    struct tvar vars[] = {{"soname", mark}, {"lambda_error", check_skipped_error(ctx, m)}};
    check_report(ctx, out,
                 &(struct check_found){.m = m,
                                       .sev = ctx->rule->severity,
                                       .expected = "glibc (manylinux)",
                                       .found = mark,
                                       .vars = vars,
                                       .nvars = check_skipped_error(ctx, m) ? 2 : 1},
                 "linked against musl (%s), built on Alpine or musllinux; %s runs %s, a "
                 "glibc system",
                 mark, ctx->profile->runtime, ctx->profile->os_name);
}
