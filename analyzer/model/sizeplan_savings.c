/* SPDX-License-Identifier: MIT */
/*
 * The size plan's savings (sizeplan_int.h): which members can go, and why. Each pass marks
 * the members it takes, so that nothing is counted twice: the removable kinds first, then
 * the runtime's own packages, the vendored copies, and what strip would take out of the
 * rest.
 */
#include <ctype.h>
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "sizeplan_int.h"
#include "xalloc.h"

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

/* Sources and headers nothing reads at run time: C and C++, Cython, Fortran (and f2py's
 * signatures), CUDA, assembly. */
static const char *const source_ext[] = {
    ".c",   ".cc",  ".cpp", ".cxx", ".c++", ".h",   ".hh",  ".hpp", ".hxx", ".h++",
    ".pyx", ".pxd", ".pxi", ".f",   ".for", ".f77", ".f90", ".f95", ".f03", ".f08",
    ".F",   ".F90", ".pyf", ".cu",  ".cuh", ".s",   ".S",   ".asm", NULL,
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

/* m into the item of its tree (path[0..tree) of its input), made the first time. */
static void add_to_tree(struct building *b, enum size_kind k, const struct member *m, size_t tree,
                        char *detail)
{
    size_t len = sizeof(m->input) + 1 + tree;
    char *key = xmalloc(len);
    void *at;

    /* The key: the input as bytes, the kind, then the tree (the same tree in two inputs is
     * two items: each zip is rebuilt on its own). */
    memcpy(key, &m->input, sizeof(m->input));
    key[sizeof(m->input)] = (char)('a' + k);
    memcpy(key + sizeof(m->input) + 1, m->path, tree);
    if ((at = strmap_get(&b->trees, key, len)) != NULL) {
        struct size_item *it = &b->p->items[(size_t)(uintptr_t)at - 1];
        it->bytes += m->size;
        it->files++;
        free(detail);
    } else {
        add_item(b->p, k, m->input, xstrndup(m->path, tree), m->size, detail);
        strmap_put(&b->trees, key, len, (void *)(uintptr_t)b->p->items_nr);
    }
    free(key);
}

/* The top-level name m is imported by: "numpy" for numpy/..., "six" for six.py or an
 * extension module six.cpython-312-x86_64-linux-gnu.so; NULL for what no import names
 * (metadata, caches, numpy.libs/, a README). *len receives the length in m->path of the
 * tree or file it stands for. Caller frees. */
static char *top_name(const struct member *m, size_t *len)
{
    static const char *const module_ext[] = {".py", ".pyc", ".so", NULL};
    const char *rel = m->path + m->site_off;
    size_t n = strcspn(rel, "/"), dot = strcspn(rel, ".");

    if (!m->on_site || m->role == ROLE_DISTINFO || !strncmp(rel, "__pycache__", 11)) {
        return NULL;
    }
    *len = (size_t)(rel - m->path) + n + (rel[n] == '/');
    if (rel[n] == '/') {
        for (size_t k = 0; k < n; k++) {
            char c = rel[k];
            if (!(c == '_' || isalpha((unsigned char)c) || (k && isdigit((unsigned char)c)))) {
                return NULL; /* pkg.libs/, a .data: no import names it */
            }
        }
        return xstrndup(rel, n);
    }
    for (size_t e = 0; module_ext[e]; e++) {
        if (dot && ends_with(rel, module_ext[e])) {
            return xstrndup(rel, dot);
        }
    }
    return NULL;
}

/* A distribution's top-level names: top_level.txt, else its name as a module is named. */
static bool all_tops_in(const struct distribution *d, const struct strmap *tops)
{
    char *own;
    bool in;

    for (size_t j = 0; j < d->top_level.nr; j++) {
        if (!strmap_has(tops, d->top_level.v[j], strlen(d->top_level.v[j]))) {
            return false;
        }
    }
    if (d->top_level.nr) {
        return true;
    }
    own = xstrdup(d->name);
    for (char *c = own; *c; c++) {
        *c = *c == '-' || *c == '.' ? '_' : (char)tolower((unsigned char)*c);
    }
    in = strmap_has(tops, own, strlen(own));
    free(own);
    return in;
}

static void shadow(struct building *b, const struct member *m, size_t tree, char *detail)
{
    b->kind[m - b->img->members] = SIZE_SHADOWED;
    if (tree < strlen(m->path)) {
        b->tree[m - b->img->members] = tree; /* a tree: its directories go with it */
    }
    b->p->saving[SIZE_SHADOWED] += m->size;
    b->p->count[SIZE_SHADOWED]++;
    add_to_tree(b, SIZE_SHADOWED, m, tree, detail);
}

void sizeplan_shadowed(struct building *b)
{
    const struct image *img = b->img;
    const size_t head = b->p->view;
    const bool function = img->inputs[head].role == INPUT_FUNCTION;
    struct strmap tops = {0};
    signed char *dist = xcalloc(img->dists_nr + 1, sizeof(*dist)); /* 0 unknown, 1 shadowed, -1 */

    /* What the function's own sys.path entry (/var/task, first) has: imported from there. */
    for (size_t i = 0; function && i < b->nr; i++) {
        const struct member *m = &img->members[b->members[i]];
        size_t len;
        char *name = m->input == head ? top_name(m, &len) : NULL;
        if (name && !strmap_has(&tops, name, strlen(name))) {
            strmap_put(&tops, name, strlen(name), NULL);
        }
        free(name);
    }
    for (size_t i = 0; i < b->nr; i++) {
        const struct member *m = &img->members[b->members[i]];
        const struct distribution *d = m->dist;
        size_t len = 0, k = d ? (size_t)(d - img->dists) : 0;
        char *name;
        if (m->input == head || m->raw_path || img->inputs[m->input].role != INPUT_LAYER) {
            continue;
        }
        if (m->overwritten_by) {
            /* Lambda extracts the layers in order into one /opt: this file is not there. */
            shadow(b, m, strlen(m->path),
                   xasprintf("%s's file is extracted over it",
                             img->inputs[m->overwritten_by->input].name));
            continue;
        }
        if (d && !dist[k]) {
            dist[k] = function && all_tops_in(d, &tops) ? 1 : -1;
        }
        name = d ? NULL : top_name(m, &len);
        if (d ? dist[k] > 0 : name && strmap_has(&tops, name, strlen(name))) {
            /* The whole copy, by tree: numpy/, numpy.libs/, numpy-1.24.2.dist-info/ (a file
             * its RECORD puts outside its root, as it is). */
            size_t root = d ? strlen(d->root) : m->site_off, n;
            const char *rel = m->path + root + (d && root ? 1 : 0);
            if (d && root && (strncmp(m->path, d->root, root) || m->path[root] != '/')) {
                rel = m->path + strlen(m->path);
            }
            n = strcspn(rel, "/");
            shadow(b, m, (size_t)(rel - m->path) + n + (rel[n] == '/'),
                   d ? xasprintf("%s%s%s: the function's copy comes first on sys.path", d->name,
                                 d->version ? " " : "", d->version ? d->version : "")
                     : xstrdup("the function's copy comes first on sys.path"));
        }
        free(name);
    }
    strmap_release(&tops);
    free(dist);
}

/* Each member's removable kind: the first that applies, so nothing is counted twice. */
void sizeplan_classify(struct building *b, const char *tag)
{
    for (size_t i = 0; i < b->nr; i++) {
        const struct member *m = &b->img->members[b->members[i]];
        const char *rel = m->on_site ? m->path + m->site_off : m->path;
        const char *base = base_of(m->path);
        bool info =
            dir_component_ends(m->path, ".dist-info") || dir_component_ends(m->path, ".egg-info");
        size_t tree = m->on_site && !info ? tests_tree(m->path, rel) : 0;
        int k = -1;

        if (m->raw_path || m->link_target || b->kind[b->members[i]] >= 0) {
            continue; /* a name zip -x cannot be given as it is, a link: left alone; a copy
                       * that goes whole already */
        }
        if (tree) {
            k = SIZE_TESTS;
            b->tree[b->members[i]] = tree;
        } else if (unread_pyc(m->path, tag)) {
            k = SIZE_PYCACHE;
        } else if (info && in_list(base, unread_info)) {
            k = SIZE_DISTINFO;
        } else if (!info && ends_with(base, ".pyi") && base[0] != '.') {
            k = SIZE_STUBS;
        } else if (!info &&
                   ((ends_with(base, ".a") && base[0] != '.' && m->content != CONTENT_ELF) ||
                    (m->elf && m->elf->type == ET_REL))) {
            k = SIZE_STATIC; /* an ar archive, or an ELF relocatable object */
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
            add_to_tree(b, SIZE_TESTS, m, tree, NULL);
        } else {
            add_item(b->p, (enum size_kind)k, m->input, xstrdup(m->path), m->size, NULL);
        }
    }
}

/* Distributions the runtime provides: all of their files that are still there. One pass
 * over the members, each distribution judged once (a hostile bundle may hold many). */
void sizeplan_provided(struct building *b, const struct strvec *names)
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
void sizeplan_debug(struct building *b)
{
    for (size_t i = 0; i < b->nr; i++) {
        const struct member *m = &b->img->members[b->members[i]];
        uint64_t bytes;
        if (!m->elf || b->kind[b->members[i]] >= 0 || m->raw_path ||
            (m->elf->machine != EM_X86_64 && m->elf->machine != EM_386 &&
             m->elf->machine != EM_AARCH64)) {
            continue; /* another machine's file: no strip of Lambda's machines takes it */
        }
        bytes = m->elf->strip_saves;
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
void sizeplan_duplicates(struct building *b)
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
