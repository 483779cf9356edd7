/* SPDX-License-Identifier: MIT */
/*
 * ABI024 empty-bundle: a function with nothing to import, or a layer with nothing in it.
 * The output of a build step that failed (an empty zip, an empty directory, a zip of the
 * wrong directory) deploys fine and fails at the first invocation, when the handler's module
 * is not there; a gate that passes it because there was nothing to check passes the failure.
 * A function's view counts its layers: a handler a layer ships is a module of the function.
 * A bundle of archives only is not-on-sys-path's (it says why); one file given alone, and a
 * container image (image-handler-missing), are not bundles of this kind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "path.h"
#include "strvec.h"
#include "xalloc.h"

/* What one view holds: files, Python code (sources, bytecode, extension modules), archives. */
struct tally {
    size_t files, code, archives;
    struct strvec some; /* the first few files, to say what the bundle does hold */
};

static struct tally tally_view(const struct image *img, size_t view)
{
    struct tally t = {.some = STRVEC_INIT};

    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        if (img->inputs[m->input].view != view) {
            continue;
        }
        if (t.files++ < 3) {
            strvec_push(&t.some, m->path);
        }
        t.code +=
            m->role == ROLE_EXTENSION || m->role == ROLE_PYC || path_has_suffix(m->path, ".py");
        t.archives += path_has_suffix(m->path, ".zip") || path_has_suffix(m->path, ".whl");
    }
    return t;
}

void check_empty_bundle(const struct check_ctx *ctx, struct findings *out)
{
    const struct image *img = ctx->img;

    for (size_t v = 0; v < img->inputs_nr; v++) {
        const struct image_input *in = &img->inputs[v];
        struct member where = {.path = ".", .input = v};
        struct tally t;
        bool layer = in->role == INPUT_LAYER;
        if (in->view != v || in->container || !strcmp(in->kind, "file")) {
            continue;
        }
        t = tally_view(img, v);
        if (t.code || (layer && t.files) || (t.files && t.archives == t.files)) {
            strvec_release(&t.some);
            continue;
        }
        where.abs = layer ? "/opt" : "/var/task";
        char *held = strvec_join(&t.some, ", ");
        char *what = t.files ? xasprintf("holds %zu file%s (%s%s) but no Python module (.py, "
                                         ".pyc or extension module) at any depth",
                                         t.files, t.files == 1 ? "" : "s", held,
                                         t.files > t.some.nr ? ", ..." : "")
                             : xstrdup("is empty (no file at all)");
        struct tvar vars[] = {
            {"module", image_handler(img, v)},
            {"lambda_error", layer ? NULL : ctx->rule->lambda_error},
            {"fix_note", layer ? "check the build step that makes the layer: zip python/, lib/ or "
                                 "bin/ from the directory that holds them, not an empty one"
                               : NULL}};
        check_report(ctx, out,
                     &(struct check_found){.m = &where,
                                           .sev = ctx->rule->severity,
                                           .expected = layer ? "files under python/, lib/ or bin/"
                                                             : "a Python module",
                                           .found = t.files ? "no Python module" : "no file",
                                           .vars = vars,
                                           .nvars = ARRAY_SIZE(vars)},
                     "the %s %s: %s", layer ? "layer" : "function bundle", what,
                     layer ? "it adds nothing to /opt"
                           : "Lambda deploys it, then fails at the first invocation with no "
                             "handler to import (abiscan had nothing to check)");
        free(what);
        free(held);
        strvec_release(&t.some);
    }
}
