/* SPDX-License-Identifier: MIT */
/* The reading phase: every entry of every input becomes a classified member with its facts. */
#include "scan.h"

#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "distinfo.h"
#include "pyclass.h"
#include "xalloc.h"

/* Metadata files are small; a larger one is not metadata we can use. */
#define DISTINFO_MAX (16u << 20)

static void read_distinfo(struct image *img, struct bundle *b, const struct bundle_entry *e,
                          struct member *m)
{
    struct diag d = DIAG_INIT;
    unsigned char *buf = NULL;
    size_t len = 0;

    m->role = ROLE_DISTINFO;
    if (e->size > DISTINFO_MAX) {
        return;
    }
    if (bundle_read(b, e, &buf, &len, &d) != 0) {
        m->problem = xstrdup(d.msg);
        return;
    }
    distinfo_add_file(img, m->input, m->path, (const char *)buf, len);
    free(buf);
}

static void read_elf(struct bundle *b, const struct bundle_entry *e, struct member *m)
{
    struct diag d = DIAG_INIT;
    unsigned char *buf = NULL;
    size_t len = 0;

    if (bundle_read(b, e, &buf, &len, &d) != 0) {
        m->problem = xstrdup(d.msg);
        return;
    }
    m->elf = xcalloc(1, sizeof(*m->elf));
    elfinfo_from_memory(m->elf, buf, len); /* a failure is recorded in m->elf->error */
    free(buf);
}

/* A symbolic link stored in a zip (unzip recreates it; Lambda does too): its content is
 * the target, which the loader view follows. */
static void read_link(struct bundle *b, const struct bundle_entry *e, struct member *m)
{
    struct diag d = DIAG_INIT;
    unsigned char buf[1024];
    size_t got = 0;

    if (bundle_peek(b, e, buf, sizeof(buf) - 1, &got, &d) != 0) {
        m->problem = xstrdup(d.msg);
        return;
    }
    m->link_target = xstrndup((const char *)buf, strnlen((const char *)buf, got));
}

static void scan_entry(struct image *img, size_t input, struct bundle *b,
                       const struct bundle_entry *e, const struct pyname *g)
{
    struct diag d = DIAG_INIT;
    struct member *m;

    if (e->type == ENTRY_DIR ||
        (e->type == ENTRY_SYMLINK && !e->problem && bundle_kind(b) != BUNDLE_ZIP)) {
        return; /* a directory, or a link to one inside the root: walked where it stands */
    }
    m = image_add_member(img, input, e->path);
    m->size = e->size;
    if (e->type == ENTRY_SYMLINK && !e->problem) {
        read_link(b, e, m);
        return;
    }
    if (e->problem) {
        m->problem = xstrdup(e->problem);
    } else if (distinfo_wants(e->path)) {
        read_distinfo(img, b, e, m);
        return;
    } else if (!pyclass_skip_content(e->path)) {
        if (bundle_peek(b, e, m->head, sizeof(m->head), &m->head_len, &d) != 0) {
            m->problem = xstrdup(d.msg);
        } else {
            m->content = pyclass_content(m->head, m->head_len);
            if (m->content == CONTENT_ELF) {
                read_elf(b, e, m);
            }
        }
    }
    pyclass_classify(m, g);
}

int scan_input(struct image *img, const char *path, enum input_role role,
               const struct bundle_limits *limits, const struct pyname *g, struct diag *d)
{
    struct bundle *b = NULL;
    const struct bundle_entry *entries;
    const struct strvec *notes;
    struct image_input *in;
    size_t input = img->inputs_nr;

    if (bundle_open(&b, path, limits, d) != 0) {
        return -1;
    }
    if (role == INPUT_LAYER && bundle_kind(b) == BUNDLE_FILE) {
        bundle_close(b);
        return diag_set(d, DIAG_INPUT, "layer '%s' is neither a zip nor a directory", path);
    }
    ALLOC_GROW(img->inputs, img->inputs_nr + 1, img->inputs_alloc);
    in = &img->inputs[img->inputs_nr++];
    memset(in, 0, sizeof(*in));
    in->name = xstrdup(path);
    in->kind = bundle_kind_name(bundle_kind(b));
    in->zipped = bundle_kind(b) == BUNDLE_ZIP;
    in->role = role;
    in->file_size = bundle_file_size(b);
    entries = bundle_entries(b, &in->entries);
    notes = bundle_notes(b);
    for (size_t i = 0; i < notes->nr; i++) {
        strvec_push(&in->notes, notes->v[i]);
    }
    for (size_t i = 0; i < in->entries; i++) {
        scan_entry(img, input, b, &entries[i], g);
    }
    bundle_close(b);
    return 0;
}

void scan_finish(struct image *img)
{
    distinfo_assign(img);
    image_index(img);
}
