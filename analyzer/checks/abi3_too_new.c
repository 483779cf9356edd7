/* SPDX-License-Identifier: MIT */
/* ABI013 abi3-too-new: a stable-ABI module whose floor is above the runtime's Python. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "loader.h"
#include "verutil.h"
#include "xalloc.h"

/* The floor from the wheel's tags: "cp39-abi3-manylinux2014_x86_64" means Python >= 3.9
 * (doc/sources.md#extension-suffixes-and-bytecode). The lowest abi3 tag wins: the wheel claims all
 * of them. */
static int wheel_floor(const struct distribution *dist, const char **tag)
{
    int floor = 0;

    for (size_t i = 0; dist && i < dist->wheel_tags.nr; i++) {
        int minor = 0, n = 0;
        const char *t = dist->wheel_tags.v[i];
        if (sscanf(t, "cp3%d-abi3-%n", &minor, &n) == 1 && n > 0 && (!floor || minor < floor)) {
            floor = minor;
            *tag = t;
        }
    }
    return floor;
}

/* The floor from the Stable ABI functions it imports: the newest one's version. */
static const char *symbol_floor(const struct check_ctx *ctx, const struct member *m,
                                const char **sym)
{
    const char *best = NULL;

    for (size_t i = 0; i < m->elf->py_imports.nr; i++) {
        const char *added = stableabi_added(datadir_stable_abi(ctx->data), m->elf->py_imports.v[i]);
        if (added && (!best || verutil_cmp(added, best) > 0)) {
            best = added;
            *sym = m->elf->py_imports.v[i];
        }
    }
    return best;
}

void check_abi3_too_new(const struct check_ctx *ctx, const struct member *m, struct findings *out)
{
    const struct profile *p = ctx->profile;
    const char *tag = NULL, *sym = NULL, *added;
    char floor[16], have[16];
    int wf;

    if (p->py_major != 3 || m->ext.kind != PYEXT_ABI3 || !loader_loadable(p, m)) {
        return;
    }
    snprintf(have, sizeof(have), "3.%d", p->py_minor);
    if ((wf = wheel_floor(m->dist, &tag)) > 0) {
        snprintf(floor, sizeof(floor), "3.%d", wf);
        if (wf <= p->py_minor) {
            return;
        }
        /* What the import says depends on what it calls: the newest function it imports, if
         * that is newer than the runtime; else nothing may fail at all. */
        added = symbol_floor(ctx, m, &sym);
        bool fails = added && verutil_cmp(added, have) > 0;
        struct tvar vars[] = {{"symbol", sym}, {"lambda_error", NULL}};
        check_report(ctx, out,
                     &(struct check_found){.m = m,
                                           .sev = ctx->rule->severity,
                                           .expected = have,
                                           .found = floor,
                                           .vars = vars,
                                           .nvars = fails ? 1 : 2},
                     "stable-ABI module for Python %s and later (WHEEL Tag: %s); %s is %s%s", floor,
                     tag, p->runtime, have,
                     fails ? "" : " (no function it calls is newer, so it may import anyway)");
    } else if ((added = symbol_floor(ctx, m, &sym)) != NULL && verutil_cmp(added, have) > 0) {
        struct tvar vars[] = {{"symbol", sym}};
        check_report(ctx, out,
                     &(struct check_found){.m = m,
                                           .sev = ctx->rule->severity,
                                           .expected = have,
                                           .found = added,
                                           .vars = vars,
                                           .nvars = 1},
                     "stable-ABI module that calls %s, added in Python %s; %s is %s", sym, added,
                     p->runtime, have);
    }
}
