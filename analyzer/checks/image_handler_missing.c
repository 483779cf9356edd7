/* SPDX-License-Identifier: MIT */
/*
 * ABI023 image-handler-missing: the image's CMD names a handler (module.function) whose
 * module is nowhere on the image's sys.path, so Lambda's runtime interface client fails
 * before any native code is loaded: "Runtime.ImportModuleError: Unable to import module
 * 'app': No module named 'app'". The client imports the handler's module by name
 * (awslambdaric bootstrap.py: "src/app.handler" imports src.app), from the task root, the
 * layers' /opt paths and the interpreter's site-packages (doc/sources.md#import-path-and-layers).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xalloc.h"

/* Whether dir/mod (mod dotted) is a module or package Python would import from dir. */
static bool importable(const struct check_ctx *ctx, size_t view, const char *dir, const char *mod)
{
    const struct profile *p = ctx->profile;
    char *rel = xstrdup(mod), *base, *try;
    bool yes = false;

    for (char *c = rel; *c; c++) {
        *c = *c == '.' ? '/' : *c;
    }
    base = xasprintf("%s/%s", dir, rel);
    /* a source, a sourceless .pyc, a package, an extension module by every suffix the
     * interpreter tries, or a namespace package (a directory, PEP 420) */
    const char *plain[] = {".py", ".pyc", "/__init__.py", "/__init__.pyc"};
    for (size_t i = 0; !yes && i < ARRAY_SIZE(plain); i++) {
        try = xasprintf("%s%s", base, plain[i]);
        yes = image_lookup(ctx->img, view, try) != NULL;
        free(try);
    }
    for (size_t i = 0; !yes && i < p->ext_suffixes.nr; i++) {
        try = xasprintf("%s%s", base, p->ext_suffixes.v[i]);
        yes = image_lookup(ctx->img, view, try) != NULL;
        free(try);
    }
    yes = yes || image_has_below(ctx->img, view, base);
    free(base);
    free(rel);
    return yes;
}

static void check_one(const struct check_ctx *ctx, struct findings *out, size_t input)
{
    const struct container *c = ctx->img->inputs[input].container;
    const struct profile *p = ctx->profile;
    struct strvec path = STRVEC_INIT;
    struct member where = {0};
    char *dirs, *fix;
    bool found = false;

    if (!c->handler_module) {
        return; /* not Lambda's runtime client, or no CMD: a custom runtime's business */
    }
    strvec_push_nodup(&path, xasprintf("/%s", c->task_root));
    strvec_push_nodup(
        &path, xasprintf("/opt/python/lib/python%d.%d/site-packages", p->py_major, p->py_minor));
    strvec_push(&path, "/opt/python");
    for (size_t i = 0; i < c->site_dirs.nr; i++) {
        strvec_push_nodup(&path, xasprintf("/%s", c->site_dirs.v[i]));
    }
    strvec_push(&path, "/var/runtime");
    for (size_t i = 0; !found && i < path.nr; i++) {
        found = c->handler_module[0] && importable(ctx, input, path.v[i], c->handler_module);
    }
    if (!found) {
        /* In words, the entries that are there: the task root, and what the image has. */
        struct strvec there = STRVEC_INIT;
        for (size_t i = 0; i < path.nr; i++) {
            if (!i || image_has_below(ctx->img, input, path.v[i])) {
                strvec_push(&there, path.v[i]);
            }
        }
        dirs = strvec_join(&there, ", ");
        strvec_release(&there);
        fix = xasprintf("copy the module into the image (COPY %s.py ${LAMBDA_TASK_ROOT}/ in its "
                        "Dockerfile), or set CMD to the module.function that holds the handler",
                        c->handler_module[0] ? c->handler_module : "app");
        struct tvar vars[] = {{"remediation", fix}, {"handler", c->handler_module}};
        where.path = ".";
        where.abs = "/";
        where.input = input;
        check_report(ctx, out,
                     &(struct check_found){.m = &where,
                                           .sev = ctx->rule->severity,
                                           .expected = "the handler's module on sys.path",
                                           .found = c->handler,
                                           .vars = vars,
                                           .nvars = ARRAY_SIZE(vars)},
                     "the CMD names the handler %s, but its module %s is not in the image (not "
                     "in %s)",
                     c->handler, c->handler_module, dirs);
        free(fix);
        free(dirs);
    }
    strvec_release(&path);
}

void check_image_handler_missing(const struct check_ctx *ctx, struct findings *out)
{
    for (size_t i = 0; i < ctx->img->inputs_nr; i++) {
        if (ctx->img->inputs[i].container) {
            check_one(ctx, out, i);
        }
    }
}
