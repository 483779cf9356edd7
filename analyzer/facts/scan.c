/* SPDX-License-Identifier: MIT */
/* The reading phase: every entry of every input becomes a classified member with its facts. */
#include "scan.h"

#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "container.h"
#include "distinfo.h"
#include "path.h"
#include "pyclass.h"
#include "scan_int.h"
#include "workers.h"
#include "xalloc.h"

/* Below these, threads cost more than they save (measured in bench/: a thread's start is
 * worth some hundred 4-byte peeks; a few MB inflate in a few ms). */
#define PARALLEL_PEEKS 256
#define PARALLEL_BYTES (4u << 20)

struct member *scan_member_of(const struct reading *rd, const struct pending *p)
{
    return p->sys ? &rd->img->sys[p->member] : &rd->img->members[p->member];
}

#define member_of scan_member_of

/* Readers for up to want threads, made here on the caller's thread; the count made (a zip
 * that cannot be opened again leaves fewer, never a member without a reader). */
static unsigned ensure_readers(struct reading *rd, unsigned want, struct diag *d)
{
    while (rd->readers_nr < want) {
        struct bundle_reader *r = bundle_reader_new(rd->b, d);
        if (!r) {
            break;
        }
        rd->readers[rd->readers_nr++] = r;
    }
    return rd->readers_nr;
}

void scan_list_entry(struct reading *rd, size_t input, const struct bundle_entry *e)
{
    struct member *m;
    struct pending p = {.e = e, .classify = true};

    if (e->type == ENTRY_DIR || (e->type == ENTRY_SYMLINK && !e->problem &&
                                 bundle_kind(rd->b) == BUNDLE_DIR && !e->open_path)) {
        return; /* a directory, or a link to one inside the root: walked where it stands */
    }
    p.member = rd->img->nr;
    m = image_add_member(rd->img, input, e->path);
    m->size = e->size;
    if (e->type == ENTRY_SYMLINK && !e->problem && e->link) {
        m->link_target = xstrdup(e->link); /* an image's link: its layer says where */
        return;
    }
    if (e->type == ENTRY_SYMLINK && !e->problem && e->open_path) {
        /* A directory's link to a file: the path from the link's directory to the file. */
        char *dir = xstrndup(e->path, path_dir_len(e->path));
        m->link_target = path_relative(dir, e->open_path);
        free(dir);
        return;
    }
    if (e->type == ENTRY_SYMLINK && !e->problem) {
        /* A link stored in a zip (unzip recreates it; Lambda does too): its content is the
         * target, which the loader view follows. */
        p.need = NEED_LINK;
        p.classify = false;
    } else if (e->problem) {
        m->problem = xstrdup(e->problem);
    } else if (distinfo_wants(e->path)) {
        m->role = ROLE_DISTINFO;
        p.classify = false;
        if (e->size > DISTINFO_MAX) {
            return;
        }
        p.need = NEED_DISTINFO;
        p.whole = true;
    } else if (!pyclass_skip_content(e->path)) {
        p.need = NEED_HEAD;
    }
    ALLOC_GROW(rd->p, rd->nr + 1, rd->alloc);
    rd->p[rd->nr++] = p;
}

/* A link's target, or a member's first bytes (which say whether it is ELF): each index
 * writes its own member only. */
static void peek_one(void *ctx, size_t i, unsigned worker)
{
    struct reading *rd = ctx;
    struct pending *p = &rd->p[i];
    struct member *m = member_of(rd, p);
    struct bundle_reader *r = rd->readers[worker];
    struct diag d = DIAG_INIT;
    unsigned char link[1024];
    size_t got = 0;

    if (p->need == NEED_LINK) {
        if (bundle_peek(r, p->e, link, sizeof(link) - 1, &got, &d) != 0) {
            m->problem = xstrdup(d.msg);
        } else {
            m->link_target = xstrndup((const char *)link, strnlen((const char *)link, got));
        }
        return;
    }
    if (p->need != NEED_HEAD) {
        return;
    }
    /* An empty file needs no bytes: it is empty. */
    if (p->e->size > 0 && bundle_peek(r, p->e, m->head, sizeof(m->head), &m->head_len, &d) != 0) {
        m->problem = xstrdup(d.msg);
        return;
    }
    m->content = pyclass_content(m->head, m->head_len);
    p->whole = m->content == CONTENT_ELF;
}

/* An ELF member, whole (mapped from a directory, inflated from a zip), into its facts. */
static void read_elf(void *ctx, size_t i, unsigned worker)
{
    struct reading *rd = ctx;
    struct pending *p = &rd->p[rd->elf[i]];
    struct member *m = member_of(rd, p);
    struct bundle_bytes bytes;
    struct diag d = DIAG_INIT;

    if (bundle_map(rd->readers[worker], p->e, &bytes, &d) != 0) {
        m->problem = xstrdup(d.msg);
        return;
    }
    m->elf = xcalloc(1, sizeof(*m->elf));
    elfinfo_from_memory(m->elf, bytes.data, bytes.len); /* a failure is in m->elf->error */
    bundle_bytes_release(&bytes);
}

static void read_distinfo(struct reading *rd, size_t input, const struct pending *p)
{
    struct member *m = member_of(rd, p);
    struct bundle_bytes bytes;
    struct diag d = DIAG_INIT;

    if (bundle_map(rd->readers[0], p->e, &bytes, &d) != 0) {
        m->problem = xstrdup(d.msg);
        return;
    }
    distinfo_add_file(rd->img, input, m->path, (const char *)bytes.data, bytes.len);
    bundle_bytes_release(&bytes);
}

/* Every entry of the bundle into img: listed in order, then first bytes (in parallel), the
 * read budget charged in entry order (so that which member it refuses does not depend on
 * threads), ELF members read whole (in parallel), metadata and classification in order. */
static void read_entries(struct image *img, size_t input, struct bundle *b,
                         const struct scan_opts *o)
{
    struct reading rd = {.img = img, .b = b, .jobs = o->jobs ? o->jobs : 1};
    const struct bundle_entry *entries;
    struct diag d = DIAG_INIT;
    uint64_t elf_bytes = 0;
    size_t nr, peeks = 0;
    unsigned n;

    entries = bundle_entries(b, &nr);
    for (size_t i = 0; i < nr; i++) {
        scan_list_entry(&rd, input, &entries[i]);
    }
    rd.readers = xcalloc(rd.jobs, sizeof(*rd.readers));
    if (ensure_readers(&rd, 1, &d) == 0) {
        /* The zip cannot be opened again: every member that needs bytes says why. */
        for (size_t i = 0; i < rd.nr; i++) {
            if (rd.p[i].need != NEED_NONE && !member_of(&rd, &rd.p[i])->problem) {
                member_of(&rd, &rd.p[i])->problem = xstrdup(d.msg);
            }
            rd.p[i].need = NEED_NONE;
            rd.p[i].whole = false;
        }
    }
    for (size_t i = 0; i < rd.nr; i++) {
        peeks += rd.p[i].need == NEED_HEAD || rd.p[i].need == NEED_LINK;
    }
    n = peeks >= PARALLEL_PEEKS || o->jobs_given ? ensure_readers(&rd, rd.jobs, &d) : 1;
    workers_run(n, rd.nr, peek_one, &rd);

    rd.elf = xcalloc(rd.nr ? rd.nr : 1, sizeof(*rd.elf));
    for (size_t i = 0; i < rd.nr; i++) {
        struct pending *p = &rd.p[i];
        if (!p->whole) {
            continue;
        }
        if (bundle_charge(b, p->e, &d) != 0) {
            member_of(&rd, p)->problem = xstrdup(d.msg);
            p->whole = false;
        } else if (p->need == NEED_HEAD) {
            rd.elf[rd.elf_nr++] = i;
            elf_bytes += p->e->size;
        }
    }
    n = elf_bytes >= PARALLEL_BYTES || o->jobs_given ? ensure_readers(&rd, rd.jobs, &d) : 1;
    workers_run(n, rd.elf_nr, read_elf, &rd);

    for (size_t i = 0; i < rd.nr; i++) {
        struct pending *p = &rd.p[i];
        if (p->need == NEED_DISTINFO && p->whole) {
            read_distinfo(&rd, input, p);
        }
        if (p->classify) {
            pyclass_classify(member_of(&rd, p), o->grammar);
        }
    }
    for (unsigned k = 0; k < rd.readers_nr; k++) {
        bundle_reader_free(rd.readers[k]);
    }
    free(rd.readers);
    free(rd.elf);
    free(rd.p);
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
    struct bundle_limits limits = *o->limits;
    const struct bundle_entry *entries;
    const struct strvec *notes;
    struct image_input *in;
    size_t input = img->inputs_nr, nr;

    limits.jobs = o->jobs;
    if (bundle_open(&b, path, &limits, d) != 0) {
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
    /* A function packaged as an image has no layers: their content is copied into /opt
     * by its Dockerfile (Lambda's CreateFunction takes Layers only with PackageType Zip). */
    if (bundle_kind(b) == BUNDLE_IMAGE && as != SCAN_GUESS && as != SCAN_FUNCTION) {
        bundle_close(b);
        return diag_set(d, DIAG_USAGE,
                        "'%s' is a container image: an image function takes no --layer and is "
                        "no layer (its Dockerfile copies the layers' content into /opt)",
                        path);
    }
    entries = bundle_entries(b, &nr);
    ALLOC_GROW(img->inputs, img->inputs_nr + 1, img->inputs_alloc);
    in = &img->inputs[img->inputs_nr++];
    memset(in, 0, sizeof(*in));
    in->name = xstrdup(path);
    in->kind = bundle_form(b);
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
    if (bundle_streamed(b)) {
        in->role = INPUT_FUNCTION;
        in->view = input;
        in->role_why = "a container image: its task root, /opt and its Python's site-packages "
                       "are checked against its own C library and loader path";
        scan_image_plan(img, input, b, o);
        scan_image_read(img, input, b, o);
    } else {
        read_entries(img, input, b, o);
    }
    bundle_close(b);
    return 0;
}

void scan_finish(struct image *img)
{
    distinfo_assign(img);
    image_index(img);
    for (size_t i = 0; i < img->inputs_nr; i++) {
        if (img->inputs[i].container) {
            container_finish(img->inputs[i].container, img, img->inputs[i].view);
            strvec_push_nodup(&img->inputs[i].notes, container_describe(img->inputs[i].container));
        }
    }
}
