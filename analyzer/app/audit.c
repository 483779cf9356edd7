/* SPDX-License-Identifier: MIT */
/* Jobs read, checked and gated as units on threads; merged, and streamed, in job order. */
#include "audit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "builtwith.h"
#include "bundle.h"
#include "checks.h"
#include "container.h"
#include "image.h"
#include "image_target.h"
#include "installer.h"
#include "path.h"
#include "progress.h"
#include "pyname.h"
#include "scan.h"
#include "sizeplan.h"
#include "srcroot.h"
#include "version.h"
#include "workers.h"
#include "xalloc.h"

/* One job's result, kept until the report is written: its inputs' names and notes (the
 * report points at them), its matrix; its findings and the ones its gate set aside move
 * into the audit's when it is merged. */
struct audit_unit {
    struct report_input *ri;
    size_t nr;
    char **names;
    char **reals; /* where each input is (srcroot_locate()), for the formats that place it */
    struct strvec *notes;
    struct strvec *about; /* per input: what was found in a container image */
    char *error;
    struct findings findings;
    struct causes causes; /* of its findings once gated; indexes into findings */
    struct gate gate;
    struct report_verdict *matrix;
    size_t matrix_nr;
    struct size_plans sizes;       /* per input: the plan of each head that has one */
    struct built_with *built;      /* per input: how each head was built */
    const struct profile *profile; /* its target: the job's, or its container image's */
    struct profile own;            /* a container image's target (image_target.h) */
    bool done;
};

struct actx {
    const struct jobs *js;
    const struct audit_opts *ao;
    struct audit *out;
    struct pyname *grammar;
    struct bundle_limits limits;
    unsigned inner;   /* threads that read one job's members */
    bool inner_given; /* --jobs, and one job: use them whatever its size */
    pthread_mutex_t lock;
    size_t next; /* the next unit to merge */
    struct progress progress;
    struct diag stream_d;
    int stream_rc;
};

static const char *job_name(const struct job *j)
{
    return j->path ? j->path : j->function;
}

/* The report's entries for a job none of whose inputs was read (why: its first's error). */
static void entries_unread(struct audit_unit *u, const struct job *j)
{
    for (size_t k = 0; k < u->nr; k++) {
        u->names[k] = xstrdup(k ? j->layers.v[k - 1] : job_name(j));
        u->ri[k].name = u->names[k];
        u->ri[k].role = k ? "layer" : "function";
        u->ri[k].role_reason = k ? "a layer of the function" : "a function";
        u->ri[k].notes = &u->notes[k];
    }
}

/* What the report says of each input of the image: the emitters see this, never it. */
static void summarize(struct audit_unit *u, const struct image *img, const struct job *j)
{
    for (size_t i = 0; i < img->inputs_nr; i++) {
        const struct image_input *in = &img->inputs[i];
        struct image_counts c;
        image_count(img, i, &c);
        u->names[i] = xstrdup(in->name);
        for (size_t k = 0; k < in->notes.nr; k++) {
            strvec_push(&u->notes[i], in->notes.v[k]);
        }
        if (in->container) {
            container_about(in->container, &u->about[i]);
        }
        u->ri[i] = (struct report_input){.name = u->names[i],
                                         .kind = in->kind,
                                         .role = image_role_name(in->role),
                                         .role_reason = in->role_why,
                                         .alone = (in->role == INPUT_LAYER && in->view == i) ||
                                                  in->tell_role,
                                         .files = c.members,
                                         .elf_objects = c.elf_objects,
                                         .extensions = c.extensions,
                                         .distributions = c.distributions,
                                         .notes = &u->notes[i],
                                         .about = &u->about[i]};
        if (j->function) {
            u->ri[i].role_reason = i ? "a layer of the function, as declared" : j->role_why;
        }
    }
}

/* Without a target: every runtime and architecture (of one, when it is given), and
 * where the job would import. */
static void build_matrix(struct audit_unit *u, const struct actx *c, const struct job *j,
                         const struct image *img)
{
    const struct datadir *dd = c->ao->dd;
    enum severity fail_on = c->ao->o->fail_on;

    const struct profiles *ps = datadir_profiles(dd);
    /* A bundle with a bootstrap at its top is a custom runtime's: the OS-only runtimes are
     * its matrix; one with node_modules or an addon and no Python module, the Node.js
     * runtimes'; any other, the Python runtimes'. */
    enum runtime_family family = FAMILY_PYTHON;
    bool node = false, python = false;

    for (size_t i = 0; i < img->nr && family != FAMILY_OS; i++) {
        const struct member *m = &img->members[i];
        if (image_is_bootstrap(m)) {
            family = FAMILY_OS;
        }
        node |= m->npm || m->role == ROLE_ADDON;
        python |= m->role == ROLE_EXTENSION || (m->on_site && path_has_suffix(m->path, ".py") &&
                                                !strstr(m->path, "node_modules/"));
    }
    if (family != FAMILY_OS && node && !python) {
        family = FAMILY_NODE;
    }
    u->matrix = xcalloc(ps->nr + 1, sizeof(*u->matrix));
    for (size_t i = 0; i < ps->nr; i++) {
        const struct profile *p = &ps->v[i];
        struct report_verdict *v = &u->matrix[u->matrix_nr];
        struct findings fs = {0};
        if ((j->matrix_arch && strcmp(p->arch, j->matrix_arch) != 0) ||
            profile_family(p) != family) {
            continue;
        }
        checks_run(img, p, dd, NULL, c->inner, c->inner_given, &fs);
        v->profile = p;
        v->errors = findings_count(&fs, SEV_ERROR);
        v->warnings = findings_count(&fs, SEV_WARNING);
        /* Whether it imports and whether Lambda still takes the runtime are two questions: a
         * python3.6 function imports where it was deployed, but cannot be updated. */
        v->imports = v->deploys = true;
        for (size_t k = 0; k < fs.nr; k++) {
            bool end = fs.items[k].rule->blocks_deploy;
            if (fs.items[k].severity >= fail_on) {
                *(end ? &v->deploys : &v->imports) = false;
            }
        }
        for (size_t k = 0; k < fs.nr; k++) {
            if (fs.items[k].severity >= fail_on &&
                !strvec_contains(&v->blockers, fs.items[k].rule->slug)) {
                strvec_push(&v->blockers, fs.items[k].rule->slug);
            }
        }
        findings_release(&fs);
        u->matrix_nr++;
    }
}

/* Whether a head has a finding that asks for the size plan (size-limit's catalogue row says
 * "size_plan"), or, checked on every runtime, is blocked by one. */
static bool near_limit(const struct audit_unit *u, size_t input, const struct ruleset *rs)
{
    for (size_t i = 0; i < u->findings.nr; i++) {
        const struct finding *f = &u->findings.items[i];
        if (f->input == input && f->rule->size_plan) {
            return true;
        }
    }
    for (size_t r = 0; r < u->matrix_nr; r++) {
        const struct strvec *blockers = &u->matrix[r].blockers;
        for (size_t b = 0; b < blockers->nr; b++) {
            const struct rule *rule = rules_find_name(rs, blockers->v[b]);
            if (rule && rule->size_plan) {
                return true;
            }
        }
    }
    return false;
}

/* The size plan of each function, each layer alone and each container image (against its
 * own limit: what its Dockerfile copies into its task root and /opt): asked for (--size, an
 * exclude list, a treemap), or the head is near or over a limit. */
static void size_plans(struct audit_unit *u, const struct actx *c, const struct image *img)
{
    for (size_t i = 0; i < img->inputs_nr && i < u->nr; i++) {
        if (img->inputs[i].view != i || !(c->ao->size || near_limit(u, i, &c->ao->dd->rules))) {
            continue;
        }
        u->ri[i].size = sizeplans_of(&u->sizes, img, i, u->profile ? u->profile->runtime : NULL,
                                     &c->ao->dd->limits);
    }
}

/* The function's bundle, then its layers in configuration order: /var/task + /opt. */
static void read_unit(struct actx *c, const struct job *j, struct audit_unit *u)
{
    const struct options *o = c->ao->o;
    struct bundle_limits limits = c->limits;
    struct scan_opts so = {.limits = &limits,
                           .grammar = c->grammar,
                           .jobs = c->inner,
                           .jobs_given = c->inner_given,
                           .estimate_zip = c->ao->size,
                           .data = c->ao->dd};
    const char *arch = j->profile ? j->profile->arch : j->matrix_arch ? j->matrix_arch : o->arch;
    struct image img = {0};
    struct diag d = DIAG_INIT;
    int from_image;

    /* A container image index: the image for the function's architecture, or --platform's;
     * the function's architecture is what an image's own is held to (image-arch-mismatch). */
    limits.platform = o->platform              ? o->platform
                      : !strcmp(arch, "arm64") ? "linux/arm64"
                                               : "linux/amd64";
    limits.platform_given = o->platform != NULL;
    so.function_arch = arch;
    so.handler = j->handler;
    so.handler_why = j->handler_why;
    so.function_arch_why = o->arch_given ? "--arch"
                           : j->function ? "its declaration"
                                         : "Lambda's default";
    u->profile = j->profile;

    u->nr = 1 + j->layers.nr;
    u->ri = xcalloc(u->nr, sizeof(*u->ri));
    u->names = xcalloc(u->nr, sizeof(*u->names));
    u->reals = xcalloc(u->nr, sizeof(*u->reals));
    u->notes = xcalloc(u->nr, sizeof(*u->notes));
    u->about = xcalloc(u->nr, sizeof(*u->about));
    u->built = xcalloc(u->nr, sizeof(*u->built));
    if (j->error || j->skipped) {
        entries_unread(u, j);
        u->error = j->error ? xstrdup(j->error) : NULL;
        u->ri[0].error = u->error;
        u->ri[0].skipped = j->skipped;
        return;
    }
    for (size_t k = 0; k < u->nr; k++) {
        const char *path = k ? j->layers.v[k - 1] : j->path;
        if (scan_input(&img, path, k ? SCAN_LAYER_OF : j->as, &so, &d) != 0) {
            u->error = xstrdup(d.msg);
            entries_unread(u, j);
            u->ri[k].error = u->error;
            image_release(&img);
            return;
        }
    }
    scan_finish(&img);
    /* A container image carries its target: its Python, architecture and C library. */
    from_image = img.inputs_nr && img.inputs[0].container
                     ? image_target(&u->own, &img, datadir_profiles(c->ao->dd),
                                    j->profile ? j->profile->runtime : NULL, &d)
                     : 1; /* a bundle: its target is the command line's (every profile is
                           * read only for an image, which names its own) */
    if (from_image < 0) {
        u->error = xstrdup(d.msg);
        entries_unread(u, j);
        u->ri[0].error = u->error;
        image_release(&img);
        return;
    }
    if (from_image == 0) {
        u->profile = &u->own;
    }
    summarize(u, &img, j);
    if (u->profile) {
        checks_run(&img, u->profile, c->ao->dd, &u->sizes, c->inner, c->inner_given, &u->findings);
        findings_sort(&u->findings);
    } else {
        build_matrix(u, c, j, &img);
    }
    size_plans(u, c, &img);
    for (size_t i = 0; i < img.inputs_nr && i < u->nr; i++) {
        if (img.inputs[i].view == i) {
            built_with_read(&u->built[i], &img, i);
            u->ri[i].built = &u->built[i];
        }
    }
    image_release(&img);
}

/* The unit's findings, gated, grouped by cause; the fix of those a rebuild removes is the
 * bundle's rebuild in its installer (found beside the bundle when not named). */
static void group_causes(struct actx *c, struct audit_unit *u, const struct job *j)
{
    struct cause_rebuild rb = {NULL, NULL};
    char *command = NULL, *note = NULL, *why = NULL;

    if (!u->profile || u->error || !u->findings.nr) {
        return;
    }
    for (size_t i = 0; i < u->findings.nr; i++) {
        if (u->findings.items[i].rebuild) {
            struct installer in = installer_find(
                j->path, c->ao->o->installer, j->function ? c->ao->o->template_path : NULL, &why);
            in.why = why;
            command = advice_rebuild(u->profile, !strcmp(u->ri[0].role, "layer"), &in, &note);
            break;
        }
    }
    rb.command = command;
    rb.note = note;
    causes_group(&u->causes, &u->findings, 0, u->findings.nr, 0, u->profile, &rb);
    free(command);
    free(note);
    free(why);
}

/* The unit's own report: its JSON line, written as soon as it is merged. */
static void stream_unit(struct actx *c, struct audit_unit *u, const struct job *j)
{
    const struct audit_opts *ao = c->ao;
    struct report mini = {.tool_name = ABISCAN_NAME,
                          .tool_version = ABISCAN_VERSION,
                          .profile = u->profile,
                          .inputs = u->ri,
                          .inputs_nr = u->nr,
                          .findings = &u->findings,
                          .causes = &u->causes,
                          .fail_on = ao->o->fail_on,
                          .matrix = u->matrix,
                          .matrix_nr = u->matrix_nr,
                          .rules = &ao->dd->rules,
                          .gate = &u->gate};

    mini.gated = ao->gate_run && ao->gate_run->gated;
    if (c->stream_rc == 0 &&
        (report_jsonl(ao->stream, &mini, &c->stream_d) != 0 || fflush(ao->stream) != 0)) {
        c->stream_rc = -1;
        if (!c->stream_d.msg[0]) {
            diag_set(&c->stream_d, DIAG_IO, "cannot write the report");
        }
    }
}

/* Unit k into the audit, in job order: gated, streamed, its inputs and findings moved. */
static void merge(struct actx *c, size_t k)
{
    struct audit_unit *u = &c->out->units[k];
    const struct job *j = &c->js->v[k];
    struct audit *a = c->out;
    size_t base = a->inputs_nr;

    if (c->ao->gate_run && u->profile && !u->error) {
        gate_run_part(c->ao->gate_run, &u->findings, &u->gate);
    }
    group_causes(c, u, j);
    if (u->error) {
        struct diag why = DIAG_INIT;
        progress_end(&c->progress);
        diag_set(&why, DIAG_INPUT, "%s%s%s", j->function ? j->function : "",
                 j->function ? ": " : "", u->error);
        diag_print(&why); /* one line, escaped, as every error of the tool */
        a->unreadable++;
    }
    for (size_t i = 0; i < u->nr; i++) {
        u->ri[i].function = j->function; /* its layers are the function's too */
        if (i || j->path) { /* not a function declared with no code: its name is no path */
            u->reals[i] = srcroot_locate(u->ri[i].name);
            u->ri[i].real = u->reals[i];
        }
    }
    u->ri[0].profile = u->profile;
    u->ri[0].matrix = u->matrix;
    u->ri[0].matrix_nr = u->matrix_nr;
    u->ri[0].not_checked = &j->not_checked;
    if (c->ao->stream) {
        stream_unit(c, u, j);
    }
    for (size_t i = 0; i < u->nr; i++) {
        ALLOC_GROW(a->inputs, a->inputs_nr + 1, a->inputs_alloc);
        a->inputs[a->inputs_nr++] = u->ri[i];
    }
    causes_take(&a->causes, &u->causes, a->findings.nr, base);
    for (size_t i = 0; i < u->findings.nr; i++) {
        struct finding *f = findings_push(&a->findings);
        *f = u->findings.items[i]; /* the strings move with it */
        f->input += base;
    }
    free(u->findings.items);
    memset(&u->findings, 0, sizeof(u->findings));
    if (c->ao->gate_run) {
        gate_run_take(c->ao->gate_run, &u->gate, base);
    }
}

static void run_unit(void *ctx, size_t i, unsigned worker)
{
    struct actx *c = ctx;
    const struct job *j = &c->js->v[i];

    (void)worker;
    pthread_mutex_lock(&c->lock);
    progress_started(&c->progress, job_name(j));
    pthread_mutex_unlock(&c->lock);
    read_unit(c, j, &c->out->units[i]);
    pthread_mutex_lock(&c->lock);
    c->out->units[i].done = true;
    while (c->next < c->js->nr && c->out->units[c->next].done) {
        merge(c, c->next++);
    }
    progress_done(&c->progress);
    pthread_mutex_unlock(&c->lock);
}

/* A unit's row for profile p, or NULL. */
static const struct report_verdict *row_of(const struct audit_unit *u, const struct profile *p)
{
    for (size_t i = 0; i < u->matrix_nr; i++) {
        if (u->matrix[i].profile == p) {
            return &u->matrix[i];
        }
    }
    return NULL;
}

/* Where every job checked on every runtime imports: the runtimes all of them were checked
 * on, each importing when all of them do. */
static void aggregate(struct audit *a)
{
    const struct audit_unit *first = NULL;
    size_t n = 0;

    for (size_t k = 0; k < a->units_nr && !first; k++) {
        first = a->units[k].matrix_nr ? &a->units[k] : NULL;
    }
    if (!first) {
        return;
    }
    a->matrix = xcalloc(first->matrix_nr + 1, sizeof(*a->matrix));
    for (size_t i = 0; i < first->matrix_nr; i++) {
        struct report_verdict *row = &a->matrix[n];
        bool everywhere = true;
        *row = (struct report_verdict){
            .profile = first->matrix[i].profile, .imports = true, .deploys = true};
        for (size_t k = 0; k < a->units_nr; k++) {
            const struct report_verdict *v = row_of(&a->units[k], row->profile);
            if (!a->units[k].matrix_nr) {
                continue;
            }
            if (!v) {
                everywhere = false;
                break;
            }
            row->errors += v->errors;
            row->warnings += v->warnings;
            row->imports &= v->imports;
            row->deploys &= v->deploys;
            for (size_t b = 0; b < v->blockers.nr; b++) {
                if (!strvec_contains(&row->blockers, v->blockers.v[b])) {
                    strvec_push(&row->blockers, v->blockers.v[b]);
                }
            }
        }
        if (everywhere) {
            n++;
        } else {
            strvec_release(&row->blockers);
        }
    }
    a->matrix_nr = n;
}

/* The target every job with one shares, or NULL; the matrix when no job has one. */
static void conclude(struct audit *a, const struct jobs *js)
{
    bool targets = false, differ = false;

    for (size_t k = 0; k < js->nr; k++) {
        const struct profile *p = a->units[k].profile;
        if (p && a->profile && p != a->profile) {
            differ = true;
        }
        if (p && !a->profile) {
            a->profile = p;
        }
        targets |= p != NULL;
        /* A job checked on every runtime beside jobs with a target: no target is shared. */
        differ |= !p && a->units[k].matrix_nr;
    }
    if (differ) {
        a->profile = NULL;
    }
    if (!targets) {
        aggregate(a);
    }
}

int audit_run(struct audit *out, const struct jobs *js, const struct audit_opts *ao, struct diag *d)
{
    const struct options *o = ao->o;
    unsigned threads = o->jobs ? o->jobs : workers_online(), outer;
    struct actx c = {.js = js, .ao = ao, .out = out};

    memset(out, 0, sizeof(*out));
    if (!(c.grammar = pyname_new(d))) {
        return -1;
    }
    c.limits = (struct bundle_limits){.max_member_size = o->max_member_size,
                                      .max_entries = o->max_entries,
                                      .max_depth = o->max_depth};
    outer = js->nr > 1 ? (threads < js->nr ? threads : (unsigned)js->nr) : 1;
    c.inner = threads / outer ? threads / outer : 1;
    c.inner_given = js->nr == 1 && o->jobs != 0;
    out->units = xcalloc(js->nr + 1, sizeof(*out->units));
    out->units_nr = js->nr;
    pthread_mutex_init(&c.lock, NULL);
    progress_init(&c.progress, stderr, js->nr, o->quiet);
    workers_run(outer, js->nr, run_unit, &c);
    progress_end(&c.progress);
    pthread_mutex_destroy(&c.lock);
    pyname_free(c.grammar);
    conclude(out, js);
    if (c.stream_rc != 0) {
        *d = c.stream_d;
        return -1;
    }
    return 0;
}

void audit_report(struct report *r, const struct audit *a)
{
    r->profile = a->profile;
    r->inputs = a->inputs;
    r->inputs_nr = a->inputs_nr;
    r->findings = &a->findings;
    r->causes = &a->causes;
    r->matrix = a->matrix;
    r->matrix_nr = a->matrix_nr;
}

static void release_matrix(struct report_verdict *m, size_t nr)
{
    for (size_t i = 0; i < nr; i++) {
        strvec_release(&m[i].blockers);
    }
    free(m);
}

void audit_release(struct audit *a)
{
    for (size_t k = 0; k < a->units_nr; k++) {
        struct audit_unit *u = &a->units[k];
        for (size_t i = 0; i < u->nr; i++) {
            free(u->names[i]);
            free(u->reals[i]);
            strvec_release(&u->notes[i]);
            strvec_release(&u->about[i]);
            built_with_release(&u->built[i]);
        }
        free(u->built);
        free(u->names);
        free(u->reals);
        free(u->notes);
        free(u->about);
        free(u->ri);
        free(u->error);
        findings_release(&u->findings);
        gate_release(&u->gate);
        release_matrix(u->matrix, u->matrix_nr);
        sizeplans_release(&u->sizes);
        profile_release(&u->own);
    }
    free(a->units);
    free(a->inputs);
    findings_release(&a->findings);
    causes_release(&a->causes);
    release_matrix(a->matrix, a->matrix_nr);
    memset(a, 0, sizeof(*a));
}
