/* SPDX-License-Identifier: MIT */
/*
 * ABI030 bootstrap-interpreter-missing: the bootstrap of an OS-only runtime names an
 * interpreter the runtime's OS does not have, so execve() fails with ENOENT, "no such file or
 * directory", although the bootstrap is right there (doc/sources.md#os-only-runtimes):
 *   - an ELF executable linked against musl (Alpine, the x86_64-unknown-linux-musl target
 *     built without crt-static): its PT_INTERP /lib/ld-musl-<arch>.so.1 is on no Lambda OS;
 *     a static build has no interpreter and runs;
 *   - a script whose '#!' line ends in a carriage return (written on Windows): the kernel
 *     looks for "/bin/sh\r".
 * Only what is known to be absent is said: an interpreter this project has no source for
 * either way (python3 on provided.al2023) is not.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xalloc.h"

/* The interpreter path a '#!' line names (up to a blank, as the kernel splits it), fresh. */
static char *shebang_interpreter(const char *line)
{
    const char *p = line + 2;

    p += strspn(p, " \t");
    return xstrndup(p, strcspn(p, " \t"));
}

static void report(const struct check_ctx *ctx, struct findings *out, const struct member *m,
                   const char *found, const char *fix_command, const char *fix_note,
                   const char *why)
{
    struct tvar vars[] = {{"zip", ctx->img->inputs[m->input].name},
                          {"fix_command", fix_command},
                          {"fix_note", fix_note}};

    check_report(ctx, out,
                 &(struct check_found){.m = m,
                                       .sev = ctx->rule->severity,
                                       .expected = ctx->profile->interpreter,
                                       .found = found,
                                       .vars = vars,
                                       .nvars = ARRAY_SIZE(vars)},
                 "%s: %s does not have it, so starting the function fails with 'no such file or "
                 "directory' although the bootstrap is there",
                 why, ctx->profile->os_name);
}

void check_bootstrap_interpreter_missing(const struct check_ctx *ctx, struct findings *out)
{
    const struct image *img = ctx->img;

    for (size_t v = 0; v < img->inputs_nr; v++) {
        const struct member *m = img->inputs[v].view == v ? check_bootstrap(ctx, v) : NULL;
        if (!m || m->link_target) {
            continue;
        }
        if (m->elf && m->elf->header_ok && m->elf->machine == ctx->profile->elf_machine &&
            m->elf->interp && strstr(m->elf->interp, "/ld-musl-")) {
            char *why = xasprintf("the bootstrap is linked against musl: its interpreter is %s",
                                  m->elf->interp);
            report(ctx, out, m, m->elf->interp, NULL,
                   "link it statically (Rust: RUSTFLAGS='-C target-feature=+crt-static' for the "
                   "musl target; C: -static), or build it for glibc on the runtime's OS",
                   why);
            free(why);
        } else if (m->shebang && strchr(m->shebang, '\r')) {
            char *interp = shebang_interpreter(m->shebang);
            /* The carriage return written as \r: a report shows it, never prints it. */
            char *shown = xasprintf("%.*s\\r", (int)strcspn(interp, "\r"), interp);
            char *why = xasprintf("the bootstrap's '#!' line ends in a carriage return (written "
                                  "on Windows): the kernel looks for the interpreter '%s'",
                                  shown);
            report(ctx, out, m, shown, "sed -i 's/\\r$//' {path} && zip -X {zip} {path}",
                   "GNU sed, in the directory the zip is made from (dos2unix does the same); "
                   "set the editor or git (core.autocrlf) to keep LF line ends",
                   why);
            free(why);
            free(shown);
            free(interp);
        }
    }
}
