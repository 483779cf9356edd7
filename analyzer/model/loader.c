/* SPDX-License-Identifier: MIT */
/* The loads a function makes, modelled on ld.so (loader.h), over the image and the OS data. */
#include "loader.h"

#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "strmap.h"
#include "xalloc.h"

bool loader_musl_soname(const char *soname)
{
    return !strncmp(soname, "libc.musl-", 10) || !strcmp(soname, "libc.so");
}

bool loader_loadable(const struct profile *p, const struct member *obj)
{
    const struct elfinfo *e = obj->elf;

    return e && e->header_ok && e->type != ET_REL && e->type != ET_CORE &&
           e->machine == p->elf_machine && e->data == p->elf_data &&
           e->elfclass == (p->elf_class == 32 ? ELFCLASS32 : ELFCLASS64);
}

bool loader_is_root(const struct profile *p, const struct imports *im, const struct member *obj)
{
    /* A module is a root when Python opens it: a file under another version's tag, or one
     * a sibling build shadows, is never loaded, and nor is what only it would load. */
    if (!loader_loadable(p, obj) || obj->overwritten_by) {
        return false;
    }
    if (obj->role == ROLE_EXTENSION || obj->role == ROLE_ADDON) {
        return imports_of(im, obj)->fate == IMPORT_OPENED; /* an addon Node.js loads, too */
    }
    return obj->role == ROLE_EXECUTABLE;
}

/* A module Python never opens: what it needs is not loaded on its account. */
static bool dead_root(const struct profile *p, const struct imports *im, const struct member *obj)
{
    enum import_fate fate = imports_of(im, obj)->fate;

    return loader_loadable(p, obj) && (fate == IMPORT_SKIPPED || fate == IMPORT_SHADOWED);
}

/* dir with $ORIGIN / ${ORIGIN} replaced by the directory holding owner (ld.so(8)). */
static char *expand(const char *dir, size_t len, const struct member *owner)
{
    size_t origin = path_dir_len(owner->abs);
    struct strvec parts = STRVEC_INIT;
    char *out;

    for (size_t i = 0; i < len;) {
        size_t n = !strncmp(dir + i, "${ORIGIN}", 9) ? 9 : !strncmp(dir + i, "$ORIGIN", 7) ? 7 : 0;
        if (n) {
            strvec_push_nodup(&parts, xstrndup(owner->abs, origin));
            i += n;
            continue;
        }
        n = strcspn(dir + i, "$");
        n = n ? (n < len - i ? n : len - i) : 1;
        strvec_push_nodup(&parts, xstrndup(dir + i, n));
        i += n;
    }
    out = strvec_join(&parts, "");
    strvec_release(&parts);
    return out;
}

/* Look soname up in each directory of a ':'-separated list, $ORIGIN being owner's. */
static const struct member *search(const struct image *img, size_t view, const char *list,
                                   const struct member *owner, const char *soname)
{
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ":");
        char *dir = expand(p, len, owner);
        const struct member *m = NULL;
        if (dir[0] == '/') { /* a relative entry is relative to the cwd: never a bundle path */
            char *path = xasprintf("%s/%s", dir, soname);
            m = image_lookup(img, view, path);
            free(path);
        }
        free(dir);
        if (m) {
            return m;
        }
        p += len + (p[len] == ':');
    }
    return NULL;
}

static bool bundle_dir(const char *dir)
{
    return !strncmp(dir, "/var/task", 9) || !strncmp(dir, "/opt/", 5) || !strcmp(dir, "/opt");
}

/* The OS decides: present, or (after every directory) unconfirmed or missing. */
static bool os_has(const struct resolution *out)
{
    return out->row && out->row->status == LIB_PRESENT;
}

/* A file the loader opens: the bundle's, or a container image's own system library. */
static enum resolve_kind kind_of(const struct member *m)
{
    return m && !m->system ? RESOLVED_BUNDLE : RESOLVED_SYSTEM;
}

static bool found(struct resolution *out, const struct member *m, const char *via)
{
    if (!m) {
        return false;
    }
    out->m = m;
    out->kind = kind_of(m);
    out->via = via;
    return true;
}

/* The OS data's row for a name; none in a container image's view, whose own files say. */
static const struct oslib *row_of(const struct image *img, const struct profile *p, size_t view,
                                  const char *soname)
{
    return img->inputs[view].container || !p->os ? NULL : osdata_library(p->os, soname);
}

static const struct member *search_dirs(const struct image *img, size_t view,
                                        const struct strvec *dirs, const struct member *owner,
                                        const char *soname)
{
    for (size_t i = 0; i < dirs->nr; i++) {
        const struct member *m = search(img, view, dirs->v[i], owner, soname);
        if (m) {
            return m;
        }
    }
    return NULL;
}

/* A container image carries its loader's whole search path (container.h): after the
 * DT_RPATHs, its LD_LIBRARY_PATH, the object's DT_RUNPATH, ld.so.cache, then ld.so's own
 * directories, each looked up in the image's files; what none holds is missing. */
static void resolve_in_image(const struct image *img, const struct container *c, size_t view,
                             const struct member *x, const char *soname, struct resolution *out)
{
    if (found(out, search_dirs(img, view, &c->ld_library_path, x, soname), "LD_LIBRARY_PATH") ||
        (x->elf->runpath &&
         found(out, search(img, view, x->elf->runpath, x, soname), "DT_RUNPATH"))) {
        return;
    }
    for (size_t i = 0; i + 1 < c->ld_cache.nr; i += 2) {
        if (!strcmp(c->ld_cache.v[i], soname) &&
            found(out, image_lookup(img, view, c->ld_cache.v[i + 1]), "ld.so.cache")) {
            return;
        }
    }
    if (!found(out, search_dirs(img, view, &c->default_dirs, x, soname), "system")) {
        out->kind = RESOLVED_MISSING;
    }
}

/*
 * Resolve soname for chain[0], the object that needs it; chain[1..n) are the objects that
 * loaded it, up to the root (loader.h, steps 1 to 4).
 */
static void resolve(const struct image *img, const struct profile *p, size_t view,
                    const struct member *const *chain, size_t n, const char *soname,
                    struct resolution *out)
{
    const struct elfinfo *e = chain[0]->elf;
    const struct container *c = img->inputs[view].container;
    bool os_checked = false;

    memset(out, 0, sizeof(*out));
    out->row = row_of(img, p, view, soname);
    if (strchr(soname, '/')) { /* a path: opened as is, relative to the cwd /var/task */
        char *path = xasprintf("%s%s", soname[0] == '/' ? "" : "/var/task/", soname);
        if (!found(out, image_lookup(img, view, path), "path")) {
            out->kind = RESOLVED_MISSING;
            out->via = "path";
        }
        free(path);
        return;
    }
    for (size_t i = 0; !e->runpath && i < n; i++) {
        const struct elfinfo *l = chain[i]->elf;
        if (l->rpath && !l->runpath &&
            found(out, search(img, view, l->rpath, chain[i], soname),
                  i ? "inherited DT_RPATH" : "DT_RPATH")) {
            return;
        }
    }
    if (c) {
        resolve_in_image(img, c, view, chain[0], soname, out);
        return;
    }
    for (size_t i = 0; i < p->library_path.nr; i++) {
        const char *dir = p->library_path.v[i];
        if (bundle_dir(dir)) {
            if ((out->m = search(img, view, dir, chain[0], soname)) != NULL) {
                out->kind = RESOLVED_BUNDLE;
                out->via = "LD_LIBRARY_PATH";
                return;
            }
        } else if (!os_checked) {
            /* The OS list stands for the system directories, which come first. */
            os_checked = true;
            if (os_has(out)) {
                out->kind = RESOLVED_SYSTEM;
                out->via = "system";
                return;
            }
        }
    }
    if (e->runpath && (out->m = search(img, view, e->runpath, chain[0], soname)) != NULL) {
        out->kind = RESOLVED_BUNDLE;
        out->via = "DT_RUNPATH";
        return;
    }
    if (os_has(out)) {
        out->kind = RESOLVED_SYSTEM; /* ld.so.cache and the default directories */
        out->via = "system";
        return;
    }
    out->kind =
        out->row && out->row->status == LIB_UNKNOWN ? RESOLVED_UNCONFIRMED : RESOLVED_MISSING;
}

void loader_resolve(const struct image *img, const struct profile *p, const struct member *obj,
                    const char *soname, struct resolution *out)
{
    resolve(img, p, image_view_of(img, obj), &obj, 1, soname, out);
}

/* ---- the model: every load from every root ------------------------------------------ */

struct loader_model {
    const struct image *img;
    const struct profile *p;
    size_t *first;            /* per member: index of its first edge in edges */
    struct resolution *edges; /* per member, one per DT_NEEDED */
    bool *from_load;          /* per edge: set by a load (not the object's own paths) */
    bool *reached;            /* per member: some load maps it */
    bool *dead;               /* per member: a module Python never opens would map it */
};

/* One object of a load and the object that loaded it (SIZE_MAX for the root). */
struct node {
    const struct member *m;
    size_t parent;
};

/* Missing is worse than unconfirmed, which is worse than found. */
static int rank(enum resolve_kind k)
{
    return k == RESOLVED_MISSING ? 2 : k == RESOLVED_UNCONFIRMED ? 1 : 0;
}

static void record(struct loader_model *lm, size_t edge, const struct resolution *r)
{
    if (!lm->from_load[edge] || rank(r->kind) > rank(lm->edges[edge].kind)) {
        lm->edges[edge] = *r;
        lm->from_load[edge] = true;
    }
}

static void add_name(struct strmap *loaded, const char *name, const struct member *m)
{
    if (name && !strmap_has(loaded, name, strlen(name))) {
        strmap_put(loaded, name, strlen(name), (void *)m);
    }
}

/* The chain for node i: the object, the one that loaded it, ... the root. */
static size_t chain_of(const struct node *nodes, size_t i, const struct member **chain, size_t max)
{
    size_t n = 0;

    for (; i != SIZE_MAX && n < max; i = nodes[i].parent) {
        chain[n++] = nodes[i].m;
    }
    return n;
}

/* One load, breadth-first from root, each object's DT_NEEDED in order (elf/dl-deps.c). */
static void load_from(struct loader_model *lm, const struct member *root, unsigned *seen,
                      unsigned stamp, bool live)
{
    const struct image *img = lm->img;
    size_t view = image_view_of(img, root), nr = 0, alloc = 0, chain_alloc = 0;
    const struct member **chain = NULL; /* at most as long as the nodes are many */
    struct node *nodes = NULL;
    struct strmap loaded = {0};

    ALLOC_GROW(nodes, nr + 1, alloc);
    nodes[nr++] = (struct node){root, SIZE_MAX};
    seen[root - img->members] = stamp;
    add_name(&loaded, root->elf->soname, root);
    for (size_t i = 0; i < nr; i++) {
        const struct member *x = nodes[i].m;
        size_t at = lm->first[x - img->members];
        if (!live) {
            lm->dead[x - img->members] = true;
        }
        lm->reached[x - img->members] |= live;
        for (size_t j = 0; j < x->elf->needed.nr; j++) {
            const char *name = x->elf->needed.v[j];
            struct resolution r;
            if (strmap_has(&loaded, name, strlen(name))) {
                const struct member *m = strmap_get(&loaded, name, strlen(name));
                r = (struct resolution){kind_of(m), m, row_of(img, lm->p, view, name), "loaded",
                                        root};
                if (live) {
                    record(lm, at + j, &r);
                }
                continue;
            }
            ALLOC_GROW(chain, nr, chain_alloc);
            resolve(img, lm->p, view, chain, chain_of(nodes, i, chain, nr), name, &r);
            r.root = root;
            if (live) {
                record(lm, at + j, &r);
            }
            if (r.kind == RESOLVED_SYSTEM) {
                /* The OS's (or an image's own) library: loaded, its own needs the OS's. */
                add_name(&loaded, name, r.m);
                if (r.m && r.m->elf) {
                    add_name(&loaded, r.m->elf->soname, r.m);
                }
            } else if (r.kind == RESOLVED_BUNDLE && loader_loadable(lm->p, r.m)) {
                add_name(&loaded, name, r.m);
                add_name(&loaded, r.m->elf->soname, r.m);
                if (seen[r.m - img->members] != stamp) {
                    seen[r.m - img->members] = stamp;
                    ALLOC_GROW(nodes, nr + 1, alloc);
                    nodes[nr++] = (struct node){r.m, i};
                }
            }
        }
    }
    strmap_release(&loaded);
    free(nodes);
    free(chain);
}

struct loader_model *loader_model_new(const struct image *img, const struct profile *p,
                                      const struct imports *im)
{
    struct loader_model *lm = xcalloc(1, sizeof(*lm));
    unsigned *seen = xcalloc(img->nr + 1, sizeof(*seen));
    size_t edges = 0;
    unsigned stamp = 0;

    lm->img = img;
    lm->p = p;
    lm->first = xcalloc(img->nr + 1, sizeof(*lm->first));
    lm->reached = xcalloc(img->nr + 1, sizeof(*lm->reached));
    lm->dead = xcalloc(img->nr + 1, sizeof(*lm->dead));
    for (size_t i = 0; i < img->nr; i++) {
        lm->first[i] = edges;
        edges += img->members[i].elf ? img->members[i].elf->needed.nr : 0;
    }
    lm->edges = xcalloc(edges + 1, sizeof(*lm->edges));
    lm->from_load = xcalloc(edges + 1, sizeof(*lm->from_load));
    for (size_t i = 0; i < img->nr; i++) {
        if (loader_is_root(p, im, &img->members[i])) {
            load_from(lm, &img->members[i], seen, ++stamp, true);
        } else if (dead_root(p, im, &img->members[i])) {
            load_from(lm, &img->members[i], seen, ++stamp, false);
        }
    }
    /* What no load reaches is judged on its own paths. */
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        for (size_t j = 0; m->elf && j < m->elf->needed.nr; j++) {
            if (!lm->from_load[lm->first[i] + j]) {
                loader_resolve(img, p, m, m->elf->needed.v[j], &lm->edges[lm->first[i] + j]);
            }
        }
    }
    free(seen);
    return lm;
}

void loader_model_free(struct loader_model *lm)
{
    if (!lm) {
        return;
    }
    free(lm->first);
    free(lm->edges);
    free(lm->from_load);
    free(lm->reached);
    free(lm->dead);
    free(lm);
}

const struct resolution *loader_model_needed(const struct loader_model *lm,
                                             const struct member *obj, size_t j)
{
    size_t i = (size_t)(obj - lm->img->members);

    if (!obj->elf || j >= obj->elf->needed.nr) {
        BUG("loader_model_needed: %s has no DT_NEEDED %zu", obj->path, j);
    }
    return &lm->edges[lm->first[i] + j];
}

void loader_model_resolve(const struct loader_model *lm, const struct member *obj,
                          const char *soname, struct resolution *out)
{
    for (size_t j = 0; obj->elf && j < obj->elf->needed.nr; j++) {
        if (!strcmp(obj->elf->needed.v[j], soname)) {
            *out = *loader_model_needed(lm, obj, j);
            return;
        }
    }
    loader_resolve(lm->img, lm->p, obj, soname, out);
}

bool loader_model_reached(const struct loader_model *lm, const struct member *obj)
{
    return lm->reached[obj - lm->img->members];
}

bool loader_model_dead(const struct loader_model *lm, const struct member *obj)
{
    return lm->dead[obj - lm->img->members] && !lm->reached[obj - lm->img->members];
}
