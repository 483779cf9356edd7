/* SPDX-License-Identifier: MIT */
/*
 * ABI021 runtime-deprecated: the target runtime is past its deprecation date (no more
 * security patches; a warning), or past the date updates are blocked (deploying this
 * bundle fails; an error). Invocations of existing functions are never blocked
 * (doc/sources.md#deprecation-dates, [awsdocs-hist]). The dates are the profile's; today is
 * SOURCE_DATE_EPOCH when set (util/today.h), so a test does not age.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "today.h"
#include "verutil.h"
#include "xalloc.h"

/* The version a runtime of a language runs: "3.12", "20". */
static const char *version_of(const struct profile *p)
{
    return profile_python(p) ? p->python_version : p->node_version;
}

/* The newest runtime of the same language and architecture that is not deprecated today, or
 * NULL. */
static const struct profile *successor(const struct check_ctx *ctx, const char *today)
{
    const struct profiles *ps = datadir_profiles(ctx->data);
    const struct profile *best = NULL;

    for (size_t i = 0; i < ps->nr; i++) {
        const struct profile *q = &ps->v[i];
        if (!strcmp(q->arch, ctx->profile->arch) &&
            profile_family(q) == profile_family(ctx->profile) && version_of(q) &&
            strcmp(q->deprecated, today) > 0 &&
            (!best || verutil_cmp(version_of(q), version_of(best)) > 0)) {
            best = q;
        }
    }
    return best;
}

void check_runtime_deprecated(const struct check_ctx *ctx, struct findings *out)
{
    const struct profile *p = ctx->profile;
    const struct profile *next;
    char today[11], *fix;
    bool blocked;

    today_iso(today);
    /* An OS-only runtime's deprecation is not scheduled (doc/sources.md#os-only-runtimes). */
    if (!p->deprecated || !today[0] || strcmp(today, p->deprecated) < 0) {
        return;
    }
    blocked = strcmp(today, p->block_update) >= 0;
    next = successor(ctx, today);
    fix = next ? xasprintf("move the function to %s (deprecated from %s), and build the bundle "
                           "for it: the command checks it",
                           next->runtime, next->deprecated)
               : xstrdup("move the function to a supported runtime");
    for (size_t v = 0; v < ctx->img->inputs_nr; v++) {
        struct member where = {0};
        if (ctx->img->inputs[v].view != v) {
            continue; /* once per function (or layer checked on its own) */
        }
        /* A function packaged as a container image has no runtime setting for Lambda to
         * deprecate or block (PackageType Image): its Python is the image's to update. */
        if (ctx->img->inputs[v].container) {
            continue;
        }
        where.path = ".";
        where.abs = "/var/task";
        where.input = v;
        struct tvar vars[] = {{"next", next ? next->runtime : NULL},
                              {"fix_command", next ? "abiscan --runtime {next} BUNDLE.zip" : NULL},
                              {"fix_note", fix}};
        check_report(ctx, out,
                     &(struct check_found){.m = &where,
                                           .sev = blocked ? ctx->rule->severity : SEV_WARNING,
                                           .expected = blocked ? p->block_update : p->deprecated,
                                           .found = today,
                                           .vars = vars,
                                           .nvars = ARRAY_SIZE(vars)},
                     blocked ? "%s is past its end of support: updates are blocked since %s, "
                               "so deploying this bundle fails (existing functions still run)"
                             : "%s is deprecated since %s: it gets no more security patches; "
                               "creating functions with it is blocked from %s, updating them "
                               "from %s",
                     p->runtime, blocked ? p->block_update : p->deprecated, p->block_create,
                     p->block_update);
    }
    free(fix);
}
