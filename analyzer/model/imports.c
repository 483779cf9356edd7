/* SPDX-License-Identifier: MIT */
/* How Python imports each extension module (imports.h), over the image's paths; which addons
 * Node.js opens (addons.h). */
#include "imports.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addons.h"
#include "elfnames.h"
#include "path.h"
#include "strmap.h"
#include "xalloc.h"

struct imports {
    const struct image *img;
    const struct profile *p;
    struct import_info *info; /* per member */
    enum addon_fate *addons;  /* per member, on a Node.js runtime (addons.h); else NULL */
};

static const struct import_info not_module = {IMPORT_NOT_MODULE, FALLBACK_NONE, NULL, NULL};

/* "view:" a[0..alen) b c d (each of b, c, d may be NULL): a key of the maps below, built
 * without printf (a scan builds one per file and per import). */
static char *view_key(size_t view, const char *a, size_t alen, const char *b, const char *c,
                      const char *d)
{
    const char *more[] = {b, c, d};
    size_t lens[3], total = alen + 2, n = 0;
    char num[24], *out, *q;

    do {
        num[n++] = (char)('0' + view % 10);
        view /= 10;
    } while (view);
    for (size_t i = 0; i < 3; i++) {
        lens[i] = more[i] ? strlen(more[i]) : 0;
        total += lens[i];
    }
    q = out = xmalloc(total + n);
    while (n) {
        *q++ = num[--n];
    }
    *q++ = ':';
    memcpy(q, a, alen);
    q += alen;
    for (size_t i = 0; i < 3; i++) {
        memcpy(q, more[i] ? more[i] : "", lens[i]);
        q += lens[i];
    }
    *q = '\0';
    return out;
}

/* "view:/var/task/pkg/name": one file of one function's filesystem. */
static char *key_of(const struct image *img, const struct member *m, const char *dir_end,
                    const char *name)
{
    size_t dir = path_dir_len(m->abs);

    return view_key(image_view_of(img, m), m->abs, dir, "/", name, dir_end);
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

/* Who imports each module, and how: the chains a failed import travels up until a guard
 * catches it. */
struct edge {
    const struct member *from; /* the source that imports it */
    bool guarded;
    struct edge *next;
};

struct verdict {
    int state; /* 0 deciding, 1 caught, 2 not */
    const struct member *by, *via;
};

struct chains {
    const struct image *img;
    struct strmap edges; /* view:dir/module -> struct edge list */
    struct strmap seen;  /* view:dir/module -> struct verdict */
    struct edge *pool;
    size_t nr;
};

#define MAX_CHAIN 32

/* The module a source file is: view:dir/stem, or view:parent/pkg for pkg/__init__.py. */
static char *module_key(const struct image *img, const struct member *s)
{
    size_t len =
        strcmp(path_base(s->abs), "__init__.py") != 0 ? strlen(s->abs) - 3 : path_dir_len(s->abs);

    return view_key(image_view_of(img, s), s->abs, len, NULL, NULL, NULL);
}

static void chains_add(struct chains *c, const struct member *s, const struct strvec *names,
                       bool guarded)
{
    for (size_t k = 0; k < names->nr; k++) {
        char *key = key_of(c->img, s, NULL, names->v[k]);
        struct edge *e = &c->pool[c->nr++];
        *e = (struct edge){s, guarded, strmap_get(&c->edges, key, strlen(key))};
        strmap_put(&c->edges, key, strlen(key), e);
        free(key);
    }
}

static void chains_init(struct chains *c, const struct image *img)
{
    size_t n = 0;

    *c = (struct chains){.img = img};
    for (size_t i = 0; i < img->nr; i++) {
        n += img->members[i].guards.nr + img->members[i].unguarded.nr;
    }
    c->pool = xcalloc(n + 1, sizeof(*c->pool));
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        if (!m->overwritten_by) { /* else a later layer's file stands at its path */
            chains_add(c, m, &m->guards, true);
            chains_add(c, m, &m->unguarded, false);
        }
    }
}

static void chains_release(struct chains *c)
{
    for (size_t i = 0; i < c->seen.cap; i++) {
        free(c->seen.slots[i].key ? c->seen.slots[i].value : NULL);
    }
    strmap_release(&c->seen);
    strmap_release(&c->edges);
    free(c->pool);
}

/* The verdict on the module at key: caught when it has importers and each of its imports
 * is guarded, or made by a module whose own failure is caught (PyYAML's cyaml.py imports
 * _yaml plainly; __init__.py imports cyaml under a guard). A module nobody imports, or an
 * import cycle, is not caught. */
static const struct verdict *decide(struct chains *c, const char *key, unsigned depth)
{
    static const struct verdict not_caught = {2, NULL, NULL};
    struct verdict *v = strmap_get(&c->seen, key, strlen(key)), got = {1, NULL, NULL};
    const struct edge *e = strmap_get(&c->edges, key, strlen(key));

    if (v) {
        return v->state ? v : &not_caught; /* deciding: a cycle */
    }
    if (!e || depth > MAX_CHAIN) {
        return &not_caught;
    }
    v = xcalloc(1, sizeof(*v));
    strmap_put(&c->seen, key, strlen(key), v);
    for (; e && got.state == 1; e = e->next) {
        const struct verdict *up = NULL;
        if (!e->guarded) {
            char *from = module_key(c->img, e->from);
            up = decide(c, from, depth + 1);
            free(from);
        }
        if (up && up->state != 1) {
            got = not_caught;
        } else if (!got.by) {
            got.by = up ? up->by : e->from;
            got.via = up ? e->from : NULL;
        }
    }
    *v = got;
    return v;
}

static void decide_fallbacks(struct imports *im, const struct strmap *files, struct chains *chains)
{
    const struct image *img = im->img;

    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        struct import_info *info = &im->info[i];
        const struct member *by = NULL;
        const struct verdict *v;
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
                *info = (struct import_info){info->fate, FALLBACK_SOURCE, by, NULL};
                continue;
            }
        }
        key = key_of(img, m, NULL, m->ext.module);
        if ((v = decide(chains, key, 0))->state == 1) {
            *info = (struct import_info){info->fate, FALLBACK_GUARD, v->by, v->via};
        } else if ((by = twin_of(img, m, files)) != NULL) {
            *info = (struct import_info){info->fate, FALLBACK_TWIN, by, NULL};
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
            *info = (struct import_info){IMPORT_SKIPPED, FALLBACK_HELPER, by, NULL};
        }
    }
}

struct imports *imports_new(const struct image *img, const struct profile *p)
{
    struct imports *im = xcalloc(1, sizeof(*im));
    struct strmap files = {0};
    struct chains chains;

    im->img = img;
    im->p = p;
    im->info = xcalloc(img->nr + 1, sizeof(*im->info));
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        char *key;
        if (m->overwritten_by) {
            continue; /* a later layer's file stands at its path */
        }
        key = view_key(image_view_of(img, m), m->abs, strlen(m->abs), NULL, NULL, NULL);
        strmap_put(&files, key, strlen(key), (void *)m);
        free(key);
    }
    chains_init(&chains, img);
    decide_fates(im, &files);
    decide_fallbacks(im, &files, &chains);
    decide_helpers(im);
    chains_release(&chains);
    strmap_release(&files);
    if (profile_node(p)) { /* the addons Node.js opens, the others never (addons.h) */
        im->addons = xcalloc(img->nr + 1, sizeof(*im->addons));
        addons_decide(img, p, im->addons);
        for (size_t i = 0; i < img->nr; i++) {
            if (img->members[i].role == ROLE_ADDON || im->addons[i] == ADDON_FOREIGN) {
                im->info[i].fate = im->addons[i] == ADDON_OPENED ? IMPORT_OPENED : IMPORT_SKIPPED;
            }
        }
    }
    return im;
}

void imports_free(struct imports *im)
{
    if (im) {
        free(im->info);
        free(im->addons);
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

/* A source file as a message names it: its name, pkg/__init__.py for a package. */
static const char *source_name(const struct member *s, char *buf, size_t n)
{
    const char *base = path_base(s->path);
    size_t dir = path_dir_len(s->path), up = dir;

    while (up && s->path[up - 1] != '/') {
        up--;
    }
    if (strcmp(base, "__init__.py") != 0 || !dir) {
        return base;
    }
    snprintf(buf, n, "%s", s->path + up);
    return buf;
}

const char *imports_fallback_words(const struct import_info *info, char *buf, size_t n)
{
    char by[128], via[128];
    const char *base = info->by ? source_name(info->by, by, sizeof(by)) : "";

    switch (info->fallback) {
    case FALLBACK_SOURCE:
        snprintf(buf, n, "Python imports %s instead", base);
        break;
    case FALLBACK_GUARD:
        if (info->via) {
            snprintf(buf, n, "%s imports it, and %s catches the ImportError and goes on without it",
                     source_name(info->via, via, sizeof(via)), base);
        } else {
            snprintf(buf, n, "%s catches the ImportError and goes on without it", base);
        }
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

bool imports_unloaded(const struct imports *im, const struct member *m)
{
    if (!im || !im->addons || m < im->img->members || m >= im->img->members + im->img->nr) {
        return false;
    }
    enum addon_fate f = im->addons[m - im->img->members];
    return f == ADDON_UNOPENED || f == ADDON_FOREIGN;
}
