/* SPDX-License-Identifier: MIT */
/* The size plan: every member of a view weighed, each saving counted once (sizeplan.h). */
#include "sizeplan.h"

#include <ctype.h>
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "lambda_limits.h"
#include "xalloc.h"

static const struct {
    const char *name, *text;
    bool removable;
} kinds[SIZE_KIND_NR] = {
    [SIZE_TESTS] = {"tests", "tests/ and test/ directories inside packages", true},
    [SIZE_PYCACHE] = {"caches", "__pycache__ files this Python never reads", true},
    [SIZE_DISTINFO] = {"dist-info", "package metadata nothing reads at run time", true},
    [SIZE_SOURCES] = {"sources", "C, C++ and Cython sources and headers", true},
    [SIZE_DEBUG] = {"debug", "debug sections and symbol tables in ELF files", false},
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

/* Files in dist-info / egg-info directories that nothing reads once installed: pip's
 * bookkeeping and setuptools' build lists. METADATA (importlib.metadata.version), RECORD
 * (importlib.metadata.files), entry_points.txt, top_level.txt, WHEEL (what abiscan reads
 * the wheel's tags from) and licence files (which their licences ask to keep) stay. */
static const char *const unread_info[] = {
    "INSTALLER",
    "REQUESTED",
    "direct_url.json",
    "SOURCES.txt",
    "dependency_links.txt",
    "not-zip-safe",
    "zip-safe",
    NULL,
};

static const char *const source_ext[] = {
    ".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".pyx", ".pxd", ".pxi", NULL,
};

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

static bool in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++) {
        if (!strcmp(s, list[i])) {
            return true;
        }
    }
    return false;
}

/* Whether the directory part of path has a component ending in suffix. */
static bool dir_component_ends(const char *path, const char *suffix)
{
    const char *p = path, *slash;
    size_t k = strlen(suffix);

    while ((slash = strchr(p, '/')) != NULL) {
        if ((size_t)(slash - p) >= k && !memcmp(slash - k, suffix, k)) {
            return true;
        }
        p = slash + 1;
    }
    return false;
}

/* The length of path up to and including a tests/ or test/ directory that is not at the
 * top of rel (the path below its sys.path entry): 0 when there is none. */
static size_t tests_tree(const char *path, const char *rel)
{
    const char *p = strchr(rel, '/'), *next;

    while (p && (next = strchr(p + 1, '/')) != NULL) {
        size_t n = (size_t)(next - p - 1);
        if ((n == 5 && !memcmp(p + 1, "tests", 5)) || (n == 4 && !memcmp(p + 1, "test", 4))) {
            return (size_t)(next - path) + 1;
        }
        p = next;
    }
    return 0;
}

/* A __pycache__ file Lambda's Python never reads: an optimisation level (Lambda runs
 * without -O), another implementation's or another version's tag. */
static bool unread_pyc(const char *path, const char *tag)
{
    const char *base = base_of(path), *dot;

    if (!ends_with(path, ".pyc") || !dir_component_ends(path, "__pycache__") ||
        (size_t)(base - path) < 12 || memcmp(base - 12, "__pycache__/", 12) != 0) {
        return false;
    }
    if (strstr(base, ".opt-")) {
        return true;
    }
    if (!tag || !(dot = strchr(base, '.'))) {
        return false;
    }
    return strncmp(dot + 1, tag, strlen(tag)) != 0 || dot[1 + strlen(tag)] != '.';
}

/* PEP 503: lower case, runs of -_. as one -. */
static bool same_dist_name(const char *a, const char *b)
{
    for (;;) {
        bool sa = *a == '-' || *a == '_' || *a == '.', sb = *b == '-' || *b == '_' || *b == '.';
        if (sa && sb) {
            while (*a == '-' || *a == '_' || *a == '.') {
                a++;
            }
            while (*b == '-' || *b == '_' || *b == '.') {
                b++;
            }
            continue;
        }
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) {
            return false;
        }
        if (!*a) {
            return true;
        }
        a++;
        b++;
    }
}

struct building {
    struct size_plan *p;
    const struct image *img;
    size_t *members; /* the view's members, by index */
    size_t nr;
    signed char *kind; /* per image member: its saving, or -1 */
    struct strmap trees;
};

static struct size_item *add_item(struct size_plan *p, enum size_kind k, size_t input, char *path,
                                  uint64_t bytes, char *detail)
{
    static const struct size_item zero;
    struct size_item *it;

    ALLOC_GROW(p->items, p->items_nr + 1, p->items_alloc);
    it = &p->items[p->items_nr++];
    *it = zero;
    it->kind = k;
    it->input = input;
    it->path = path;
    it->bytes = bytes;
    it->files = 1;
    it->detail = detail;
    return it;
}

/* Each member's removable kind: the first that applies, so nothing is counted twice. */
static void classify(struct building *b, const char *tag)
{
    for (size_t i = 0; i < b->nr; i++) {
        const struct member *m = &b->img->members[b->members[i]];
        const char *rel = m->on_site ? m->path + m->site_off : m->path;
        const char *base = base_of(m->path);
        bool info =
            dir_component_ends(m->path, ".dist-info") || dir_component_ends(m->path, ".egg-info");
        size_t tree = m->on_site && !info ? tests_tree(m->path, rel) : 0;
        int k = -1;

        if (m->raw_path || m->link_target) {
            continue; /* a name zip -x cannot be given as it is, a link: left alone */
        }
        if (tree) {
            k = SIZE_TESTS;
        } else if (unread_pyc(m->path, tag)) {
            k = SIZE_PYCACHE;
        } else if (info && in_list(base, unread_info)) {
            k = SIZE_DISTINFO;
        } else if (!info && strchr(base, '.')) {
            for (size_t e = 0; source_ext[e] && k < 0; e++) {
                k = ends_with(base, source_ext[e]) ? SIZE_SOURCES : -1;
            }
        }
        b->kind[b->members[i]] = (signed char)k;
        if (k < 0) {
            continue;
        }
        b->p->saving[k] += m->size;
        b->p->count[k]++;
        if (k == SIZE_TESTS) {
            /* One item per tree: "pandas/tests/" with its files, "pandas/tests/" + "*" for zip. */
            void *at = strmap_get(&b->trees, m->path, tree);
            if (at) {
                struct size_item *it = &b->p->items[(size_t)(uintptr_t)at - 1];
                it->bytes += m->size;
                it->files++;
            } else {
                add_item(b->p, SIZE_TESTS, m->input, xstrndup(m->path, tree), m->size, NULL);
                strmap_put(&b->trees, m->path, tree, (void *)(uintptr_t)b->p->items_nr);
            }
        } else {
            add_item(b->p, (enum size_kind)k, m->input, xstrdup(m->path), m->size, NULL);
        }
    }
}

/* Distributions the runtime provides: all of their files that are still there. One pass
 * over the members, each distribution judged once (a hostile bundle may hold many). */
static void provided(struct building *b, const struct strvec *names)
{
    const struct image *img = b->img;
    signed char *listed = xcalloc(img->dists_nr + 1, sizeof(*listed)); /* 0 unknown, 1, -1 */
    size_t *item = xcalloc(img->dists_nr + 1, sizeof(*item));          /* index + 1 */

    for (size_t i = 0; names && i < b->nr; i++) {
        const struct member *m = &img->members[b->members[i]];
        const struct distribution *dist = m->dist;
        size_t d = dist ? (size_t)(dist - img->dists) : 0;
        struct size_item *it;
        if (!dist || b->kind[b->members[i]] >= 0) {
            continue;
        }
        if (!listed[d]) {
            listed[d] = -1;
            for (size_t n = 0; n < names->nr && listed[d] < 0; n++) {
                listed[d] = same_dist_name(dist->name, names->v[n]) ? 1 : -1;
            }
        }
        if (listed[d] < 0) {
            continue;
        }
        b->kind[b->members[i]] = SIZE_PROVIDED;
        if (!item[d]) {
            const char *top = dist->top_level.nr ? dist->top_level.v[0] : dist->info_dir;
            it = add_item(b->p, SIZE_PROVIDED, m->input,
                          xasprintf("%s%s%s/", dist->root, *dist->root ? "/" : "", top), 0,
                          xasprintf("%s%s%s", dist->name, dist->version ? " " : "",
                                    dist->version ? dist->version : ""));
            it->files = 0;
            item[d] = b->p->items_nr;
        }
        it = &b->p->items[item[d] - 1];
        it->bytes += m->size;
        it->files++;
        b->p->saving[SIZE_PROVIDED] += m->size;
        b->p->count[SIZE_PROVIDED]++;
    }
    free(listed);
    free(item);
}

/* ELF files that carry what strip removes, and are not left out already. */
static void debug(struct building *b)
{
    for (size_t i = 0; i < b->nr; i++) {
        const struct member *m = &b->img->members[b->members[i]];
        uint64_t bytes;
        if (!m->elf || b->kind[b->members[i]] >= 0 || m->raw_path) {
            continue;
        }
        bytes = m->elf->debug_bytes + m->elf->symtab_bytes;
        if (!bytes) {
            continue;
        }
        add_item(b->p, SIZE_DEBUG, m->input, xstrdup(m->path), bytes,
                 xstrdup(m->elf->machine == EM_AARCH64 ? "aarch64-linux-gnu-strip --strip-unneeded"
                                                       : "strip --strip-unneeded"));
        b->p->saving[SIZE_DEBUG] += bytes;
        b->p->count[SIZE_DEBUG]++;
    }
}

/* A shared library that may be a copy of another: what is compared, copied out so that
 * qsort needs no context (plans are built on several threads at once). */
struct copy {
    uint64_t size;
    uint32_t crc;
    const char *soname, *path;
    size_t member;
};

static int cmp_copy(const void *x, const void *y)
{
    const struct copy *a = x, *b = y;
    if (a->size != b->size) {
        return a->size < b->size ? -1 : 1;
    }
    if (a->crc != b->crc) {
        return a->crc < b->crc ? -1 : 1;
    }
    return strcmp(a->path, b->path);
}

static int cmp_soname(const void *x, const void *y)
{
    const struct copy *a = x, *b = y;
    int c = strcmp(a->soname, b->soname);
    return c ? c : strcmp(a->path, b->path);
}

static bool same_dir(const char *a, const char *b)
{
    const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
    size_t la = sa ? (size_t)(sa - a) : 0, lb = sb ? (size_t)(sb - b) : 0;
    return la == lb && !memcmp(a, b, la);
}

static void duplicate(struct building *b, const struct copy *c, char *why)
{
    const struct member *m = &b->img->members[c->member];

    b->kind[c->member] = SIZE_DUPLICATE;
    add_item(b->p, SIZE_DUPLICATE, m->input, xstrdup(m->path), m->size, why);
    b->p->saving[SIZE_DUPLICATE] += m->size;
    b->p->count[SIZE_DUPLICATE]++;
}

/* A shared library vendored twice: the same bytes (size and CRC-32), or the same SONAME in
 * another directory. Every copy after the first (by path) is the saving. */
static void duplicates(struct building *b)
{
    const struct image *img = b->img;
    struct copy *c = xcalloc(b->nr + 1, sizeof(*c)), *so = xcalloc(b->nr + 1, sizeof(*so));
    size_t n = 0, s = 0;

    for (size_t i = 0; i < b->nr; i++) {
        const struct member *m = &img->members[b->members[i]];
        struct copy one = {m->size, m->crc, NULL, m->path, b->members[i]};
        if (m->role != ROLE_LIBRARY || !m->elf || b->kind[b->members[i]] >= 0 || m->raw_path) {
            continue;
        }
        one.soname = m->elf->soname;
        if (m->crc_known && m->size) {
            c[n++] = one;
        }
        if (one.soname) {
            so[s++] = one;
        }
    }
    qsort(c, n, sizeof(*c), cmp_copy);
    for (size_t i = 1, first = 0; i < n; i++) {
        if (c[i].size != c[first].size || c[i].crc != c[first].crc) {
            first = i;
            continue;
        }
        duplicate(b, &c[i], xasprintf("the same bytes as %s", c[first].path));
    }
    qsort(so, s, sizeof(*so), cmp_soname);
    for (size_t i = 1, first = 0; i < s; i++) {
        if (strcmp(so[i].soname, so[first].soname) != 0) {
            first = i;
            continue;
        }
        if (b->kind[so[i].member] < 0 && b->kind[so[first].member] != SIZE_DUPLICATE &&
            !same_dir(so[i].path, so[first].path)) {
            duplicate(b, &so[i],
                      xasprintf("the same SONAME (%s) as %s", so[i].soname, so[first].path));
        }
    }
    free(c);
    free(so);
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

/* Bytes per distribution and per (distribution, directory), after the kinds are known. */
static void weigh(struct building *b)
{
    const struct image *img = b->img;
    struct size_plan *p = b->p;
    size_t *slot = xcalloc(img->dists_nr + 1, sizeof(*slot)); /* dist -> index + 1 in dists */
    struct strmap cells = {0};
    char *key = NULL;
    size_t key_alloc = 0, key_len;

    p->dists = xcalloc(img->dists_nr + 1, sizeof(*p->dists));
    for (size_t i = 0; i < b->nr; i++) {
        const struct member *m = &img->members[b->members[i]];
        size_t d = m->dist ? (size_t)(m->dist - img->dists) : img->dists_nr, at;
        int k = b->kind[b->members[i]];
        uint64_t removable = k >= 0 && kinds[k].removable ? m->size : 0;
        uint64_t strip = k < 0 && m->elf ? m->elf->debug_bytes + m->elf->symtab_bytes : 0;
        const char *slash = strrchr(m->path, '/');
        size_t dir_len = slash ? (size_t)(slash - m->path) : 0;
        void *v;
        if (!slot[d]) {
            struct size_dist *sd = &p->dists[p->dists_nr];
            sd->name = m->dist ? xstrdup(m->dist->name) : NULL;
            sd->version = m->dist && m->dist->version ? xstrdup(m->dist->version) : NULL;
            slot[d] = ++p->dists_nr;
        }
        p->dists[slot[d] - 1].bytes += m->size;
        p->dists[slot[d] - 1].stored += m->stored;
        p->dists[slot[d] - 1].files++;
        p->dists[slot[d] - 1].removable += removable;
        /* The cell's key: the distribution and input as bytes, then the directory. */
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
            p->cells[at].dist = d; /* an image index for now: the dists' order is below */
            p->cells[at].input = m->input;
            p->cells[at].dir = xstrndup(m->path, dir_len);
            strmap_put(&cells, key, key_len, (void *)(uintptr_t)(at + 1));
        }
        p->cells[at].bytes += m->size;
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
    free(slot);
}

/* zip -x patterns: a tree as its directory and "*" (zip's * crosses '/'), a file as its path. */
static void exclude_list(struct size_plan *p)
{
    for (size_t i = 0; i < p->items_nr; i++) {
        const struct size_item *it = &p->items[i];
        if (!kinds[it->kind].removable) {
            continue;
        }
        strvec_push_nodup(&p->exclude,
                          it->kind == SIZE_TESTS ? xasprintf("%s*", it->path) : xstrdup(it->path));
    }
}

void sizeplan_build(struct size_plan *out, const struct image *img, size_t view,
                    const char *runtime, const struct lambda_limits *limits)
{
    struct building b = {.p = out, .img = img};
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
    for (size_t i = 0; i < img->nr; i++) {
        if (image_view_of(img, &img->members[i]) == view) {
            b.members[b.nr++] = i;
            out->unzipped += img->members[i].size;
        }
        b.kind[i] = -1;
    }
    for (size_t i = 0; i < img->inputs_nr; i++) {
        if (img->inputs[i].view == view && img->inputs[i].zipped) {
            out->zipped += img->inputs[i].file_size;
        }
    }
    classify(&b, *tag ? tag : NULL);
    provided(&b, lambda_runtime_packages(limits, runtime));
    duplicates(&b); /* a copy that can go is not stripped as well */
    debug(&b);
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
    out->fits = out->after <= out->limit;
    strmap_release(&b.trees);
    free(b.members);
    free(b.kind);
}

char *sizeplan_summary(const struct size_plan *p)
{
    char *choices = NULL, *out;

    if (p->saving[SIZE_DUPLICATE] || p->saving[SIZE_PROVIDED]) {
        choices = xasprintf("; dropping the runtime's own packages (%llu bytes) and duplicate "
                            "libraries (%llu) would leave %llu",
                            (unsigned long long)p->saving[SIZE_PROVIDED],
                            (unsigned long long)p->saving[SIZE_DUPLICATE],
                            (unsigned long long)p->after_choices);
    }
    out = xasprintf(
        "size plan: %llu bytes can be left out (tests %llu, caches %llu, dist-info %llu, sources "
        "%llu) and strip saves %llu; then %llu bytes, %s%s",
        (unsigned long long)p->removable, (unsigned long long)p->saving[SIZE_TESTS],
        (unsigned long long)p->saving[SIZE_PYCACHE], (unsigned long long)p->saving[SIZE_DISTINFO],
        (unsigned long long)p->saving[SIZE_SOURCES], (unsigned long long)p->saving[SIZE_DEBUG],
        (unsigned long long)p->after, p->fits ? "within the limit" : "still over the limit",
        choices ? choices : "");
    free(choices);
    return out;
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
    strvec_release(&p->exclude);
    memset(p, 0, sizeof(*p));
}
