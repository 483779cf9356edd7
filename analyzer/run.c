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
#include "image.h"
#include "pyname.h"
#include "report.h"
#include "scan.h"
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

static bool want_color(const struct options *o, FILE *out)
{
    const char *no_color = getenv("NO_COLOR");

    if (o->color != COLOR_AUTO) {
        return o->color == COLOR_ALWAYS;
    }
    return !(no_color && *no_color) && isatty(fileno(out)); /* https://no-color.org */
}

static int emit(const struct options *o, struct report *r, struct diag *d)
{
    const struct emitter *em = report_emitter_find(o->format); /* known: run_main checked */
    FILE *out;
    int rc;

    out = o->output ? fopen(o->output, "w") : stdout;
    if (!out) {
        return diag_set(d, DIAG_IO, "cannot write '%s': %s", o->output, strerror(errno));
    }
    r->color = !strcmp(o->format, "text") && want_color(o, out);
    rc = em->emit(out, r, d);
    if (fflush(out) != 0 && rc == 0) {
        rc = diag_set(d, DIAG_IO, "cannot write the report: %s", strerror(errno));
    }
    if (o->output && fclose(out) != 0 && rc == 0) {
        rc = diag_set(d, DIAG_IO, "cannot write '%s': %s", o->output, strerror(errno));
    }
    return rc;
}

/* The function's inputs, then its layers in configuration order: the /var/task + /opt view. */
static int scan_all(struct image *img, const struct options *o, struct diag *d)
{
    struct bundle_limits limits = {o->max_member_size, o->max_entries, o->max_depth, 0};
    struct pyname *g = pyname_new(d);
    struct scan_opts so = {&limits, g, o->jobs ? o->jobs : workers_online(), o->jobs != 0};
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

static int scan_and_report(const struct options *o, const struct datadir *dd,
                           const struct profile *p, struct diag *d)
{
    struct image img = {0};
    struct findings findings = {0};
    struct report r = {ABISCAN_NAME, ABISCAN_VERSION, p,          NULL, 0, &findings,
                       o->fail_on,   false,           o->verbose, NULL, 0};
    struct report_input *inputs = NULL;
    int code = ABISCAN_EXIT_TROUBLE;

    if (scan_all(&img, o, d) != 0) {
        goto out;
    }
    r.inputs = inputs = summarize(&img);
    r.inputs_nr = img.inputs_nr;
    if (p) {
        checks_run(&img, p, dd, &findings);
        findings_sort(&findings);
    } else {
        build_matrix(&r, o, dd, &img);
    }
    if (emit(o, &r, d) == 0) {
        code = report_failed(&r) ? ABISCAN_EXIT_FINDINGS : ABISCAN_EXIT_OK;
    }
out:
    for (size_t i = 0; i < r.matrix_nr; i++) {
        strvec_release(&r.matrix[i].blockers);
    }
    free(r.matrix);
    free(inputs);
    findings_release(&findings);
    image_release(&img);
    return code;
}

int run_main(const struct options *o, struct diag *d)
{
    struct datadir dd;
    const struct profile *p = NULL;
    int code = ABISCAN_EXIT_TROUBLE;

    if (!report_emitter_find(o->format)) {
        char *names = report_format_names(", ");
        diag_set(d, DIAG_USAGE, "unknown format '%s' (%s)", o->format, names);
        free(names);
        return code;
    }
    if (datadir_load(&dd, o->rules_dir, d) != 0) {
        return code;
    }
    if (checks_verify(&dd.rules, d) != 0) {
        datadir_release(&dd);
        return code;
    }
    if (o->list_runtimes) {
        list_runtimes(&dd.profiles, stdout);
        code = ABISCAN_EXIT_OK;
    } else if (!o->runtime || (p = find_profile(&dd.profiles, o, d)) != NULL) {
        code = scan_and_report(o, &dd, p, d);
    }
    datadir_release(&dd);
    return code;
}
