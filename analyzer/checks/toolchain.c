/* SPDX-License-Identifier: MIT */
/* Shared by glibc-too-new, libstdcxx-too-new and libgcc-too-new: unmet symbol versions. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "loader.h"
#include "symver.h"
#include "verutil.h"
#include "xalloc.h"

#define MAX_NEEDS 64

static const char *ceiling(const struct profile *p, size_t off)
{
    return *(char *const *)((const char *)p + off);
}

/* Whether q is a later runtime of p's kind: a later Python, a later Node.js, or a later
 * OS-only runtime (provided.al2023 after provided.al2: their names sort so); never one of
 * another language. */
static bool later_runtime(const struct profile *q, const struct profile *p)
{
    if (profile_family(q) != profile_family(p)) {
        return false;
    }
    if (profile_node(p)) {
        return atoi(q->node_version) > atoi(p->node_version);
    }
    if (!profile_python(p)) {
        return strcmp(q->runtime, p->runtime) > 0;
    }
    return q->py_major > p->py_major || (q->py_major == p->py_major && q->py_minor > p->py_minor);
}

/* The first later runtime of the same architecture whose library has this version. */
static const struct profile *newer_runtime(const struct check_ctx *ctx, size_t off,
                                           const char *number)
{
    const struct profiles *ps = datadir_profiles(ctx->data);

    for (size_t i = 0; number && i < ps->nr; i++) {
        const struct profile *q = &ps->v[i];
        if (!strcmp(q->arch, ctx->profile->arch) && later_runtime(q, ctx->profile) &&
            verutil_cmp(ceiling(q, off), number) >= 0) {
            return q;
        }
    }
    return NULL;
}

/* The fix for a program of an OS-only runtime (a bootstrap): no pip command builds it. */
static const char *native_fix(const struct profile *p)
{
    return !strcmp(p->os_id, "al2") ? "build it in the runtime's image "
                                      "(public.ecr.aws/lambda/provided:al2) or link it statically "
                                      "(Go: CGO_ENABLED=0)"
                                    : "build it in the runtime's image "
                                      "(public.ecr.aws/lambda/provided:al2023) or link it "
                                      "statically (Go: CGO_ENABLED=0)";
}

/* The later ceiling that goes with the one at off (glibcxx_max: glibcxx_later), or NULL. */
static const char *later(const struct profile *p, size_t off)
{
    if (off == offsetof(struct profile, glibcxx_max)) {
        return p->glibcxx_later;
    }
    if (off == offsetof(struct profile, cxxabi_max)) {
        return p->cxxabi_later;
    }
    return off == offsetof(struct profile, gcc_max) ? p->gcc_later : NULL;
}

/* A container image's own library lacks the version: the image is the runtime, so the fix is
 * to build where it runs (or for its C library), never to move to another runtime. */
static void report_image(const struct check_ctx *ctx, struct findings *out, const struct member *m,
                         const struct symver_need *need, const char *prefix, const char *symbols)
{
    const struct container *c = ctx->img->inputs[image_view_of(ctx->img, m)].container;
    char *top = symver_highest(need->sys, prefix);
    char *expected = top ? xasprintf("%s%s", prefix, top) : xasprintf("%s", "a version it defines");
    char *fix = xasprintf("build the wheels in a stage FROM the function's own base image (%s), "
                          "not on another distribution, or install wheels for its C library (the "
                          "command)",
                          c && c->os_name ? c->os_name : "the image's OS");
    const char *lib = c ? container_opened_as(c, ctx->img, image_view_of(ctx->img, m), need->sys)
                        : need->sys->abs;
    struct tvar vars[] = {
        {"lib", lib}, {"newer", ""}, {"fix_command", "{pip_install}"}, {"fix_note", fix}};

    check_report(ctx, out,
                 &(struct check_found){.m = m,
                                       .sev = ctx->rule->severity,
                                       .expected = expected,
                                       .found = need->version,
                                       .vars = vars,
                                       .nvars = ARRAY_SIZE(vars)},
                 "needs %s (%s); the image's %s%s%s%s stops at %s", need->version,
                 *symbols ? symbols : "no symbol binds it directly", need->sys->path,
                 c && c->os_name ? " (" : "", c && c->os_name ? c->os_name : "",
                 c && c->os_name ? ")" : "", expected);
    free(fix);
    free(expected);
    free(top);
}

static void report(const struct check_ctx *ctx, struct findings *out, const struct member *m,
                   const struct symver_need *need, size_t off, const char *prefix,
                   const char *sysdir)
{
    const struct profile *p = ctx->profile;
    const char *num = verutil_number(need->version, prefix);
    const struct profile *newer = newer_runtime(ctx, off, num);
    char *expected = xasprintf("%s%s", prefix, ceiling(p, off));
    char *symbols = symver_symbols(m, need->version, 6);
    char *lib = need->copy ? xstrdup(need->copy->abs) : xasprintf("%s/%s", sysdir, need->file);
    /* A module built for one CPython moves with a rebuild: the newer runtime's Python
     * imports only its own tag. */
    bool tagged = m->ext.kind == PYEXT_CPYTHON;
    char *alt = newer ? xasprintf(", or move to %s (%s has %s)%s", newer->runtime, newer->os_name,
                                  need->version, tagged ? " and build the module for it" : "")
                      : xstrdup("");
    /* An OS-only runtime's code is no pip package: built where it runs, or statically. */
    char *native = profile_family(p) == FAMILY_OS ? xasprintf("%s%s", native_fix(p), alt) : NULL;
    struct tvar vars[] = {
        {"lib", lib}, {"newer", alt}, {"fix_command", NULL}, {"fix_note", native}};

    if (need->sys && (num || strcmp(need->version, "GLIBC_PRIVATE") != 0)) {
        report_image(ctx, out, m, need, prefix, symbols);
    } else if (!num && !strcmp(need->version, "GLIBC_PRIVATE")) {
        check_report(ctx, out,
                     &(struct check_found){.m = m,
                                           .sev = ctx->rule->severity,
                                           .expected = expected,
                                           .found = need->version,
                                           .vars = vars,
                                           .nvars = ARRAY_SIZE(vars)},
                     "needs GLIBC_PRIVATE (%s): glibc's internal interface, which no build "
                     "outside glibc may bind and no runtime promises",
                     *symbols ? symbols : "no symbol binds it directly");
    } else if (need->copy) {
        check_report(ctx, out,
                     &(struct check_found){.m = m,
                                           .sev = ctx->rule->severity,
                                           .expected = need->version,
                                           .found = need->version,
                                           .vars = vars,
                                           .nvars = ARRAY_SIZE(vars)},
                     "needs %s (%s) from %s, which the bundled copy %s does not define",
                     need->version, *symbols ? symbols : "no symbol binds it directly", need->file,
                     need->copy->path);
    } else if (num && later(p, off) && verutil_cmp(num, later(p, off)) <= 0) {
        /* Within what the runtime has had since its toolchain update: it loads where the
         * function runs on an updated runtime, which is not known for certain. */
        check_report(ctx, out,
                     &(struct check_found){.m = m,
                                           .sev = SEV_WARNING,
                                           .expected = expected,
                                           .found = need->version,
                                           .vars = vars,
                                           .nvars = ARRAY_SIZE(vars)},
                     "needs %s (%s); %s runs %s, whose %s had %s until mid-2019 and has %s%s "
                     "since (the date is not confirmed): it loads on a runtime updated since",
                     need->version, *symbols ? symbols : "no symbol binds it directly", p->runtime,
                     p->os_name, need->file, expected, prefix, later(p, off));
    } else {
        check_report(ctx, out,
                     &(struct check_found){.m = m,
                                           .sev = ctx->rule->severity,
                                           .expected = expected,
                                           .found = need->version,
                                           .vars = vars,
                                           .nvars = ARRAY_SIZE(vars)},
                     "needs %s (%s); %s runs %s, whose %s stops at %s", need->version,
                     *symbols ? symbols : "no symbol binds it directly", p->runtime, p->os_name,
                     need->file, expected);
    }
    free(alt);
    free(native);
    free(lib);
    free(symbols);
    free(expected);
}

void check_versions(const struct check_ctx *ctx, const struct member *m, struct findings *out,
                    const char *const *prefixes, const size_t *ceiling_off, size_t nfam,
                    const char *sysdir)
{
    const struct profile *p = ctx->profile;
    struct symver_need needs[MAX_NEEDS];

    for (size_t f = 0; f < nfam; f++) {
        struct symver_family fam = {prefixes[f], ceiling(p, ceiling_off[f]),
                                    !strcmp(prefixes[f], "CXXABI_") ? &p->cxxabi_extra : NULL};
        /* One finding per object and family: the highest unmet version. */
        if (symver_unmet(ctx->load, m, &fam, needs, MAX_NEEDS) > 0) {
            report(ctx, out, m, &needs[0], ceiling_off[f], prefixes[f], sysdir);
        }
    }
}
