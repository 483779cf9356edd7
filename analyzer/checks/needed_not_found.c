/* SPDX-License-Identifier: MIT */
/* ABI009 needed-not-found: a DT_NEEDED that nothing on Lambda's loader path provides. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "loader.h"
#include "path.h"
#include "xalloc.h"

/* musl's libc and libpython have rules of their own (musl-linked, libpython-linked). */
static bool own_rule(const char *soname, const struct resolution *r)
{
    return loader_musl_soname(soname) || !strncmp(soname, "libpython", 9) ||
           (r->row && (!strcmp(r->row->family, "musl") || !strcmp(r->row->family, "libpython")));
}

/* "$ORIGIN/../x.libs": the directory of to, from from's, when both are in one input;
 * else to's absolute directory. */
static char *relative_dir(const struct member *from, const struct member *to)
{
    char *a, *b, *rel, *out;

    if (from->input != to->input) {
        return xstrndup(to->abs, path_dir_len(to->abs));
    }
    a = xstrndup(from->path, path_dir_len(from->path));
    b = xstrndup(to->path, path_dir_len(to->path));
    rel = path_relative(a, b);
    out = *rel ? xasprintf("$ORIGIN/%s", rel) : xstrdup("$ORIGIN");
    free(rel);
    free(b);
    free(a);
    return out;
}

/* Where the load that fails starts, in words: "" for the object's own load. */
static char *whose_load(const struct member *m, const struct resolution *r, bool reached)
{
    if (!reached) {
        return xasprintf("; no module or executable of the bundle loads %s, so only a "
                         "dlopen() or an absolute path would, and then this fails",
                         path_base(m->path));
    }
    if (r->root && r->root != m) {
        return xasprintf(" (loaded for %s)", r->root->path);
    }
    return xstrdup("");
}

/* The bundle has the library, but no directory ld.so searches for m leads to it: the fix
 * is a DT_RUNPATH on m that does ($ORIGIN-relative within one input). */
static void unreachable(const struct check_ctx *ctx, struct findings *out, const struct member *m,
                        enum severity sev, const char *soname, const struct member *have,
                        const char *whose)
{
    char *dir = relative_dir(m, have);
    const bool image = ctx->img->inputs[image_view_of(ctx->img, m)].container != NULL;
    /* In an image, ld.so finds a library outside its own directories through ld.so.cache
     * (ldconfig writes it from ld.so.conf) or LD_LIBRARY_PATH. */
    char *fix = image ? xasprintf("run ldconfig after putting it in %.*s (ld.so finds it through "
                                  "ld.so.cache), or add that directory to the image's "
                                  "LD_LIBRARY_PATH (ENV in its Dockerfile)",
                                  (int)path_dir_len(have->abs), have->abs)
                      : xstrdup("give {path} a run path to it");
    struct tvar vars[] = {{"soname", soname},
                          {"rpath", dir},
                          {"fix_command", image ? NULL : "patchelf --set-rpath {rpath} {path}"},
                          {"fix_note", fix}};

    check_report(ctx, out,
                 &(struct check_found){.m = m,
                                       .sev = sev,
                                       .expected = "a library on the loader path",
                                       .found = soname,
                                       .vars = vars,
                                       .nvars = ARRAY_SIZE(vars)},
                 "needs %s, which the %s has at %s, but no directory ld.so searches for it "
                 "leads there%s%s",
                 soname, image ? "image" : "bundle", have->path,
                 m->elf->runpath || m->elf->rpath ? "" : " (it has no DT_RPATH or DT_RUNPATH)",
                 whose);
    free(fix);
    free(dir);
}

/* A container image is all the loader has: no file on its search path has the library. The
 * multi-stage mistake: the stage that built the module had it, the final one does not. */
static void missing_in_image(const struct check_ctx *ctx, struct findings *out,
                             const struct member *m, enum severity sev, const char *soname,
                             const struct provider *prov, const char *whose)
{
    const struct container *c = ctx->img->inputs[image_view_of(ctx->img, m)].container;
    char *dirs = strvec_join(&c->default_dirs, ", ");
    char *fix = xasprintf("install %s in the image's final stage (its package manager, from the "
                          "same base image), or COPY it from the stage that built %s, into a "
                          "directory on the loader path (%s)",
                          prov ? prov->package : soname, path_base(m->path), dirs);
    struct tvar vars[] = {{"soname", soname}, {"fix_note", fix}};

    check_report(ctx, out,
                 &(struct check_found){.m = m,
                                       .sev = sev,
                                       .expected = "a library on the loader path",
                                       .found = soname,
                                       .vars = vars,
                                       .nvars = 2},
                 "needs %s, which no file of the image on the loader's path provides (%s%s%s)%s",
                 soname, c->ld_library_path.nr ? "LD_LIBRARY_PATH, " : "",
                 c->has_ld_cache ? "ld.so.cache, " : "", dirs, whose);
    free(fix);
    free(dirs);
}

void check_needed_not_found(const struct check_ctx *ctx, const struct member *m,
                            struct findings *out)
{
    const struct profile *p = ctx->profile;
    /* A module is a load of its own, opened or not (one Python never opens is judged as it
     * would load, renamed or rebuilt as it is); only a library can be reached by nothing. */
    bool reached = loader_model_reached(ctx->load, m) || m->role == ROLE_EXTENSION;

    /* Every loadable object counts (the registry's scope), bundled libraries too: what a
     * library needs is needed as soon as a module loads it. The model says how each name
     * resolves in the loads that map the object (loader.h). */
    for (size_t j = 0; j < m->elf->needed.nr; j++) {
        const char *soname = m->elf->needed.v[j];
        const struct resolution *r = loader_model_needed(ctx->load, m, j);
        const struct provider *prov;
        const struct member *have;
        enum severity sev = ctx->rule->severity;
        char *hint, *whose;
        if (r->kind == RESOLVED_BUNDLE || r->kind == RESOLVED_SYSTEM || own_rule(soname, r)) {
            continue;
        }
        if (r->kind == RESOLVED_UNCONFIRMED || !reached) {
            sev = SEV_WARNING;
        }
        prov = providers_find(datadir_providers(ctx->data), soname);
        /* doc/sources.md#libraries-per-os: what is inferred says so. */
        if (r->row && !oslib_listed(r->row)) {
            hint = xasprintf(" (%s)%s%s", r->row->says, prov ? "; usually from " : "",
                             prov ? prov->package : "");
        } else {
            hint = xasprintf("%s%s%s%s%s", r->row && r->row->confidence ? " (" : "",
                             r->row && r->row->confidence ? r->row->confidence : "",
                             r->row && r->row->confidence ? ")" : "", prov ? "; usually from " : "",
                             prov ? prov->package : "");
        }
        whose = whose_load(m, r, reached);
        if ((have = image_find_library(ctx->img, image_view_of(ctx->img, m), soname)) != NULL) {
            unreachable(ctx, out, m, sev, soname, have, whose);
        } else if (ctx->img->inputs[image_view_of(ctx->img, m)].container) {
            missing_in_image(ctx, out, m, sev, soname, prov, whose);
        } else {
            /* The provider's words, beside the rule's command (manylinux wheels vendor it). */
            struct tvar vars[] = {{"soname", soname},
                                  {"fix_command", prov ? ctx->rule->fix.command : NULL},
                                  {"fix_note", prov ? prov->hint : NULL}};
            check_report(ctx, out,
                         &(struct check_found){.m = m,
                                               .sev = sev,
                                               .expected = "a library on the loader path",
                                               .found = soname,
                                               .vars = vars,
                                               .nvars = ARRAY_SIZE(vars)},
                         r->kind == RESOLVED_UNCONFIRMED
                             ? "needs %s: not in the bundle, and not known to be in %s%s%s"
                             : "needs %s: not in the bundle, and %s does not ship it%s%s",
                         soname, p->os_name, hint, whose);
        }
        free(whose);
        free(hint);
    }
}
