/* SPDX-License-Identifier: MIT */
/* The image: growable arrays of inputs, members and distributions. */
#include "image.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct member *image_add_member(struct image *img, size_t input, const char *path)
{
    struct member *m;

    ALLOC_GROW(img->members, img->nr + 1, img->alloc);
    m = &img->members[img->nr++];
    memset(m, 0, sizeof(*m));
    m->path = xstrdup(path);
    m->input = input;
    return m;
}

struct distribution *image_add_dist(struct image *img)
{
    struct distribution *dist;

    ALLOC_GROW(img->dists, img->dists_nr + 1, img->dists_alloc);
    dist = &img->dists[img->dists_nr++];
    memset(dist, 0, sizeof(*dist));
    return dist;
}

char *image_abs_path(const struct image *img, const struct member *m)
{
    return xasprintf("%s/%s", img->inputs[m->input].role == INPUT_LAYER ? "/opt" : "/var/task",
                     m->path);
}

void image_release(struct image *img)
{
    for (size_t i = 0; i < img->inputs_nr; i++) {
        free(img->inputs[i].name);
        strvec_release(&img->inputs[i].notes);
    }
    free(img->inputs);
    for (size_t i = 0; i < img->nr; i++) {
        struct member *m = &img->members[i];
        free(m->path);
        free(m->module);
        free(m->problem);
        if (m->elf) {
            elfinfo_release(m->elf);
            free(m->elf);
        }
    }
    free(img->members);
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
    memset(img, 0, sizeof(*img));
}
