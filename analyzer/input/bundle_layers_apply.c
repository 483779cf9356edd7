/* SPDX-License-Identifier: MIT */
/*
 * An image's layers applied in order (OCI image-spec layer.md, "Whiteouts") into one
 * filesystem: what bundle_layers.c listed of each layer, the last record at a path winning,
 * whiteouts and opaque directories removing from the layers below, a file replacing a
 * directory with everything below it; the survivors become the bundle's entries.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_image_int.h"
#include "strmap.h"
#include "xalloc.h"

/* The path maps hold a layer number + 1 (0: absent). */
static size_t layer_of(const struct strmap *map, const char *key, size_t len)
{
    return (size_t)(uintptr_t)strmap_get(map, key, len);
}

static void put_max(struct strmap *map, const char *key, size_t layer)
{
    size_t len = strlen(key);

    if (layer + 1 > layer_of(map, key, len)) {
        strmap_put(map, key, len, (void *)(uintptr_t)(layer + 1));
    }
}

struct fs {
    struct strmap latest; /* path -> 1 + index in recs of the last record there */
    struct strmap gone;   /* path -> 1 + the highest layer whose whiteout removes it */
    struct strmap nondir; /* path -> 1 + the highest layer with a non-directory there */
    struct strmap opaque; /* dir -> 1 + the highest layer that made it opaque */
    struct record **recs;
    size_t nr, alloc;
};

/* Whether what layer l put at path survives the layers above it (image-spec layer.md,
 * "Whiteouts": a whiteout or an opaque directory hides only what lower layers hold, and a
 * file put where a directory was replaces the directory with everything below it). */
static bool survives(const struct fs *fs, const char *path, size_t l)
{
    if (layer_of(&fs->gone, path, strlen(path)) > l + 1) {
        return false;
    }
    for (const char *p = strchr(path, '/'); p; p = strchr(p + 1, '/')) {
        size_t n = (size_t)(p - path);
        if (layer_of(&fs->gone, path, n) > l + 1 || layer_of(&fs->nondir, path, n) > l + 1 ||
            layer_of(&fs->opaque, path, n) > l + 1) {
            return false;
        }
    }
    return true;
}

static const struct record *visible(const struct fs *fs, const char *path)
{
    size_t at = (size_t)(uintptr_t)strmap_get(&fs->latest, path, strlen(path));
    const struct record *r = at ? fs->recs[at - 1] : NULL;

    return r && survives(fs, r->path, r->layer) ? r : NULL;
}

static int cmp_rec(const void *a, const void *b)
{
    return strcmp((*(const struct record *const *)a)->path,
                  (*(const struct record *const *)b)->path);
}

static void add_file(struct bundle *b, const struct fs *fs, const struct record *r)
{
    static const enum entry_type types[] = {[REC_FILE] = ENTRY_FILE,
                                            [REC_DIR] = ENTRY_DIR,
                                            [REC_SYMLINK] = ENTRY_SYMLINK,
                                            [REC_HARDLINK] = ENTRY_SYMLINK,
                                            [REC_SPECIAL] = ENTRY_SPECIAL};
    struct bundle_entry *e = bundle_add_entry(b, r->path, types[r->type]);
    const struct record *to;

    e->layer = r->layer;
    e->ordinal = r->ordinal;
    e->mode = r->mode;
    e->size = e->stored = r->type == REC_FILE ? r->size : 0;
    if (r->problem) {
        e->problem = xstrdup(r->problem);
        e->type = ENTRY_FILE;
    } else if (r->type == REC_SYMLINK) {
        e->link = xstrdup(r->link);
    } else if (r->type == REC_HARDLINK) {
        /* Another name of a file of the same image: read there, reported once. */
        if ((to = visible(fs, r->link)) && to->type == REC_FILE) {
            e->link = xasprintf("/%s", r->link);
        } else {
            e->type = ENTRY_FILE;
            e->problem =
                xasprintf("a hard link to '%s', which is not a file of the image", r->link);
        }
    } else if (r->type == REC_FILE) {
        e->problem = bundle_entry_problem(b, e->path, e->size, e->stored);
    }
}

static void add_image_level(struct bundle *b, const char *path, size_t layer, char *problem)
{
    struct bundle_entry *e = bundle_add_entry(b, path, ENTRY_FILE);

    e->layer = layer;
    e->image_level = true;
    e->problem = problem;
}

/* The layers in order: the last record at a path wins, whiteouts and opaque directories
 * remove from the layers below; the survivors become the entries, sorted by path. */
void layers_apply(struct bundle *b, struct layer *layers, struct listing *ls, size_t nr)
{
    struct fs fs = {0};
    size_t total = 0, n = 0;
    bool capped = false;

    for (size_t l = 0; l < nr && !capped; l++) {
        for (size_t k = 0; k < ls[l].nr; k++) {
            struct record *r = &ls[l].v[k];
            r->layer = l;
            if (++total > b->limits.max_entries) {
                capped = true;
                break;
            }
            switch (r->type) {
            case REC_BAD:
                add_image_level(b, r->path, l, xstrdup(r->problem));
                break;
            case REC_WHITEOUT:
                put_max(&fs.gone, r->path, l);
                break;
            case REC_OPAQUE:
                put_max(&fs.opaque, r->path, l);
                break;
            default:
                ALLOC_GROW(fs.recs, fs.nr + 1, fs.alloc);
                fs.recs[fs.nr++] = r;
                strmap_put(&fs.latest, r->path, strlen(r->path), (void *)(uintptr_t)fs.nr);
                if (r->type != REC_DIR) {
                    put_max(&fs.nondir, r->path, l);
                }
            }
        }
        capped |= ls[l].capped;
    }
    if (capped) {
        bundle_add_note(b, xasprintf("only the first %zu entries of the layers were read",
                                     b->limits.max_entries));
    }
    /* The survivors, in place of the records: those the latest at their path that stay. */
    struct record **keep = xcalloc(fs.nr + 1, sizeof(*keep));
    for (size_t i = 0; i < fs.nr; i++) {
        const struct record *r = fs.recs[i];
        if ((size_t)(uintptr_t)strmap_get(&fs.latest, r->path, strlen(r->path)) == i + 1 &&
            survives(&fs, r->path, r->layer)) {
            keep[n++] = fs.recs[i];
        }
    }
    qsort(keep, n, sizeof(*keep), cmp_rec);
    for (size_t i = 0; i < n; i++) {
        add_file(b, &fs, keep[i]);
    }
    free(keep);
    free(fs.recs);
    strmap_release(&fs.latest);
    strmap_release(&fs.gone);
    strmap_release(&fs.nondir);
    strmap_release(&fs.opaque);
}
