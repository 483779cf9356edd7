/* SPDX-License-Identifier: MIT */
/* The reading phase: every entry of every input becomes a classified member with its facts. */
#define _GNU_SOURCE /* memrchr, qsort_r */
#include "scan.h"

#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "container.h"
#include "datadir.h"
#include "distinfo.h"
#include "nodepkg.h"
#include "path.h"
#include "pyclass.h"
#include "pysource.h"
#include "pystdlib.h"
#include "scan_int.h"
#include "strmap.h"
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

/* Whether path (below its sys.path entry) is in a package's tests/ or test/ directory: code
 * a function never imports (half the sources of numpy, scipy, pandas), not read for imports. */
static bool in_tests(const char *path)
{
    for (const char *p = path, *slash; (slash = strchr(p, '/')) != NULL; p = slash + 1) {
        size_t n = (size_t)(slash - p);
        if ((n == 5 && !strncmp(p, "tests", 5)) || (n == 4 && !strncmp(p, "test", 4))) {
            return true;
        }
    }
    return false;
}

/* Whether path (below its sys.path entry) is the module rel names: rel.py or rel/__init__.py. */
static bool is_module_file(const char *path, const char *rel)
{
    size_t n = strlen(rel);

    return !strncmp(path, rel, n) &&
           (!strcmp(path + n, ".py") || !strcmp(path + n, "/__init__.py"));
}

void scan_list_entry(struct reading *rd, size_t input, const struct bundle_entry *e)
{
    struct member *m;
    struct pending p = {.e = e, .classify = true};

    if (e->type == ENTRY_DIR || (e->type == ENTRY_SYMLINK && !e->problem &&
                                 bundle_kind(rd->b) == BUNDLE_DIR && !e->open_path)) {
        return; /* a directory, or a link to one inside the root: walked where it stands */
    }
    /* zip -r stores a directory's file, and the file a link names, as their bytes. */
    p.estimate = rd->estimate && !e->problem && e->size &&
                 (e->type == ENTRY_FILE || (e->type == ENTRY_SYMLINK && e->open_path));
    p.member = rd->img->nr;
    m = image_add_member(rd->img, input, e->path);
    m->size = e->size;
    m->stored = e->stored;
    m->mode = e->mode;
    m->mode_lost = e->mode_lost;
    if (bundle_kind(rd->b) == BUNDLE_ZIP && e->type == ENTRY_FILE) {
        m->crc = e->crc;
        m->crc_known = true;
    }
    if (e->type == ENTRY_SYMLINK && !e->problem && e->link) {
        m->link_target = xstrdup(e->link); /* an image's link: its layer says where */
        return;
    }
    if (e->type == ENTRY_SYMLINK && !e->problem && e->open_path) {
        /* A directory's link to a file: the path from the link's directory to the file. */
        char *dir = xstrndup(e->path, path_dir_len(e->path));
        m->link_target = path_relative(dir, e->open_path);
        free(dir);
        if (p.estimate) {
            p.classify = false;
            ALLOC_GROW(rd->p, rd->nr + 1, rd->alloc);
            rd->p[rd->nr++] = p;
        }
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
            if (p.estimate) {
                ALLOC_GROW(rd->p, rd->nr + 1, rd->alloc);
                rd->p[rd->nr++] = p;
            }
            return;
        }
        p.need = NEED_DISTINFO;
        p.whole = true;
    } else if (!strcmp(path_base(e->path), "package.json") &&
               (strstr(e->path, "node_modules/") || !strcmp(e->path, "package.json")) &&
               e->size <= NPMPKG_MAX) {
        /* which platforms its addons are for; the function's own: its devDependencies */
        p.need = NEED_PACKAGE;
        p.whole = true;
    } else if (nodepkg_is_index(e->path) && e->size <= NODEPKG_INDEX_MAX) {
        p.need = NEED_SCRIPT; /* whether it falls back when its addon cannot load */
        p.whole = true;
    } else if (!pyclass_skip_content(e->path)) {
        p.need = NEED_HEAD;
    } else if (path_has_suffix(e->path, ".py") && e->size <= PYSOURCE_MAX && m->on_site &&
               (strmap_get(&rd->modules, e->path, path_dir_len(e->path)) ||
                (!rd->img->inputs[input].container && !in_tests(m->path + m->site_off)))) {
        /* (a container image's other sources are not streamed: scan_image.c reads heads) */
        /* What it imports at module level (and, beside extension modules, whether it
         * imports them guarded); the handler's module, the names it binds too. */
        p.modules = strmap_get(&rd->modules, e->path, path_dir_len(e->path));
        p.need = NEED_SOURCE;
        p.whole = true;
        p.names = rd->handler_rel && is_module_file(m->path + m->site_off, rd->handler_rel);
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
    if (m->head_len >= 2 && m->head[0] == '#' && m->head[1] == '!' && image_is_bootstrap(m)) {
        /* A script bootstrap: the interpreter its first line names is what Lambda execs. */
        unsigned char line[SHEBANG_MAX + 1];
        if (bundle_peek(r, p->e, line, SHEBANG_MAX, &got, &d) == 0) {
            line[got] = '\0';
            m->shebang = xstrndup((const char *)line, strcspn((const char *)line, "\n"));
        }
    }
}

static int cmp_size(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* Indices of rd->p by their members' size, the largest first (ties in entry order). */
static int cmp_larger(const void *x, const void *y, void *ctx)
{
    const struct reading *rd = ctx;
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    uint64_t sa = rd->p[a].e->size, sb = rd->p[b].e->size;

    if (sa != sb) {
        return sa > sb ? -1 : 1;
    }
    return a < b ? -1 : a > b;
}

/* The ELF files of a directory whose size another one has: only those are CRC'd (the size
 * plan's copies), so that a scan still touches only the pages libelf reads of the rest. */
static void mark_same_sizes(struct reading *rd)
{
    uint64_t *sizes = xcalloc(rd->elf_nr + 1, sizeof(*sizes));
    size_t n = 0;

    for (size_t i = 0; i < rd->elf_nr; i++) {
        if (rd->p[rd->elf[i]].need == NEED_HEAD) {
            sizes[n++] = rd->p[rd->elf[i]].e->size;
        }
    }
    qsort(sizes, n, sizeof(*sizes), cmp_size);
    for (size_t i = 0; i < rd->elf_nr; i++) {
        struct pending *p = &rd->p[rd->elf[i]];
        uint64_t *at;
        if (p->need != NEED_HEAD || !p->e->size) {
            continue;
        }
        at = bsearch(&p->e->size, sizes, n, sizeof(*sizes), cmp_size);
        p->crc = at && ((at > sizes && at[-1] == *at) || (at + 1 < sizes + n && at[1] == *at));
    }
    free(sizes);
}

/* An ELF member, whole (mapped from a directory, inflated from a zip), into its facts; a
 * Python source file into the guarded imports it holds; a package.json into its platforms. */
static void read_whole(void *ctx, size_t i, unsigned worker)
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
    if (p->need == NEED_PACKAGE) {
        m->npm = xcalloc(1, sizeof(*m->npm));
        npmpkg_read(m->npm, bytes.data ? (const char *)bytes.data : "", bytes.len);
    } else if (p->need == NEED_SCRIPT) {
        m->js_fallback = bytes.data && nodepkg_falls_back((const char *)bytes.data, bytes.len);
    } else if (p->need == NEED_SOURCE) {
        /* An empty file maps to no bytes at all: its text is "", never NULL. */
        const char *text = bytes.data ? (const char *)bytes.data : "";
        if (!rd->handler_rel && !p->names && rd->removed.nr &&
            !pysource_imports_any(text, bytes.len, &rd->removed, p->modules)) {
            bundle_bytes_release(&bytes);
            return; /* it imports no removed module, nor one beside it: nothing to read */
        }
        m->py = xcalloc(1, sizeof(*m->py));
        pysource_read(
            text, bytes.len,
            (p->names ? PYSOURCE_NAMES : 0) | (p->modules ? PYSOURCE_ALL : 0) |
                (!strcmp(path_base(m->path), "__init__.py") || !strchr(m->path + m->site_off, '/')
                     ? PYSOURCE_HOOKS
                     : 0),
            m->py);
        if (p->modules) {
            pysource_module_imports(m->py, p->modules, &m->guards, &m->unguarded);
        }
    } else {
        if (p->crc) { /* before libelf may turn a foreign byte order in place */
            m->crc = bundle_bytes_crc32(&bytes);
            m->crc_known = true;
        }
        m->elf = xcalloc(1, sizeof(*m->elf));
        elfinfo_from_memory(m->elf, bytes.data, bytes.len); /* a failure is in m->elf->error */
    }
    bundle_bytes_release(&bytes);
}

/* What zip -r would store of a directory's file (scan_opts.estimate_zip): its stored bytes,
 * estimated. A file that cannot be mapped keeps its size (stored as it is). */
static void estimate_one(void *ctx, size_t i, unsigned worker)
{
    struct reading *rd = ctx;
    struct pending *p = &rd->p[i];
    struct member *m = member_of(rd, p);
    struct bundle_bytes bytes;
    struct diag d = DIAG_INIT;

    if (!p->estimate || bundle_map(rd->readers[worker], p->e, &bytes, &d) != 0) {
        return;
    }
    if (!rd->deflaters[worker]) {
        rd->deflaters[worker] = bundle_deflater_new();
    }
    m->stored = bundle_deflated_size(rd->deflaters[worker], bytes.data, bytes.len);
    bundle_bytes_release(&bytes);
}

/* The set of names of the directory path[0..dir) (name -> itself, the key the map owns). */
static struct strmap *names_of(struct reading *rd, const char *path, size_t dir)
{
    struct strmap *names = strmap_get(&rd->modules, path, dir);

    if (!names) {
        names = xcalloc(1, sizeof(*names));
        strmap_put(&rd->modules, path, dir, names);
    }
    return names;
}

static void add_name(struct strmap *names, const char *name, size_t len)
{
    if (!strmap_get(names, name, len)) {
        strmap_put(names, name, len, (void *)"");
    }
}

/* The names a source file may import on the way to an extension module, by directory: the
 * extension modules of its directory; the Python modules beside them (yaml/cyaml.py imports
 * yaml._yaml, yaml/__init__.py imports .cyaml under a guard); and in each directory above,
 * the package below it (a handler's `try: import yaml`). The sources of those directories
 * are read for how they import them (pysource.h). */
static void index_modules(struct reading *rd, const struct bundle_entry *entries, size_t nr,
                          const struct pyname *g)
{
    for (size_t i = 0; i < nr; i++) {
        const char *path = entries[i].path, *base = path_base(path);
        size_t dir = path_dir_len(path);
        struct pyext_name x = {0};
        if (entries[i].type == ENTRY_DIR ||
            !(pyclass_shared_object_name(base) || path_has_suffix(base, ".pyd"))) {
            continue;
        }
        if (pyname_parse(g, base, &x) != PYEXT_NONE && x.module) {
            add_name(names_of(rd, path, dir), x.module, strlen(x.module));
            /* Each package above it, named in the directory above that. */
            for (size_t d = dir; d;) {
                const char *slash = memrchr(path, '/', d);
                size_t up = slash ? (size_t)(slash - path) : 0;
                add_name(names_of(rd, path, up), path + (up ? up + 1 : 0), d - (up ? up + 1 : 0));
                d = up;
            }
        }
        pyext_name_release(&x);
    }
    for (size_t i = 0; i < nr; i++) {
        const char *path = entries[i].path, *base = path_base(path);
        struct strmap *names;
        if (entries[i].type != ENTRY_DIR && path_has_suffix(base, ".py") &&
            strcmp(base, "__init__.py") != 0 &&
            (names = strmap_get(&rd->modules, path, path_dir_len(path))) != NULL) {
            add_name(names, base, strlen(base) - 3);
        }
    }
}

static void free_modules(struct strmap *modules)
{
    for (size_t i = 0; i < modules->cap; i++) {
        if (modules->slots[i].key) {
            strmap_release(modules->slots[i].value);
            free(modules->slots[i].value);
        }
    }
    strmap_release(modules);
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

/* The declared handler's module of input's function, as a path: "src/api/bookings" for
 * src/api/bookings.handler (doc/sources.md#the-handler), or NULL. */
static char *handler_rel(const struct image *img, size_t input)
{
    size_t view = img->inputs[input].view;
    const char *h = view < img->inputs_nr ? img->inputs[view].declared : NULL;
    const char *dot = h ? strrchr(h, '.') : NULL;
    char *rel;

    if (!dot || dot == h) {
        return NULL;
    }
    rel = xstrndup(h, (size_t)(dot - h));
    for (char *c = rel; *c; c++) {
        *c = *c == '.' ? '/' : *c;
    }
    return rel;
}

/* Every entry of the bundle into img: listed in order, then first bytes (in parallel), the
 * read budget charged in entry order (so that which member it refuses does not depend on
 * threads), ELF members read whole (in parallel), metadata and classification in order. */
static void read_entries(struct image *img, size_t input, struct bundle *b,
                         const struct scan_opts *o)
{
    struct reading rd = {.img = img,
                         .b = b,
                         .jobs = o->jobs ? o->jobs : 1,
                         .estimate = o->estimate_zip && bundle_kind(b) == BUNDLE_DIR};
    const struct bundle_entry *entries;
    struct diag d = DIAG_INIT;
    uint64_t elf_bytes = 0;
    size_t nr, peeks = 0;
    unsigned n;

    entries = bundle_entries(b, &nr);
    rd.handler_rel = handler_rel(img, input);
    index_modules(&rd, entries, nr, o->grammar);
    for (size_t i = 0; i < nr; i++) {
        scan_list_entry(&rd, input, &entries[i]);
    }
    /* The removed modules (rules/stdlib.json), loaded only when a source is to be read. */
    for (size_t i = 0; o->data && i < rd.nr; i++) {
        if (rd.p[i].need == NEED_SOURCE) {
            const struct stdlib *sl = datadir_stdlib(o->data);
            for (size_t k = 0; k < sl->removed_nr; k++) {
                const char *r = sl->removed[k].module;
                strmap_put(&rd.removed, r, strlen(r), (void *)r);
            }
            break;
        }
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
        } else if (p->need == NEED_HEAD || p->need == NEED_SOURCE || p->need == NEED_PACKAGE ||
                   p->need == NEED_SCRIPT) {
            rd.elf[rd.elf_nr++] = i;
            elf_bytes += p->e->size;
        }
    }
    if (bundle_kind(b) != BUNDLE_ZIP) {
        mark_same_sizes(&rd);
    }
    n = elf_bytes >= PARALLEL_BYTES || o->jobs_given ? ensure_readers(&rd, rd.jobs, &d) : 1;
    /* The largest first: handed out last, a 36 MB library would leave the other threads
     * idle while one inflates it; and a reader's buffer, sized by the first, never grows.
     * Each member's facts are its own whatever the order. */
    qsort_r(rd.elf, rd.elf_nr, sizeof(*rd.elf), cmp_larger, &rd);
    workers_run(n, rd.elf_nr, read_whole, &rd);

    for (size_t i = 0; i < rd.nr; i++) {
        struct pending *p = &rd.p[i];
        if (p->need == NEED_DISTINFO && p->whole) {
            read_distinfo(&rd, input, p);
        }
        if (p->classify) {
            pyclass_classify(member_of(&rd, p), o->grammar);
        }
    }
    if (rd.estimate && rd.readers_nr) {
        /* Every file read whole and deflated: the threads pay as soon as there are two. */
        rd.deflaters = xcalloc(rd.jobs, sizeof(*rd.deflaters));
        n = rd.nr > 1 ? ensure_readers(&rd, rd.jobs, &d) : 1;
        workers_run(n, rd.nr, estimate_one, &rd);
        for (unsigned k = 0; k < rd.jobs; k++) {
            bundle_deflater_free(rd.deflaters[k]);
        }
        free(rd.deflaters);
        img->inputs[input].zip_estimated = true;
    }
    for (unsigned k = 0; k < rd.readers_nr; k++) {
        bundle_reader_free(rd.readers[k]);
    }
    free(rd.readers);
    free(rd.elf);
    free(rd.p);
    free(rd.handler_rel);
    strmap_release(&rd.removed);
    free_modules(&rd.modules);
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
    if (as == SCAN_LAYER_OF && scan_last_function(img) == SIZE_MAX) {
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
    for (size_t i = 0; i < nr; i++) {
        if (entries[i].type == ENTRY_DIR) {
            in->dirs++;
            in->dir_names += strlen(entries[i].path) + 1;
        }
    }
    scan_set_role(img, in, input, as, entries, nr);
    if (in->role == INPUT_FUNCTION && as != SCAN_LAYER_OF && o->handler) {
        in->declared = xstrdup(o->handler);
        in->declared_why = o->handler_why ? o->handler_why : "as given";
    }
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
