/* SPDX-License-Identifier: MIT */
/* The emitter registry: the one list of output formats. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const struct emitter emitters[] = {
#define EMITTER(name, help) {#name, help, report_##name},
#include "emitters.def"
#undef EMITTER
};

const struct emitter *report_emitter_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(emitters); i++) {
        if (!strcmp(emitters[i].name, name)) {
            return &emitters[i];
        }
    }
    return NULL;
}

char *report_format_names(const char *sep)
{
    struct strvec names = STRVEC_INIT;
    char *out;

    for (size_t i = 0; i < ARRAY_SIZE(emitters); i++) {
        strvec_push(&names, emitters[i].name);
    }
    out = strvec_join(&names, sep);
    strvec_release(&names);
    return out;
}

bool report_failed(const struct report *r)
{
    if (!r->profile) {
        for (size_t i = 0; i < r->matrix_nr; i++) {
            if (r->matrix[i].imports) {
                return false;
            }
        }
        return true;
    }
    return findings_count_at_least(r->findings, r->fail_on) > 0;
}

size_t report_suppressed_count(const struct report *r)
{
    return r->gate ? r->gate->suppressed.nr : 0;
}

void report_print_suppressed(FILE *out, const struct report *r)
{
    if (r->gated) {
        fprintf(out, "; %zu suppressed", report_suppressed_count(r));
    }
}

void report_print_summary_line(FILE *out, const struct report *r)
{
    const struct findings *fs = r->findings;
    size_t e = findings_count(fs, SEV_ERROR), w = findings_count(fs, SEV_WARNING);
    size_t n = findings_count(fs, SEV_NOTE), ok = 0;

    if (!r->profile) {
        for (size_t i = 0; i < r->matrix_nr; i++) {
            ok += r->matrix[i].imports;
        }
        fprintf(out, "%s: imports on %zu of %zu runtime%s\n", r->tool_name, ok, r->matrix_nr,
                r->matrix_nr == 1 ? "" : "s");
        return;
    }
    fprintf(out, "%s: %zu error%s, %zu warning%s, %zu note%s", r->tool_name, e, e == 1 ? "" : "s",
            w, w == 1 ? "" : "s", n, n == 1 ? "" : "s");
    report_print_suppressed(out, r);
    fprintf(out, " in %zu input%s; target %s %s: %s\n", r->inputs_nr, r->inputs_nr == 1 ? "" : "s",
            r->profile->runtime, r->profile->arch,
            report_failed(r) ? "fails (--fail-on)" : "passes");
}

static int cmp_rule(const void *a, const void *b)
{
    return strcmp((*(const struct rule *const *)a)->id, (*(const struct rule *const *)b)->id);
}

static void add_rule(const struct rule ***v, size_t *n, const struct rule *rule)
{
    for (size_t i = 0; i < *n; i++) {
        if ((*v)[i] == rule) {
            return;
        }
    }
    (*v)[(*n)++] = rule;
}

size_t report_rules(const struct report *r, const struct rule ***out)
{
    size_t cap = r->findings->nr + report_suppressed_count(r) + 1, n = 0;
    const struct rule **v;

    if (r->rules) {
        v = xcalloc(r->rules->nr + 1, sizeof(*v));
        for (size_t i = 0; i < r->rules->nr; i++) {
            v[n++] = &r->rules->v[i];
        }
    } else {
        v = xcalloc(cap, sizeof(*v));
        for (size_t i = 0; i < r->findings->nr; i++) {
            add_rule(&v, &n, r->findings->items[i].rule);
        }
        for (size_t i = 0; i < report_suppressed_count(r); i++) {
            add_rule(&v, &n, r->gate->suppressed.items[i].rule);
        }
    }
    qsort(v, n, sizeof(*v), cmp_rule);
    *out = v;
    return n;
}

bool report_in_archive(const struct report *r, const struct finding *f)
{
    return strcmp(r->inputs[f->input].kind, "directory") != 0 &&
           strcmp(r->inputs[f->input].kind, "file") != 0;
}

char *report_artifact_path(const struct report *r, const struct finding *f)
{
    const char *in = r->inputs[f->input].name;
    size_t n = strlen(in);

    if (strcmp(r->inputs[f->input].kind, "directory") != 0 || !f->path[0]) {
        return xstrdup(in);
    }
    while (n > 1 && in[n - 1] == '/') {
        n--;
    }
    return xasprintf("%.*s/%s", (int)n, in, f->path);
}
