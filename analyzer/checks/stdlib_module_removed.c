/* SPDX-License-Identifier: MIT */
/*
 * ABI025 stdlib-module-removed: a module-level import, not guarded, of a module the target's
 * standard library no longer has (distutils and imp from 3.12, PEP 594's nineteen and lib2to3
 * from 3.13: doc/sources.md#standard-library), in a source of the bundle on the runtime's
 * sys.path, where no module of the bundle takes its name (a backport such as legacy-cgi
 * brings cgi back). Importing that source fails with ModuleNotFoundError: a warning, an
 * error when the handler's import runs it (model/pymodules.h, the handler's chain).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pymodules.h"
#include "xalloc.h"

/* distutils as setuptools brings it: its _distutils_hack puts setuptools' copy in place when
 * setuptools is imported (doc/sources.md#standard-library), here before the line. */
/* Whether the import runs when its module is imported on p's Python (under no condition,
 * or a version test that holds there). */
static bool runs_on(const struct pyimport *imp, const struct profile *p)
{
    return imp->runs && pycond_holds(&imp->cond, p->py_major, p->py_minor);
}

static bool distutils_by_setuptools(struct pymodules *pm, const struct profile *p,
                                    const struct member *m, unsigned line)
{
    char *name;
    bool inside;

    if (pymodules_find(pm, "_distutils_hack")->where != PYMOD_BUNDLE) {
        return false;
    }
    /* setuptools' own modules run after its __init__ has put distutils in place */
    name = pymodules_name_of(m);
    inside = name && (!strncmp(name, "setuptools.", 11) || !strncmp(name, "_distutils_hack", 15));
    free(name);
    for (size_t i = 0; i < m->py->nr && !inside; i++) {
        const char *mod = m->py->v[i].module;
        inside = runs_on(&m->py->v[i], p) && m->py->v[i].line < line &&
                 (!strcmp(mod, "setuptools") || !strncmp(mod, "setuptools.", 11) ||
                  !strcmp(mod, "_distutils_hack") || !strncmp(mod, "_distutils_hack.", 16));
    }
    return inside;
}

/* Whether an earlier import of the file names the same top-level module (said once). */
static bool said_before(const struct member *m, const struct profile *p, size_t i, const char *top)
{
    size_t n = strlen(top);

    for (size_t k = 0; k < i; k++) {
        const struct pyimport *o = &m->py->v[k];
        if (!o->guarded && runs_on(o, p) && !strncmp(o->module, top, n) &&
            (!o->module[n] || o->module[n] == '.')) {
            return true;
        }
    }
    return false;
}

static void check_member(const struct check_ctx *ctx, struct findings *out, struct pymodules *pm,
                         const struct pychain *chain, const struct member *m)
{
    const struct profile *p = ctx->profile;
    const struct stdlib *sl = datadir_stdlib(ctx->data);
    bool on_chain = chain && chain->on_chain[m - ctx->img->members];

    for (size_t i = 0; i < m->py->nr; i++) {
        const struct pyimport *imp = &m->py->v[i];
        const struct stdlib_removed *r;
        char *top, found[160], fix[512], words[160], *error;
        if (imp->guarded || !runs_on(imp, p) || imp->module[0] == '.') {
            continue;
        }
        top = xstrndup(imp->module, strcspn(imp->module, "."));
        r = stdlib_removed_in(sl, p->py_major, p->py_minor, top);
        /* The runtime lacks it; the bundle may have it (a backport, a copy of its own). */
        if (!r || pymodules_find(pm, top)->where != PYMOD_MISSING || said_before(m, p, i, top) ||
            (!strcmp(top, "distutils") && distutils_by_setuptools(pm, p, m, imp->line))) {
            free(top);
            continue;
        }
        snprintf(found, sizeof(found), "import %s (line %u)", top, imp->line);
        snprintf(words, sizeof(words), "%s%s%s%s", r->backport ? "add " : "",
                 r->backport ? r->backport : "",
                 r->backport ? " to the function's requirements (it installs " : "",
                 r->backport ? top : "");
        snprintf(fix, sizeof(fix), "%s%s%s%s%s", words, r->backport ? " under its own name)" : "",
                 r->backport && r->instead ? ", or " : "", r->instead ? "use " : "",
                 r->instead ? r->instead : "");
        if (!strcmp(top, "distutils")) {
            snprintf(fix + strlen(fix), sizeof(fix) - strlen(fix), "%s",
                     "; a bundled setuptools provides distutils only once it is imported");
        }
        error = on_chain ? xasprintf("[ERROR] Runtime.ImportModuleError: Unable to import module "
                                     "'%s': No module named '%s'",
                                     image_handler(ctx->img, image_view_of(ctx->img, m)), top)
                         : xasprintf("ModuleNotFoundError: No module named '%s'", top);
        {
            struct tvar vars[] = {{"fix_note", fix}, {"lambda_error", error}};
            char ver[16];
            snprintf(ver, sizeof(ver), "%d.%d", r->major, r->minor);
            check_report(ctx, out,
                         &(struct check_found){.m = m,
                                               .sev = on_chain ? SEV_ERROR : ctx->rule->severity,
                                               .expected = "a module of the standard library",
                                               .found = found,
                                               .vars = vars,
                                               .nvars = ARRAY_SIZE(vars)},
                         "imports %s at line %u, which Python %s removed from the standard library "
                         "and the bundle does not bring: %s",
                         top, imp->line, ver,
                         on_chain ? "the handler's module imports this one, so the handler "
                                    "fails to import"
                                  : "importing this module fails");
        }
        free(error);
        free(top);
    }
}

void check_stdlib_module_removed(const struct check_ctx *ctx, struct findings *out)
{
    const struct image *img = ctx->img;
    const struct profile *p = ctx->profile;
    const struct stdlib *sl;
    bool read = false;

    for (size_t i = 0; i < img->nr && !read; i++) {
        read = img->members[i].py != NULL;
    }
    if (!read) {
        return; /* no source was read: the data need not load (an empty bundle starts fast) */
    }
    sl = datadir_stdlib(ctx->data);
    if (!stdlib_knows(sl, p->py_major, p->py_minor)) {
        return;
    }
    for (size_t v = 0; v < img->inputs_nr; v++) {
        bool any = false;
        if (img->inputs[v].view != v || img->inputs[v].container) {
            continue;
        }
        for (size_t i = 0; i < img->nr && !any; i++) {
            any = img->members[i].py && image_view_of(img, &img->members[i]) == v;
        }
        if (!any) {
            continue;
        }
        struct pymodules *pm = check_modules(ctx, v);
        const struct pychain *chain = img->inputs[v].declared ? check_chain(ctx, v) : NULL;
        for (size_t i = 0; i < img->nr; i++) {
            const struct member *m = &img->members[i];
            if (m->py && !m->overwritten_by && image_view_of(img, m) == v &&
                image_on_sys_path(m, p->py_major, p->py_minor)) {
                check_member(ctx, out, pm, chain, m);
            }
        }
    }
}
