/* SPDX-License-Identifier: MIT */
/*
 * The reading phase for a container image: its files placed (task root, /opt, site-packages,
 * or the system's), then the members the checks need streamed out of its layers in one
 * pass (bundle_stream), each member's facts taken as it goes by, and the metadata read in
 * order afterwards, so that the image reads the same on any number of threads.
 */
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "distinfo.h"
#include "path.h"
#include "pyclass.h"
#include "scan_int.h"
#include "xalloc.h"

void scan_image_plan(struct image *img, size_t input, struct bundle *b, const struct scan_opts *o)
{
    struct image_input *in = &img->inputs[input];
    const struct bundle_entry *entries;
    struct container *c;
    size_t nr;
    char *marker;

    entries = bundle_entries(b, &nr);
    c = in->container = container_new(bundle_image(b));
    container_plan(c, entries, nr);
    c->function_arch = xstrdup(o->function_arch ? o->function_arch : "x86_64");
    c->function_arch_why =
        xstrdup(o->function_arch_why ? o->function_arch_why : "Lambda's default");
    /* A python/ the function makes a package of is importable where it stands. */
    marker = xasprintf("%s/python/__init__.py", c->task_root);
    for (size_t i = 0; i < nr; i++) {
        in->python_package |= !strcmp(entries[i].path, marker);
    }
    free(marker);
}

/* Worth a system member: what the loader may open or pass through (a shared object's name,
 * a link, which may be a directory on a search path), and the files the facts read. */
static bool keep_system(const struct container *c, const struct bundle_entry *e)
{
    return e->type == ENTRY_SYMLINK || pyclass_shared_object_name(path_base(e->path)) ||
           container_wants(c, e->path);
}

static void list_image_entry(struct reading *rd, size_t input, const struct bundle_entry *e)
{
    const struct container *c = rd->img->inputs[input].container;
    struct pending p = {.e = e, .sys = true};
    struct member *m;

    if (e->image_level) {
        m = image_add_image_level(rd->img, input, e->path);
        m->problem = xstrdup(e->problem);
        return;
    }
    if (!image_is_system_path(rd->img, input, e->path)) {
        scan_list_entry(rd, input, e);
        return;
    }
    if (e->type == ENTRY_DIR || e->type == ENTRY_SPECIAL || e->problem || !keep_system(c, e)) {
        return; /* the image's own: nothing the checks or the loader look at */
    }
    p.member = rd->img->sys_nr;
    m = image_add_member(rd->img, input, e->path);
    m->size = e->size;
    m->stored = e->stored;
    if (e->type == ENTRY_SYMLINK) {
        m->link_target = xstrdup(e->link ? e->link : "");
        return;
    }
    if (!container_wants(c, e->path)) {
        return;
    }
    p.need = container_wants_text(e->path) ? NEED_TEXT : NEED_HEAD;
    p.whole = p.need == NEED_TEXT;
    ALLOC_GROW(rd->p, rd->nr + 1, rd->alloc);
    rd->p[rd->nr++] = p;
}

struct stream_ctx {
    struct reading *rd;
    size_t *by_entry; /* entry index -> index in rd->p + 1 */
    uint64_t max_member;
};

/* A member as it streams by: its first bytes, all of it when they say ELF (its facts then
 * taken at once, the bytes dropped), a metadata file kept whole. Writes its member only. */
static void visit(void *ctx, size_t entry, struct bundle_stream *s, const char *problem)
{
    struct stream_ctx *sc = ctx;
    struct pending *p = &sc->rd->p[sc->by_entry[entry] - 1];
    struct member *m = scan_member_of(sc->rd, p);
    struct bundle_bytes bytes;
    struct diag d = DIAG_INIT;

    if (!s) {
        m->problem = xstrdup(problem);
        return;
    }
    if (p->need == NEED_DISTINFO || p->need == NEED_TEXT) {
        if (p->e->size > DISTINFO_MAX || bundle_stream_whole(s, &p->bytes, &d) != 0) {
            p->whole = false;
        }
        return;
    }
    if (p->e->size > 0 && bundle_stream_read(s, m->head, sizeof(m->head), &m->head_len, &d) != 0) {
        m->problem = xstrdup(d.msg);
        return;
    }
    m->content = pyclass_content(m->head, m->head_len);
    if (m->content != CONTENT_ELF) {
        return;
    }
    if (bundle_stream_whole(s, &bytes, &d) != 0) {
        m->problem = xstrdup(d.msg);
        return;
    }
    m->elf = xcalloc(1, sizeof(*m->elf));
    elfinfo_from_memory(m->elf, bytes.data, bytes.len); /* a failure is in m->elf->error */
    bundle_bytes_release(&bytes);
}

void scan_image_read(struct image *img, size_t input, struct bundle *b, const struct scan_opts *o)
{
    struct reading rd = {.img = img, .b = b, .jobs = o->jobs ? o->jobs : 1};
    struct container *c = img->inputs[input].container;
    const struct bundle_entry *entries;
    struct stream_ctx sc = {&rd, NULL, o->limits->max_member_size};
    bool *want;
    size_t nr;

    entries = bundle_entries(b, &nr);
    for (size_t i = 0; i < nr; i++) {
        list_image_entry(&rd, input, &entries[i]);
    }
    want = xcalloc(nr + 1, sizeof(*want));
    sc.by_entry = xcalloc(nr + 1, sizeof(*sc.by_entry));
    for (size_t i = 0; i < rd.nr; i++) {
        size_t e = (size_t)(rd.p[i].e - entries);
        if (rd.p[i].need != NEED_NONE && rd.p[i].need != NEED_LINK) {
            want[e] = true;
            sc.by_entry[e] = i + 1;
        }
    }
    bundle_stream(b, want, rd.jobs, visit, &sc);
    /* In entry order, as for the other inputs: metadata, then each member's role. */
    for (size_t i = 0; i < rd.nr; i++) {
        struct pending *p = &rd.p[i];
        struct member *m = scan_member_of(&rd, p);
        if (p->need == NEED_DISTINFO && p->whole && p->bytes.data) {
            distinfo_add_file(img, input, m->path, (const char *)p->bytes.data, p->bytes.len);
        } else if (p->need == NEED_TEXT && p->bytes.data) {
            container_read_text(c, m->path, (const char *)p->bytes.data, p->bytes.len);
        }
        bundle_bytes_release(&p->bytes);
        if (p->classify) {
            pyclass_classify(m, o->grammar);
        }
    }
    free(sc.by_entry);
    free(want);
    free(rd.p);
}
