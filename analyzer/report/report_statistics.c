/* SPDX-License-Identifier: MIT */
/*
 * Statistics: how many findings each rule has at each severity, most first (ruff's
 * --statistics): what a bundle with 300 findings is about, in a few lines. Then the
 * inputs that could not be read and the findings the gate set aside, counted.
 *
 *     197  error    ABI001  python-tag-mismatch
 *      13  warning  ABI001  python-tag-mismatch
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "rules.h"
#include "xalloc.h"

struct row {
    const struct rule *rule;
    enum severity sev;
    size_t n;
};

static int by_count(const void *a, const void *b)
{
    const struct row *x = a, *y = b;

    if (x->n != y->n) {
        return x->n < y->n ? 1 : -1;
    }
    if (x->sev != y->sev) {
        return x->sev < y->sev ? 1 : -1;
    }
    return strcmp(x->rule->id, y->rule->id);
}

int report_statistics(FILE *out, const struct report *r, struct diag *d)
{
    struct row *rows = xcalloc(r->findings->nr + 1, sizeof(*rows));
    size_t nr = 0, unread = 0, set_aside = 0;

    for (size_t i = 0; i < r->findings->nr; i++) {
        const struct finding *f = &r->findings->items[i];
        size_t k = 0;
        while (k < nr && !(rows[k].rule == f->rule && rows[k].sev == f->severity)) {
            k++;
        }
        if (k == nr) {
            rows[nr++] = (struct row){f->rule, f->severity, 0};
        }
        rows[k].n++;
    }
    qsort(rows, nr, sizeof(*rows), by_count);
    for (size_t k = 0; k < nr; k++) {
        fprintf(out, "%6zu  %-7s  %s  %s\n", rows[k].n, severity_name(rows[k].sev),
                rows[k].rule->id, rows[k].rule->slug);
    }
    for (size_t i = 0; i < r->inputs_nr; i++) {
        unread += r->inputs[i].error != NULL;
    }
    set_aside = r->gate ? report_suppressed_count(r) : 0;
    if (unread) {
        fprintf(out, "%6zu  input%s could not be read\n", unread, unread == 1 ? "" : "s");
    }
    if (set_aside) {
        fprintf(out, "%6zu  suppressed (by .abiscan.yaml or the baseline)\n", set_aside);
    }
    if (!nr && !unread) {
        fputs("     0  findings\n", out);
    }
    free(rows);
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the report") : 0;
}
