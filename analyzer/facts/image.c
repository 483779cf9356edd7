/* SPDX-License-Identifier: MIT */
/* The image: growable arrays of inputs, members and distributions. */
#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "utf8.h"
#include "xalloc.h"

/* Where a layer member sits on sys.path: "python/lib/python3.N/site-packages/" and
 * "python/" are on it (doc/sources.md#import-path-and-layers); lib/ and bin/ are not. */
static void place_in_layer(struct member *m)
{
    static const char lib[] = "python/lib/python";
    const char *p = m->path;
    int major = 0, minor = -1, n = 0;

    m->site_minor = -1;
    if (!strncmp(p, lib, sizeof(lib) - 1) &&
        sscanf(p + sizeof(lib) - 1, "%d.%d/site-packages/%n", &major, &minor, &n) == 2 && n > 0) {
        m->site_off = sizeof(lib) - 1 + (size_t)n;
        m->site_minor = major == 3 ? minor : -1;
        m->on_site = true;
    } else if (!strncmp(p, "python/", 7)) {
        m->site_off = 7;
        m->on_site = true;
    }
}

/* A function's member below a directory no sys.path entry names
 * (doc/sources.md#import-path-and-layers: /var/task, the layers' /opt/python paths, the runtime's
 * own): a virtualenv's or a target directory's site-packages zipped as it is, or a layer's python/
 * in a function zip. The length of that directory's path, or 0. */
static size_t off_sys_path(const char *path, bool python_package)
{
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/");
        if (p[n] == '/' && ((n == 13 && !strncmp(p, "site-packages", 13)) ||
                            (n == 13 && !strncmp(p, "dist-packages", 13)))) {
            return (size_t)(p - path) + n;
        }
        p += n + (p[n] == '/');
    }
    return !python_package && !strncmp(path, "python/", 7) ? 6 : 0;
}

/* A member of a container image, where it sits in the image: the task root is on sys.path
 * as /var/task is (a site-packages below it is not), /opt as a layer's content would be,
 * the interpreter's site-packages as the interpreter has it. */
static void place_in_container(struct member *m, const struct container *c, bool package)
{
    size_t off;
    int minor;
    enum container_place where = container_place(c, m->path, &off, &minor);

    m->abs = xasprintf("/%s", m->path);
    if (where == PLACE_TASK) {
        size_t tree = off_sys_path(m->path + off, package);
        m->site_off = off;
        m->off_tree = tree ? off + tree : 0;
        m->on_site = !tree;
    } else if (where == PLACE_OPT) {
        struct member inner = {.path = m->path + 4};
        place_in_layer(&inner);
        m->site_off = inner.on_site ? 4 + inner.site_off : 0;
        m->site_minor = inner.site_minor;
        m->on_site = inner.on_site;
    } else if (where == PLACE_SITE) {
        m->site_off = off;
        m->site_minor = minor;
        m->on_site = true;
    }
}

struct member *image_add_image_level(struct image *img, size_t input, const char *path)
{
    struct member *m;

    ALLOC_GROW(img->members, img->nr + 1, img->alloc);
    m = &img->members[img->nr++];
    memset(m, 0, sizeof(*m));
    m->path = utf8_valid(path, strlen(path)) ? xstrdup(path) : utf8_escape(path, false);
    m->raw_path = utf8_valid(path, strlen(path)) ? NULL : xstrdup(path);
    m->input = input;
    m->abs = xasprintf("/%s", m->path);
    m->site_minor = -1;
    return m;
}

bool image_is_system_path(const struct image *img, size_t input, const char *path)
{
    const struct container *c = img->inputs[input].container;
    size_t off;
    int minor;

    return c && container_place(c, path, &off, &minor) == PLACE_SYSTEM;
}

bool image_is_bootstrap(const struct member *m)
{
    return m->abs && (!strcmp(m->abs, "/var/task/bootstrap") || !strcmp(m->abs, "/opt/bootstrap"));
}

struct member *image_add_member(struct image *img, size_t input, const char *path)
{
    struct member *m;
    bool layer = input < img->inputs_nr && img->inputs[input].role == INPUT_LAYER;
    const struct container *c = input < img->inputs_nr ? img->inputs[input].container : NULL;
    bool system = c && image_is_system_path(img, input, path);

    if (system) {
        ALLOC_GROW(img->sys, img->sys_nr + 1, img->sys_alloc);
        m = &img->sys[img->sys_nr++];
    } else {
        ALLOC_GROW(img->members, img->nr + 1, img->alloc);
        m = &img->members[img->nr++];
    }
    memset(m, 0, sizeof(*m));
    if (utf8_valid(path, strlen(path))) {
        m->path = xstrdup(path);
    } else {
        m->path = utf8_escape(path, false);
        m->raw_path = xstrdup(path);
    }
    m->input = input;
    m->system = system;
    m->site_minor = -1;
    if (c) {
        place_in_container(m, c, img->inputs[input].python_package);
        return m;
    }
    m->abs = xjoin(layer ? "/opt" : "/var/task", "/", path);
    if (layer) {
        place_in_layer(m);
    } else {
        bool package = input < img->inputs_nr && img->inputs[input].python_package;
        size_t wrapper = input < img->inputs_nr ? img->inputs[input].wrapper : 0;
        m->off_tree = wrapper && strlen(m->path) > wrapper && m->path[wrapper] == '/'
                          ? wrapper
                          : off_sys_path(m->path, package);
        m->on_site = m->off_tree == 0;
    }
    return m;
}

bool image_on_sys_path(const struct member *m, int major, int minor)
{
    return m->on_site && (m->site_minor < 0 || (major == 3 && m->site_minor == minor));
}

static void find_handlers(struct image *img);
static void find_aliases(struct image *img);
static const struct image_file *in_view(const struct image *img, size_t view, const char *abs);

/* By path, then view, then input: the layers of one view in configuration order. */
static int cmp_file(const void *a, const void *b)
{
    const struct image_file *x = a, *y = b;
    int c = strcmp(x->abs, y->abs);

    if (c) {
        return c;
    }
    if (x->view != y->view) {
        return x->view < y->view ? -1 : 1;
    }
    return x->m->input < y->m->input ? -1 : x->m->input > y->m->input;
}

void image_index(struct image *img)
{
    size_t n = 0, all = img->nr + img->sys_nr;

    free(img->files);
    img->files = xcalloc(all + 1, sizeof(*img->files));
    for (size_t i = 0; i < all; i++) {
        const struct member *m = i < img->nr ? &img->members[i] : &img->sys[i - img->nr];
        img->files[i] = (struct image_file){m->abs, m, img->inputs[m->input].view};
    }
    if (all > 1) {
        qsort(img->files, all, sizeof(*img->files), cmp_file);
    }
    /* Of one view's files at one path keep the last: the layer configured last wins
     * (a function's own files are under /var/task, its layers' under /opt). */
    for (size_t i = 0; i < all; i++) {
        const struct image_file *f = &img->files[i];
        if (i + 1 < all && !strcmp(f->abs, img->files[i + 1].abs) &&
            f->view == img->files[i + 1].view) {
            continue;
        }
        img->files[n++] = *f;
    }
    img->files_nr = n;
    img->links = 0;
    for (size_t i = 0; i < n; i++) {
        img->links += img->files[i].m->link_target != NULL;
    }
    /* Who replaced each file of an earlier layer: the one left at its path. */
    for (size_t i = 0; i < img->nr; i++) {
        struct member *m = &img->members[i];
        const struct image_file *f = in_view(img, img->inputs[m->input].view, m->abs);
        m->overwritten_by = f && f->m != m ? f->m : NULL;
    }
    find_handlers(img);
    find_aliases(img);
}

size_t image_view_of(const struct image *img, const struct member *m)
{
    return img->inputs[m->input].view;
}

/* The first of the (sorted) files whose path is not below abs. */
static size_t first_not_below(const struct image *img, const char *abs)
{
    size_t lo = 0, hi = img->files_nr;

    while (lo < hi) { /* the first entry not below abs */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(img->files[mid].abs, abs) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* The file at abs as view sees it, among the (sorted) entries for that path. */
static const struct image_file *in_view(const struct image *img, size_t view, const char *abs)
{
    size_t lo = first_not_below(img, abs);

    for (; lo < img->files_nr && !strcmp(img->files[lo].abs, abs); lo++) {
        if (img->files[lo].view == view) {
            return &img->files[lo];
        }
    }
    return NULL;
}

struct view_ctx {
    const struct image *img;
    size_t view;
};

static const char *view_link(void *ctx, const char *path, size_t len)
{
    const struct view_ctx *v = ctx;
    char *prefix = xstrndup(path, len);
    const struct image_file *f = in_view(v->img, v->view, prefix);

    free(prefix);
    return f && f->m->link_target ? f->m->link_target : NULL;
}

/* Whether abs is absolute and already in normal form: no empty, "." or ".." component. */
static bool normal(const char *abs)
{
    if (abs[0] != '/') {
        return false;
    }
    for (const char *c = abs; *c; c++) {
        if (c[0] == '/' && (c[1] == '/' || c[1] == '\0' ||
                            (c[1] == '.' && (c[2] == '/' || c[2] == '\0' ||
                                             (c[2] == '.' && (c[3] == '/' || c[3] == '\0')))))) {
            return false;
        }
    }
    return true;
}

const struct member *image_lookup(const struct image *img, size_t view, const char *abs)
{
    struct view_ctx v = {img, view};
    const struct image_file *f;
    char *path;

    if (!img->links && normal(abs)) {
        /* No link on the way: the path is a file's own, or none's. */
        f = in_view(img, view, abs);
        return f ? f->m : NULL;
    }
    path = path_resolve(abs, view_link, &v, 16);
    f = path ? in_view(img, view, path) : NULL;

    free(path);
    return f && !f->m->link_target ? f->m : NULL;
}

bool image_has_below(const struct image *img, size_t view, const char *abs)
{
    size_t lo = first_not_below(img, abs), n = strlen(abs);

    for (; lo < img->files_nr && !strncmp(img->files[lo].abs, abs, n); lo++) {
        if (img->files[lo].abs[n] == '/' && img->files[lo].view == view) {
            return true;
        }
    }
    return false;
}

const struct member *image_find_library(const struct image *img, size_t view, const char *soname)
{
    for (size_t i = 0; i < img->nr + img->sys_nr; i++) {
        const struct member *m = i < img->nr ? &img->members[i] : &img->sys[i - img->nr];
        /* a system file of an image was not read: its name says */
        if ((!m->elf && !(m->system && !m->link_target)) || image_view_of(img, m) != view) {
            continue;
        }
        if (!strcmp(path_base(m->path), soname) ||
            (m->elf && m->elf->soname && !strcmp(m->elf->soname, soname))) {
            return m;
        }
    }
    return NULL;
}

/* The handler module of each function view (image_handler()). */
static void find_handlers(struct image *img)
{
    for (size_t v = 0; v < img->inputs_nr; v++) {
        struct image_input *in = &img->inputs[v];
        const char *only = NULL;
        size_t n = 0;
        free(in->handler);
        in->handler = NULL;
        if (in->declared && strrchr(in->declared, '.') &&
            strrchr(in->declared, '.') != in->declared) {
            /* As the function's configuration says it: Lambda's error names it so. */
            in->handler =
                xstrndup(in->declared, (size_t)(strrchr(in->declared, '.') - in->declared));
            continue;
        }
        if (in->container) {
            /* An image's handler is the one its CMD names (container.h). */
            in->handler =
                in->container->handler_module ? xstrdup(in->container->handler_module) : NULL;
            continue;
        }
        for (size_t i = 0; in->role == INPUT_FUNCTION && i < img->nr; i++) {
            const struct member *m = &img->members[i];
            if (m->input != v || strchr(m->path, '/') || !path_has_suffix(m->path, ".py")) {
                continue;
            }
            only = m->path;
            n++;
            if (!strcmp(m->path, "lambda_function.py")) {
                n = 1;
                break;
            }
        }
        if (n == 1) {
            in->handler = xstrndup(only, strlen(only) - 3);
        }
    }
}

/* Every link that resolves to a file of its view is one of that file's names: its findings
 * are the file's, said once, with the other names listed. */
static void find_aliases(struct image *img)
{
    for (size_t i = 0; i < img->nr; i++) {
        strvec_release(&img->members[i].aliases);
    }
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        const struct member *to;
        if (!m->link_target || !(to = image_lookup(img, image_view_of(img, m), m->abs)) ||
            to == m || to->system) {
            continue;
        }
        strvec_push(&img->members[to - img->members].aliases, m->path);
    }
    for (size_t i = 0; i < img->nr; i++) {
        strvec_sort(&img->members[i].aliases); /* the same for a zip and a directory */
    }
}

const char *image_handler(const struct image *img, size_t view)
{
    return view < img->inputs_nr && img->inputs[view].handler ? img->inputs[view].handler
                                                              : "lambda_function";
}

void image_count(const struct image *img, size_t input, struct image_counts *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        if (m->input != input) {
            continue;
        }
        out->members++;
        out->elf_objects += m->elf != NULL;
        out->extensions += m->role == ROLE_EXTENSION;
    }
    for (size_t i = 0; i < img->dists_nr; i++) {
        out->distributions += img->dists[i].input == input;
    }
}

const char *image_role_name(enum input_role role)
{
    return role == INPUT_LAYER ? "layer" : "function";
}

struct distribution *image_add_dist(struct image *img)
{
    struct distribution *dist;

    ALLOC_GROW(img->dists, img->dists_nr + 1, img->dists_alloc);
    dist = &img->dists[img->dists_nr++];
    memset(dist, 0, sizeof(*dist));
    return dist;
}

void image_release(struct image *img)
{
    for (size_t i = 0; i < img->inputs_nr; i++) {
        free(img->inputs[i].name);
        free(img->inputs[i].handler);
        free(img->inputs[i].declared);
        strvec_release(&img->inputs[i].notes);
        container_free(img->inputs[i].container);
    }
    free(img->inputs);
    for (size_t i = 0; i < img->nr + img->sys_nr; i++) {
        struct member *m = i < img->nr ? &img->members[i] : &img->sys[i - img->nr];
        free(m->path);
        free(m->raw_path);
        free(m->abs);
        free(m->link_target);
        free(m->shebang);
        if (m->npm) {
            npmpkg_release(m->npm);
            free(m->npm);
        }
        strvec_release(&m->aliases);
        strvec_release(&m->guards);
        strvec_release(&m->unguarded);
        if (m->py) {
            pysource_release(m->py);
            free(m->py);
        }
        free(m->module);
        pyext_name_release(&m->ext);
        free(m->problem);
        if (m->elf) {
            elfinfo_release(m->elf);
            free(m->elf);
        }
    }
    free(img->members);
    free(img->sys);
    for (size_t i = 0; i < img->dists_nr; i++) {
        struct distribution *dist = &img->dists[i];
        free(dist->name);
        free(dist->version);
        free(dist->root);
        free(dist->info_dir);
        strvec_release(&dist->files);
        strvec_release(&dist->top_level);
        strvec_release(&dist->wheel_tags);
    }
    free(img->dists);
    strmap_release(&img->dist_by_dir);
    free(img->files);
    memset(img, 0, sizeof(*img));
}
