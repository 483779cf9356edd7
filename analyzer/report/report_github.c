/* SPDX-License-Identifier: MIT */
/*
 * GitHub Actions workflow commands, one annotation per cause (model/cause.h), most severe
 * first, at most ANNOTATIONS_PER_STEP of each kind: a workflow run shows only the first ten
 * errors and ten warnings of a step ("Workflow commands for GitHub Actions", docs.github.com),
 * and 297 annotations of one cause were 287 lost ones. The rest are counted in a last line
 * (not a command) that points at the step summary (--format markdown lists every cause):
 *   ::error file=dist/fn.zip,title=ABI001 python-tag-mismatch (180)::numpy/x.so: built for ...
 * ("Workflow commands for GitHub Actions", docs.github.com; the escaping is the runner's
 * toolkit's, actions/toolkit packages/core/src/command.ts: escapeData() for the message,
 * '%' -> %25, CR -> %0D, LF -> %0A; escapeProperty() for file= and title=, also
 * ':' -> %3A and ',' -> %2C). The runner reads a command only at the start of a line, so
 * no byte of a member name may end the line abiscan writes: control characters are
 * written as \xNN first, then the toolkit's escapes apply, and every line this emitter
 * writes starts with "::error ", "::warning " or "::notice ". Findings the gate set aside
 * are not annotated: they are accepted. An input that could not be read is an ::error
 * of its own (file= the input), so that the step fails visibly on it. GitHub places an
 * annotation by its path from the repository root: file= is that path when the input is
 * under the report's path_base (--path-base, or the repository abiscan ran in), wherever
 * abiscan ran; an input outside it keeps its name as given.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "rules.h"
#include "utf8.h"
#include "xalloc.h"

#define ANNOTATIONS_PER_STEP 10

/* error, warning, note -> the command (a note is GitHub's "notice"). */
static const char *const commands[] = {"notice", "warning", "error"};

static void gh_put(FILE *out, const char *s, bool property)
{
    char *clean = utf8_escape(s ? s : "", true); /* no control byte survives */

    for (const char *p = clean; *p; p++) {
        switch (*p) {
        case '%':
            fputs("%25", out);
            break;
        case '\r':
            fputs("%0D", out);
            break;
        case '\n':
            fputs("%0A", out);
            break;
        case ':':
            fputs(property ? "%3A" : ":", out);
            break;
        case ',':
            fputs(property ? "%2C" : ",", out);
            break;
        default:
            fputc(*p, out);
        }
    }
    free(clean);
}

/* One cause: its first finding's file and words, how many more, its one fix. */
static void annotate(FILE *out, const struct report *r, const struct cause *c)
{
    const struct finding *f = &r->findings->items[c->findings[0]];
    char *file = report_placed_path(r, f); /* the repository's path: GitHub places by it */
    char *title = c->nr > 1 ? xasprintf("%s %s (%zu)", f->rule->id, f->rule->slug, c->nr)
                            : xasprintf("%s %s", f->rule->id, f->rule->slug);
    char *also;

    fprintf(out, "::%s file=", commands[c->severity]);
    gh_put(out, file, true);
    fputs(",title=", out);
    gh_put(out, title, true);
    fputs("::", out);
    if (c->nr > 1) {
        gh_put(out, c->title, false);
        fprintf(out, " (%zu findings)%%0A", c->nr);
    }
    if (report_in_archive(r, f) && f->path[0]) {
        gh_put(out, f->path, false);
        fputs(": ", out);
    }
    gh_put(out, f->message, false);
    if ((also = finding_also_words(f)) != NULL) {
        fputs("%0A", out);
        gh_put(out, also, false);
        free(also);
    }
    if (c->nr > 1) {
        char *dists = strvec_join(&c->dists, ", ");
        fprintf(out, "%%0A... and %zu more", c->nr - 1);
        if (*dists) {
            fputs(" in ", out);
            gh_put(out, dists, false);
        }
        free(dists);
    }
    /* Lines of their own in the same annotation, as GitHub shows it: the command alone on
     * its line (copied as it is), the words on the next. */
    if (c->fix_command && c->severity > SEV_NOTE) {
        fputs("%0AFix: ", out);
        gh_put(out, c->fix_command, false);
    }
    if (c->fix_note && c->severity > SEV_NOTE) {
        fputs("%0ANote: ", out);
        gh_put(out, c->fix_note, false);
    }
    fputc('\n', out);
    free(file);
    free(title);
}

/* An input that could not be read fails the step's annotations too; one not checked is a
 * notice. */
static void annotate_input(FILE *out, const struct report *r, const struct report_input *in)
{
    const char *why = in->error ? in->error : in->skipped;

    fprintf(out, "::%s file=", in->error ? "error" : "notice");
    gh_put(out, report_input_placed(r, in), true);
    fprintf(out, ",title=abiscan %s::", in->error ? "input-unreadable" : "not-checked");
    if (in->function) {
        gh_put(out, in->function, false);
        fputs(": ", out);
    }
    gh_put(out, in->error ? "could not be read: " : "not checked: ", false);
    gh_put(out, why, false);
    fputc('\n', out);
}

static void annotate_matrix(FILE *out, const struct report *r, size_t i, bool alone)
{
    size_t nr, ok = 0;
    const struct report_verdict *rows = report_input_matrix(r, i, &nr);

    for (size_t k = 0; k < nr; k++) {
        ok += report_verdict_ok(&rows[k]);
    }
    if (alone) {
        fprintf(out,
                "::%s title=abiscan::imports on %zu of %zu runtimes (give --runtime for "
                "the findings)\n",
                ok ? "notice" : "error", ok, nr);
        return;
    }
    fprintf(out, "::%s file=", ok ? "notice" : "error");
    gh_put(out, report_input_placed(r, &r->inputs[i]), true);
    fprintf(out, ",title=abiscan::imports on %zu of %zu runtimes\n", ok, nr);
}

/* Causes in the order they are annotated: most severe first, then as the report has them
 * (each function's, most findings first). */
static int cmp_severity(const void *a, const void *b)
{
    const struct cause *x = *(const struct cause *const *)a;
    const struct cause *y = *(const struct cause *const *)b;

    if (x->severity != y->severity) {
        return x->severity > y->severity ? -1 : 1;
    }
    return x < y ? -1 : x > y; /* their place in the report's array */
}

int report_github(FILE *out, const struct report *r, struct diag *d)
{
    size_t t[4], heads = report_tally(r, t), nr, said[3] = {0, 0, 0}, left = 0, left_findings = 0;
    struct causes local = {0};
    const struct causes *cs = report_causes(r, &local);
    const struct cause **order = xcalloc(cs->nr + 1, sizeof(*order));

    for (size_t i = 0; i < r->inputs_nr; i++) {
        const struct report_input *in = &r->inputs[i];
        if (in->error || in->skipped) {
            annotate_input(out, r, in);
            said[in->error ? SEV_ERROR : SEV_NOTE]++;
        } else if (report_head_of(r, i) == i && report_input_matrix(r, i, &nr)) {
            annotate_matrix(out, r, i, heads == 1);
        }
    }
    for (size_t k = 0; k < cs->nr; k++) {
        order[k] = &cs->v[k];
    }
    if (cs->nr > 1) {
        qsort(order, cs->nr, sizeof(*order), cmp_severity);
    }
    for (size_t k = 0; k < cs->nr; k++) {
        const struct cause *c = order[k];
        if (said[c->severity] < ANNOTATIONS_PER_STEP) {
            annotate(out, r, c);
            said[c->severity]++;
        } else {
            left++;
            left_findings += c->nr;
        }
    }
    if (left) {
        fprintf(out,
                "abiscan: %zu more cause%s (%zu finding%s) not annotated: GitHub shows %d of each "
                "kind per step; --format markdown (the step summary) lists them all\n",
                left, left == 1 ? "" : "s", left_findings, left_findings == 1 ? "" : "s",
                ANNOTATIONS_PER_STEP);
    }
    free(order);
    causes_release(&local);
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the report") : 0;
}
