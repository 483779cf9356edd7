/* SPDX-License-Identifier: MIT */
/* How Python imports each extension module (imports.h), over the image's paths. */
#include "imports.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfnames.h"
#include "path.h"
#include "strmap.h"
#include "xalloc.h"

struct imports {
    const struct image *img;
    const struct profile *p;
    struct import_info *info; /* per member */
};

static const struct import_info not_module = {IMPORT_NOT_MODULE, FALLBACK_NONE, NULL};

/* "view:/var/task/pkg/name": one file of one function's filesystem. */
static char *key_of(const struct image *img, const struct member *m, const char *dir_end,
                    const char *name)
{
    size_t dir = path_dir_len(m->abs);

    return xasprintf("%zu:%.*s/%s%s", image_view_of(img, m), (int)dir, m->abs, name,
                     dir_end ? dir_end : "");
}

static int suffix_rank(const struct profile *p, const struct member *m)
{
    for (size_t i = 0; i < p->ext_suffixes.nr; i++) {
        if (!strcmp(p->ext_suffixes.v[i], m->ext.suffix)) {
            return (int)i;
        }
    }
    return -1;
}

static bool is_module(const struct profile *p, const struct member *m)
{
    return m->role == ROLE_EXTENSION && !m->overwritten_by &&
           image_on_sys_path(m, p->py_major, p->py_minor);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n > k && !strcmp(s + n - k, suffix);
}

/* Which build of each module Python opens: the package directory first, then the first
 * suffix of the runtime's list that has a file. */
static void decide_fates(struct imports *im, struct strmap *files)
{
    const struct image *img = im->img;
    struct strmap best = {0}; /* view:dir/module -> index of the opened build + 1 */

    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        char *key;
        int rank;
        if (!is_module(im->p, m) || (rank = suffix_rank(im->p, m)) < 0) {
            continue;
        }
        key = key_of(img, m, NULL, m->ext.module);
        {
            size_t at = (size_t)strmap_get(&best, key, strlen(key));
            if (!at || rank < suffix_rank(im->p, &img->members[at - 1])) {
                strmap_put(&best, key, strlen(key), (void *)(i + 1));
            }
        }
        free(key);
    }
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        struct import_info *info = &im->info[i];
        char *key, *pkg;
        size_t at;
        if (!is_module(im->p, m)) {
            continue;
        }
        key = key_of(img, m, NULL, m->ext.module);
        pkg = key_of(img, m, "/__init__.py", m->ext.module);
        at = (size_t)strmap_get(&best, key, strlen(key));
        if (strmap_has(files, pkg, strlen(pkg))) {
            info->fate = IMPORT_SHADOWED; /* the package directory wins */
            info->by = strmap_get(files, pkg, strlen(pkg));
        } else if (at == i + 1) {
            info->fate = IMPORT_OPENED;
        } else if (at) {
            info->fate = IMPORT_SHADOWED;
            info->by = &img->members[at - 1];
        } else {
            info->fate = IMPORT_SKIPPED;
        }
        free(pkg);
        free(key);
    }
    strmap_release(&best);
}

/* The Python twin of a compiled module: B_py.py for B_cpp, B_c, B_cy or B_ext, and for their
 * variants (rapidfuzz's fuzz_cpp_avx2 and process_cpp_impl fall back to fuzz_py, process_py). */
static const struct member *twin_of(const struct image *img, const struct member *m,
                                    const struct strmap *files)
{
    static const char *const compiled[] = {"_cpp", "_cy", "_ext", "_c"};
    const char *name = m->ext.module;
    const struct member *t = NULL;

    for (size_t k = 0; k < ARRAY_SIZE(compiled) && !t; k++) {
        size_t n = strlen(compiled[k]);
        for (const char *at = strstr(name, compiled[k]); at && !t;
             at = strstr(at + 1, compiled[k])) {
            if (at > name && (at[n] == '\0' || at[n] == '_')) {
                char *base = xstrndup(name, (size_t)(at - name));
                char *key = key_of(img, m, "_py.py", base);
                t = strmap_get(files, key, strlen(key));
                free(key);
                free(base);
            }
        }
    }
    return t;
}

static void decide_fallbacks(struct imports *im, const struct strmap *files,
                             const struct strmap *guards)
{
    const struct image *img = im->img;

    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        struct import_info *info = &im->info[i];
        const struct member *by = NULL;
        char *key;
        if (info->fate != IMPORT_OPENED && info->fate != IMPORT_SKIPPED) {
            continue;
        }
        if (info->fate == IMPORT_SKIPPED) {
            key = key_of(img, m, ".py", m->ext.module);
            if (!(by = strmap_get(files, key, strlen(key)))) {
                /* Sourceless bytecode imports only with the runtime's own magic. */
                free(key);
                key = key_of(img, m, ".pyc", m->ext.module);
                by = strmap_get(files, key, strlen(key));
                if (by &&
                    (by->head_len < 4 || (by->head[0] | by->head[1] << 8) != im->p->pyc_magic)) {
                    by = NULL;
                }
            }
            free(key);
            if (by) {
                *info = (struct import_info){info->fate, FALLBACK_SOURCE, by};
                continue;
            }
        }
        key = key_of(img, m, NULL, m->ext.module);
        if ((by = strmap_get(guards, key, strlen(key))) != NULL) {
            *info = (struct import_info){info->fate, FALLBACK_GUARD, by};
        } else if ((by = twin_of(img, m, files)) != NULL) {
            *info = (struct import_info){info->fate, FALLBACK_TWIN, by};
        }
        free(key);
    }
}

/* A mypyc helper (X__mypyc) is imported only by the compiled modules of its distribution
 * (or directory): when each of those is skipped for its .py, so is the helper. */
static void decide_helpers(struct imports *im)
{
    const struct image *img = im->img;

    for (size_t i = 0; i < img->nr; i++) {
        const struct member *h = &img->members[i];
        struct import_info *info = &im->info[i];
        const struct member *by = NULL;
        bool all = true;
        if (info->fate != IMPORT_SKIPPED || info->fallback ||
            !ends_with(h->ext.module, "__mypyc")) {
            continue;
        }
        for (size_t j = 0; j < img->nr && all; j++) {
            const struct member *m = &img->members[j];
            bool kin = h->dist ? m->dist == h->dist
                               : image_view_of(img, m) == image_view_of(img, h) &&
                                     path_dir_len(m->abs) == path_dir_len(h->abs) &&
                                     !strncmp(m->abs, h->abs, path_dir_len(h->abs));
            if (j == i || !kin || im->info[j].fate != IMPORT_SKIPPED ||
                ends_with(m->ext.module, "__mypyc")) {
                continue;
            }
            all = im->info[j].fallback == FALLBACK_SOURCE;
            by = by ? by : im->info[j].by;
        }
        if (all && by) {
            *info = (struct import_info){IMPORT_SKIPPED, FALLBACK_HELPER, by};
        }
    }
}

struct imports *imports_new(const struct image *img, const struct profile *p)
{
    struct imports *im = xcalloc(1, sizeof(*im));
    struct strmap files = {0}, guards = {0};

    im->img = img;
    im->p = p;
    im->info = xcalloc(img->nr + 1, sizeof(*im->info));
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        char *key;
        if (m->overwritten_by) {
            continue; /* a later layer's file stands at its path */
        }
        key = xasprintf("%zu:%s", image_view_of(img, m), m->abs);
        strmap_put(&files, key, strlen(key), (void *)m);
        free(key);
        for (size_t k = 0; k < m->guards.nr; k++) {
            key = key_of(img, m, NULL, m->guards.v[k]);
            if (!strmap_has(&guards, key, strlen(key))) {
                strmap_put(&guards, key, strlen(key), (void *)m);
            }
            free(key);
        }
    }
    /* A module some source beside it imports without a guard is not caught, however many
     * guard it elsewhere: that import fails. */
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        for (size_t k = 0; !m->overwritten_by && k < m->unguarded.nr; k++) {
            char *key = key_of(img, m, NULL, m->unguarded.v[k]);
            if (strmap_has(&guards, key, strlen(key))) {
                strmap_put(&guards, key, strlen(key), NULL);
            }
            free(key);
        }
    }
    decide_fates(im, &files);
    decide_fallbacks(im, &files, &guards);
    decide_helpers(im);
    strmap_release(&guards);
    strmap_release(&files);
    return im;
}

void imports_free(struct imports *im)
{
    if (im) {
        free(im->info);
        free(im);
    }
}

const struct import_info *imports_of(const struct imports *im, const struct member *m)
{
    if (!im || m < im->img->members || m >= im->img->members + im->img->nr) {
        return &not_module;
    }
    return &im->info[m - im->img->members];
}

bool imports_caught(const struct imports *im, const struct member *m)
{
    const struct import_info *info = imports_of(im, m);

    switch (info->fallback) {
    case FALLBACK_GUARD:
    case FALLBACK_TWIN:
        return info->fate == IMPORT_OPENED || info->fate == IMPORT_SKIPPED;
    case FALLBACK_SOURCE:
    case FALLBACK_HELPER:
        return info->fate == IMPORT_SKIPPED;
    case FALLBACK_NONE:
        break;
    }
    return false;
}

bool imports_content_is_cause(const struct profile *p, const struct member *m)
{
    const struct elfinfo *e = m->elf;

    if (!e || !e->header_ok) {
        return false;
    }
    /* The causes in order: the machine, class and byte order first (no name loads the file
     * on this machine), then the C library, then the CPython tag. */
    if (e->machine != p->elf_machine ||
        e->elfclass != (p->elf_class == 32 ? ELFCLASS32 : ELFCLASS64) || e->data != p->elf_data) {
        return true; /* arch-mismatch */
    }
    return m->ext.platform && strstr(m->ext.platform, "-linux-musl") != NULL; /* musl-linked */
}

const char *imports_fallback_words(const struct import_info *info, char *buf, size_t n)
{
    const char *base = info->by ? path_base(info->by->path) : "";

    switch (info->fallback) {
    case FALLBACK_SOURCE:
        snprintf(buf, n, "Python imports %s instead", base);
        break;
    case FALLBACK_GUARD:
        snprintf(buf, n, "%s catches the ImportError and goes on without it", base);
        break;
    case FALLBACK_TWIN:
        snprintf(buf, n, "the package falls back to its pure-Python twin %s", base);
        break;
    case FALLBACK_HELPER:
        snprintf(buf, n,
                 "only the package's compiled modules import it, and Python uses their "
                 "sources (%s) instead",
                 base);
        break;
    case FALLBACK_NONE:
        snprintf(buf, n, "nothing takes its place");
        break;
    }
    return buf;
}
