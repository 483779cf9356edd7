/* SPDX-License-Identifier: MIT */
/* ABI014 pyc-magic-mismatch: bytecode for another Python version. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "strmap.h"
#include "xalloc.h"

/* Magic numbers per version (doc/sources.md#extension-suffixes-and-bytecode; CPython
 * pycore_magic_number.h). From 3.11 on, 3.n starts at 2900 + 50n. */
static const struct {
    int lo, hi, major, minor;
} magics[] = {
    {62211, 62211, 2, 7}, {3310, 3310, 3, 4}, {3350, 3351, 3, 5}, {3360, 3379, 3, 6},
    {3390, 3394, 3, 7},   {3400, 3413, 3, 8}, {3420, 3425, 3, 9}, {3430, 3439, 3, 10},
};

static void magic_version(int magic, char *buf, size_t n)
{
    for (size_t i = 0; i < ARRAY_SIZE(magics); i++) {
        if (magic >= magics[i].lo && magic <= magics[i].hi) {
            snprintf(buf, n, "Python %d.%d", magics[i].major, magics[i].minor);
            return;
        }
    }
    if (magic >= 3450 && magic < 4000) {
        snprintf(buf, n, "Python 3.%d", (magic - 2900) / 50);
    } else {
        snprintf(buf, n, "an unknown Python (magic %d)", magic);
    }
}

static bool has_source(const struct image *img, const struct member *m)
{
    char *py = xstrndup(m->abs, strlen(m->abs) - 1); /* "x.pyc" -> "x.py" */
    bool found = image_lookup(img, image_view_of(img, m), py) != NULL;

    free(py);
    return found;
}

/* "pkg/mod.pyc" below its sys.path entry -> "pkg.mod", the name in Python's error. */
static char *module_name(const struct member *m)
{
    char *name = xstrdup(m->path + m->site_off);

    name[strlen(name) - 4] = '\0';
    for (char *c = name; *c; c++) {
        *c = *c == '/' ? '.' : *c;
    }
    return name;
}

/* The bytes as Python's repr() prints them in "bad magic number in 'x': b'\xa7\r\r\n'":
 * the escapes \t \n \r \\ \', printable ASCII as it is, \xNN for the rest. */
static void python_bytes_repr(const unsigned char *b, size_t n, char *out, size_t cap)
{
    size_t o = 0;

    o += (size_t)snprintf(out + o, cap - o, "b'");
    for (size_t i = 0; i < n && o < cap; i++) {
        const char *esc = b[i] == '\t'   ? "\\t"
                          : b[i] == '\n' ? "\\n"
                          : b[i] == '\r' ? "\\r"
                          : b[i] == '\\' ? "\\\\"
                          : b[i] == '\'' ? "\\'"
                                         : NULL;
        if (esc) {
            o += (size_t)snprintf(out + o, cap - o, "%s", esc);
        } else if (b[i] >= 0x20 && b[i] < 0x7f) {
            o += (size_t)snprintf(out + o, cap - o, "%c", b[i]);
        } else {
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", b[i]);
        }
    }
    if (o < cap) {
        snprintf(out + o, cap - o, "'");
    }
}

/* Another version's __pycache__ under one top-level directory: said once, with the count
 * and the bytes (PEP 3147: it is ignored; only the bundle's size and cold start pay). */
struct caches {
    const struct member *first;
    char *dir; /* "numpy" */
    size_t files;
    uint64_t bytes;
    struct strvec versions; /* "Python 3.9", ... */
};

static void sourceless(const struct check_ctx *ctx, const struct member *m, int magic,
                       const char *found, struct findings *out)
{
    const struct profile *p = ctx->profile;
    char bytes[64], want[32], *module;

    if (p->py_major == 3 && has_source(ctx->img, m)) {
        return; /* Python 3 ignores a legacy .pyc beside its source */
    }
    python_bytes_repr(m->head, 4, bytes, sizeof(bytes));
    snprintf(want, sizeof(want), "magic %ld", p->pyc_magic);
    module = module_name(m);
    struct tvar vars[] = {{"magic_bytes", bytes}, {"module", module}};
    check_report(ctx, out,
                 &(struct check_found){.m = m,
                                       .sev = ctx->rule->severity,
                                       .expected = want,
                                       .found = found,
                                       .vars = vars,
                                       .nvars = 2},
                 "sourceless bytecode of %s (magic %d); %s expects magic %ld", found, magic,
                 p->runtime, p->pyc_magic);
    free(module);
}

static void add_cache(struct caches **v, size_t *nr, size_t *alloc, struct strmap *by_dir,
                      const struct member *m, const char *found)
{
    /* One note per package: the first directory below the sys.path entry that holds it
     * (python/rapidfuzz/ in a layer, not python/: its distribution is then the right one). */
    size_t n = m->site_off + strcspn(m->path + m->site_off, "/");
    char *key = xasprintf("%zu:%.*s", m->input, (int)n, m->path);
    size_t at = (size_t)strmap_get(by_dir, key, strlen(key));
    struct caches *c;

    if (!at) {
        ALLOC_GROW(*v, *nr + 1, *alloc);
        (*v)[*nr] = (struct caches){m, xstrndup(m->path, n), 0, 0, STRVEC_INIT};
        at = ++*nr;
        strmap_put(by_dir, key, strlen(key), (void *)at);
    }
    free(key);
    c = &(*v)[at - 1];
    c->files++;
    c->bytes += m->size;
    if (!strvec_contains(&c->versions, found)) {
        strvec_push(&c->versions, found);
    }
}

static void report_caches(const struct check_ctx *ctx, struct caches *c, struct findings *out)
{
    struct member where = *c->first;
    char tag[32], *versions, *path = xasprintf("%s/", c->dir);

    snprintf(tag, sizeof(tag), "cpython-%d%d", ctx->profile->py_major, ctx->profile->py_minor);
    strvec_sort(&c->versions);
    versions = strvec_join(&c->versions, ", ");
    where.path = path;
    struct tvar vars[] = {{"lambda_error", NULL}};
    check_report(ctx, out,
                 &(struct check_found){.m = &where,
                                       .sev = SEV_NOTE,
                                       .expected = tag,
                                       .found = versions,
                                       .vars = vars,
                                       .nvars = 1},
                 "%zu bytecode cache file%s of %s (%llu bytes) under %s, which %s ignores: they "
                 "only add to the bundle",
                 c->files, c->files == 1 ? "" : "s", versions, (unsigned long long)c->bytes, path,
                 ctx->profile->runtime);
    free(versions);
    free(path);
}

void check_pyc_magic_mismatch(const struct check_ctx *ctx, struct findings *out)
{
    const struct profile *p = ctx->profile;
    struct caches *caches = NULL;
    size_t nr = 0, alloc = 0;
    struct strmap by_dir = {0};
    char tag[32];

    snprintf(tag, sizeof(tag), ".cpython-%d%d.", p->py_major, p->py_minor);
    for (size_t i = 0; i < ctx->img->nr; i++) {
        const struct member *m = &ctx->img->members[i];
        size_t n = strlen(m->path);
        char found[64];
        int magic;
        if (m->role != ROLE_PYC || m->head_len < 4 || n < 5 || strcmp(m->path + n - 4, ".pyc")) {
            continue;
        }
        magic = m->head[0] | m->head[1] << 8;
        if (magic == p->pyc_magic || m->head[2] != '\r' || m->head[3] != '\n') {
            continue;
        }
        magic_version(magic, found, sizeof(found));
        if (!strstr(m->path, "__pycache__/")) {
            sourceless(ctx, m, magic, found, out);
        } else if (!strstr(m->path, tag)) {
            add_cache(&caches, &nr, &alloc, &by_dir, m, found);
        }
    }
    for (size_t i = 0; i < nr; i++) {
        report_caches(ctx, &caches[i], out);
        free(caches[i].dir);
        strvec_release(&caches[i].versions);
    }
    free(caches);
    strmap_release(&by_dir);
}
