/* SPDX-License-Identifier: MIT */
/*
 * The size plan as the text and JSON reports say it (report_int.h): where the bytes go,
 * what each saving takes out, and the verdict after them. Plain data in, no analysis.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "shword.h"
#include "utf8.h"
#include "xalloc.h"

#define TEXT_DISTS 10
#define TEXT_ITEMS 5

static unsigned long long ull(uint64_t v)
{
    return (unsigned long long)v;
}

/* Share of a limit in whole per cent, rounded down. */
static unsigned long long pct(uint64_t v, uint64_t limit)
{
    return limit ? ull(v / (limit / 100 ? limit / 100 : 1)) : 0;
}

static void put(FILE *out, const char *s)
{
    char *clean = utf8_escape(s, true);
    fputs(clean, out);
    free(clean);
}

static const char *const advice[SIZE_KIND_NR] = {
    [SIZE_SHADOWED] = "left out of that layer's zip (a layer other functions share may still "
                      "need them for those)",
    [SIZE_DEBUG] = "strip them before zipping:",
    [SIZE_DUPLICATE] = "a choice: keep one copy and make the others symbolic links to it "
                       "(zip -y stores links, Lambda keeps them)",
    [SIZE_PROVIDED] = "a choice: the runtime has its own, at the version it ships; keep yours "
                      "only if you need that version (a layer does not save these bytes)",
};

/* The report's name of an input of the plan: plans count inputs from their own head, which
 * is input h of the report. */
static const char *input_name(const struct report *r, size_t h, const struct size_plan *p,
                              size_t input)
{
    size_t i = h + (input - p->view);
    return input >= p->view && i < r->inputs_nr ? r->inputs[i].name : NULL;
}

/* The input an item is in. */
static const char *input_of(const struct report *r, size_t h, const struct size_plan *p,
                            const struct size_item *it)
{
    return input_name(r, h, p, it->input);
}

static void print_kind(FILE *out, const struct size_plan *p, const struct report *r, size_t h,
                       enum size_kind k, int verbose)
{
    size_t shown = 0, n = 0;

    if (!p->count[k]) {
        return;
    }
    fprintf(out, "    %-10s %llu bytes in %zu file%s: %s", sizeplan_kind_name(k), ull(p->saving[k]),
            p->count[k], p->count[k] == 1 ? "" : "s", sizeplan_kind_text(k));
    if (advice[k]) {
        fprintf(out, "; %s",
                k == SIZE_DEBUG && p->image ? "strip them before they are copied into the image:"
                                            : advice[k]);
    }
    fputc('\n', out);
    for (size_t i = 0; i < p->items_nr; i++) {
        const struct size_item *it = &p->items[i];
        if (it->kind != k) {
            continue;
        }
        n++;
        if (!verbose && shown == TEXT_ITEMS) {
            continue;
        }
        shown++;
        fputs("        ", out);
        if (it->input != p->view && input_of(r, h, p, it)) {
            put(out, input_of(r, h, p, it)); /* a layer's file: its layer first */
            fputs(": ", out);
        }
        if (k == SIZE_DEBUG) {
            char *cmd = rstrip_command(it);
            put(out, cmd ? cmd : it->path);
            free(cmd);
        } else {
            put(out, it->path);
        }
        fprintf(out, "  %llu bytes", ull(it->bytes));
        if (it->files > 1) {
            fprintf(out, " in %zu files", it->files);
        }
        if (it->detail && k != SIZE_DEBUG) {
            fputs(" (", out);
            put(out, it->detail);
            fputc(')', out);
        }
        fputc('\n', out);
    }
    if (n > shown) {
        fprintf(out, "        ... and %zu more %s (-v lists them all%s)\n", n - shown,
                k == SIZE_DEBUG ? "files" : "paths",
                k == SIZE_DEBUG ? "; --report strip=FILE writes every command, a script" : "");
    }
}

char *rstrip_command(const struct size_item *it)
{
    char *path = it->path[0] == '-' ? xasprintf("./%s", it->path) : xstrdup(it->path);
    char *word = sh_word(path), *out = word ? xasprintf("%s %s", it->detail, word) : NULL;

    free(word);
    free(path);
    return out;
}

/* The report's name of an upload's input. */
static const char *upload_name(const struct report *r, size_t h, const struct size_plan *p,
                               const struct size_upload *u)
{
    size_t i = h + (u->input - p->view);
    return u->input >= p->view && i < r->inputs_nr ? r->inputs[i].name : "?";
}

/* "52428800 bytes zipped" or "about 52428800 bytes zipped, estimated (...)". */
static void zipped_now(FILE *out, const struct size_upload *u)
{
    fprintf(out, "%s%llu bytes zipped%s", u->estimated ? "about " : "", ull(u->zipped),
            u->estimated ? " (estimated: each file deflated as zip -r does, at level 6)" : "");
}

/* One zip after the plan, against a direct upload's limit. */
static void zipped_after(FILE *out, const struct size_plan *p, const struct size_upload *u)
{
    fprintf(out, "%s%llu bytes (%s)", u->estimated ? "about " : "", ull(u->after),
            u->estimated ? "what stays, deflated as zip -r would"
                         : "the members that stay, as they are compressed in it");
    if (u->after <= p->zipped_limit) {
        fprintf(out, ", %llu bytes under a direct upload's limit", ull(p->zipped_limit - u->after));
    } else {
        fprintf(out, ", over a direct upload's %llu by %llu bytes", ull(p->zipped_limit),
                ull(u->after - p->zipped_limit));
    }
}

/* Both limits after the plan: the unzipped one for the function and its layers together,
 * a direct upload's for each zip on its own; then what is left to do. */
static void verdict(FILE *out, const struct report *r, size_t h, const struct size_plan *p)
{
    bool choices_zip = true;

    fprintf(out, "  after leaving out %llu bytes and stripping %llu bytes: %llu bytes unzipped, ",
            ull(p->removable), ull(p->saving[SIZE_DEBUG]), ull(p->after));
    if (p->fits_unzipped) {
        fprintf(out, "%llu bytes under the limit\n", ull(p->limit - p->after));
    } else {
        fprintf(out, "over the limit by %llu bytes\n", ull(p->after - p->limit));
    }
    for (size_t k = 0; k < p->uploads_nr; k++) {
        const struct size_upload *u = &p->uploads[k];
        if (!u->known) {
            continue;
        }
        fputs("  zipped", out);
        if (p->uploads_nr > 1) {
            fputs(" (", out);
            put(out, upload_name(r, h, p, u));
            fputc(')', out);
        }
        fputs(": ", out);
        zipped_after(out, p, u);
        fputc('\n', out);
        choices_zip &= u->after_choices <= p->zipped_limit;
    }
    switch (p->verdict) {
    case SIZE_FITS:
        fputs("  fits both limits", out);
        if (p->after * 100 > p->limit * p->warn_percent) {
            fprintf(out, ", but over %u %% of the unzipped one", p->warn_percent);
        }
        fputc('\n', out);
        break;
    case SIZE_OVER_UPLOAD:
        fputs("  fits unzipped, but not a direct upload: upload ", out);
        for (size_t k = 0, n = 0; k < p->uploads_nr; k++) {
            const struct size_upload *u = &p->uploads[k];
            if (u->known && u->after > p->zipped_limit) {
                fputs(n++ ? ", " : "", out);
                put(out, upload_name(r, h, p, &p->uploads[k]));
            }
        }
        fprintf(out,
                " through S3 (Lambda takes a zip from S3 up to the unzipped limit), or save %llu "
                "zipped bytes more",
                ull(p->zipped_over));
        if (choices_zip) {
            fputs("; the choices above would bring it under a direct upload's limit", out);
        }
        fputc('\n', out);
        break;
    case SIZE_UPLOAD_UNKNOWN:
        fputs("  fits unzipped; the zip's bytes are not known: --size estimates a directory's\n",
              out);
        break;
    case SIZE_OVER_UNZIPPED:
        fprintf(out, "  still over the unzipped limit by %llu bytes", ull(p->after - p->limit));
        if (p->after_choices <= p->limit) {
            fprintf(out, "; the choices above would bring it to %llu bytes, within the limit",
                    ull(p->after_choices));
        }
        fprintf(out,
                "; a layer does not help (the limit counts the function and its layers "
                "together), nor does S3 (it lifts only the zipped limit); a container image does "
                "(up to %llu bytes)\n",
                ull(p->image_limit));
        break;
    }
}

/* A distribution's line: "    numpy 1.24.2  33 MiB in 900 files, ... can be left out". */
static void dist_line(FILE *out, const struct report *r, size_t i, const struct size_plan *p,
                      const struct size_dist *sd)
{
    char *label = sizeplan_dist_label(sd);

    fputs("    ", out);
    put(out, label);
    free(label);
    if (sd->input != p->view && input_name(r, i, p, sd->input)) {
        fputs(" in ", out); /* a layer's copy: each input's is listed */
        put(out, input_name(r, i, p, sd->input));
    }
    if (sd->rest) {
        fprintf(out, "  %llu bytes: its system, its Python and the layers' tar headers\n",
                ull(sd->bytes));
        return;
    }
    fprintf(out, "  %llu bytes in %zu file%s", ull(sd->bytes), sd->files,
            sd->files == 1 ? "" : "s");
    if (sd->removable) {
        fprintf(out, ", %llu bytes of them can be left out", ull(sd->removable));
    }
    if (sd->strip) {
        fprintf(out, ", strip saves %llu bytes", ull(sd->strip));
    }
    fputc('\n', out);
}

/* A container image's plan: its layers against its own limit, what its Dockerfile copies
 * into the task root and /opt by distribution, what of it need not be copied. */
static void image_text(FILE *out, const struct report *r, size_t i, const struct size_plan *p)
{
    const struct size_dist *rest = NULL;
    size_t shown = 0;

    fputs("Size of ", out);
    put(out, r->inputs[i].name);
    if (p->why_not) {
        fputs(": no size plan: ", out);
        put(out, p->why_not);
        fputs("\n\n", out);
        return;
    }
    fprintf(out,
            ": %llu bytes in its %zu layer%s uncompressed, %llu %% of Lambda's %llu bytes for a "
            "container image (no zip: its limit counts the layers' tar streams)\n  by layer:",
            ull(p->unzipped), p->layers_nr, p->layers_nr == 1 ? "" : "s",
            pct(p->unzipped, p->limit), ull(p->limit));
    for (size_t l = 0; l < p->layers_nr; l++) {
        fprintf(out, "%s %zu: %llu bytes", l ? ";" : "", l + 1, ull(p->layer_bytes[l]));
    }
    fputs("\n  by distribution, under the task root and /opt (what the Dockerfile copies):\n", out);
    for (size_t d = 0; d < p->dists_nr; d++) {
        if (p->dists[d].rest) {
            rest = &p->dists[d];
        } else if (r->verbose || shown < TEXT_DISTS) {
            dist_line(out, r, i, p, &p->dists[d]);
            shown++;
        }
    }
    if (shown + (rest != NULL) < p->dists_nr) {
        fprintf(out, "    ... and %zu more distributions (-v lists them all)\n",
                p->dists_nr - shown - (rest != NULL));
    }
    if (rest) {
        dist_line(out, r, i, p, rest);
    }
    fputs("  savings:\n", out);
    for (int k = 0; k < SIZE_KIND_NR; k++) {
        print_kind(out, p, r, i, (enum size_kind)k, r->verbose);
    }
    if (!p->items_nr) {
        fputs("    none found\n", out);
    }
    fprintf(out,
            "  after leaving out %llu bytes and stripping %llu bytes: %llu bytes uncompressed, ",
            ull(p->removable), ull(p->saving[SIZE_DEBUG]), ull(p->after));
    if (p->fits_unzipped) {
        fprintf(out, "%llu bytes under the limit\n  fits Lambda's image limit%s\n",
                ull(p->limit - p->after), p->unzipped <= p->limit ? " already" : "");
    } else {
        fprintf(out,
                "over the limit by %llu bytes\n  still over Lambda's image limit: build in one "
                "stage and COPY only what the function needs into the final one, and keep large "
                "data out of the image (S3, EFS)\n",
                ull(p->after - p->limit));
    }
    if (p->exclude.nr) {
        fprintf(out,
                "  --report exclude=FILE lists the %zu path%s (from the image's root) that need "
                "not be copied into it: leave them out of what the Dockerfile copies "
                "(.dockerignore)\n",
                p->exclude.nr, p->exclude.nr == 1 ? "" : "s");
    }
    fputc('\n', out);
}

void rtext_size(FILE *out, const struct report *r, size_t i)
{
    const struct size_plan *p = r->inputs[i].size;
    size_t shown = 0, known = 0;

    if (!p) {
        return;
    }
    if (p->image || p->why_not) {
        image_text(out, r, i, p);
        return;
    }
    fputs("Size of ", out);
    put(out, r->inputs[i].name);
    fprintf(out,
            ": %llu bytes unzipped, %llu %% of Lambda's %llu bytes for a function and its layers",
            ull(p->unzipped), pct(p->unzipped, p->limit), ull(p->limit));
    if (p->uploads_nr == 1 && p->uploads[0].known) {
        fputs("; ", out);
        zipped_now(out, &p->uploads[0]);
        fprintf(out, "; a direct upload takes at most %llu bytes", ull(p->zipped_limit));
    }
    fputc('\n', out);
    for (size_t k = 0; k < p->uploads_nr; k++) {
        known += p->uploads[k].known;
    }
    if (p->uploads_nr > 1 && known) {
        fprintf(out,
                "  each zip is uploaded on its own (a direct upload takes at most %llu bytes):",
                ull(p->zipped_limit));
        for (size_t k = 0; k < p->uploads_nr; k++) {
            fputs(k ? "; " : " ", out);
            put(out, upload_name(r, i, p, &p->uploads[k]));
            fputc(' ', out);
            if (p->uploads[k].known) {
                zipped_now(out, &p->uploads[k]);
            } else {
                fputs("not zipped, not estimated", out);
            }
        }
        fputc('\n', out);
    }
    fputs("  by distribution:\n", out);
    for (size_t d = 0; d < p->dists_nr; d++) {
        if (!r->verbose && shown == TEXT_DISTS) {
            fprintf(out, "    ... and %zu more distributions (-v lists them all)\n",
                    p->dists_nr - shown);
            break;
        }
        shown++;
        dist_line(out, r, i, p, &p->dists[d]);
    }
    fputs("  savings:\n", out);
    for (int k = 0; k < SIZE_KIND_NR; k++) {
        print_kind(out, p, r, i, (enum size_kind)k, r->verbose);
    }
    if (!p->items_nr) {
        fputs("    none found\n", out);
    }
    verdict(out, r, i, p);
    if (p->exclude.nr && p->uploads_nr > 1) {
        fprintf(out,
                "  --report exclude=DIR/ writes one list per zip, NAME.exclude (%zu path%s in "
                "all): in each one's tree, zip -r NAME . -x@DIR/NAME.exclude\n",
                p->exclude.nr, p->exclude.nr == 1 ? "" : "s");
    } else if (p->exclude.nr) {
        fprintf(out,
                "  --report exclude=FILE lists the %zu path%s to leave out: zip -r BUNDLE.zip . "
                "-x@FILE\n",
                p->exclude.nr, p->exclude.nr == 1 ? "" : "s");
    }
    fputc('\n', out);
}

static cJSON *num(uint64_t v)
{
    return cJSON_CreateNumber((double)v);
}

cJSON *rjson_size(const struct report *r, size_t h)
{
    const struct size_plan *p = r->inputs[h].size;
    cJSON *o = cJSON_CreateObject(), *dists = cJSON_CreateArray(), *sav = cJSON_CreateObject();
    cJSON *items = cJSON_CreateArray(), *uploads = cJSON_CreateArray();
    static const char *const verdicts[] = {
        [SIZE_FITS] = "fits",
        [SIZE_OVER_UNZIPPED] = "over-unzipped",
        [SIZE_OVER_UPLOAD] = "over-upload",
        [SIZE_UPLOAD_UNKNOWN] = "upload-unknown",
    };

    rjson_add_str(o, "runtime", p->runtime);
    cJSON_AddItemToObject(o, "unzipped", num(p->unzipped));
    cJSON_AddItemToObject(
        o, "zipped", p->uploads_nr && p->uploads[0].known ? num(p->zipped) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "limit", num(p->limit));
    cJSON_AddItemToObject(o, "zipped_limit", num(p->zipped_limit));
    for (size_t k = 0; k < p->uploads_nr; k++) {
        const struct size_upload *u = &p->uploads[k];
        cJSON *e = cJSON_CreateObject();
        rjson_add_str(e, "input", upload_name(r, h, p, u));
        cJSON_AddItemToObject(e, "zipped", u->known ? num(u->zipped) : cJSON_CreateNull());
        cJSON_AddItemToObject(e, "estimated", cJSON_CreateBool(u->estimated));
        cJSON_AddItemToObject(e, "after", u->known ? num(u->after) : cJSON_CreateNull());
        cJSON_AddItemToObject(e, "after_choices",
                              u->known ? num(u->after_choices) : cJSON_CreateNull());
        cJSON_AddItemToObject(
            e, "over_by",
            num(u->known && u->after > p->zipped_limit ? u->after - p->zipped_limit : 0));
        cJSON_AddItemToArray(uploads, e);
    }
    cJSON_AddItemToObject(o, "uploads", uploads);
    if (p->image) {
        cJSON *img = cJSON_CreateObject(), *layers = cJSON_CreateArray();
        for (size_t l = 0; l < p->layers_nr; l++) {
            cJSON_AddItemToArray(layers, num(p->layer_bytes[l]));
        }
        cJSON_AddItemToObject(img, "layers", layers);
        cJSON_AddItemToObject(o, "image", img);
    } else {
        cJSON_AddItemToObject(o, "image", cJSON_CreateNull());
    }
    rjson_add_str(o, "why_not", p->why_not);
    for (size_t d = 0; d < p->dists_nr; d++) {
        cJSON *e = cJSON_CreateObject();
        rjson_add_str(e, "name", p->dists[d].name);
        rjson_add_str(e, "version", p->dists[d].version);
        cJSON_AddItemToObject(e, "metadata", cJSON_CreateBool(p->dists[d].metadata));
        rjson_add_str(e, "input", input_name(r, h, p, p->dists[d].input));
        cJSON_AddItemToObject(e, "bytes", num(p->dists[d].bytes));
        cJSON_AddItemToObject(e, "stored", num(p->dists[d].stored));
        cJSON_AddItemToObject(e, "files", num(p->dists[d].files));
        cJSON_AddItemToObject(e, "removable", num(p->dists[d].removable));
        cJSON_AddItemToObject(e, "strip", num(p->dists[d].strip));
        cJSON_AddItemToObject(e, "rest", cJSON_CreateBool(p->dists[d].rest));
        cJSON_AddItemToArray(dists, e);
    }
    cJSON_AddItemToObject(o, "distributions", dists);
    for (int k = 0; k < SIZE_KIND_NR; k++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddItemToObject(e, "bytes", num(p->saving[k]));
        cJSON_AddItemToObject(e, "files", num(p->count[k]));
        cJSON_AddItemToObject(e, "removable", cJSON_CreateBool(sizeplan_kind_removable(k)));
        cJSON_AddItemToObject(sav, sizeplan_kind_name((enum size_kind)k), e);
    }
    cJSON_AddItemToObject(o, "savings", sav);
    for (size_t i = 0; i < p->items_nr; i++) {
        const struct size_item *it = &p->items[i];
        cJSON *e = cJSON_CreateObject();
        rjson_add_str(e, "kind", sizeplan_kind_name(it->kind));
        rjson_add_str(e, "input", input_of(r, h, p, it));
        rjson_add_str(e, "path", it->path);
        cJSON_AddItemToObject(e, "bytes", num(it->bytes));
        cJSON_AddItemToObject(e, "files", num(it->files));
        rjson_add_str(e, "detail", it->detail);
        cJSON_AddItemToArray(items, e);
    }
    cJSON_AddItemToObject(o, "items", items);
    cJSON_AddItemToObject(o, "removable", num(p->removable));
    cJSON_AddItemToObject(o, "after", num(p->after));
    cJSON_AddItemToObject(o, "fits", cJSON_CreateBool(p->fits));
    rjson_add_str(o, "verdict", verdicts[p->verdict]);
    cJSON_AddItemToObject(o, "over_by", num(p->fits_unzipped ? 0 : p->after - p->limit));
    cJSON_AddItemToObject(o, "zipped_over_by", num(p->zipped_over));
    cJSON_AddItemToObject(o, "after_choices", num(p->after_choices));
    return o;
}
