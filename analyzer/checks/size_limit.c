/* SPDX-License-Identifier: MIT */
/*
 * ABI018 size-limit: Lambda's deployment limits (rules/limits.json, doc/sources.md#limits):
 * a zipped size for a direct upload (each function or layer zip), an unzipped size for
 * the function and all its layers, a number of layers; for a container image, the size of
 * its layers uncompressed (the zip limits do not apply to it); a warning from a share of
 * each.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sizeplan.h"
#include "xalloc.h"

#define HEAVIEST 3

/* "numpy 1.24.2 33 MiB, scipy 1.10.1 29 MiB, mypkg (no metadata) 2 MiB": integers only;
 * the plan's distributions, heaviest first (without metadata, per top-level package). */
static char *heaviest(const struct size_plan *p)
{
    struct strvec parts = STRVEC_INIT;
    char *out;

    for (size_t i = 0; i < HEAVIEST && i < p->dists_nr && p->dists[i].bytes; i++) {
        char *label = sizeplan_dist_label(&p->dists[i]);
        strvec_push_nodup(
            &parts, xasprintf("%s %llu MiB", label, (unsigned long long)(p->dists[i].bytes >> 20)));
        free(label);
    }
    out = strvec_join(&parts, ", ");
    strvec_release(&parts);
    return out;
}

/* A bundle-wide finding: path "." of the given input. */
static void report(const struct check_ctx *ctx, struct findings *out, size_t input,
                   enum severity sev, uint64_t limit, uint64_t found, const char *lambda_error,
                   char *message)
{
    struct member where = {0};
    char expected[64], got[64];

    where.path = ".";
    where.abs = ctx->img->inputs[input].container             ? "/"
                : ctx->img->inputs[input].role == INPUT_LAYER ? "/opt"
                                                              : "/var/task";
    where.input = input;
    snprintf(expected, sizeof(expected), "at most %llu", (unsigned long long)limit);
    snprintf(got, sizeof(got), "%llu", (unsigned long long)found);
    /* An image is already the way out of the zip limits: it gets smaller by what its final
     * stage copies, not by moving anywhere. */
    struct tvar vars[] = {
        {"lambda_error", lambda_error},
        {"fix_note",
         ctx->img->inputs[input].container
             ? "shrink the image: build in one stage and COPY only what the function needs into "
               "the final one (no compilers, headers, tests or caches: pip install "
               "--no-cache-dir, dnf clean all), and keep large data out of the image (S3, EFS)"
             : NULL}};
    check_report(
        ctx, out,
        &(struct check_found){
            .m = &where, .sev = sev, .expected = expected, .found = got, .vars = vars, .nvars = 2},
        "%s", message);
    free(message);
}

static enum severity level(const struct check_ctx *ctx, uint64_t found, uint64_t limit)
{
    if (found > limit) {
        return ctx->rule->severity;
    }
    /* found / limit > pct / 100, in integers (bytes fit in 64 bits a hundred times over) */
    return found * 100 > limit * ctx->data->limits.warn_percent ? SEV_WARNING : SEV_NONE;
}

static const struct size_plan *built(const struct check_ctx *ctx, struct size_plans *ps,
                                     size_t view)
{
    return sizeplans_of(ps, ctx->img, view, ctx->profile ? ctx->profile->runtime : NULL,
                        &ctx->data->limits);
}

/* The one-line plan of view: what to do about a limit, with the bytes each step saves
 * (--size prints it all). */
static char *plan_of(const struct check_ctx *ctx, struct size_plans *ps, size_t view)
{
    return sizeplan_summary(built(ctx, ps, view));
}

/* One function with its layers, or a layer on its own: unzipped size and layer count. */
static void check_view(const struct check_ctx *ctx, struct findings *out, size_t view,
                       const char *share, struct size_plans *ps)
{
    const struct image *img = ctx->img;
    const struct lambda_limits *lim = &ctx->data->limits;
    const uint64_t unzipped = lim->unzipped.value;
    bool alone = img->inputs[view].role == INPUT_LAYER;
    uint64_t total = 0;
    size_t layers = 0;
    enum severity sev;

    for (size_t i = 0; i < img->nr; i++) {
        total += image_view_of(img, &img->members[i]) == view ? img->members[i].size : 0;
    }
    for (size_t i = 0; i < img->inputs_nr; i++) {
        layers += i != view && img->inputs[i].view == view;
    }
    if ((sev = level(ctx, total, unzipped)) != SEV_NONE) {
        char *heavy = heaviest(built(ctx, ps, view)), *plan = plan_of(ctx, ps, view);
        report(ctx, out, view, sev, unzipped, total, lim->unzipped.lambda_error,
               xasprintf("%s to %llu bytes; Lambda allows %llu%s; heaviest: %s; %s",
                         alone    ? "the layer unzips"
                         : layers ? "function and layers unzip"
                                  : "function unzips",
                         (unsigned long long)total, (unsigned long long)unzipped,
                         total <= unzipped ? share : "", heavy, plan));
        free(plan);
        free(heavy);
    }
    if (layers > lim->layers.value) {
        report(ctx, out, view, ctx->rule->severity, lim->layers.value, layers,
               lim->layers.lambda_error,
               xasprintf("the function has %zu layers; Lambda allows %llu", layers,
                         (unsigned long long)lim->layers.value));
    }
}

/* A container image: its layers' tar streams, uncompressed, against Lambda's image limit. */
static void check_image(const struct check_ctx *ctx, struct findings *out, size_t input,
                        const char *share)
{
    const struct container *c = ctx->img->inputs[input].container;
    const struct limit *lim = &ctx->data->limits.image;
    enum severity sev = level(ctx, c->uncompressed, lim->value);

    if (sev == SEV_NONE) {
        return;
    }
    report(ctx, out, input, sev, lim->value, c->uncompressed, lim->lambda_error,
           xasprintf("the image's %zu layers are %llu bytes uncompressed; Lambda allows %llu%s",
                     c->layers, (unsigned long long)c->uncompressed, (unsigned long long)lim->value,
                     c->uncompressed <= lim->value ? share : ""));
}

void check_size_limit(const struct check_ctx *ctx, struct findings *out)
{
    const struct image *img = ctx->img;
    const struct lambda_limits *lim = &ctx->data->limits;
    const uint64_t zipped = lim->zipped.value;
    enum severity sev;
    char share[32];
    /* The caller's plans (the report shows the same one), else this run's own. */
    struct size_plans own = {0}, *ps = ctx->sizes ? ctx->sizes : &own;

    snprintf(share, sizeof(share), " (over %u %%)", lim->warn_percent);
    for (size_t i = 0; i < img->inputs_nr; i++) {
        const struct image_input *in = &img->inputs[i];
        if (in->container) {
            check_image(ctx, out, i, share);
            continue;
        }
        if (in->view == i) {
            check_view(ctx, out, i, share, ps);
        }
        if (in->zipped && (sev = level(ctx, in->file_size, zipped)) != SEV_NONE &&
            in->view < img->inputs_nr) {
            /* Over it, a direct upload fails; through S3 only the unzipped limit holds. Each
             * zip is uploaded on its own: the plan says what brings this one under. */
            char *plan = plan_of(ctx, ps, in->view);
            report(ctx, out, i, SEV_WARNING, zipped, in->file_size, lim->zipped.lambda_error,
                   xasprintf("the %s is %llu bytes; a direct upload takes at most %llu%s; %s",
                             in->role == INPUT_LAYER ? "layer zip" : "function zip",
                             (unsigned long long)in->file_size, (unsigned long long)zipped,
                             in->file_size <= zipped ? share : "", plan));
            free(plan);
        }
    }
    sizeplans_release(&own);
}
