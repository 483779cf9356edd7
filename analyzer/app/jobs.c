/* SPDX-License-Identifier: MIT */
/* The run's units of work: bundles given, or functions declared; then the shard. */
#include "jobs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "listfile.h"
#include "xalloc.h"

/* The profile of runtime on arch; NULL with d saying why (what it was called in `where`). */
static const struct profile *find_profile(const struct datadir *dd, const char *runtime,
                                          const char *arch, const char *where, struct diag *d)
{
    const struct profile *p = datadir_profile(dd, runtime, arch);
    const struct profiles *ps;
    char guess[128];

    if (p) {
        return p;
    }
    ps = datadir_profiles(dd); /* what there is, to say what was meant */
    for (size_t i = 0; i < ps->nr; i++) {
        if (!strcmp(ps->v[i].runtime, runtime)) {
            diag_set(d, DIAG_USAGE, "runtime '%s'%s is not offered on %s", runtime, where, arch);
            return NULL;
        }
    }
    if (profiles_suggest(ps, runtime, guess, sizeof(guess))) {
        diag_set(d, DIAG_USAGE, "unknown runtime '%s'%s: did you mean %s?", runtime, where, guess);
    } else if (strchr(runtime, '_') || strchr(runtime, '$') || strchr(runtime, '{')) {
        /* PYTHON3_VERSION, ${PythonVersion}: what a build step was meant to replace */
        diag_set(d, DIAG_USAGE,
                 "unknown runtime '%s'%s: a placeholder left in? Lambda's Python runtimes are "
                 "named python3.X (see --list-runtimes)",
                 runtime, where);
    } else {
        diag_set(d, DIAG_USAGE, "unknown runtime '%s'%s (see --list-runtimes)", runtime, where);
    }
    return NULL;
}

/* Whether a declared runtime is one of Lambda's that abiscan has no profile of (java21,
 * dotnet8, ruby3.3, go1.x, provided on Amazon Linux 1, a retired nodejs16.x): skipped. The
 * Python, Node.js and OS-only runtimes it knows are checked. Anything else (a placeholder
 * such as PYTHON3_VERSION, a typo) is an unknown runtime. */
static bool other_language(const struct datadir *dd, const char *runtime)
{
    static const char *const families[] = {"nodejs", "java", "dotnet", "ruby", "go1.", "provided"};
    const struct profiles *ps = datadir_profiles(dd);

    for (size_t i = 0; i < ps->nr; i++) {
        if (!strcmp(ps->v[i].runtime, runtime)) {
            return false;
        }
    }

    for (size_t i = 0; i < ARRAY_SIZE(families); i++) {
        if (!strncmp(runtime, families[i], strlen(families[i]))) {
            return true;
        }
    }
    return false;
}

static struct job *add_job(struct jobs *js)
{
    struct job *j;

    ALLOC_GROW(js->v, js->nr + 1, js->alloc);
    j = &js->v[js->nr++];
    memset(j, 0, sizeof(*j));
    return j;
}

static enum scan_as role_of(const struct options *o)
{
    return o->role == ROLE_AS_LAYER      ? SCAN_LAYER
           : o->role == ROLE_AS_FUNCTION ? SCAN_FUNCTION
                                         : SCAN_GUESS;
}

/* Bundles given (arguments, then --files-from): each its own function, on one target. */
static int from_bundles(struct jobs *js, const struct options *o, const struct datadir *dd,
                        struct diag *d)
{
    const struct profile *p = NULL;
    size_t n = o->inputs.nr + js->listed.nr;

    if (o->runtime && !(p = find_profile(dd, o->runtime, o->arch, "", d))) {
        return -1;
    }
    if (o->layers.nr && n != 1) {
        return diag_set(d, DIAG_USAGE, "--layer goes with one function bundle, not %zu", n);
    }
    for (size_t i = 0; i < n; i++) {
        struct job *j = add_job(js);
        j->path = i < o->inputs.nr ? o->inputs.v[i] : js->listed.v[i - o->inputs.nr];
        j->as = o->layers.nr ? SCAN_HOST : role_of(o);
        j->profile = p;
        j->matrix_arch = o->arch_given ? o->arch : NULL;
        j->handler = o->handler;
        j->handler_why = o->handler ? "as given" : NULL;
        for (size_t k = 0; k < o->layers.nr; k++) {
            strvec_push(&j->layers, o->layers.v[k]);
        }
    }
    return 0;
}

/* The target of a declared Python function: the command line's --runtime and --arch over
 * what it declares; an architecture Lambda does not have is an error. */
/* The family of the runtime named name (any architecture's profile), or -1 for none. */
static int family_of(const struct datadir *dd, const char *name)
{
    const struct profiles *ps = datadir_profiles(dd);

    for (size_t i = 0; name && i < ps->nr; i++) {
        if (!strcmp(ps->v[i].runtime, name)) {
            return (int)profile_family(&ps->v[i]);
        }
    }
    return -1;
}

static void declared_target(struct job *j, const struct target_fn *fn, const struct options *cli,
                            const struct datadir *dd, const char *source)
{
    /* --runtime stands for the declared runtimes of its own language: a what-if on
     * python3.12 does not make a Node.js function a Python one. */
    bool override = cli->runtime && (!fn->runtime || family_of(dd, fn->runtime) < 0 ||
                                     family_of(dd, fn->runtime) == family_of(dd, cli->runtime));
    const char *runtime = override ? cli->runtime : fn->runtime;
    const char *arch = cli->arch_given ? cli->arch
                       : fn->arch      ? options_arch_name(fn->arch)
                                       : "x86_64";
    struct diag d = DIAG_INIT;
    char *where;

    if (!arch) {
        j->error = xasprintf("architecture '%s' (declared in %s) is not x86_64 or arm64", fn->arch,
                             source);
        return;
    }
    if (!runtime) {
        j->matrix_arch = fn->arch || cli->arch_given ? arch : NULL;
        return;
    }
    where = override ? xstrdup("") : xasprintf(" (declared in %s)", source);
    if (!(j->profile = find_profile(dd, runtime, arch, where, &d))) {
        j->error = xstrdup(d.msg);
    }
    free(where);
}

/* Functions declared (--lambda-config, --template): each on its own target. */
static int from_targets(struct jobs *js, const struct options *o, const struct options *cli,
                        const struct datadir *dd, struct diag *d)
{
    struct target_set *ts = &js->targets;

    if (cli->runtime && !find_profile(dd, cli->runtime, cli->arch, "", d)) {
        return -1;
    }
    for (size_t i = 0; i < ts->nr; i++) {
        struct target_fn *fn = &ts->v[i];
        struct job *j = add_job(js);
        const char *runtime;
        size_t local = 0;
        j->function = fn->function;
        j->path = fn->code;
        j->as = SCAN_FUNCTION;
        j->role_why = "a function, as declared";
        j->handler = cli->handler ? cli->handler : fn->handler;
        j->handler_why = cli->handler ? "as given" : fn->handler ? "as declared" : NULL;
        /* One function's configuration: its code and layers may be given here. */
        if (!strcmp(ts->kind, "lambda-config") && ts->nr == 1 && o->inputs.nr == 1) {
            j->path = o->inputs.v[0];
            local = o->layers.nr;
            for (size_t k = 0; k < local; k++) {
                strvec_push(&j->layers, o->layers.v[k]);
            }
        }
        for (size_t k = 0; k < fn->layers.nr; k++) {
            strvec_push(&j->layers, fn->layers.v[k]);
        }
        for (size_t k = ts->arn_layers ? local : 0; k < fn->not_checked.nr; k++) {
            strvec_push(&j->not_checked, fn->not_checked.v[k]);
        }
        runtime = fn->runtime; /* not Python as declared: no --runtime makes it so */
        if (fn->skip) {
            j->skipped = xstrdup(fn->skip);
        } else if (fn->unresolved) { /* which runtime, even which language, is not known */
            j->error = xstrdup(fn->unresolved);
        } else if (runtime && other_language(dd, runtime)) {
            j->skipped = xasprintf("runtime %s is not one abiscan checks (Python, Node.js, "
                                   "provided.al2 and provided.al2023 are)",
                                   runtime);
        } else if (fn->error && !j->path) {
            j->error = xstrdup(fn->error);
        } else if (!j->path) {
            j->error = xasprintf("no code for function %s on this machine", fn->function);
        }
        if (!j->skipped && !j->error) {
            declared_target(j, fn, cli, dd, ts->source);
        }
    }
    return 0;
}

/* What the command line may combine with a declaration. */
static int check_declared(const struct options *o, struct diag *d)
{
    if (o->template_path && o->lambda_config) {
        return diag_set(d, DIAG_USAGE, "--template and --lambda-config: give one of them");
    }
    if (o->template_path && (o->inputs.nr || o->files_from || o->layers.nr)) {
        return diag_set(d, DIAG_USAGE,
                        "--template names the functions' bundles and layers: give no BUNDLE, "
                        "--files-from or --layer");
    }
    if (o->lambda_config && o->files_from) {
        return diag_set(d, DIAG_USAGE, "--lambda-config and --files-from: give one of them");
    }
    if (o->code_dir && !o->lambda_config) {
        return diag_set(d, DIAG_USAGE, "--code-dir goes with --lambda-config");
    }
    return 0;
}

static int declared(struct jobs *js, const struct options *o, struct diag *d)
{
    struct target_set *ts = &js->targets;

    if (o->template_path) {
        return targets_read_template(ts, o->template_path, d);
    }
    if (targets_read_lambda_config(ts, o->lambda_config, o->code_dir, d) != 0) {
        return -1;
    }
    if (ts->nr != 1 && (o->inputs.nr || o->layers.nr)) {
        return diag_set(d, DIAG_USAGE,
                        "%s lists %zu functions: their code comes from --code-dir, not from a "
                        "BUNDLE or --layer",
                        o->lambda_config, ts->nr);
    }
    if (o->inputs.nr > 1) {
        return diag_set(d, DIAG_USAGE, "--lambda-config of one function goes with one bundle");
    }
    if (o->layers.nr > ts->arn_layers) {
        return diag_set(d, DIAG_USAGE, "%zu --layer given, but %s configures %zu layers",
                        o->layers.nr, o->lambda_config, ts->arn_layers);
    }
    return 0;
}

int jobs_parse_shard(const char *spec, size_t *k, size_t *n, struct diag *d)
{
    char *end;
    unsigned long a, b;

    errno = 0;
    a = strtoul(spec, &end, 10);
    if (errno || end == spec || *end != '/' || spec[0] == '-' || spec[0] == '+') {
        goto bad;
    }
    spec = end + 1;
    b = strtoul(spec, &end, 10);
    if (errno || end == spec || *end || spec[0] == '-' || spec[0] == '+' || a < 1 || a > b ||
        b > 1000000) {
        goto bad;
    }
    *k = a;
    *n = b;
    return 0;
bad:
    return diag_set(d, DIAG_USAGE, "--shard needs K/N with 1 <= K <= N, e.g. 3/8");
}

/* The K-th of N slices: the inputs from (K-1)*n/N to K*n/N, in order, so that the slices'
 * reports, put one after the other in K order, are the whole list's, each input once. */
static void shard(struct jobs *js, size_t k, size_t n)
{
    size_t from = (k - 1) * js->nr / n, to = k * js->nr / n, kept = 0;

    for (size_t i = 0; i < js->nr; i++) {
        if (i >= from && i < to) {
            js->v[kept++] = js->v[i];
        } else {
            strvec_release(&js->v[i].layers);
            strvec_release(&js->v[i].not_checked);
            free(js->v[i].error);
            free(js->v[i].skipped);
        }
    }
    js->nr = kept;
}

int jobs_build(struct jobs *out, const struct options *o, const struct options *cli,
               const struct datadir *dd, struct diag *d)
{
    size_t k = 1, n = 1;
    int rc;

    memset(out, 0, sizeof(*out));
    if (check_declared(o, d) != 0 || (o->shard && jobs_parse_shard(o->shard, &k, &n, d) != 0)) {
        return -1;
    }
    if (o->files_from && listfile_read(&out->listed, o->files_from, o->null_list, d) != 0) {
        return -1;
    }
    if (o->template_path || o->lambda_config) {
        rc = declared(out, o, d) == 0 ? from_targets(out, o, cli, dd, d) : -1;
    } else if (!o->inputs.nr && !out->listed.nr && !o->files_from) {
        rc = diag_set(d, DIAG_USAGE,
                      "no bundle given: name one (abiscan fn.zip), or list them under bundles: in "
                      ".abiscan.yaml (see --help)");
    } else {
        rc = from_bundles(out, o, dd, d);
    }
    out->total = out->nr;
    if (rc == 0 && n > 1) {
        shard(out, k, n);
    }
    return rc;
}

bool jobs_any_target(const struct jobs *js)
{
    for (size_t i = 0; i < js->nr; i++) {
        if (js->v[i].profile) {
            return true;
        }
    }
    return false;
}

void jobs_release(struct jobs *js)
{
    for (size_t i = 0; i < js->nr; i++) {
        strvec_release(&js->v[i].layers);
        strvec_release(&js->v[i].not_checked);
        free(js->v[i].error);
        free(js->v[i].skipped);
    }
    free(js->v);
    strvec_release(&js->listed);
    target_set_release(&js->targets);
    memset(js, 0, sizeof(*js));
}
