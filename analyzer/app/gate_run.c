/* SPDX-License-Identifier: MIT */
/* Suppressions, baseline and a new baseline, for one run, one function at a time. */
#include "gate_run.h"

#include <stdlib.h>
#include <string.h>

#include "report_files.h"
#include "xalloc.h"

struct baseline_arg {
    const struct finding **v;
    size_t n;
};

static int write_fn(FILE *out, void *arg, struct diag *d)
{
    struct baseline_arg *a = arg;
    return baseline_write(out, a->v, a->n, d);
}

/* --write-baseline: what fails today (and what the old baseline held) is accepted. */
static int write_baseline(struct gate_run *g, struct findings *fs, const char *path, struct diag *d)
{
    struct baseline_arg a = {xcalloc(fs->nr + g->gate.suppressed.nr + 1, sizeof(*a.v)), 0};
    int rc;

    for (size_t i = 0; i < g->gate.suppressed.nr; i++) {
        if (!strcmp(g->gate.marks[i].kind, "baseline")) {
            a.v[a.n++] = &g->gate.suppressed.items[i];
        }
    }
    for (size_t i = 0; i < fs->nr; i++) {
        a.v[a.n++] = &fs->items[i];
    }
    rc = report_files_write_one(path, write_fn, &a, d);
    free(a.v);
    if (rc == 0) {
        g->accepted = xasprintf("accepted into the baseline %s", path);
        gate_accept_all(&g->gate, fs, "baseline", g->accepted, path);
    }
    return rc;
}

int gate_run_open(struct gate_run *g, const struct options *o, const struct config *cfg,
                  const char *rules_dir, struct diag *d)
{
    memset(g, 0, sizeof(*g));
    if (!o->no_suppress) {
        g->rules.suppress = cfg->suppress;
        g->rules.suppress_nr = cfg->suppress_nr;
        if (o->baseline) {
            char *schema = xasprintf("%s/schema/baseline.schema.json", rules_dir);
            int rc = baseline_load(&g->baseline, o->baseline, schema, d);
            free(schema);
            if (rc != 0) {
                return -1;
            }
            g->rules.baseline = &g->baseline;
        }
    }
    g->hits = xcalloc(g->rules.suppress_nr + 1, sizeof(*g->hits));
    g->gated = g->rules.suppress_nr || g->rules.baseline || o->write_baseline;
    for (size_t i = 0; i < g->rules.suppress_nr; i++) {
        if (g->rules.suppress[i].until && gate_today(&g->rules.today, d) != 0) {
            return -1; /* only a suppression with a last day needs today */
        }
    }
    return 0;
}

void gate_run_part(struct gate_run *g, struct findings *fs, struct gate *part)
{
    gate_apply_part(part, fs, &g->rules, g->hits);
}

void gate_run_take(struct gate_run *g, struct gate *part, size_t input_base)
{
    for (size_t i = 0; i < part->suppressed.nr; i++) {
        struct finding *f = findings_push(&g->gate.suppressed);
        *f = part->suppressed.items[i]; /* the strings move with it */
        f->input += input_base;
        ALLOC_GROW(g->gate.marks, g->gate.suppressed.nr, g->gate.marks_alloc);
        g->gate.marks[g->gate.suppressed.nr - 1] = part->marks[i];
    }
    part->suppressed.nr = 0; /* moved: gate_release() frees no string twice */
    gate_release(part);
}

int gate_run_close(struct gate_run *g, struct findings *all, const struct options *o,
                   struct diag *d)
{
    gate_finish(&g->gate, &g->rules, g->hits);
    for (size_t i = 0; i < g->gate.warnings.nr; i++) {
        fprintf(stderr, "abiscan: warning: %s\n", g->gate.warnings.v[i]);
    }
    for (size_t i = 0; i < g->gate.notes.nr; i++) {
        fprintf(stderr, "abiscan: note: %s\n", g->gate.notes.v[i]);
    }
    return o->write_baseline ? write_baseline(g, all, o->write_baseline, d) : 0;
}

void gate_run_release(struct gate_run *g)
{
    gate_release(&g->gate);
    baseline_release(&g->baseline);
    free(g->hits);
    free(g->accepted);
    memset(g, 0, sizeof(*g));
}
