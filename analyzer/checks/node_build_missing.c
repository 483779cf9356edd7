/* SPDX-License-Identifier: MIT */
/*
 * ABI033 node-build-missing: a package with native builds per platform that has none for
 * the runtime's. Two conventions (doc/sources.md#nodejs-addons, model/addons.h):
 *   - a platform package the package lists in its optionalDependencies for Linux on the
 *     runtime's architecture with glibc (@img/sharp-linux-x64) is not installed: npm ran on
 *     another platform (a Mac, an arm64 runner, Alpine) and installed that one's instead;
 *   - node-gyp-build's prebuilds/ holds no build Node.js on Linux there would load, and
 *     the package has no build/Release/ either.
 * Either way require() throws when the package loads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addons.h"
#include "advice_node.h"
#include "check.h"
#include "imports.h"
#include "strmap.h"
#include "xalloc.h"

/* Whether a package named name is installed in the view (function or its layers). */
static bool installed(const struct image *img, size_t view, const char *name)
{
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        if (m->npm && m->npm->name && !m->overwritten_by && image_view_of(img, m) == view &&
            !strcmp(m->npm->name, name)) {
            return true;
        }
    }
    return false;
}

/* How a finding is fixed: the package built from source (node-gyp-build), the devDependencies
 * pruned, or else its platform's package installed. */
enum fix_kind { FIX_INSTALL, FIX_REBUILD, FIX_PRUNE };

/* what: the severity, expected and found, and the one variable "lambda_error". */
static void report(const struct check_ctx *ctx, struct findings *out, const struct member *at,
                   const char *package, enum fix_kind fix, const struct check_found *what,
                   const char *msg)
{
    char *note = NULL, *cmd;

    if (fix == FIX_REBUILD) {
        cmd = advice_npm_rebuild(ctx->profile, package, &note);
    } else if (fix == FIX_PRUNE) {
        cmd = xstrdup("npm prune --omit=dev");
        note = xstrdup("removes the devDependencies from node_modules: the function runs "
                       "without them");
    } else {
        cmd = advice_npm_install(ctx->profile, package);
        note = xasprintf("npm installs %s's build for Linux %s with glibc; run it where the "
                         "bundle's node_modules is made",
                         package, addons_cpu(ctx->profile));
    }
    struct tvar vars[] = {{"lambda_error", what->vars ? what->vars[0].value : NULL},
                          {"fix_command", cmd},
                          {"fix_note", note}};
    struct check_found found = *what;

    found.m = at;
    found.vars = vars;
    found.nvars = 3;
    check_report(ctx, out, &found, "%s", msg);
    free(cmd);
    free(note);
}

/* Whether the function's own package.json (at the top of input) lists name among its
 * devDependencies: shipped by mistake, loaded only if something requires it. */
static bool dev_dependency(const struct image *img, size_t input, const char *name)
{
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        if (m->input == input && m->npm && !strcmp(m->path, "package.json")) {
            return strvec_contains(&m->npm->dev, name);
        }
    }
    return false;
}

/* A package whose platform packages leave out the runtime's platform: none of those for it
 * is installed. */
static void check_platform_packages(const struct check_ctx *ctx, const struct member *m,
                                    struct findings *out)
{
    const struct npm_package *pkg = m->npm;
    const struct image *img = ctx->img;
    size_t view = image_view_of(img, m), platforms = 0;
    struct strvec missing = STRVEC_INIT, other = STRVEC_INIT;
    bool fits, any = false;

    for (size_t i = 0; i < pkg->optional.nr; i++) {
        const char *name = pkg->optional.v[i];
        if (!addons_platform_name(name, ctx->profile, &fits)) {
            continue;
        }
        platforms++;
        bool there = installed(img, view, name);
        any |= fits && there;
        if (fits && !there) {
            strvec_push(&missing, name);
        } else if (!fits && there) {
            strvec_push(&other, name);
        }
    }
    /* One of its builds for the platform is there: what it lacks, the loader says
     * (needed-not-found names sharp's libvips beside its addon). */
    if (platforms >= 2 && missing.nr && !any) {
        char *lacks = strvec_join(&missing, ", "), *has = strvec_join(&other, ", ");
        /* Each package words its failure its own way: sharp's is known
         * (doc/sources.md#nodejs-addons); another's is not said. */
        char *lambda = !strcmp(pkg->name, "sharp")
                           ? xasprintf("Error: Could not load the \"sharp\" module using the "
                                       "linux-%s runtime",
                                       addons_cpu(ctx->profile))
                           : NULL;
        bool dev = dev_dependency(img, m->input, pkg->name);
        char *msg = xasprintf(
            "%s has no build for Linux %s with glibc: node_modules lacks %s%s%s%s%s", pkg->name,
            addons_cpu(ctx->profile), lacks, other.nr ? "; it has " : "", has,
            other.nr ? " instead (npm installed another platform's)"
                     : " (installed with --omit=optional, or on another platform)",
            dev ? "; a devDependency of package.json: it fails only if the code requires it" : "");
        char expected[160];
        snprintf(expected, sizeof(expected), "%s", missing.v[0]);
        struct tvar said = {"lambda_error", dev ? NULL : lambda};
        report(ctx, out, m, pkg->name, dev ? FIX_PRUNE : FIX_INSTALL,
               &(struct check_found){.sev = dev ? SEV_WARNING : ctx->rule->severity,
                                     .expected = expected,
                                     .found = other.nr ? other.v[0] : "none",
                                     .vars = &said,
                                     .nvars = 1},
               msg);
        free(lacks);
        free(has);
        free(lambda);
        free(msg);
    }
    strvec_release(&missing);
    strvec_release(&other);
}

/* Whether input has an addon below dir[0, len) in build/ (node-gyp's Release/ or Debug/), or
 * one Node.js opens below prebuilds/ there. */
static bool prebuilds_load(const struct check_ctx *ctx, size_t input, const char *dir, size_t len)
{
    const struct image *img = ctx->img;

    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        if (m->input != input || m->role != ROLE_ADDON || strncmp(m->path, dir, len) != 0) {
            continue;
        }
        if (!strncmp(m->path + len, "build/", 6) ||
            (!strncmp(m->path + len, "prebuilds/", 10) &&
             imports_of(ctx->imports, m)->fate == IMPORT_OPENED)) {
            return true;
        }
    }
    return false;
}

/* The platforms prebuilds/ below dir[0, len) of input has builds for: "darwin-arm64, win32-x64". */
static char *prebuild_platforms(const struct image *img, size_t input, const char *dir, size_t len)
{
    struct strvec tuples = STRVEC_INIT;
    char *out;

    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        struct prebuild b;
        if (m->input == input && m->role == ROLE_ADDON && !strncmp(m->path, dir, len) &&
            addons_prebuild(m->path, &b) && b.root_len == len) {
            char *t = xasprintf("%s-%s", b.platform, b.archs);
            if (!strvec_contains(&tuples, t)) {
                strvec_push(&tuples, t);
            }
            free(t);
        }
    }
    strvec_sort(&tuples);
    out = strvec_join(&tuples, ", ");
    strvec_release(&tuples);
    return out;
}

/* Whether the package at dir[0, len) of input falls back to JavaScript when node-gyp-build
 * throws (its index.js catches it: facts/nodepkg.h). */
static bool falls_back(const struct image *img, size_t input, const char *dir, size_t len)
{
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        if (m->js_fallback && m->input == input && !strncmp(m->path, dir, len) &&
            !strcmp(m->path + len, "index.js")) {
            return true;
        }
    }
    return false;
}

/* node-gyp-build's prebuilds/ with nothing for the platform, in a package that has no
 * platform packages of its own (those are said above) and no build/Release/. */
static void check_prebuilds(const struct check_ctx *ctx, const struct strmap *pkgs,
                            struct findings *out)
{
    const struct image *img = ctx->img;
    struct strmap seen = {0};

    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        struct prebuild b;
        bool fits;
        if (m->role != ROLE_ADDON || m->overwritten_by || !addons_prebuild(m->path, &b)) {
            continue;
        }
        char *key = xasprintf("%zu:%.*s", m->input, (int)b.root_len, m->path);
        if (strmap_has(&seen, key, strlen(key))) {
            free(key);
            continue;
        }
        strmap_put(&seen, key, strlen(key), (void *)m);
        free(key);
        const struct member *pkg =
            addons_package_at(pkgs, m->input, m->path, b.root_len ? b.root_len - 1 : 0);
        bool platform_packages = false;
        for (size_t k = 0; pkg && k < pkg->npm->optional.nr; k++) {
            platform_packages |= addons_platform_name(pkg->npm->optional.v[k], ctx->profile, &fits);
        }
        if (platform_packages || prebuilds_load(ctx, m->input, m->path, b.root_len)) {
            continue;
        }
        const struct profile *p = ctx->profile;
        char name[256];
        const char *package = pkg && pkg->npm->name
                                  ? pkg->npm->name
                                  : advice_npm_package(m->path, name, sizeof(name));
        char *lambda = xasprintf(
            "Error: No native build was found for platform=linux arch=%s runtime=node abi=%ld "
            "uv=1%s libc=glibc node=%s.x",
            addons_cpu(p), p->node_abi, strcmp(p->arch, "arm64") ? "" : " armv=8", p->node_version);
        char *tuples = prebuild_platforms(img, m->input, m->path, b.root_len);
        bool caught = falls_back(img, m->input, m->path, b.root_len);
        char *msg =
            xasprintf("%s has prebuilds for %s but none that Node.js %s loads on Linux "
                      "%s with glibc, and no build/Release/%s",
                      package ? package : "the package", tuples, p->node_version, addons_cpu(p),
                      caught ? "; its index.js falls back to JavaScript when "
                               "node-gyp-build throws (slower, but it works)"
                             : "");
        free(tuples);
        char expected[64];
        snprintf(expected, sizeof(expected), "prebuilds/linux-%s/", addons_cpu(p));
        struct tvar said = {"lambda_error", caught ? NULL : lambda};
        report(ctx, out, pkg ? pkg : m, package, FIX_REBUILD,
               &(struct check_found){.sev = caught ? SEV_WARNING : ctx->rule->severity,
                                     .expected = expected,
                                     .found = m->path,
                                     .vars = &said,
                                     .nvars = 1},
               msg);
        free(lambda);
        free(msg);
    }
    strmap_release(&seen);
}

void check_node_build_missing(const struct check_ctx *ctx, struct findings *out)
{
    const struct image *img = ctx->img;
    struct strmap pkgs = {0};

    if (!profile_node(ctx->profile)) {
        return;
    }
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        if (m->npm && m->npm->name && m->npm->optional.nr && !m->overwritten_by) {
            check_platform_packages(ctx, m, out);
        }
    }
    addons_index(img, &pkgs);
    check_prebuilds(ctx, &pkgs, out);
    strmap_release(&pkgs);
}
