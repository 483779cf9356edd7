/* SPDX-License-Identifier: MIT */
/* The reading phase: every entry of every input becomes a classified member with its facts. */
#include "scan.h"

#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "distinfo.h"
#include "path.h"
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

    if (e->type == ENTRY_DIR || (e->type == ENTRY_SYMLINK && !e->problem &&
                                 bundle_kind(b) != BUNDLE_ZIP && !e->open_path)) {
        return; /* a directory, or a link to one inside the root: walked where it stands */
    }
    m = image_add_member(img, input, e->path);
    m->size = e->size;
    if (e->type == ENTRY_SYMLINK && !e->problem && e->open_path) {
        /* A directory's link to a file: the path from the link's directory to the file. */
        char *dir = xstrndup(e->path, path_dir_len(e->path));
        m->link_target = path_relative(dir, e->open_path);
        free(dir);
        return;
    }
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

/* A layer by content: every entry sits under python/, lib/ or bin/, the directories Lambda
 * puts on sys.path, LD_LIBRARY_PATH and PATH from /opt ([aws-layers]). */
static bool looks_like_layer(const struct bundle_entry *entries, size_t nr)
{
    static const char *const dirs[] = {"python", "lib", "bin"};
    size_t files = 0;

    for (size_t i = 0; i < nr; i++) {
        const char *p = entries[i].path;
        size_t top = strcspn(p, "/");
        bool inside = false;
        for (size_t k = 0; k < ARRAY_SIZE(dirs); k++) {
            inside |= top == strlen(dirs[k]) && !strncmp(p, dirs[k], top) &&
                      (p[top] == '/' || entries[i].type == ENTRY_DIR);
        }
        if (!inside) {
            return false;
        }
        files += entries[i].type != ENTRY_DIR;
    }
    return files > 0;
}

/* The most recent function input: the one a --layer belongs to. */
static size_t last_function(const struct image *img)
{
    for (size_t i = img->inputs_nr; i-- > 0;) {
        if (img->inputs[i].role == INPUT_FUNCTION) {
            return i;
        }
    }
    return SIZE_MAX;
}

static void set_role(struct image *img, struct image_input *in, size_t input, enum scan_as as,
                     const struct bundle_entry *entries, size_t nr)
{
    in->view = input;
    switch (as) {
    case SCAN_LAYER_OF:
        in->role = INPUT_LAYER;
        in->view = last_function(img);
        in->role_why = "given with --layer";
        break;
    case SCAN_LAYER:
        in->role = INPUT_LAYER;
        in->role_why = "--role layer: checked as Lambda mounts it at /opt, under an empty function";
        break;
    case SCAN_FUNCTION:
        in->role = INPUT_FUNCTION;
        in->role_why = "--role function";
        break;
    case SCAN_HOST:
        in->role = INPUT_FUNCTION;
        in->role_why = "the function bundle its --layer options belong to";
        break;
    case SCAN_GUESS:
        if (looks_like_layer(entries, nr)) {
            in->role = INPUT_LAYER;
            in->role_why = "a layer by its content (everything sits under python/, lib/ or "
                           "bin/): checked as Lambda mounts it at /opt, under an empty "
                           "function; --role function checks it as a function";
        } else {
            in->role = INPUT_FUNCTION;
            in->role_why = "a function bundle";
        }
        break;
    }
}

int scan_input(struct image *img, const char *path, enum scan_as as, const struct scan_opts *o,
               struct diag *d)
{
    struct bundle *b = NULL;
    const struct bundle_entry *entries;
    const struct strvec *notes;
    struct image_input *in;
    size_t input = img->inputs_nr, nr;

    if (bundle_open(&b, path, o->limits, d) != 0) {
        return -1;
    }
    if (as == SCAN_LAYER_OF && last_function(img) == SIZE_MAX) {
        bundle_close(b);
        BUG("a --layer with no function bundle before it");
    }
    if ((as == SCAN_LAYER_OF || as == SCAN_LAYER) && bundle_kind(b) == BUNDLE_FILE) {
        bundle_close(b);
        return diag_set(d, DIAG_INPUT, "layer '%s' is neither a zip nor a directory", path);
    }
    entries = bundle_entries(b, &nr);
    ALLOC_GROW(img->inputs, img->inputs_nr + 1, img->inputs_alloc);
    in = &img->inputs[img->inputs_nr++];
    memset(in, 0, sizeof(*in));
    in->name = xstrdup(path);
    in->kind = bundle_kind_name(bundle_kind(b));
    in->zipped = bundle_kind(b) == BUNDLE_ZIP;
    in->file_size = bundle_file_size(b);
    in->entries = nr;
    set_role(img, in, input, as, entries, nr);
    for (size_t i = 0; i < nr; i++) {
        in->python_package |= !strcmp(entries[i].path, "python/__init__.py");
    }
    notes = bundle_notes(b);
    for (size_t i = 0; i < notes->nr; i++) {
        strvec_push(&in->notes, notes->v[i]);
    }
    for (size_t i = 0; i < nr; i++) {
        scan_entry(img, input, b, &entries[i], o->grammar);
    }
    bundle_close(b);
    return 0;
}

void scan_finish(struct image *img)
{
    distinfo_assign(img);
    image_index(img);
}
