/* SPDX-License-Identifier: MIT */
/* ABI014 pyc-magic-mismatch: bytecode for another Python version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xalloc.h"

/* Magic numbers per version (lambda-facts.md §1.3; CPython pycore_magic_number.h).
 * From 3.11 on, 3.n starts at 2900 + 50n. */
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

void check_pyc(const struct check_ctx *ctx, const struct member *m, struct findings *out)
{
    const struct profile *p = ctx->profile;
    size_t n = strlen(m->path);
    char tag[32], found[64], bytes[40], want[32], *module;
    int magic;

    if (m->role != ROLE_PYC || m->head_len < 4 || n < 5 || strcmp(m->path + n - 4, ".pyc")) {
        return;
    }
    magic = m->head[0] | m->head[1] << 8;
    if (magic == p->pyc_magic || m->head[2] != '\r' || m->head[3] != '\n') {
        return;
    }
    magic_version(magic, found, sizeof(found));
    snprintf(tag, sizeof(tag), ".cpython-%d%d.", p->py_major, p->py_minor);
    if (strstr(m->path, "__pycache__/")) {
        /* PEP 3147: another version's cache is ignored; only cold start pays. */
        if (!strstr(m->path, tag)) {
            check_report(ctx, out, m, SEV_NOTE, tag + 1, found, NULL, 0,
                         "bytecode cache of %s, ignored by %s: it only adds to the bundle", found,
                         p->runtime);
        }
        return;
    }
    if (p->py_major == 3 && has_source(ctx->img, m)) {
        return; /* Python 3 ignores a legacy .pyc beside its source */
    }
    snprintf(bytes, sizeof(bytes), "b'\\x%02x\\x%02x\\r\\n'", m->head[0], m->head[1]);
    snprintf(want, sizeof(want), "magic %ld", p->pyc_magic);
    module = module_name(m);
    struct tvar vars[] = {{"magic_bytes", bytes}, {"module", module}};
    check_report(ctx, out, m, ctx->rule->severity, want, found, vars, 2,
                 "sourceless bytecode of %s (magic %d); %s expects magic %ld", found, magic,
                 p->runtime, p->pyc_magic);
    free(module);
}
