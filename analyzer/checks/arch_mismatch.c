/* SPDX-License-Identifier: MIT */
/* ABI002 arch-mismatch: an ELF object built for another machine, class or byte order. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "container.h"
#include "elfnames.h"
#include "imports.h"

static void describe(char *buf, size_t n, int machine, int elfclass, int data)
{
    char a[32], b[32], c[32];
    snprintf(buf, n, "%s %s %s", elfnames_machine(machine, a, sizeof(a)),
             elfnames_class(elfclass, b, sizeof(b)), elfnames_data(data, c, sizeof(c)));
}

void check_arch_mismatch(const struct check_ctx *ctx, const struct member *m, struct findings *out)
{
    const struct profile *p = ctx->profile;
    const struct elfinfo *e = m->elf;
    const struct import_info *info = imports_of(ctx->imports, m);
    bool skipped = info->fate == IMPORT_SKIPPED || info->fate == IMPORT_SHADOWED;
    char expected[128], found[128];
    bool wrong_class;

    /* Objects the loader never maps (.o files, core dumps) cannot fail an import. */
    if (!e->header_ok || e->type == ET_REL || e->type == ET_CORE) {
        return;
    }
    wrong_class = e->elfclass != (p->elf_class == 32 ? ELFCLASS32 : ELFCLASS64);
    if (!wrong_class && e->machine == p->elf_machine && e->data == p->elf_data) {
        return;
    }
    /* A container image of another architecture than the function's is one cause, said once
     * (image-arch-mismatch): its files of that architecture are not each said again. */
    const struct container *c = ctx->img->inputs[m->input].container;
    const char *foreign = c ? container_foreign_arch(c) : NULL;
    if (foreign && container_arch_of_machine((unsigned)e->machine) &&
        !strcmp(container_arch_of_machine((unsigned)e->machine), foreign)) {
        return;
    }
    /* A module file Python never opens cannot fail to load: its name is the cause
     * (python-tag-mismatch), unless the name says the same other machine as the content. */
    if (skipped && !imports_content_is_cause(p, m)) {
        return;
    }
    describe(expected, sizeof(expected), (int)p->elf_machine,
             p->elf_class == 32 ? ELFCLASS32 : ELFCLASS64, p->elf_data);
    describe(found, sizeof(found), e->machine, e->elfclass, e->data);
    /* ld.so's own words (doc/sources.md#error-lines): a wrong class is named, a wrong machine
     * is reported as a missing file, which misleads. */
    struct tvar vars[2] = {
        {"loader_error", wrong_class ? (e->elfclass == ELFCLASS32 ? "wrong ELF class: ELFCLASS32"
                                                                  : "wrong ELF class: ELFCLASS64")
                                     : "cannot open shared object file: No such file or "
                                       "directory"},
        {"lambda_error", m->role == ROLE_EXECUTABLE ? "[Errno 8] Exec format error: '{abs}'"
                         : skipped                  ? check_skipped_error(ctx, m)
                                                    : NULL},
    };
    /* The tag's platform, when the name says the same machine: one finding says both. */
    char tag[96] = "";
    if (m->ext.kind == PYEXT_CPYTHON && m->ext.platform && *m->ext.platform) {
        snprintf(tag, sizeof(tag), " (its file name says %s)", m->ext.platform);
    }
    check_report(ctx, out,
                 &(struct check_found){.m = m,
                                       .sev = ctx->rule->severity,
                                       .expected = expected,
                                       .found = found,
                                       .vars = vars,
                                       .nvars = m->role == ROLE_EXECUTABLE || skipped ? 2 : 1},
                 "built for %s%s; %s %s %s only %s", found, tag, p->runtime, p->arch,
                 m->role == ROLE_EXECUTABLE ? "runs" : "loads", expected);
}
