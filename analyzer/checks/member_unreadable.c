/* SPDX-License-Identifier: MIT */
/*
 * ABI005 member-unreadable: a member that could not be read at all. Members that fail for
 * one reason the whole archive shares (compressed with LZMA, encrypted) get one finding for
 * the input, with their count, and a note each: a bundle zipped with 7-Zip's defaults has
 * nothing readable, and 42 warnings would hide that nothing was checked. That is an error
 * when the members include code (modules, shared objects): the gate must not pass what it
 * never read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "path.h"
#include "pyclass.h"
#include "xalloc.h"

/* A cause every member of an archive may share, or NULL. */
static const char *archive_cause(const char *problem)
{
    if (strstr(problem, "which abiscan cannot inflate")) {
        return "compression";
    }
    if (!strcmp(problem, "member is encrypted")) {
        return "encryption";
    }
    return NULL;
}

/* What to do about one member's problem. */
static const char *remedy(const char *problem)
{
    if (strstr(problem, "CRC") || strstr(problem, "Compressed data invalid") ||
        strstr(problem, "bytes than")) {
        return "the archive is damaged: build it again (zip -r) and check it with unzip -t";
    }
    if (strstr(problem, "-byte limit")) {
        return "give abiscan a larger --max-member-size to read it";
    }
    if (strstr(problem, "zip bomb") || strstr(problem, "budget")) {
        return "a real bundle does not inflate like this: find out who built the archive";
    }
    return NULL; /* the catalogue's: links, FIFOs and devices */
}

static bool code(const struct member *m)
{
    const char *base = path_base(m->path);

    return pyclass_shared_object_name(base) || path_has_suffix(base, ".py") ||
           path_has_suffix(base, ".pyd");
}

static void report_shared(const struct check_ctx *ctx, struct findings *out, const char *cause,
                          const struct member *first, size_t n, bool any_code)
{
    struct member where = *first;
    bool deflate = !strcmp(cause, "compression");
    struct tvar vars[] = {
        {"fix_command", deflate ? "zip -r -Z deflate BUNDLE.zip ." : NULL},
        {"fix_note", deflate ? "zip it again with Deflate, the method every unzip reads (7-Zip: "
                               "7z a -tzip -mm=Deflate)"
                             : "zip it again without encryption: Lambda cannot read encrypted "
                               "members"}};

    where.path = ".";
    where.dist = NULL; /* the archive's, not a distribution's */
    where.raw_path = NULL;
    where.aliases = (struct strvec)STRVEC_INIT;
    check_report(ctx, out,
                 &(struct check_found){.m = &where,
                                       .sev = any_code ? SEV_ERROR : ctx->rule->severity,
                                       .expected = "members abiscan can read",
                                       .found = first->problem,
                                       .vars = vars,
                                       .nvars = ARRAY_SIZE(vars)},
                 "%zu member%s cannot be read, %s: %s (the first: %s); nothing in %s was "
                 "checked",
                 n, n == 1 ? "" : "s", n == 1 ? "which is" : "each", first->problem, first->path,
                 n == 1 ? "it" : "them");
}

void check_member_unreadable(const struct check_ctx *ctx, struct findings *out)
{
    const struct image *img = ctx->img;

    for (size_t input = 0; input < img->inputs_nr; input++) {
        const char *causes[] = {"compression", "encryption"};
        for (size_t c = 0; c < ARRAY_SIZE(causes); c++) {
            const struct member *first = NULL;
            size_t n = 0;
            bool any_code = false;
            for (size_t i = 0; i < img->nr; i++) {
                const struct member *m = &img->members[i];
                const char *cause = m->problem ? archive_cause(m->problem) : NULL;
                if (m->input == input && cause && !strcmp(cause, causes[c])) {
                    first = first ? first : m;
                    any_code |= code(m);
                    n++;
                }
            }
            if (n) {
                report_shared(ctx, out, causes[c], first, n, any_code);
            }
        }
    }
    /* Every member still has its own finding (a machine report names each one); those the
     * archive's finding speaks for are notes, which text shows with -v. */
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        bool shared;
        if (!m->problem || m->overwritten_by) {
            continue;
        }
        shared = archive_cause(m->problem) != NULL;
        struct tvar vars[] = {{"fix_note", shared ? "" : remedy(m->problem)}};
        check_report(ctx, out,
                     &(struct check_found){.m = m,
                                           .sev = shared ? SEV_NOTE : ctx->rule->severity,
                                           .expected = "a readable regular file",
                                           .found = m->problem,
                                           .vars = vars,
                                           .nvars = shared ? 0 : 1},
                     "cannot be read: %s", m->problem);
    }
}
