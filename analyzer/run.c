/* SPDX-License-Identifier: MIT */
/* One run: data -> scan -> checks (one target, or every runtime) -> report -> exit status. */
#include "run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "checks.h"
#include "datadir.h"
#include "explain.h"
#include "gating.h"
#include "image.h"
#include "image_target.h"
#include "outputs.h"
#include "pyname.h"
#include "report.h"
#include "scan.h"
#include "settings.h"
#include "version.h"
#include "workers.h"
#include "xalloc.h"

static void list_runtimes(const struct profiles *ps, FILE *out)
{
    fprintf(out, "%-11s %-7s %-6s %-7s %-18s %-6s %-9s %-10s %-12s %s\n", "RUNTIME", "ARCH",
            "PYTHON", "ABI", "OS", "GLIBC", "GLIBCXX", "DEPRECATED", "BLOCK-CREATE",
            "BLOCK-UPDATE");
    for (size_t i = 0; i < ps->nr; i++) {
        const struct profile *p = &ps->v[i];
        fprintf(out, "%-11s %-7s %-6s %-7s %-18s %-6s %-9s %-10s %-12s %s\n", p->runtime, p->arch,
                p->python_version, p->abi_tag, p->os_name, p->glibc_max, p->glibcxx_max,
                p->deprecated, p->block_create, p->block_update);
    }
}

/* The digits of a runtime name: "python3.12", "python312", "py3.12" and "3.12" all give
 * "312". */
static void runtime_digits(const char *name, char *out, size_t cap)
{
    size_t n = 0;

    for (const char *c = name; *c && n + 1 < cap; c++) {
        if (*c >= '0' && *c <= '9') {
            out[n++] = *c;
        }
    }
    out[n] = '\0';
}

/* The runtime the user probably meant, or NULL. */
static const char *suggest(const struct profiles *ps, const char *name)
{
    char want[16], have[16];

    runtime_digits(name, want, sizeof(want));
    for (size_t i = 0; want[0] && i < ps->nr; i++) {
        runtime_digits(ps->v[i].runtime, have, sizeof(have));
        if (!strcmp(want, have)) {
            return ps->v[i].runtime;
        }
    }
    return NULL;
}

static const struct profile *find_profile(const struct profiles *ps, const struct options *o,
                                          struct diag *d)
{
    const char *guess;

    const struct profile *p = profiles_find(ps, o->runtime, o->arch);

    if (p) {
        return p;
    }
    for (size_t i = 0; i < ps->nr; i++) {
        if (!strcmp(ps->v[i].runtime, o->runtime)) {
            diag_set(d, DIAG_USAGE, "runtime '%s' is not offered on %s", o->runtime, o->arch);
            return NULL;
        }
    }
    if ((guess = suggest(ps, o->runtime)) != NULL) {
        diag_set(d, DIAG_USAGE, "unknown runtime '%s': did you mean %s?", o->runtime, guess);
    } else {
        diag_set(d, DIAG_USAGE, "unknown runtime '%s' (see --list-runtimes)", o->runtime);
    }
    return NULL;
}

/* The function's inputs, then its layers in configuration order: the /var/task + /opt view. */
static int scan_all(struct image *img, const struct options *o, struct diag *d)
{
    struct bundle_limits limits = {.max_member_size = o->max_member_size,
                                   .max_entries = o->max_entries,
                                   .max_depth = o->max_depth};
    struct pyname *g = pyname_new(d);
    struct scan_opts so = {.limits = &limits,
                           .grammar = g,
                           .jobs = o->jobs ? o->jobs : workers_online(),
                           .jobs_given = o->jobs != 0};
    /* A container image index: the image for the function's architecture, or --platform's. */
    limits.platform = o->platform                 ? o->platform
                      : !strcmp(o->arch, "arm64") ? "linux/arm64"
                                                  : "linux/amd64";
    limits.platform_given = o->platform != NULL;
    so.function_arch = o->arch;
    so.function_arch_why = o->arch_given ? "--arch" : "Lambda's default";
    enum scan_as as = o->role == ROLE_AS_LAYER      ? SCAN_LAYER
                      : o->role == ROLE_AS_FUNCTION ? SCAN_FUNCTION
                                                    : SCAN_GUESS;
    int rc = -1;

    if (!g) {
        return -1;
    }
    if (o->layers.nr && o->inputs.nr != 1) {
        diag_set(d, DIAG_USAGE, "--layer goes with one function bundle, not %zu", o->inputs.nr);
        goto out;
    }
    for (size_t i = 0; i < o->inputs.nr; i++) {
        if (scan_input(img, o->inputs.v[i], o->layers.nr ? SCAN_HOST : as, &so, d) != 0) {
            goto out;
        }
    }
    for (size_t i = 0; i < o->layers.nr; i++) {
        if (scan_input(img, o->layers.v[i], SCAN_LAYER_OF, &so, d) != 0) {
            goto out;
        }
    }
    scan_finish(img);
    rc = 0;
out:
    pyname_free(g);
    return rc;
}

/* Without a target: every runtime and architecture, and where the bundle would import. */
static void build_matrix(struct report *r, const struct options *o, const struct datadir *dd,
                         const struct image *img)
{
    struct report_verdict *v = xcalloc(dd->profiles.nr + 1, sizeof(*v));
    size_t n = 0;

    for (size_t i = 0; i < dd->profiles.nr; i++) {
        const struct profile *p = &dd->profiles.v[i];
        struct findings fs = {0};
        if (o->arch_given && strcmp(p->arch, o->arch) != 0) {
            continue;
        }
        checks_run(img, p, dd, &fs);
        v[n].profile = p;
        v[n].errors = findings_count(&fs, SEV_ERROR);
        v[n].warnings = findings_count(&fs, SEV_WARNING);
        v[n].imports = findings_count_at_least(&fs, o->fail_on) == 0;
        for (size_t j = 0; j < fs.nr; j++) {
            if (fs.items[j].severity >= o->fail_on &&
                !strvec_contains(&v[n].blockers, fs.items[j].rule->slug)) {
                strvec_push(&v[n].blockers, fs.items[j].rule->slug);
            }
        }
        findings_release(&fs);
        n++;
    }
    r->matrix = v;
    r->matrix_nr = n;
}

/* What the report says of each input: the emitters see this, never the image. */
static struct report_input *summarize(const struct image *img)
{
    struct report_input *v = xcalloc(img->inputs_nr + 1, sizeof(*v));

    for (size_t i = 0; i < img->inputs_nr; i++) {
        const struct image_input *in = &img->inputs[i];
        struct image_counts c;
        image_count(img, i, &c);
        v[i] = (struct report_input){in->name,
                                     in->kind,
                                     image_role_name(in->role),
                                     in->role_why,
                                     in->role == INPUT_LAYER && in->view == i,
                                     c.members,
                                     c.elf_objects,
                                     c.extensions,
                                     c.distributions,
                                     &in->notes};
    }
    return v;
}

static int scan_and_report(const struct options *o, const struct config *cfg,
                           const struct datadir *dd, const struct profile *p, struct diag *d)
{
    struct image img = {0};
    struct findings findings = {0};
    struct gating gating = {0};
    struct report r = {ABISCAN_NAME, ABISCAN_VERSION, p,    NULL, 0,          &findings, o->fail_on,
                       false,        o->verbose,      NULL, 0,    &dd->rules, NULL,      false};
    struct report_input *inputs = NULL;
    struct profile own = {0};
    int code = ABISCAN_EXIT_TROUBLE, from_image;

    if (scan_all(&img, o, d) != 0) {
        goto out;
    }
    /* Container images carry their target: their Python, architecture and C library. */
    if ((from_image = image_target(&own, &img, &dd->profiles, o->runtime, d)) < 0) {
        goto out;
    }
    if (from_image == 0) {
        r.profile = p = &own;
    }
    r.inputs = inputs = summarize(&img);
    r.inputs_nr = img.inputs_nr;
    if (p) {
        checks_run(&img, p, dd, &findings);
        findings_sort(&findings);
        /* The CI gate: suppressions and the baseline set findings aside (gating.h). */
        if (gating_run(&gating, &findings, o, cfg, dd->dir, d) != 0) {
            goto out;
        }
        r.gate = &gating.gate;
        r.gated = gating.gated;
    } else {
        build_matrix(&r, o, dd, &img);
    }
    if (outputs_write(o, &r, d) == 0) {
        code = report_failed(&r) ? ABISCAN_EXIT_FINDINGS : ABISCAN_EXIT_OK;
    }
out:
    gating_release(&gating);
    for (size_t i = 0; i < r.matrix_nr; i++) {
        strvec_release(&r.matrix[i].blockers);
    }
    free(r.matrix);
    free(inputs);
    findings_release(&findings);
    image_release(&img);
    profile_release(&own);
    return code;
}

/* What needs no bundle: the runtimes, the rules, one rule explained. 1: not asked. */
static int info_only(const struct options *o, const struct datadir *dd, struct diag *d)
{
    if (o->list_runtimes) {
        list_runtimes(&dd->profiles, stdout);
        return 0;
    }
    if (o->list_rules) {
        return explain_list(stdout, dd, !strcmp(o->format, "json"), d);
    }
    if (o->explain) {
        return explain_rule(stdout, dd, o->explain, d);
    }
    return 1;
}

/* The bundles, the configuration and the command line agree on one job. */
static int check_job(const struct options *o, struct diag *d)
{
    if (!o->inputs.nr) {
        return diag_set(d, DIAG_USAGE, "no bundle given (see --help)");
    }
    if (!o->runtime && (o->baseline || o->write_baseline)) {
        return diag_set(d, DIAG_USAGE, "--baseline and --write-baseline need a target (--runtime)");
    }
    return 0;
}

int run_main(const struct options *cli, struct diag *d)
{
    struct datadir dd;
    struct config cfg = {0};
    struct options o = {0};
    const struct profile *p = NULL;
    int code = ABISCAN_EXIT_TROUBLE, info;

    if (outputs_check(cli, d) != 0) {
        return code;
    }
    if (datadir_load(&dd, cli->rules_dir, d) != 0) {
        outputs_remove_stale(cli);
        return code;
    }
    if (checks_verify(&dd.rules, d) != 0) {
        goto out;
    }
    if ((info = info_only(cli, &dd, d)) <= 0) {
        code = info ? ABISCAN_EXIT_TROUBLE : ABISCAN_EXIT_OK;
        goto out;
    }
    if (settings_resolve(&o, &cfg, cli, &dd, d) != 0 || check_job(&o, d) != 0) {
        goto out;
    }
    if (!o.runtime || (p = find_profile(&dd.profiles, &o, d)) != NULL) {
        code = scan_and_report(&o, &cfg, &dd, p, d);
    }
out:
    if (code == ABISCAN_EXIT_TROUBLE) {
        outputs_remove_stale(cli);
    }
    options_release(&o);
    config_release(&cfg);
    datadir_release(&dd);
    return code;
}
