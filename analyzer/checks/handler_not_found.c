/* SPDX-License-Identifier: MIT */
/*
 * ABI026 handler-not-found: the function's handler (MODULE.FUNCTION, as --handler, the
 * configuration or the template says) is not where Lambda looks: its module is on none of the
 * function's sys.path entries as its layers assemble them, or the module binds no such name
 * at module level (doc/sources.md#the-handler). Lambda logs Runtime.ImportModuleError or
 * Runtime.HandlerNotFound at the first invocation. Where the bundle shows why (the module one
 * directory deeper, only bytecode of another Python), the message says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "path.h"
#include "pymodules.h"
#include "xalloc.h"

/* What the bundle has instead of the module at rel ("src/api/bookings"): a file of that name
 * below another directory, or only bytecode; appended to why. */
static void likely_cause(const struct check_ctx *ctx, size_t view, const char *rel, char *why,
                         size_t n)
{
    const struct image *img = ctx->img;
    const char *base = path_base(rel);
    char *py = xasprintf("/%s.py", rel), *pkg = xasprintf("/%s/__init__.py", rel);
    char *pyc = xasprintf("%s.cpython-", base), *at_pyc = xasprintf("%s.pyc", rel);

    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        const char *b = path_base(m->path);
        if (image_view_of(img, m) != view) {
            continue;
        }
        if ((path_has_suffix(m->abs, py) || path_has_suffix(m->abs, pkg)) && m->on_site &&
            m->site_minor >= 0 &&
            !image_on_sys_path(m, ctx->profile->py_major, ctx->profile->py_minor)) {
            snprintf(why, n,
                     "; the bundle has %s, in the site-packages of Python 3.%d, which %s does "
                     "not search (layer-path-ignored)",
                     m->path, m->site_minor, ctx->profile->runtime);
            break;
        }
        if (path_has_suffix(m->abs, py) || path_has_suffix(m->abs, pkg)) {
            /* not where an entry of sys.path would find it */
            snprintf(why, n,
                     "; the bundle has %s, where no sys.path entry finds it as %s (a "
                     "directory zipped with its content: zip what is inside it)",
                     m->path, rel);
            break;
        }
        if (!strncmp(b, pyc, strlen(pyc)) && path_has_suffix(b, ".pyc") &&
            strstr(m->path, "__pycache__/")) {
            snprintf(why, n,
                     "; the bundle has only %s, bytecode without its source, which Python "
                     "imports only beside a %s.py",
                     m->path, base);
            break;
        }
        if (m->on_site && !strcmp(m->path + m->site_off, at_pyc)) {
            snprintf(why, n,
                     "; the bundle has %s, bytecode of another Python (its magic number is not "
                     "%s's): pyc-magic-mismatch",
                     m->path, ctx->profile->runtime);
            break;
        }
        if (m->on_site && !strncmp(m->path + m->site_off, rel, strlen(rel)) &&
            m->path[m->site_off + strlen(rel)] == '.' &&
            !strchr(m->path + m->site_off + strlen(rel), '/') &&
            (m->role == ROLE_EXTENSION || m->content == CONTENT_ELF)) {
            snprintf(why, n,
                     "; the bundle has %s, an extension module %s does not import under that "
                     "name (python-tag-mismatch)",
                     m->path, ctx->profile->runtime);
            break;
        }
    }
    free(at_pyc);
    free(py);
    free(pkg);
    free(pyc);
}

/* The finding, on the function as a whole; module: where to put it, NULL when the module is
 * there and lacks the function. */
static void report_missing(const struct check_ctx *ctx, struct findings *out, size_t view,
                           const char *handler, const char *module, const char *error,
                           const char *lambda_error, const char *found, const char *fmt_why)
{
    struct member where = {0};
    const char *dot = strrchr(handler, '.');
    char *fix = !module ? xasprintf("define %s at module level in its module, or set the "
                                    "function's Handler to the MODULE.FUNCTION that holds it",
                                    dot ? dot + 1 : handler)
                        : xasprintf("set the function's Handler to the MODULE.FUNCTION that "
                                    "holds it, or put %s at the top of the bundle (or a "
                                    "layer's python/)",
                                    module);
    struct tvar vars[] = {{"fix_note", fix}, {"lambda_error", lambda_error}};

    where.path = ".";
    where.abs = "/";
    where.input = view;
    where.site_minor = -1;
    check_report(ctx, out,
                 &(struct check_found){.m = &where,
                                       .sev = ctx->rule->severity,
                                       .expected = "the handler's module and function",
                                       .found = found,
                                       .vars = vars,
                                       .nvars = ARRAY_SIZE(vars)},
                 "the handler %s (%s) is not found: %s%s", handler,
                 ctx->img->inputs[view].declared_why, error, fmt_why);
    free(fix);
}

static void check_one(const struct check_ctx *ctx, struct findings *out, size_t view)
{
    const struct image *img = ctx->img;
    const char *handler = img->inputs[view].declared;
    const char *dot = strrchr(handler, '.');
    const struct pychain *chain;
    char *modname, *error, why[512] = "";

    if (!dot || dot == handler || !dot[1]) {
        error = xasprintf("[ERROR] Runtime.MalformedHandlerName: Bad handler '%s': not enough "
                          "values to unpack (expected 2, got 1)",
                          handler);
        report_missing(ctx, out, view, handler, handler, "it is not MODULE.FUNCTION", error,
                       handler, "");
        free(error);
        return;
    }
    modname = xstrndup(handler, (size_t)(dot - handler));
    chain = check_chain(ctx, view);
    if (chain->handler && chain->handler->where == PYMOD_MISSING) {
        char *rel = xstrdup(modname);
        for (char *c = rel; *c; c++) {
            *c = *c == '.' ? '/' : *c;
        }
        likely_cause(ctx, view, rel, why, sizeof(why));
        error = xasprintf("[ERROR] Runtime.ImportModuleError: Unable to import module '%s': %s",
                          modname, chain->handler->error);
        {
            char *words = xasprintf("its module %s is on none of the function's sys.path "
                                    "entries (/var/task, a layer's python/): %s",
                                    chain->module, chain->handler->error);
            report_missing(ctx, out, view, handler, modname, words, error, modname, why);
            free(words);
        }
        free(error);
        free(rel);
    } else if (chain->handler &&
               ((chain->handler->where == PYMOD_BUNDLE && chain->handler->m->py &&
                 chain->handler->m->py->names_read && !chain->handler->m->py->dynamic &&
                 !strvec_contains(&chain->handler->m->py->names, dot + 1)) ||
                chain->handler->where == PYMOD_NAMESPACE)) {
        char *words = xasprintf(
            "%s %s defines no %s at module level (no def, class, assignment or import of "
            "that name)",
            chain->handler->where == PYMOD_NAMESPACE ? "the namespace package" : "its module",
            chain->handler->where == PYMOD_NAMESPACE ? chain->module : chain->handler->m->path,
            dot + 1);
        error = xasprintf("[ERROR] Runtime.HandlerNotFound: Handler '%s' missing on module '%s'",
                          dot + 1, modname);
        report_missing(ctx, out, view, handler, NULL, words, error, handler, "");
        free(error);
        free(words);
    }
    free(modname);
}

void check_handler_not_found(const struct check_ctx *ctx, struct findings *out)
{
    for (size_t v = 0; v < ctx->img->inputs_nr; v++) {
        const struct image_input *in = &ctx->img->inputs[v];
        if (in->view == v && in->declared && !in->container && in->role == INPUT_FUNCTION) {
            check_one(ctx, out, v);
        }
    }
}
