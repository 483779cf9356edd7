/* SPDX-License-Identifier: MIT */
/* ABI009 needed-not-found: a DT_NEEDED that nothing on Lambda's loader path provides. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "loader.h"
#include "xalloc.h"

/* musl's libc and libpython have rules of their own (musl-linked, libpython-linked). */
static bool own_rule(const char *soname, const struct resolution *r)
{
    return loader_musl_soname(soname) || !strncmp(soname, "libpython", 9) ||
           (r->row && (!strcmp(r->row->family, "musl") || !strcmp(r->row->family, "libpython")));
}

void check_needed(const struct check_ctx *ctx, const struct member *m, struct findings *out)
{
    const struct profile *p = ctx->profile;

    /* Every loadable object counts (the registry's scope), bundled libraries too: what a
     * library needs is needed as soon as a module loads it (resolution is transitive). */
    for (size_t j = 0; j < m->elf->needed.nr; j++) {
        const char *soname = m->elf->needed.v[j];
        const struct osprovider *prov;
        struct resolution r;
        char *hint;
        loader_resolve(ctx->img, p, m, soname, &r);
        if (r.kind == RESOLVED_BUNDLE || r.kind == RESOLVED_SYSTEM || own_rule(soname, &r)) {
            continue;
        }
        prov = osdata_provider(p->os, soname);
        /* lambda-facts.md: what is inferred says so. */
        hint = xasprintf("%s%s%s%s%s", r.row && r.row->confidence ? " (" : "",
                         r.row && r.row->confidence ? r.row->confidence : "",
                         r.row && r.row->confidence ? ")" : "", prov ? "; usually from " : "",
                         prov ? prov->package : "");
        struct tvar vars[] = {{"soname", soname}, {"remediation", prov ? prov->hint : NULL}};
        check_report(ctx, out, m,
                     r.kind == RESOLVED_UNCONFIRMED ? SEV_WARNING : ctx->rule->severity,
                     "a library on the loader path", soname, vars, 2,
                     r.kind == RESOLVED_UNCONFIRMED
                         ? "needs %s: not in the bundle, and not known to be in %s%s"
                         : "needs %s: not in the bundle, and %s does not ship it%s",
                     soname, p->os->name, hint);
        free(hint);
    }
}
