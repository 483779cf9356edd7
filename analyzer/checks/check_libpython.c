/* SPDX-License-Identifier: MIT */
/* ABI011 libpython-linked: DT_NEEDED on libpython, which no Lambda runtime ships. */
#include <string.h>

#include "check.h"
#include "loader.h"

void check_libpython(const struct check_ctx *ctx, const struct member *m, struct findings *out)
{
    for (size_t j = 0; j < m->elf->needed.nr; j++) {
        const char *soname = m->elf->needed.v[j];
        if (strncmp(soname, "libpython", 9) != 0) {
            continue;
        }
        struct tvar vars[] = {{"soname", soname}};
        check_report(ctx, out, m, ctx->rule->severity, "no libpython", soname, vars, 1,
                     "links %s; extension modules must not (manylinux), and no Lambda "
                     "runtime has it on the loader path",
                     soname);
    }
}
