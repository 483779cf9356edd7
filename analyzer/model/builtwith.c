/* SPDX-License-Identifier: MIT */
/* How a bundle was built (builtwith.h): counted over the members of one view. */
#include "builtwith.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "strmap.h"
#include "strvec.h"
#include "verutil.h"
#include "xalloc.h"

static void count_python(struct built_with *b, int major, int minor)
{
    for (size_t i = 0; i < b->pythons_nr; i++) {
        if (b->pythons[i].major == major && b->pythons[i].minor == minor) {
            b->pythons[i].modules++;
            return;
        }
    }
    b->pythons = xrealloc_array(b->pythons, b->pythons_nr + 1, sizeof(*b->pythons));
    b->pythons[b->pythons_nr++] = (struct built_python){major, minor, 1};
}

/* The newest GLIBC_ version the object needs, kept in b->glibc. */
static void count_glibc(struct built_with *b, const struct elfinfo *e)
{
    for (size_t i = 0; i < e->verneed_nr; i++) {
        const char *n = verutil_number(e->verneed[i].version, "GLIBC_");
        if (n && (!b->glibc || verutil_cmp(n, b->glibc) > 0)) {
            free(b->glibc);
            b->glibc = xstrdup(n);
        }
    }
}

/* Where a distribution came from, by its WHEEL tags. */
static void count_origin(struct built_origins *o, const struct distribution *d)
{
    bool many = false, musl = false, local = false;

    for (size_t i = 0; i < d->wheel_tags.nr; i++) {
        const char *t = d->wheel_tags.v[i];
        many |= strstr(t, "manylinux") != NULL;
        musl |= strstr(t, "musllinux") != NULL;
        local |= strstr(t, "-linux_") != NULL;
    }
    if (!d->wheel_tags.nr) {
        o->not_wheels++;
    } else if (many) {
        o->manylinux++;
    } else if (musl) {
        o->musllinux++;
    } else if (local) {
        o->local++;
    } else {
        o->other++;
    }
}

static int by_modules(const void *a, const void *b)
{
    const struct built_python *x = a, *y = b;

    if (x->modules != y->modules) {
        return x->modules > y->modules ? -1 : 1;
    }
    return x->major != y->major ? y->major - x->major : y->minor - x->minor;
}

static int by_objects(const void *a, const void *b)
{
    const struct built_tool *x = a, *y = b;

    if (x->objects != y->objects) {
        return x->objects > y->objects ? -1 : 1;
    }
    return strcmp(x->comment, y->comment);
}

void built_with_read(struct built_with *out, const struct image *img, size_t view)
{
    struct strmap tools = {0}; /* comment -> index + 1 in all */
    struct built_tool *all = NULL;
    const struct distribution **seen = NULL; /* the native distributions counted */
    size_t all_nr = 0, seen_nr = 0;

    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        if (image_view_of(img, m) != view || m->overwritten_by) {
            continue;
        }
        if (m->ext.kind == PYEXT_CPYTHON || m->ext.kind == PYEXT_ABI3) {
            count_python(out, m->ext.kind == PYEXT_ABI3 ? 0 : m->ext.major,
                         m->ext.kind == PYEXT_ABI3 ? 0 : m->ext.minor);
        }
        if (!m->elf || m->elf->error) {
            continue;
        }
        out->elf_objects++;
        count_glibc(out, m->elf);
        for (size_t k = 0; k < m->elf->comments.nr; k++) {
            const char *c = m->elf->comments.v[k];
            size_t at = (size_t)(uintptr_t)strmap_get(&tools, c, strlen(c));
            if (!at) {
                all = xrealloc_array(all, all_nr + 1, sizeof(*all));
                all[all_nr++] = (struct built_tool){xstrdup(c), 0};
                strmap_put(&tools, c, strlen(c), (void *)(uintptr_t)all_nr);
                at = all_nr;
            }
            all[at - 1].objects++;
        }
        if (m->dist) {
            size_t k = 0;
            while (k < seen_nr && seen[k] != m->dist) {
                k++;
            }
            if (k == seen_nr) {
                seen = xrealloc_array(seen, seen_nr + 1, sizeof(*seen));
                seen[seen_nr++] = m->dist;
                count_origin(&out->origins, m->dist);
            }
        }
    }
    if (out->pythons_nr) { /* qsort() wants an array, even an empty one */
        qsort(out->pythons, out->pythons_nr, sizeof(*out->pythons), by_modules);
    }
    if (all_nr) {
        qsort(all, all_nr, sizeof(*all), by_objects);
    }
    out->tools_nr = all_nr < BUILT_WITH_TOOLS ? all_nr : BUILT_WITH_TOOLS;
    for (size_t i = out->tools_nr; i < all_nr; i++) {
        free(all[i].comment);
    }
    out->tools = all;
    strmap_release(&tools);
    free(seen);
}

bool built_with_any(const struct built_with *b)
{
    return b->pythons_nr || b->elf_objects;
}

static void origin_words(struct strvec *parts, size_t n, const char *what)
{
    if (n) {
        strvec_push_nodup(parts, xasprintf("%zu %s", n, what));
    }
}

/* "A (n objects), B (m objects)" of parts[from..], folded into one part after words. */
static void fold(struct strvec *parts, size_t from, const char *words)
{
    struct strvec tail = STRVEC_INIT;
    char *joined;

    for (size_t i = from; i < parts->nr; i++) {
        strvec_push(&tail, parts->v[i]);
    }
    while (parts->nr > from) {
        free(parts->v[--parts->nr]);
    }
    if (tail.nr) {
        joined = strvec_join(&tail, ", ");
        strvec_push_nodup(parts, xasprintf("%s%s", words, joined));
        free(joined);
    }
    strvec_release(&tail);
}

char *built_with_words(const struct built_with *b)
{
    struct strvec parts = STRVEC_INIT;
    const struct built_origins *o = &b->origins;
    char *out;

    for (size_t i = 0; i < b->pythons_nr && i < 3; i++) {
        const struct built_python *p = &b->pythons[i];
        strvec_push_nodup(
            &parts, p->major
                        ? xasprintf("CPython %d.%d (%zu module%s)", p->major, p->minor, p->modules,
                                    p->modules == 1 ? "" : "s")
                        : xasprintf("abi3 (%zu module%s)", p->modules, p->modules == 1 ? "" : "s"));
    }
    fold(&parts, 0, "built for ");
    if (b->glibc) {
        strvec_push_nodup(&parts, xasprintf("needs glibc %s or newer", b->glibc));
    }
    for (size_t i = 0, from = parts.nr; i < b->tools_nr; i++) {
        strvec_push_nodup(&parts,
                          xasprintf("%s (%zu object%s)", b->tools[i].comment, b->tools[i].objects,
                                    b->tools[i].objects == 1 ? "" : "s"));
        if (i + 1 == b->tools_nr) {
            fold(&parts, from, "compiled by ");
        }
    }
    {
        size_t from = parts.nr;
        origin_words(&parts, o->manylinux, "from manylinux wheels");
        origin_words(&parts, o->musllinux, "from musllinux wheels");
        origin_words(&parts, o->local, "from wheels built on the machine (linux_*)");
        origin_words(&parts, o->other, "from other platforms' wheels");
        origin_words(&parts, o->not_wheels, "not from wheels");
        fold(&parts, from, "native distributions: ");
    }
    out = strvec_join(&parts, "; ");
    strvec_release(&parts);
    return out;
}

void built_with_release(struct built_with *b)
{
    for (size_t i = 0; i < b->tools_nr; i++) {
        free(b->tools[i].comment);
    }
    free(b->tools);
    free(b->pythons);
    free(b->glibc);
    memset(b, 0, sizeof(*b));
}
