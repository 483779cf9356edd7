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
    [SIZE_DEBUG] = "strip them before zipping:",
    [SIZE_DUPLICATE] = "a choice: keep one copy and make the others symbolic links to it "
                       "(zip -y stores links, Lambda keeps them)",
    [SIZE_PROVIDED] = "a choice: the runtime has its own, at the version it ships; keep yours "
                      "only if you need that version (a layer does not save these bytes)",
};

/* The report's name of the input an item is in: plans count inputs from their own head,
 * which is input h of the report. */
static const char *input_of(const struct report *r, size_t h, const struct size_plan *p,
                            const struct size_item *it)
{
    size_t i = h + (it->input - p->view);
    return it->input >= p->view && i < r->inputs_nr ? r->inputs[i].name : NULL;
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
        fprintf(out, "; %s", advice[k]);
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
            put(out, it->detail);
            fputc(' ', out);
        }
        put(out, it->path);
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
        fprintf(out, "        ... and %zu more (-v lists them all)\n", n - shown);
    }
}

void rtext_size(FILE *out, const struct report *r, size_t i)
{
    const struct size_plan *p = r->inputs[i].size;
    size_t shown = 0;

    if (!p) {
        return;
    }
    fputs("Size of ", out);
    put(out, r->inputs[i].name);
    fprintf(out, ": %llu bytes unzipped, %llu %% of Lambda's %llu for a function and its layers",
            ull(p->unzipped), pct(p->unzipped, p->limit), ull(p->limit));
    if (p->zipped) {
        fprintf(out, "; %llu zipped (a direct upload takes at most %llu)", ull(p->zipped),
                ull(p->zipped_limit));
    }
    fputs("\n  by distribution:\n", out);
    for (size_t d = 0; d < p->dists_nr; d++) {
        const struct size_dist *sd = &p->dists[d];
        if (!r->verbose && shown == TEXT_DISTS) {
            fprintf(out, "    ... and %zu more (-v lists them all)\n", p->dists_nr - shown);
            break;
        }
        shown++;
        fputs("    ", out);
        put(out, sd->name ? sd->name : "(no distribution)");
        if (sd->version) {
            fputc(' ', out);
            put(out, sd->version);
        }
        fprintf(out, "  %llu bytes in %zu file%s", ull(sd->bytes), sd->files,
                sd->files == 1 ? "" : "s");
        if (sd->removable) {
            fprintf(out, ", %llu of them can be left out", ull(sd->removable));
        }
        fputc('\n', out);
    }
    fputs("  savings:\n", out);
    for (int k = 0; k < SIZE_KIND_NR; k++) {
        print_kind(out, p, r, i, (enum size_kind)k, r->verbose);
    }
    if (!p->items_nr) {
        fputs("    none found\n", out);
    }
    fprintf(out, "  after leaving out %llu bytes and stripping %llu: %llu bytes, ",
            ull(p->removable), ull(p->saving[SIZE_DEBUG]), ull(p->after));
    if (p->fits) {
        fprintf(out, "fits (%llu to spare", ull(p->limit - p->after));
        if (p->after * 100 > p->limit * p->warn_percent) {
            fprintf(out, ", but over %u %%", p->warn_percent);
        }
        fputs(")\n", out);
    } else {
        fprintf(out, "still over by %llu", ull(p->after - p->limit));
        if (p->after_choices <= p->limit) {
            fprintf(out, "; the choices above would bring it to %llu, within the limit",
                    ull(p->after_choices));
        }
        fprintf(out,
                "; a layer does not help (the limit counts the function and its layers "
                "together); a container image does (up to %llu bytes)\n",
                ull(p->image_limit));
    }
    if (p->exclude.nr) {
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
    cJSON *items = cJSON_CreateArray();

    rjson_add_str(o, "runtime", p->runtime);
    cJSON_AddItemToObject(o, "unzipped", num(p->unzipped));
    cJSON_AddItemToObject(o, "zipped", num(p->zipped));
    cJSON_AddItemToObject(o, "limit", num(p->limit));
    cJSON_AddItemToObject(o, "zipped_limit", num(p->zipped_limit));
    for (size_t d = 0; d < p->dists_nr; d++) {
        cJSON *e = cJSON_CreateObject();
        rjson_add_str(e, "name", p->dists[d].name);
        rjson_add_str(e, "version", p->dists[d].version);
        cJSON_AddItemToObject(e, "bytes", num(p->dists[d].bytes));
        cJSON_AddItemToObject(e, "stored", num(p->dists[d].stored));
        cJSON_AddItemToObject(e, "files", num(p->dists[d].files));
        cJSON_AddItemToObject(e, "removable", num(p->dists[d].removable));
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
    cJSON_AddItemToObject(o, "over_by", num(p->fits ? 0 : p->after - p->limit));
    cJSON_AddItemToObject(o, "after_choices", num(p->after_choices));
    return o;
}
