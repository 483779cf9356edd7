/* SPDX-License-Identifier: MIT */
/*
 * ABI027 module-not-found: on the handler's import chain (its module, and every module of
 * the bundle its module-level imports reach when they are not guarded), an import of a module
 * that is nowhere: not in the bundle on the function's sys.path, not in the runtime's
 * standard library, not a package the runtime brings (boto3 ...), or a relative import with
 * no package to be relative to (model/pymodules.h). The handler's import fails with that
 * ModuleNotFoundError at the first invocation. A module the standard library removed is
 * stdlib-module-removed's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pymodules.h"
#include "xalloc.h"

static void check_one(const struct check_ctx *ctx, struct findings *out, size_t view)
{
    const struct image *img = ctx->img;
    const struct pychain *chain = check_chain(ctx, view);

    for (size_t i = 0; i < chain->miss_nr; i++) {
        const struct pychain_miss *x = &chain->miss[i];
        char *path = strvec_join(&x->chain, " -> "), *found, *error, *fix;
        size_t top = strcspn(x->module, ".");
        struct finding *f;
        if (x->removed) {
            free(path);
            continue; /* stdlib-module-removed says it, as an error */
        }
        found = xasprintf("import %s (line %u)", x->module, x->line);
        error = xasprintf("[ERROR] Runtime.ImportModuleError: Unable to import module '%s': %s",
                          image_handler(img, view), x->error);
        fix = xasprintf("add the distribution that provides %.*s to the function's requirements "
                        "(installed into the bundle, or a layer's python/), or guard the import "
                        "(try: / except ImportError:) if the function runs without it",
                        (int)top, x->module);
        {
            struct tvar vars[] = {{"fix_note", fix}, {"lambda_error", error}};
            f = check_report(ctx, out,
                             &(struct check_found){.m = x->from,
                                                   .sev = ctx->rule->severity,
                                                   .expected = "a module the bundle, the "
                                                               "standard library or the "
                                                               "runtime has",
                                                   .found = found,
                                                   .vars = vars,
                                                   .nvars = ARRAY_SIZE(vars)},
                             "imports %s at line %u, which is nowhere Python %s looks (%s): the "
                             "handler's import fails (%s)",
                             x->module, x->line, ctx->profile->python_version, x->error, path);
        }
        for (size_t k = 0; k < x->chain.nr; k++) {
            strvec_push(&f->chain, x->chain.v[k]);
        }
        free(fix);
        free(error);
        free(found);
        free(path);
    }
}

void check_module_not_found(const struct check_ctx *ctx, struct findings *out)
{
    for (size_t v = 0; v < ctx->img->inputs_nr; v++) {
        const struct image_input *in = &ctx->img->inputs[v];
        /* The data loads only for a declared handler (an empty bundle starts fast). */
        if (in->view == v && in->declared && !in->container && in->role == INPUT_FUNCTION &&
            stdlib_knows(datadir_stdlib(ctx->data), ctx->profile->py_major,
                         ctx->profile->py_minor)) {
            check_one(ctx, out, v);
        }
    }
}
