/* SPDX-License-Identifier: MIT */
/*
 * ABI023 image-handler-missing: the image cannot start its handler. Either what Lambda
 * starts is not there: the ENTRYPOINT's file (else the CMD's) is missing, a directory or not
 * executable, so the exec fails at init ("Runtime.InvalidEntrypoint: ... fork/exec
 * /usr/bin/python3: no such file or directory"), or the AWS base image's
 * /lambda-entrypoint.sh has no /var/lang/bin/python3.N to run (its shell exits 127:
 * Runtime.ExitError) (doc/sources.md#error-lines). Or the image's CMD names a handler
 * (module.function) whose module is nowhere on the image's sys.path, so Lambda's runtime
 * interface client fails before any native code is loaded: "Runtime.ImportModuleError:
 * Unable to import module 'app': No module named 'app'". The client imports the handler's
 * module by name (awslambdaric bootstrap.py: "src/app.handler" imports src.app), from the
 * task root, the layers' /opt paths and the interpreter's site-packages
 * (doc/sources.md#import-path-and-layers). One cause is said once: an image that cannot
 * start is not also said to miss its handler.
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

/* What Lambda starts is not there, or cannot be run: the launch fails before any Python. */
static void cannot_start(const struct check_ctx *ctx, struct findings *out, size_t input)
{
    const struct container *c = ctx->img->inputs[input].container;
    struct member where = {.path = ".", .abs = "/", .input = input};
    char *ep = strvec_join(&c->entrypoint, " "), *cmd = strvec_join(&c->cmd, " "), *lambda, *fix;

    if (c->start_errno) {
        lambda = xasprintf("Runtime.InvalidEntrypoint: IMAGE Launch error: fork/exec %s: %s "
                           "Entrypoint: [%s] Cmd: [%s] WorkingDir: [%s]",
                           c->start, c->start_errno, ep, cmd, c->workdir[0] ? c->workdir : "/");
        fix = !strcmp(c->start_errno, "permission denied")
                  ? xasprintf("make the file executable in the image (RUN chmod +x %s in its "
                              "Dockerfile, or COPY --chmod=755), or set %s to one that is",
                              c->start, c->start_from)
              : c->python ? xasprintf("set %s to a file the image has, by its absolute path: its "
                                      "Python is /%s (ENTRYPOINT [\"/%s\", \"-m\", "
                                      "\"awslambdaric\"] with awslambdaric installed), or install "
                                      "what it names in the image",
                                      c->start_from, c->python, c->python)
                          : xasprintf("set %s to a file the image has, by its absolute path, or "
                                      "install what it names in the image",
                                      c->start_from);
    } else {
        lambda = xasprintf("Runtime.ExitError: Error: Runtime exited with error: exit status %d",
                           c->start_exit);
        fix = xstrdup("build FROM the AWS base image of the function's runtime "
                      "(public.ecr.aws/lambda/python:3.N) and keep its /var/lang, or give the "
                      "image an ENTRYPOINT that runs a Python it has with -m awslambdaric");
    }
    struct tvar vars[] = {{"lambda_error", lambda}, {"fix_note", fix}};
    check_report(ctx, out,
                 &(struct check_found){.m = &where,
                                       .sev = ctx->rule->severity,
                                       .expected = "an entrypoint the image has",
                                       .found = c->start,
                                       .vars = vars,
                                       .nvars = ARRAY_SIZE(vars)},
                 "Lambda cannot start the image: its %s %s", c->start_from, c->start_problem);
    free(fix);
    free(lambda);
    free(cmd);
    free(ep);
}

static void check_one(const struct check_ctx *ctx, struct findings *out, size_t input)
{
    const struct container *c = ctx->img->inputs[input].container;
    const struct profile *p = ctx->profile;
    struct strvec path = STRVEC_INIT;
    struct member where = {0};
    char *dirs, *fix;
    bool found = false;

    if (c->start_problem) {
        cannot_start(ctx, out, input);
        return;
    }
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
        struct tvar vars[] = {{"fix_note", fix}, {"handler", c->handler_module}};
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
