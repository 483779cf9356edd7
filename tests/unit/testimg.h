/* SPDX-License-Identifier: MIT */
/*
 * Images built by hand for the unit tests of the loader, the filesystem view and the
 * checks: members with the ELF facts a test needs, and the shipped data (testdata.h).
 * Header-only (static functions), included by one test file each.
 *
 * Ownership: everything added belongs to the image (image_release() frees it).
 */
#ifndef TESTS_UNIT_TESTIMG_H
#define TESTS_UNIT_TESTIMG_H

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "image.h"
#include "testdata.h"
#include "xalloc.h"

/* An input of the image: a function bundle or a layer, named name. */
static inline size_t testimg_input(struct image *img, const char *name, enum input_role role)
{
    struct image_input *in;

    ALLOC_GROW(img->inputs, img->inputs_nr + 1, img->inputs_alloc);
    in = &img->inputs[img->inputs_nr];
    memset(in, 0, sizeof(*in));
    in->name = xstrdup(name);
    in->kind = "directory";
    in->role = role;
    in->view = img->inputs_nr;
    /* A layer belongs to the function added last, as --layer does. */
    for (size_t i = img->inputs_nr; role == INPUT_LAYER && i-- > 0;) {
        if (img->inputs[i].role == INPUT_FUNCTION) {
            in->view = i;
            break;
        }
    }
    return img->inputs_nr++;
}

/* Split "a,b,c" into sv (nothing for NULL or ""). */
static inline void testimg_split(struct strvec *sv, const char *csv)
{
    for (const char *p = csv; p && *p;) {
        size_t n = strcspn(p, ",");
        char *s = xstrndup(p, n);
        strvec_push_nodup(sv, s);
        p += n + (p[n] == ',');
    }
}

/*
 * An x86_64 ELF shared object at path in input: soname, DT_NEEDED (comma-separated),
 * DT_RPATH and DT_RUNPATH as given (NULL for none).
 */
static inline struct member *testimg_elf(struct image *img, size_t input, const char *path,
                                         const char *soname, const char *needed,
                                         const char *rpath, const char *runpath)
{
    struct member *m = image_add_member(img, input, path);

    m->content = CONTENT_ELF;
    m->role = ROLE_LIBRARY;
    m->elf = xcalloc(1, sizeof(*m->elf));
    m->elf->elfclass = ELFCLASS64;
    m->elf->data = ELFDATA2LSB;
    m->elf->type = ET_DYN;
    m->elf->machine = EM_X86_64;
    m->elf->header_ok = true;
    m->elf->has_dynamic = true;
    m->elf->soname = soname ? xstrdup(soname) : NULL;
    m->elf->rpath = rpath ? xstrdup(rpath) : NULL;
    m->elf->runpath = runpath ? xstrdup(runpath) : NULL;
    testimg_split(&m->elf->needed, needed);
    return m;
}

/* A symbolic link stored in a zip: path -> target. */
static inline struct member *testimg_link(struct image *img, size_t input, const char *path,
                                          const char *target)
{
    struct member *m = image_add_member(img, input, path);

    m->link_target = xstrdup(target);
    return m;
}

#endif
