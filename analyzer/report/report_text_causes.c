/* SPDX-License-Identifier: MIT */
/*
 * The text report's findings, by cause (model/cause.h): a real bundle built with CPython
 * 3.11 for python3.9 had 297 findings and one cause, and read as 333 lines of them. Each cause
 * is a title with its counts, a few of its findings (the first of each distribution; -v: all
 * of them, by distribution), how many more and where, and its one fix: the command alone on
 * its line (what follows "fix: " is pasted as it is), then its words.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "rules.h"
#include "utf8.h"
#include "xalloc.h"

#define SAMPLE 3       /* findings shown of a cause without -v (one per distribution first) */
#define SAMPLE_DISTS 5 /* distributions named in "and N more in ..." */

static const char *sev_color(enum severity sev)
{
    return sev == SEV_ERROR ? "\033[1;31m" : sev == SEV_WARNING ? "\033[1;35m" : "\033[1;36m";
}

void rtext_put(FILE *out, const char *s)
{
    char *clean = utf8_escape(s ? s : "", true);
    fputs(clean, out);
    free(clean);
}

static void print_finding(FILE *out, const struct report *r, const struct finding *f)
{
    const char *input = r->inputs_nr > 1 ? r->inputs[f->input].name : NULL;
    char *also;

    fputs("  ", out);
    if (input) {
        rtext_put(out, input);
        fputc(':', out);
    }
    rtext_put(out, f->path);
    if (f->aliases.nr) {
        char *names = strvec_join(&f->aliases, ", ");
        fputs(" (also as ", out);
        rtext_put(out, names);
        fputc(')', out);
        free(names);
    }
    fprintf(out, ": %s%s%s: ", r->color ? sev_color(f->severity) : "", severity_name(f->severity),
            r->color ? RTEXT_RESET : "");
    rtext_put(out, f->message);
    fprintf(out, " [%s]\n", f->rule->slug);
    if ((also = finding_also_words(f)) != NULL) {
        fputs("      ", out);
        rtext_put(out, also);
        fputc('\n', out);
        free(also);
    }
    if (r->verbose && f->lambda_error) {
        fputs("      Lambda says: ", out);
        rtext_put(out, f->lambda_error);
        fputc('\n', out);
    }
}

static void print_fix(FILE *out, const struct report *r, const struct cause *c)
{
    if (c->fix_command) {
        fprintf(out, "  %sfix:%s ", r->color ? RTEXT_BOLD : "", r->color ? RTEXT_RESET : "");
        rtext_put(out, c->fix_command);
        fputc('\n', out);
    }
    if (c->fix_note) {
        fprintf(out, "  %snote:%s ", r->color ? RTEXT_BOLD : "", r->color ? RTEXT_RESET : "");
        rtext_put(out, c->fix_note);
        fputc('\n', out);
    }
}

/* The findings a cause shows: errors and warnings; its notes with -v. */
static bool shown(const struct report *r, const struct finding *f)
{
    return f->severity > SEV_NOTE || r->verbose;
}

static int cmp_dist(const char *a, const char *b)
{
    if (!a || !b) {
        return a ? -1 : b ? 1 : 0; /* findings outside any distribution come last */
    }
    return strcmp(a, b);
}

/* The cause's shown findings, by distribution, then as sorted (their place in the array). */
static int cmp_shown(const void *a, const void *b)
{
    const struct finding *x = *(const struct finding *const *)a;
    const struct finding *y = *(const struct finding *const *)b;
    int c = cmp_dist(x->dist_name, y->dist_name);

    if (!c) {
        c = cmp_dist(x->dist_version, y->dist_version);
    }
    return c ? c : (x < y ? -1 : x > y);
}

/* "178 errors, 2 warnings" of the findings shown. */
static void print_counts(FILE *out, const struct report *r, const struct cause *c)
{
    const char *sep = "";

    if (c->errors) {
        fprintf(out, "%zu error%s", c->errors, c->errors == 1 ? "" : "s");
        sep = ", ";
    }
    if (c->warnings) {
        fprintf(out, "%s%zu warning%s", sep, c->warnings, c->warnings == 1 ? "" : "s");
        sep = ", ";
    }
    if (c->notes && r->verbose) {
        fprintf(out, "%s%zu note%s", sep, c->notes, c->notes == 1 ? "" : "s");
    }
}

/* "and 177 more in numpy 1.24.2 (18), pandas 1.5.3 (44), ...; -v shows them" */
static void print_more(FILE *out, const struct finding *const *order, size_t n, const bool *done,
                       size_t more)
{
    size_t dists = 0;

    fprintf(out, "  ... and %zu more", more);
    for (size_t i = 0; i < n;) {
        const struct finding *f = order[i];
        size_t j = i, left = 0;
        while (j < n && !cmp_dist(order[j]->dist_name, f->dist_name)) {
            left += !done[j++];
        }
        if (left && f->dist_name && dists < SAMPLE_DISTS) {
            fputs(dists ? ", " : " in ", out);
            rtext_put(out, f->dist_name);
            fprintf(out, " (%zu)", left);
        }
        dists += left && f->dist_name;
        i = j;
    }
    fprintf(out, "%s; -v shows %s\n", dists > SAMPLE_DISTS ? ", ..." : "",
            more == 1 ? "it" : "them");
}

/* same: the number of an earlier cause printed with this cause's fix (a rebuild removes
 * several causes), 0 for none: the fix is then said once, there. */
static void print_cause(FILE *out, const struct report *r, const struct cause *c, size_t number,
                        size_t same)
{
    const struct finding **order = xcalloc(c->nr + 1, sizeof(*order));
    size_t n = 0, said = 0;
    bool *done;

    for (size_t i = 0; i < c->nr; i++) {
        if (shown(r, &r->findings->items[c->findings[i]])) {
            order[n++] = &r->findings->items[c->findings[i]];
        }
    }
    if (n > 1) {
        qsort(order, n, sizeof(*order), cmp_shown);
    }
    done = xcalloc(n + 1, sizeof(*done));
    fputs(r->color ? RTEXT_BOLD : "", out);
    if (number) {
        fprintf(out, "%zu. ", number);
    }
    rtext_put(out, c->title);
    fputs(" (", out);
    print_counts(out, r, c);
    fprintf(out, ")%s\n", r->color ? RTEXT_RESET : "");
    /* Without -v: the first finding of each distribution, then the first ones left, up to
     * SAMPLE; all of them when one more line would say no less. */
    for (size_t i = 0; i < n; i++) {
        bool first = !i || cmp_dist(order[i - 1]->dist_name, order[i]->dist_name);
        if (r->verbose || n <= SAMPLE + 1 || (first && said < SAMPLE)) {
            done[i] = true;
            said++;
        }
    }
    for (size_t i = 0; i < n && said < SAMPLE; i++) {
        if (!done[i]) {
            done[i] = true;
            said++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (done[i]) {
            print_finding(out, r, order[i]);
        }
    }
    if (said < n) {
        print_more(out, order, n, done, n - said);
    }
    if (same) {
        fprintf(out, "  %snote:%s the fix of cause %zu removes it too\n",
                r->color ? RTEXT_BOLD : "", r->color ? RTEXT_RESET : "", same);
    } else {
        print_fix(out, r, c);
    }
    fputc('\n', out);
    free(done);
    free(order);
}

/* How many of a cause's findings are shown. */
static size_t shown_count(const struct report *r, const struct cause *c)
{
    return c->errors + c->warnings + (r->verbose ? c->notes : 0);
}

size_t rtext_causes(FILE *out, const struct report *r, size_t from, size_t to)
{
    struct causes local = {0};
    const struct causes *cs = report_causes(r, &local);
    size_t hidden = 0, causes = 0, number = 0;

    for (size_t k = 0; k < cs->nr; k++) {
        const struct cause *c = &cs->v[k];
        if (c->input >= from && c->input < to) {
            hidden += r->verbose ? 0 : c->notes;
            causes += shown_count(r, c) > 0;
        }
    }
    if (causes > 1) {
        fprintf(out, "%zu causes:\n", causes);
        for (size_t k = 0; k < cs->nr; k++) {
            const struct cause *c = &cs->v[k];
            if (c->input < from || c->input >= to || !shown_count(r, c)) {
                continue;
            }
            fprintf(out, "  %zu. %s%s%s: ", ++number, r->color ? sev_color(c->severity) : "",
                    severity_name(c->severity), r->color ? RTEXT_RESET : "");
            rtext_put(out, c->title);
            fputs(" (", out);
            print_counts(out, r, c);
            fputs(")\n", out);
        }
        fputc('\n', out);
    }
    number = 0;
    for (size_t k = 0; k < cs->nr; k++) {
        const struct cause *c = &cs->v[k];
        size_t same = 0, m = 0;
        if (c->input < from || c->input >= to || !shown_count(r, c)) {
            continue;
        }
        for (size_t j = 0; j < k && !same && c->fix_command; j++) {
            const struct cause *o = &cs->v[j];
            if (o->input >= from && o->input < to && shown_count(r, o)) {
                m++;
                same = report_same_text(o->fix_command, c->fix_command) &&
                               report_same_text(o->fix_note, c->fix_note)
                           ? m
                           : 0;
            }
        }
        print_cause(out, r, c, causes > 1 ? ++number : 0, causes > 1 ? same : 0);
    }
    causes_release(&local);
    return hidden;
}
