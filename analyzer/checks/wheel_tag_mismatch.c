/* SPDX-License-Identifier: MIT */
/*
 * ABI015 wheel-tag-mismatch: *.dist-info/WHEEL Tag: lines the runtime does not accept
 * (PEP 425 python-abi-platform; PEP 600 manylinux_x_y = glibc >= x.y), and tags that
 * the shipped files contradict (doc/sources.md#wheel-tags).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "loader.h"
#include "symver.h"
#include "verutil.h"
#include "xalloc.h"

/* The glibc a platform tag promises to need at most, "" for none (any, linux_*), NULL when
 * the tag is for another OS, C library or architecture. */
static const char *platform_glibc(const char *plat, const char *arch, char *buf, size_t n)
{
    static const struct {
        const char *prefix, *glibc;
    } aliases[] = {{"manylinux1_", "2.5"}, {"manylinux2010_", "2.12"}, {"manylinux2014_", "2.17"}};
    int major, minor, used = 0;
    const char *rest;

    if (!strcmp(plat, "any")) {
        return "";
    }
    for (size_t i = 0; i < ARRAY_SIZE(aliases); i++) {
        size_t len = strlen(aliases[i].prefix);
        if (!strncmp(plat, aliases[i].prefix, len)) {
            return !strcmp(plat + len, arch) ? aliases[i].glibc : NULL;
        }
    }
    if (sscanf(plat, "manylinux_%d_%d_%n", &major, &minor, &used) == 2 && used > 0) {
        snprintf(buf, n, "%d.%d", major, minor);
        return !strcmp(plat + used, arch) ? buf : NULL;
    }
    if (!strncmp(plat, "linux_", 6)) {
        rest = plat + 6;
        return !strcmp(rest, arch) ? "" : NULL; /* the symbols decide (glibc-too-new) */
    }
    return NULL; /* musllinux_*, macosx_*, win*: never on Lambda */
}

/* Does the interpreter and ABI part fit this runtime? */
static bool python_fits(const char *py, const char *abi, const struct profile *p)
{
    int major = 0, minor = -1;
    char cp[16];

    snprintf(cp, sizeof(cp), "cp%d%d", p->py_major, p->py_minor);
    if (!strcmp(abi, "abi3")) {
        return p->py_major == 3 && sscanf(py, "cp3%d", &minor) == 1 && minor <= p->py_minor;
    }
    if (strcmp(abi, "none") != 0) {
        return !strcmp(abi, p->abi_tag);
    }
    if (!strncmp(py, "py", 2) && sscanf(py + 2, "%1d%d", &major, &minor) >= 1) {
        return major == p->py_major && (minor < 0 || minor <= p->py_minor);
    }
    return !strcmp(py, cp);
}

/* A tag may be a compressed set ("py2.py3-none-any"): expand each part. */
static bool tag_fits(const char *tag, const struct profile *p, const char *arch,
                     const char **glibc_out, char *buf, size_t n)
{
    char copy[256], *py, *abi, *plat, *s1, *s2, *s3;

    snprintf(copy, sizeof(copy), "%s", tag);
    py = copy;
    if (!(abi = strchr(py, '-')) || !(plat = strchr(abi + 1, '-'))) {
        return false;
    }
    *abi++ = '\0';
    *plat++ = '\0';
    for (char *a = strtok_r(py, ".", &s1); a; a = strtok_r(NULL, ".", &s1)) {
        for (char *b = strtok_r(abi, ".", &s2); b; b = strtok_r(NULL, ".", &s2)) {
            if (!python_fits(a, b, p)) {
                continue;
            }
            for (char *c = strtok_r(plat, ".", &s3); c; c = strtok_r(NULL, ".", &s3)) {
                const char *g = platform_glibc(c, arch, buf, n);
                if (g && (!*g || verutil_cmp(g, p->glibc_max) <= 0)) {
                    *glibc_out = g;
                    return true;
                }
            }
        }
    }
    return false;
}

struct neediest {
    const char *version;    /* highest GLIBC_x.y needed by a file of the distribution */
    const struct member *m; /* that file */
    bool native;            /* the distribution ships an ELF, Mach-O or PE file at all */
};

/* For every distribution, its files' highest GLIBC_ need: one pass over the members. */
static struct neediest *index_needs(const struct check_ctx *ctx)
{
    const struct image *img = ctx->img;
    struct neediest *out = xcalloc(img->dists_nr + 1, sizeof(*out));
    struct symver_family fam = {"GLIBC_", "0", NULL};
    struct symver_need needs[64];

    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        struct neediest *best;
        size_t n;
        if (m->dist && (m->elf || m->content == CONTENT_MACHO || m->content == CONTENT_PE)) {
            out[m->dist - img->dists].native = true;
        }
        if (!m->dist || !loader_loadable(ctx->profile, m)) {
            continue;
        }
        best = &out[m->dist - img->dists];
        n = symver_unmet(ctx->load, m, &fam, needs, ARRAY_SIZE(needs));
        for (size_t k = 0; k < n; k++) {
            if (verutil_number(needs[k].version, "GLIBC_") &&
                (!best->version || verutil_cmp(needs[k].version + 6, best->version + 6) > 0)) {
                best->version = needs[k].version;
                best->m = m;
            }
        }
    }
    return out;
}

/* Whether an earlier rule found a problem (a warning or an error) in a file of d: the
 * registry runs this rule after the ones about files. */
static bool dist_fails(const struct findings *out, const struct distribution *d)
{
    for (size_t i = 0; i < out->nr; i++) {
        const struct finding *f = &out->items[i];
        if (f->severity >= SEV_WARNING && f->dist_name && !strcmp(f->dist_name, d->name) &&
            (!d->version || (f->dist_version && !strcmp(f->dist_version, d->version)))) {
            return true;
        }
    }
    return false;
}

static void check_dist(const struct check_ctx *ctx, struct findings *out,
                       const struct distribution *d, const struct member *wheel,
                       const struct neediest *need)
{
    const struct profile *p = ctx->profile;
    const char *arch = !strcmp(p->arch, "arm64") ? "aarch64" : p->arch;
    const char *promise = NULL, *g;
    char buf[32], promise_buf[32];
    char *tags = strvec_join(&d->wheel_tags, ", ");

    for (size_t i = 0; i < d->wheel_tags.nr; i++) {
        if (tag_fits(d->wheel_tags.v[i], p, arch, &g, buf, sizeof(buf))) {
            if (*g && (!promise || verutil_cmp(g, promise) > 0)) {
                snprintf(promise_buf, sizeof(promise_buf), "%s", g);
                promise = promise_buf;
            }
            if (!promise) {
                promise = "";
            }
        }
    }
    if (!promise && d->purelib && !need->native) {
        /* Nothing in it can fail to import: pip would not pick the wheel for this Python,
         * but what it installed runs. */
        check_report(ctx, out,
                     &(struct check_found){
                         .m = wheel, .sev = SEV_NOTE, .expected = "py3-none-any", .found = tags},
                     "%s %s is pure Python (Root-Is-Purelib) but tagged %s: pip would not pick "
                     "that wheel for %s, yet installed, it runs",
                     d->name, d->version ? d->version : "", tags, p->runtime);
    } else if (!promise) {
        /* The tag is pip's business; what imports is the files'. Where they fail, their own
         * findings say why (one finding per cause): the tag is then a note. Where they all
         * load, the wheel was still meant for another Python: a warning. */
        bool fails = dist_fails(out, d);
        char *want = xasprintf("%s-%s-manylinux_2_17..%s_%s, abi3 or py3-none-any", p->abi_tag,
                               p->abi_tag, p->glibc_max, arch);
        check_report(ctx, out,
                     &(struct check_found){.m = wheel,
                                           .sev = fails ? SEV_NOTE : ctx->rule->severity,
                                           .expected = want,
                                           .found = tags},
                     "%s %s was installed from a wheel tagged %s, which %s %s does not accept%s",
                     d->name, d->version ? d->version : "", tags, p->runtime, p->arch,
                     fails ? "; its files' own findings say what that breaks"
                           : ": pip would not install it for this runtime, though its files "
                             "load here");
        free(want);
    } else if (*promise && need->version && verutil_cmp(need->version + 6, promise) > 0) {
        char *want = xasprintf("GLIBC_%s", promise);
        check_report(ctx, out,
                     &(struct check_found){
                         .m = wheel, .sev = SEV_WARNING, .expected = want, .found = need->version},
                     "tagged for glibc %s (%s), but %s needs %s: the tag understates", promise,
                     tags, need->m->path, need->version);
        free(want);
    }
    free(tags);
}

void check_wheel_tag_mismatch(const struct check_ctx *ctx, struct findings *out)
{
    struct neediest *needs = index_needs(ctx);

    for (size_t i = 0; i < ctx->img->nr; i++) {
        const struct member *m = &ctx->img->members[i];
        size_t n = strlen(m->path);
        if (m->role != ROLE_DISTINFO || n < 6 || strcmp(m->path + n - 6, "/WHEEL") || !m->dist ||
            !m->dist->wheel_tags.nr) {
            continue;
        }
        check_dist(ctx, out, m->dist, m, &needs[m->dist - ctx->img->dists]);
    }
    free(needs);
}
