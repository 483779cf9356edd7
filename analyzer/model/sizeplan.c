/* SPDX-License-Identifier: MIT */
/* The size plan: the savings found (sizeplan_savings.c), every member of a view weighed,
 * the exclude list and the verdict (sizeplan.h). */
#include "sizeplan.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "lambda_limits.h"
#include "sizeplan_int.h"
#include "xalloc.h"

static const struct {
    const char *name, *text;
    bool removable;
} kinds[SIZE_KIND_NR] = {
    [SIZE_TESTS] = {"tests", "tests/ and test/ directories inside packages", true},
    [SIZE_PYCACHE] = {"caches", "__pycache__ files this Python never reads", true},
    [SIZE_DISTINFO] = {"dist-info", "package metadata nothing reads at run time", true},
    [SIZE_SOURCES] = {"sources", "C, C++, Cython, Fortran and other sources and headers", true},
    [SIZE_STUBS] = {"stubs", "type stubs (.pyi) nothing imports", true},
    [SIZE_STATIC] = {"static", "static libraries (.a) and object files (.o) nothing loads", true},
    [SIZE_SHADOWED] = {"shadowed", "copies in a layer the runtime never imports", true},
    [SIZE_DEBUG] = {"debug",
                    "what strip takes out of ELF files: debug sections, symbol tables, their "
                    "headers and padding",
                    false},
    [SIZE_DUPLICATE] = {"duplicates", "libraries vendored more than once", false},
    [SIZE_PROVIDED] = {"provided", "distributions the runtime already provides", false},
};

const char *sizeplan_kind_name(enum size_kind k)
{
    return k < SIZE_KIND_NR ? kinds[k].name : "?";
}

const char *sizeplan_kind_text(enum size_kind k)
{
    return k < SIZE_KIND_NR ? kinds[k].text : "?";
}

bool sizeplan_kind_removable(enum size_kind k)
{
    return k < SIZE_KIND_NR && kinds[k].removable;
}

static int cmp_dist(const void *x, const void *y)
{
    const struct size_dist *a = x, *b = y;
    if (a->bytes != b->bytes) {
        return a->bytes > b->bytes ? -1 : 1;
    }
    return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

/* A distribution's totals and where they were before sorting. */
struct ranked {
    struct size_dist d;
    size_t from;
};

static int cmp_ranked(const void *x, const void *y)
{
    const struct ranked *a = x, *b = y;
    int c = cmp_dist(&a->d, &b->d);
    return c ? c : (a->from > b->from) - (a->from < b->from); /* the same on every run */
}

static int cmp_item(const void *x, const void *y)
{
    const struct size_item *a = x, *b = y;
    if (a->kind != b->kind) {
        return a->kind < b->kind ? -1 : 1;
    }
    if (a->bytes != b->bytes) {
        return a->bytes > b->bytes ? -1 : 1;
    }
    if (a->input != b->input) {
        return a->input < b->input ? -1 : 1;
    }
    return strcmp(a->path, b->path);
}

char *sizeplan_dist_label(const struct size_dist *d)
{
    if (d->rest) {
        return xstrdup("(the rest of the image)");
    }
    if (!d->name) {
        return xstrdup("(no distribution)");
    }
    if (!d->metadata) {
        return xasprintf("%s (no metadata)", d->name);
    }
    return xasprintf("%s%s%s", d->name, d->version ? " " : "", d->version ? d->version : "");
}

/* What a member no distribution owns is weighed under: its top-level package (the first
 * directory below its sys.path entry, or of its input when it is on none), or its module
 * at the top ("six.py" -> "six"); NULL for any other file. Caller frees. */
static char *package_of(const struct member *m)
{
    const char *rel = m->on_site ? m->path + m->site_off : m->path;
    size_t top = strcspn(rel, "/"), dot = strcspn(rel, ".");
    static const char *const module_ext[] = {".py", ".pyc", ".so", ".pyd", NULL};

    if (rel[top] == '/') {
        return xstrndup(rel, top);
    }
    for (size_t e = 0; module_ext[e]; e++) {
        size_t n = strlen(module_ext[e]), len = strlen(rel);
        if (dot && len > n && !strcmp(rel + len - n, module_ext[e])) {
            return xstrndup(rel, dot);
        }
    }
    return NULL;
}

/* Bytes per distribution (or package) of each input and per (distribution, directory),
 * after the kinds are known. */
static void weigh(struct building *b)
{
    const struct image *img = b->img;
    struct size_plan *p = b->p;
    size_t *slot = NULL, slot_alloc = 0; /* group -> index + 1 in dists */
    size_t groups = img->dists_nr;       /* distributions first, then the packages */
    struct strmap cells = {0}, packages = {0};
    char *key = NULL;
    size_t key_alloc = 0, key_len, dists_alloc = 0;

    for (size_t i = 0; i < b->nr; i++) {
        const struct member *m = &img->members[b->members[i]];
        size_t d, at;
        int k = b->kind[b->members[i]];
        uint64_t removable = k >= 0 && kinds[k].removable ? m->size : 0;
        uint64_t strip = k < 0 && m->elf && !m->raw_path ? m->elf->strip_saves : 0;
        const char *slash = strrchr(m->path, '/');
        size_t dir_len = slash ? (size_t)(slash - m->path) : 0;
        char *package = NULL;
        void *v;
        if (m->dist) {
            d = (size_t)(m->dist - img->dists);
        } else {
            /* The package's key: the input as bytes, then '/' and its name ('\0': none). */
            package = package_of(m);
            key_len = sizeof(size_t) + 1 + (package ? strlen(package) : 0);
            ALLOC_GROW(key, key_len, key_alloc);
            memcpy(key, &m->input, sizeof(size_t));
            key[sizeof(size_t)] = package ? '/' : '\0';
            memcpy(key + sizeof(size_t) + 1, package ? package : "", key_len - sizeof(size_t) - 1);
            if ((v = strmap_get(&packages, key, key_len)) != NULL) {
                d = (size_t)(uintptr_t)v - 1;
            } else {
                d = groups++;
                strmap_put(&packages, key, key_len, (void *)(uintptr_t)(d + 1));
            }
        }
        if (d >= slot_alloc) {
            size_t was = slot_alloc;
            ALLOC_GROW(slot, d + 1, slot_alloc);
            memset(slot + was, 0, (slot_alloc - was) * sizeof(*slot));
        }
        if (!slot[d]) {
            struct size_dist *sd;
            ALLOC_GROW(p->dists, p->dists_nr + 1, dists_alloc);
            sd = &p->dists[p->dists_nr];
            memset(sd, 0, sizeof(*sd));
            sd->input = m->input;
            if (m->dist) {
                sd->name = xstrdup(m->dist->name);
                sd->version = m->dist->version ? xstrdup(m->dist->version) : NULL;
                sd->metadata = true;
            } else {
                sd->name = package ? xstrdup(package) : NULL;
            }
            slot[d] = ++p->dists_nr;
        }
        free(package);
        p->dists[slot[d] - 1].bytes += m->size;
        p->dists[slot[d] - 1].stored += m->stored;
        p->dists[slot[d] - 1].files++;
        p->dists[slot[d] - 1].removable += removable;
        p->dists[slot[d] - 1].strip += strip;
        /* The cell's key: the group and input as bytes, then the directory. */
        ALLOC_GROW(key, 2 * sizeof(size_t) + dir_len, key_alloc);
        memcpy(key, &d, sizeof(d));
        memcpy(key + sizeof(d), &m->input, sizeof(m->input));
        memcpy(key + 2 * sizeof(size_t), m->path, dir_len);
        key_len = 2 * sizeof(size_t) + dir_len;
        if ((v = strmap_get(&cells, key, key_len)) != NULL) {
            at = (size_t)(uintptr_t)v - 1;
        } else {
            ALLOC_GROW(p->cells, p->cells_nr + 1, p->cells_alloc);
            at = p->cells_nr++;
            memset(&p->cells[at], 0, sizeof(p->cells[at]));
            p->cells[at].dist = d; /* a group for now: the dists' order is below */
            p->cells[at].input = m->input;
            p->cells[at].dir = xstrndup(m->path, dir_len);
            strmap_put(&cells, key, key_len, (void *)(uintptr_t)(at + 1));
        }
        p->cells[at].bytes += m->size;
        p->cells[at].files++;
        p->cells[at].removable += removable;
        p->cells[at].strip += strip;
    }
    free(key);
    /* The dists heaviest first, and the cells pointing at them there. */
    {
        struct ranked *r = xcalloc(p->dists_nr + 1, sizeof(*r));
        size_t *order = xcalloc(p->dists_nr + 1, sizeof(*order));
        for (size_t k = 0; k < p->dists_nr; k++) {
            r[k] = (struct ranked){p->dists[k], k};
        }
        qsort(r, p->dists_nr, sizeof(*r), cmp_ranked);
        for (size_t k = 0; k < p->dists_nr; k++) {
            p->dists[k] = r[k].d;
            order[r[k].from] = k;
        }
        for (size_t c = 0; c < p->cells_nr; c++) {
            p->cells[c].dist = order[slot[p->cells[c].dist] - 1];
        }
        free(order);
        free(r);
    }
    strmap_release(&cells);
    strmap_release(&packages);
    free(slot);
}

/* zip -x patterns: a tree as its directory and "*" (zip's * crosses '/'), a file as its
 * path; each with its input, whose zip is rebuilt on its own. */
static void exclude_list(struct size_plan *p)
{
    size_t alloc = 0;

    for (size_t i = 0; i < p->items_nr; i++) {
        const struct size_item *it = &p->items[i];
        size_t n = strlen(it->path);
        if (!kinds[it->kind].removable) {
            continue;
        }
        strvec_push_nodup(&p->exclude, n && it->path[n - 1] == '/' ? xasprintf("%s*", it->path)
                                                                   : xstrdup(it->path));
        ALLOC_GROW(p->exclude_input, p->exclude.nr, alloc);
        p->exclude_input[p->exclude.nr - 1] = it->input;
    }
}

/* Info-ZIP's headers: a local one (30 bytes and the name) and a central one (46 and the
 * name); zip -r adds its extended timestamp and Unix ids to each (28 and 24 bytes). A zip
 * abiscan did not write may carry fewer: only the headers themselves are certain. */
#define ZIP_LOCAL 30
#define ZIP_CENTRAL 46
#define ZIP_EXTRA 52
#define ZIP_END 22

uint64_t sizeplan_zip_overhead(const char *path, bool estimated)
{
    return ZIP_LOCAL + ZIP_CENTRAL + (estimated ? ZIP_EXTRA : 0) + 2 * (uint64_t)strlen(path);
}

/* The entries of the directories of a tests/ tree that m is in (tree: the tree's length in
 * m's path), the first time each is seen: zip -x "tree*" leaves them out with the files.
 * zip -r stores an entry for every directory; a zip that lists some is taken to list all. */
static uint64_t tree_dirs(struct strmap *seen, const struct member *m, size_t tree, bool estimated)
{
    uint64_t bytes = 0;
    char *key = NULL;
    size_t alloc = 0;

    for (size_t n = tree; n <= strlen(m->path); n++) {
        if (m->path[n - 1] != '/') {
            continue;
        }
        /* The key: the input, then the directory. */
        ALLOC_GROW(key, sizeof(m->input) + n, alloc);
        memcpy(key, &m->input, sizeof(m->input));
        memcpy(key + sizeof(m->input), m->path, n);
        if (!strmap_has(seen, key, sizeof(m->input) + n)) {
            strmap_put(seen, key, sizeof(m->input) + n, NULL);
            bytes += ZIP_LOCAL + ZIP_CENTRAL + (estimated ? ZIP_EXTRA : 0) + 2 * (uint64_t)n;
        }
    }
    free(key);
    return bytes;
}

/* Each zip of the view weighed on its own: a zip's bytes, less the members the exclude list
 * leaves out (their compressed bytes and headers); a directory's, estimated the same way from
 * what zip -r would store of each file (facts/scan.h estimate_zip), its directories and the
 * end of the central directory. */
static void weigh_uploads(struct building *b)
{
    const struct image *img = b->img;
    struct size_plan *p = b->p;
    size_t *slot = xcalloc(img->inputs_nr + 1, sizeof(*slot)); /* input -> index + 1 */
    struct strmap dirs = {0};
    uint64_t gone;

    p->uploads = xcalloc(img->inputs_nr + 1, sizeof(*p->uploads));
    for (size_t i = 0; i < img->inputs_nr; i++) {
        const struct image_input *in = &img->inputs[i];
        struct size_upload *u;
        if (in->view != p->view || in->container) {
            continue;
        }
        u = &p->uploads[p->uploads_nr];
        slot[i] = ++p->uploads_nr;
        u->input = i;
        u->estimated = !in->zipped && in->zip_estimated;
        u->known = in->zipped || u->estimated;
        u->zipped = in->zipped ? in->file_size
                    : u->estimated
                        ? ZIP_END + in->dirs * (uint64_t)(ZIP_LOCAL + ZIP_CENTRAL + ZIP_EXTRA) +
                              2 * in->dir_names
                        : 0;
    }
    for (size_t i = 0; i < b->nr; i++) {
        const struct member *m = &img->members[b->members[i]];
        struct size_upload *u = slot[m->input] ? &p->uploads[slot[m->input] - 1] : NULL;
        int k = b->kind[b->members[i]];
        if (!u || !u->known) {
            continue;
        }
        gone = m->stored + sizeplan_zip_overhead(m->path, u->estimated);
        if (u->estimated) {
            u->zipped += gone;
        }
        if (k >= 0 && kinds[k].removable) {
            u->after += gone;
            if (b->tree[b->members[i]] && (u->estimated || img->inputs[m->input].dirs)) {
                u->after += tree_dirs(&dirs, m, b->tree[b->members[i]], u->estimated);
            }
        } else if (k == SIZE_DUPLICATE || k == SIZE_PROVIDED) {
            u->after_choices += gone;
        }
    }
    /* after and after_choices held what goes: turned into what stays. */
    for (size_t i = 0; i < p->uploads_nr; i++) {
        struct size_upload *u = &p->uploads[i];
        gone = u->after;
        u->after = u->known && u->zipped > gone ? u->zipped - gone : 0;
        u->after_choices = u->after > u->after_choices ? u->after - u->after_choices : 0;
        if (u->known && u->after > p->zipped_limit && u->after - p->zipped_limit > p->zipped_over) {
            p->zipped_over = u->after - p->zipped_limit;
        }
    }
    p->zipped = p->uploads_nr ? p->uploads[0].zipped : 0;
    strmap_release(&dirs);
    free(slot);
}

static void verdict(struct size_plan *p)
{
    bool unknown = false;

    for (size_t i = 0; i < p->uploads_nr; i++) {
        unknown |= !p->uploads[i].known;
    }
    p->fits_unzipped = p->after <= p->limit;
    p->verdict = !p->fits_unzipped ? SIZE_OVER_UNZIPPED
                 : p->zipped_over  ? SIZE_OVER_UPLOAD
                 : unknown         ? SIZE_UPLOAD_UNKNOWN
                                   : SIZE_FITS;
    p->fits = p->verdict == SIZE_FITS;
}

/* A container image's members the plan weighs: those under its task root and /opt, what
 * its Dockerfile copies (its system and its Python's site-packages are the base image's);
 * a zip's or a directory's, all of them. */
static bool copied(const struct image *img, size_t view, const struct member *m)
{
    const struct container *c = img->inputs[view].container;
    size_t off;
    int minor;
    enum container_place at;

    if (!c) {
        return true;
    }
    at = container_place(c, m->path, &off, &minor);
    return (at == PLACE_TASK || at == PLACE_OPT) && !m->problem;
}

/* An image against its own limit: its layers' tar streams, uncompressed. 0, or -1 with
 * why_not set when there is nothing to weigh. */
static int image_plan(struct size_plan *p, const struct container *c,
                      const struct lambda_limits *limits)
{
    uint64_t copied_bytes = p->unzipped;

    p->image = true;
    p->limit = limits->image.value;
    if (!c->layers || !c->uncompressed) {
        p->why_not = xstrdup("no layer of the image could be read: there are no bytes to weigh "
                             "against its limit");
        p->verdict = SIZE_UPLOAD_UNKNOWN;
        return -1;
    }
    p->layers_nr = c->layers;
    p->layer_bytes = xcalloc(c->layers + 1, sizeof(*p->layer_bytes));
    memcpy(p->layer_bytes, c->layer_bytes, c->layers * sizeof(*p->layer_bytes));
    p->unzipped = c->uncompressed > copied_bytes ? c->uncompressed : copied_bytes;
    return 0;
}

/* The bytes of an image outside what the plan weighs, as one more row of its dists. */
static void image_rest(struct size_plan *p)
{
    uint64_t weighed = 0;
    struct size_dist *rest;

    for (size_t d = 0; d < p->dists_nr; d++) {
        weighed += p->dists[d].bytes;
    }
    if (p->unzipped <= weighed) {
        return;
    }
    p->dists = xrealloc_array(p->dists, p->dists_nr + 1, sizeof(*p->dists));
    rest = &p->dists[p->dists_nr++];
    memset(rest, 0, sizeof(*rest));
    rest->rest = true;
    rest->input = p->view;
    rest->bytes = rest->stored = p->unzipped - weighed;
}

void sizeplan_build(struct size_plan *out, const struct image *img, size_t view,
                    const char *runtime, const struct lambda_limits *limits)
{
    struct building b = {.p = out, .img = img};
    const struct container *container = img->inputs[view].container;
    char tag[32] = "";

    memset(out, 0, sizeof(*out));
    out->view = view;
    out->runtime = runtime ? xstrdup(runtime) : NULL;
    out->limit = limits->unzipped.value;
    out->zipped_limit = limits->zipped.value;
    out->image_limit = limits->image.value;
    out->warn_percent = limits->warn_percent;
    /* "python3.12" -> "cpython-312", the tag of the pyc files it reads */
    if (runtime && !strncmp(runtime, "python", 6)) {
        const char *v = runtime + 6, *dot = strchr(v, '.');
        if (dot) {
            snprintf(tag, sizeof(tag), "cpython-%.*s%s", (int)(dot - v), v, dot + 1);
        }
    }
    b.members = xcalloc(img->nr + 1, sizeof(*b.members));
    b.kind = xcalloc(img->nr + 1, sizeof(*b.kind));
    b.tree = xcalloc(img->nr + 1, sizeof(*b.tree));
    for (size_t i = 0; i < img->nr; i++) {
        if (image_view_of(img, &img->members[i]) == view && copied(img, view, &img->members[i])) {
            b.members[b.nr++] = i;
            out->unzipped += img->members[i].size;
        }
        b.kind[i] = -1;
    }
    if (container && image_plan(out, container, limits) != 0) {
        free(b.members);
        free(b.kind);
        free(b.tree);
        return;
    }
    sizeplan_shadowed(&b); /* a copy never imported goes whole, its tests/ with it */
    sizeplan_classify(
        &b,
        *tag
            ? tag
            : NULL); /* An image brings its own Python: what it provides is the image's business. */
    sizeplan_provided(&b, container ? NULL : lambda_runtime_packages(limits, runtime));
    sizeplan_duplicates(&b); /* a copy that can go is not stripped as well */
    sizeplan_debug(&b);
    weigh(&b);
    if (out->items_nr) {
        qsort(out->items, out->items_nr, sizeof(*out->items), cmp_item);
    }
    exclude_list(out);
    for (size_t k = 0; k < SIZE_KIND_NR; k++) {
        out->removable += kinds[k].removable ? out->saving[k] : 0;
    }
    out->after = out->unzipped - out->removable - out->saving[SIZE_DEBUG];
    out->after_choices = out->after - out->saving[SIZE_DUPLICATE] - out->saving[SIZE_PROVIDED];
    if (container) {
        image_rest(out);
    }
    weigh_uploads(&b);
    verdict(out);
    strmap_release(&b.trees);
    free(b.members);
    free(b.kind);
    free(b.tree);
}

void sizeplan_release(struct size_plan *p)
{
    free(p->runtime);
    for (size_t i = 0; i < p->dists_nr; i++) {
        free(p->dists[i].name);
        free(p->dists[i].version);
    }
    free(p->dists);
    for (size_t i = 0; i < p->items_nr; i++) {
        free(p->items[i].path);
        free(p->items[i].detail);
    }
    free(p->items);
    for (size_t i = 0; i < p->cells_nr; i++) {
        free(p->cells[i].dir);
    }
    free(p->cells);
    free(p->uploads);
    free(p->layer_bytes);
    free(p->why_not);
    strvec_release(&p->exclude);
    free(p->exclude_input);
    memset(p, 0, sizeof(*p));
}

const struct size_plan *sizeplans_of(struct size_plans *ps, const struct image *img, size_t view,
                                     const char *runtime, const struct lambda_limits *limits)
{
    if (!ps->p) {
        ps->nr = img->inputs_nr;
        ps->p = xcalloc(ps->nr + 1, sizeof(*ps->p));
        ps->built = xcalloc(ps->nr + 1, sizeof(*ps->built));
    }
    if (!ps->built[view]) {
        sizeplan_build(&ps->p[view], img, view, runtime, limits);
        ps->built[view] = true;
    }
    return &ps->p[view];
}

void sizeplans_release(struct size_plans *ps)
{
    for (size_t i = 0; i < ps->nr; i++) {
        if (ps->built[i]) {
            sizeplan_release(&ps->p[i]);
        }
    }
    free(ps->p);
    free(ps->built);
    memset(ps, 0, sizeof(*ps));
}
