/* SPDX-License-Identifier: MIT */
/*
 * ABI011 libpython-linked: DT_NEEDED on libpython. manylinux forbids it (the interpreter
 * provides the symbols); whether it loads on Lambda is the OS data's to say, like any
 * other DT_NEEDED: AL1 ships libpython2.7.so.1.0 (python2.7's own), the others are not
 * known to (doc/sources.md#libraries-per-os). Judged by the loader model (loader.h), so a module
 * that finds it in the bundle is not reported here.
 */
#include <string.h>

#include "check.h"
#include "loader.h"

void check_libpython_linked(const struct check_ctx *ctx, const struct member *m,
                            struct findings *out)
{
    const struct profile *p = ctx->profile;

    for (size_t j = 0; j < m->elf->needed.nr; j++) {
        const char *soname = m->elf->needed.v[j];
        const struct resolution *r;
        if (strncmp(soname, "libpython", 9) != 0) {
            continue;
        }
        r = loader_model_needed(ctx->load, m, j);
        if (r->kind == RESOLVED_BUNDLE || r->kind == RESOLVED_SYSTEM) {
            continue;
        }
        struct tvar vars[] = {{"soname", soname}};
        if (r->kind == RESOLVED_UNCONFIRMED) {
            check_report(ctx, out,
                         &(struct check_found){.m = m,
                                               .sev = SEV_WARNING,
                                               .expected = "no libpython",
                                               .found = soname,
                                               .vars = vars,
                                               .nvars = 1},
                         "links %s, which extension modules must not (manylinux): %s is not "
                         "known to have it on the loader path%s%s%s",
                         soname, p->os_name, r->row && r->row->confidence ? " (" : "",
                         r->row && r->row->confidence ? r->row->confidence : "",
                         r->row && r->row->confidence ? ")" : "");
        } else {
            check_report(ctx, out,
                         &(struct check_found){.m = m,
                                               .sev = ctx->rule->severity,
                                               .expected = "no libpython",
                                               .found = soname,
                                               .vars = vars,
                                               .nvars = 1},
                         "links %s, which extension modules must not (manylinux), and %s does "
                         "not ship it",
                         soname, p->os_name);
        }
    }
}
