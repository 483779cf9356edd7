/* SPDX-License-Identifier: MIT */
/*
 * ABI018 size-limit: Lambda's deployment limits (lambda-facts.md §3): 50 MB zipped for
 * a direct upload (each function or layer zip), 262,144,000 bytes unzipped for the
 * function and all its layers, at most 5 layers; a warning from 80 %.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xalloc.h"

#define ZIPPED_MAX 52428800ull    /* 50 MB, AWS's MB = 1024 KB */
#define UNZIPPED_MAX 262144000ull /* "Unzipped size must be smaller than 262144000 bytes" */
#define LAYERS_MAX 5
#define HEAVIEST 3

struct weight {
    const struct distribution *dist;
    uint64_t bytes;
};

static int cmp_weight(const void *a, const void *b)
{
    const struct weight *x = a, *y = b;
    if (x->bytes != y->bytes) {
        return x->bytes > y->bytes ? -1 : 1;
    }
    return strcmp(x->dist ? x->dist->name : "", y->dist ? y->dist->name : "");
}

/* "numpy 1.24.2 33 MiB, scipy 1.10.1 29 MiB, (no distribution) 2 MiB": integers only. */
static char *heaviest(const struct image *img)
{
    struct weight *w = xcalloc(img->dists_nr + 1, sizeof(*w));
    struct strvec parts = STRVEC_INIT;
    char *out;

    for (size_t i = 0; i <= img->dists_nr; i++) {
        w[i].dist = i < img->dists_nr ? &img->dists[i] : NULL;
    }
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        w[m->dist ? (size_t)(m->dist - img->dists) : img->dists_nr].bytes += m->size;
    }
    qsort(w, img->dists_nr + 1, sizeof(*w), cmp_weight);
    for (size_t i = 0; i < HEAVIEST && i <= img->dists_nr && w[i].bytes; i++) {
        strvec_push_nodup(&parts, xasprintf("%s%s%s %llu MiB",
                                            w[i].dist ? w[i].dist->name : "(no distribution)",
                                            w[i].dist && w[i].dist->version ? " " : "",
                                            w[i].dist && w[i].dist->version ? w[i].dist->version : "",
                                            (unsigned long long)(w[i].bytes >> 20)));
    }
    out = strvec_join(&parts, ", ");
    strvec_release(&parts);
    free(w);
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
    where.abs = ctx->img->inputs[input].role == INPUT_LAYER ? "/opt" : "/var/task";
    where.input = input;
    snprintf(expected, sizeof(expected), "at most %llu", (unsigned long long)limit);
    snprintf(got, sizeof(got), "%llu", (unsigned long long)found);
    struct tvar vars[] = {{"lambda_error", lambda_error}};
    check_report(ctx, out, &where, sev, expected, got, vars, 1, "%s", message);
    free(message);
}

static enum severity level(const struct check_ctx *ctx, uint64_t found, uint64_t limit)
{
    if (found > limit) {
        return ctx->rule->severity;
    }
    return found * 5 > limit * 4 ? SEV_WARNING : SEV_NONE; /* 80 % */
}

static size_t layers_of(const struct image *img)
{
    size_t n = 0;
    for (size_t i = 0; i < img->inputs_nr; i++) {
        n += img->inputs[i].role == INPUT_LAYER;
    }
    return n;
}

void check_size(const struct check_ctx *ctx, struct findings *out)
{
    const struct image *img = ctx->img;
    uint64_t total = 0;
    size_t layers = 0;
    enum severity sev;

    /* Each function bundle with the layers (--layer comes with one function only). */
    for (size_t i = 0; i < img->nr; i++) {
        total += img->members[i].size;
    }
    if (img->inputs_nr - layers_of(img) > 1) {
        for (size_t f = 0; f < img->inputs_nr; f++) {
            uint64_t own = 0;
            for (size_t i = 0; i < img->nr; i++) {
                own += img->members[i].input == f ? img->members[i].size : 0;
            }
            if ((sev = level(ctx, own, UNZIPPED_MAX)) != SEV_NONE) {
                report(ctx, out, f, sev, UNZIPPED_MAX, own,
                       "InvalidParameterValueException: Unzipped size must be smaller than "
                       "262144000 bytes",
                       xasprintf("function unzips to %llu bytes; Lambda allows %llu%s",
                                 (unsigned long long)own, UNZIPPED_MAX,
                                 own <= UNZIPPED_MAX ? " (over 80 %)" : ""));
            }
        }
        total = 0; /* reported per bundle */
    }
    for (size_t i = 0; i < img->inputs_nr; i++) {
        const struct image_input *in = &img->inputs[i];
        layers += in->role == INPUT_LAYER;
        if (in->kind == BUNDLE_ZIP && (sev = level(ctx, in->file_size, ZIPPED_MAX)) != SEV_NONE) {
            /* Over it, a direct upload fails; through S3 only the unzipped limit holds. */
            report(ctx, out, i, SEV_WARNING, ZIPPED_MAX, in->file_size,
                   "RequestEntityTooLargeException: Request must be smaller than 69905067 "
                   "bytes for the CreateFunction operation",
                   xasprintf("the %s is %llu bytes; a direct upload takes at most %llu%s",
                             in->role == INPUT_LAYER ? "layer zip" : "function zip",
                             (unsigned long long)in->file_size, ZIPPED_MAX,
                             in->file_size <= ZIPPED_MAX ? " (over 80 %)" : ": upload through S3"));
        }
    }
    if ((sev = level(ctx, total, UNZIPPED_MAX)) != SEV_NONE) {
        char *heavy = heaviest(img);
        report(ctx, out, 0, sev, UNZIPPED_MAX, total,
               "InvalidParameterValueException: Unzipped size must be smaller than 262144000 "
               "bytes",
               xasprintf("%s unzip%s to %llu bytes; Lambda allows %llu%s; heaviest: %s",
                         layers ? "function and layers" : "function", layers ? "" : "s",
                         (unsigned long long)total, UNZIPPED_MAX,
                         total <= UNZIPPED_MAX ? " (over 80 %)" : "", heavy));
        free(heavy);
    }
    if (layers > LAYERS_MAX) {
        report(ctx, out, 0, ctx->rule->severity, LAYERS_MAX, layers,
               "InvalidParameterValueException: Cannot reference more than 5 layers.",
               xasprintf("the function has %zu layers; Lambda allows %d", layers, LAYERS_MAX));
    }
}
