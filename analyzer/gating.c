/* SPDX-License-Identifier: MIT */
/* Suppressions, baseline and a new baseline, for one run. */
#include "gating.h"

#include <stdlib.h>
#include <string.h>

#include "outputs.h"
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
static int write_baseline(struct gating *g, struct findings *fs, const char *path, struct diag *d)
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
    rc = outputs_write_file(path, write_fn, &a, d);
    free(a.v);
    if (rc == 0) {
        g->accepted = xasprintf("accepted into the baseline %s", path);
        gate_accept_all(&g->gate, fs, "baseline", g->accepted, path);
    }
    return rc;
}

int gating_run(struct gating *g, struct findings *fs, const struct options *o,
               const struct config *cfg, const char *rules_dir, struct diag *d)
{
    struct gate_rules rules = {NULL, 0, NULL, 0};

    memset(g, 0, sizeof(*g));
    if (!o->no_suppress) {
        rules.suppress = cfg->suppress;
        rules.suppress_nr = cfg->suppress_nr;
        if (o->baseline) {
            char *schema = xasprintf("%s/schema/baseline.schema.json", rules_dir);
            int rc = baseline_load(&g->baseline, o->baseline, schema, d);
            free(schema);
            if (rc != 0) {
                return -1;
            }
            rules.baseline = &g->baseline;
        }
    }
    g->gated = rules.suppress_nr || rules.baseline || o->write_baseline;
    for (size_t i = 0; i < rules.suppress_nr; i++) {
        if (rules.suppress[i].until && gate_today(&rules.today, d) != 0) {
            return -1; /* only a suppression with a last day needs today */
        }
    }
    gate_apply(&g->gate, fs, &rules);
    for (size_t i = 0; i < g->gate.warnings.nr; i++) {
        fprintf(stderr, "abiscan: warning: %s\n", g->gate.warnings.v[i]);
    }
    for (size_t i = 0; i < g->gate.notes.nr; i++) {
        fprintf(stderr, "abiscan: note: %s\n", g->gate.notes.v[i]);
    }
    return o->write_baseline ? write_baseline(g, fs, o->write_baseline, d) : 0;
}

void gating_release(struct gating *g)
{
    gate_release(&g->gate);
    baseline_release(&g->baseline);
    free(g->accepted);
    g->accepted = NULL;
}
