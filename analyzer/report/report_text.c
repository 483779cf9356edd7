/* SPDX-License-Identifier: MIT */
/*
 * Text output for people: findings grouped by distribution, one line each,
 * compiler style (path: severity: message [slug]), the fix (its command alone on a line,
 * then its words) once per
 * group, and a summary line. Colour only when asked (a TTY without NO_COLOR).
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "rules.h"
#include "strmap.h"
#include "utf8.h"
#include "strvec.h"
#include "xalloc.h"

#define RESET "\033[0m"
#define BOLD "\033[1m"

static const char *sev_color(enum severity sev)
{
    return sev == SEV_ERROR ? "\033[1;31m" : sev == SEV_WARNING ? "\033[1;35m" : "\033[1;36m";
}

static int cmp_opt(const char *a, const char *b)
{
    if (!a || !b) {
        return a ? -1 : b ? 1 : 0; /* findings outside any distribution come last */
    }
    return strcmp(a, b);
}

/* Findings in display order: by distribution, then as sorted. */
static int cmp_group(const void *a, const void *b)
{
    const struct finding *x = *(const struct finding *const *)a;
    const struct finding *y = *(const struct finding *const *)b;
    int c = cmp_opt(x->dist_name, y->dist_name);

    if (c) {
        return c;
    }
    if ((c = cmp_opt(x->dist_version, y->dist_version)) != 0) {
        return c;
    }
    return x < y ? -1 : x > y;
}

static bool same_group(const struct finding *a, const struct finding *b)
{
    return !cmp_opt(a->dist_name, b->dist_name) && !cmp_opt(a->dist_version, b->dist_version);
}

/* Write s as text a terminal cannot be driven by: control characters and invalid
 * UTF-8 from the bundle come out as \xNN. */
static void put(FILE *out, const char *s)
{
    char *clean = utf8_escape(s ? s : "", true);
    fputs(clean, out);
    free(clean);
}

static void print_heading(FILE *out, const struct report *r, const struct finding *f)
{
    if (f->dist_name) {
        fputs(r->color ? BOLD : "", out);
        put(out, f->dist_name);
        fputc(' ', out);
        put(out, f->dist_version ? f->dist_version : "(unknown version)");
        fprintf(out, "%s\n", r->color ? RESET : "");
    } else {
        fprintf(out, "%s(no distribution)%s\n", r->color ? BOLD : "", r->color ? RESET : "");
    }
}

static void print_finding(FILE *out, const struct report *r, const struct finding *f)
{
    const char *input = r->inputs_nr > 1 ? r->inputs[f->input].name : NULL;
    char *also;

    fputs("  ", out);
    if (input) {
        put(out, input);
        fputc(':', out);
    }
    put(out, f->path);
    if (f->aliases.nr) {
        char *names = strvec_join(&f->aliases, ", ");
        fputs(" (also as ", out);
        put(out, names);
        fputc(')', out);
        free(names);
    }
    fprintf(out, ": %s%s%s: ", r->color ? sev_color(f->severity) : "", severity_name(f->severity),
            r->color ? RESET : "");
    put(out, f->message);
    fprintf(out, " [%s]\n", f->rule->slug);
    if ((also = finding_also_words(f)) != NULL) {
        fputs("      ", out);
        put(out, also);
        fputc('\n', out);
        free(also);
    }
    if (r->verbose && f->lambda_error) {
        fputs("      Lambda says: ", out);
        put(out, f->lambda_error);
        fputc('\n', out);
    }
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool same_fix(const struct finding *a, const struct finding *b)
{
    return same_str(a->fix_command, b->fix_command) && same_str(a->fix_note, b->fix_note);
}

/* The fix: the command alone on its line (what follows "fix: " is pasted as it is), then
 * its words on a line of their own. */
static void print_fix(FILE *out, const struct report *r, const struct finding *f)
{
    if (f->fix_command) {
        fprintf(out, "  %sfix:%s ", r->color ? BOLD : "", r->color ? RESET : "");
        put(out, f->fix_command);
        fputc('\n', out);
    }
    if (f->fix_note) {
        fprintf(out, "  %snote:%s ", r->color ? BOLD : "", r->color ? RESET : "");
        put(out, f->fix_note);
        fputc('\n', out);
    }
}

/* One distribution's findings, each fix once and right after the findings it answers
 * (issue: grpcio got 14 near-identical fix lines, all after its findings). */
static void print_group(FILE *out, const struct report *r, const struct finding *const *group,
                        size_t n)
{
    bool *done = xcalloc(n + 1, sizeof(*done));

    for (size_t i = 0; i < n; i++) {
        const struct finding *fix = group[i];
        bool above_note = false;
        if (done[i]) {
            continue;
        }
        for (size_t j = i; j < n; j++) {
            if (!done[j] && same_fix(group[j], fix)) {
                print_finding(out, r, group[j]);
                above_note |= group[j]->severity > SEV_NOTE;
                done[j] = true;
            }
        }
        if (above_note || r->verbose) {
            print_fix(out, r, fix);
        }
    }
    free(done);
}

static void print_summary(FILE *out, const struct report *r)
{
    const struct findings *fs = r->findings;
    size_t members = 0, elf = 0;

    for (size_t i = 0; i < r->inputs_nr; i++) {
        members += r->inputs[i].files;
        elf += r->inputs[i].elf_objects;
    }
    fprintf(out, "%s:", r->tool_name);
    if (!report_print_unchecked(out, r)) {
        fprintf(out,
                " %zu error%s, %zu warning%s, %zu note%s in %zu file%s (%zu ELF) of %zu input%s",
                findings_count(fs, SEV_ERROR), findings_count(fs, SEV_ERROR) == 1 ? "" : "s",
                findings_count(fs, SEV_WARNING), findings_count(fs, SEV_WARNING) == 1 ? "" : "s",
                findings_count(fs, SEV_NOTE), findings_count(fs, SEV_NOTE) == 1 ? "" : "s", members,
                members == 1 ? "" : "s", elf, r->inputs_nr, r->inputs_nr == 1 ? "" : "s");
        report_print_tally(out, r);
    }
    fputs("; ", out);
    report_print_target(out, r);
    report_print_suppressed(out, r); /* "; N suppressed" when the gate was in use */
    fputc('\n', out);
}

/* Without a target: where the bundle would import, one row per runtime and architecture. */
static size_t print_rows(FILE *out, const struct report *r, const struct report_verdict *rows,
                         size_t nr)
{
    size_t ok = 0;

    fprintf(out, "%-11s %-7s %-8s %-8s %s\n", "RUNTIME", "ARCH", "IMPORTS", "DEPLOYS",
            "BLOCKED BY");
    for (size_t i = 0; i < nr; i++) {
        const struct report_verdict *v = &rows[i];
        char *blockers = strvec_join(&v->blockers, ", ");
        fprintf(out, "%-11s %-7s %s%-8s%s %s%-8s%s %s\n", v->profile->runtime, v->profile->arch,
                r->color ? (v->imports ? "\033[1;32m" : "\033[1;31m") : "",
                v->imports ? "yes" : "no", r->color ? RESET : "",
                r->color ? (v->deploys ? "\033[1;32m" : "\033[1;31m") : "",
                v->deploys ? "yes" : "no", r->color ? RESET : "", blockers);
        ok += report_verdict_ok(v);
        free(blockers);
    }
    return ok;
}

static void print_matrix(FILE *out, const struct report *r)
{
    size_t ok = print_rows(out, r, r->matrix, r->matrix_nr);

    size_t ended = 0;

    for (size_t i = 0; i < r->matrix_nr; i++) {
        ended += r->matrix[i].imports && !r->matrix[i].deploys;
    }
    fprintf(out, "\n%s: imports ", r->tool_name);
    if (!ok) {
        fprintf(out, "on none of the %zu runtime%s", r->matrix_nr, r->matrix_nr == 1 ? "" : "s");
    } else if (ok <= 3) {
        /* Few: name them, so that "exit 0" reads as what it is. */
        size_t said = 0;
        for (size_t i = 0; i < r->matrix_nr; i++) {
            if (report_verdict_ok(&r->matrix[i])) {
                said++;
                fprintf(out, "%s%s %s",
                        said == 1    ? "on "
                        : said == ok ? " and "
                                     : ", ",
                        r->matrix[i].profile->runtime, r->matrix[i].profile->arch);
            }
        }
        fputs(ok == 1 ? " and nowhere else" : " only", out);
    } else {
        fprintf(out, "on %zu of %zu runtimes", ok, r->matrix_nr);
    }
    if (ended) {
        fprintf(out, ", and on %zu more that Lambda no longer lets functions update", ended);
    }
    fprintf(out, " (exit %d: %s; give --runtime for the findings)\n", ok ? 0 : 1,
            ok ? "it imports somewhere" : "it imports nowhere");
}

/* What was found in an input (a container image: what it is, its OS and C library, its
 * Python, task root and handler) and how it was built, a line each below its name (or below
 * its heading). */
static void print_about(FILE *out, const struct report *r, size_t i, bool name)
{
    const struct strvec *about = r->inputs[i].about;
    const struct built_with *built = r->inputs[i].built;
    const char *indent = name ? "  " : "   ";

    if ((!about || !about->nr) && !(built && built_with_any(built))) {
        return;
    }
    if (name) {
        put(out, r->inputs[i].name);
        fputc('\n', out);
    }
    for (size_t k = 0; about && k < about->nr; k++) {
        fputs(indent, out);
        put(out, about->v[k]);
        fputc('\n', out);
    }
    if (built && built_with_any(built)) {
        char *words = built_with_words(built);
        fputs(indent, out);
        put(out, words);
        fputc('\n', out);
        free(words);
    }
    if (name) {
        fputc('\n', out);
    }
}

/* A layer checked on its own says so first: its findings are about /opt, not /var/task. */
static void print_role(FILE *out, const struct report *r, size_t i)
{
    if (r->inputs[i].alone) {
        put(out, r->inputs[i].name);
        fputs(": ", out);
        put(out, r->inputs[i].role_reason);
        fputs("\n\n", out);
    }
}

/* The findings shown (errors, warnings; notes with -v) of inputs [from, to), grouped by
 * distribution; returns how many notes were not shown. */
static size_t print_findings(FILE *out, const struct report *r, size_t from, size_t to)
{
    const struct findings *fs = r->findings;
    const struct finding **order;
    size_t n = 0, hidden = 0, b, e, unused;

    report_findings_of(r, from, &b, &unused);
    report_findings_of(r, to - 1, &unused, &e);
    order = xcalloc(e - b + 1, sizeof(*order));
    for (size_t i = b; i < e; i++) {
        if (fs->items[i].severity > SEV_NOTE || r->verbose) {
            order[n++] = &fs->items[i];
        } else {
            hidden++;
        }
    }
    if (n > 1) {
        qsort(order, n, sizeof(*order), cmp_group);
    }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        print_heading(out, r, order[i]);
        while (j < n && same_group(order[i], order[j])) {
            j++;
        }
        print_group(out, r, order + i, j - i);
        fputc('\n', out);
        i = j;
    }
    free(order);
    return hidden;
}

static const char *verdict_color(enum report_verdict_kind v)
{
    return v == REPORT_PASS ? "\033[1;32m" : v == REPORT_SKIPPED ? "\033[1;36m" : "\033[1;31m";
}

/* "== NAME (function F): VERDICT ..." : what became of one function, or a layer alone. */
static void print_unit_heading(FILE *out, const struct report *r, size_t h, size_t end)
{
    const struct report_input *in = &r->inputs[h];
    enum report_verdict_kind v = report_input_verdict(r, h);
    const struct profile *p = report_input_profile(r, h);

    fprintf(out, "%s== ", r->color ? BOLD : "");
    if (in->function && strcmp(in->function, in->name) != 0) {
        put(out, in->function);
        fputs(" (", out);
        put(out, in->name);
        fputc(')', out);
    } else {
        put(out, in->name);
    }
    fprintf(out, ":%s %s%s%s", r->color ? RESET : "", r->color ? verdict_color(v) : "",
            report_verdict_name(v), r->color ? RESET : "");
    if (v == REPORT_ERROR || v == REPORT_SKIPPED) {
        for (size_t k = h; k < end; k++) {
            const char *why = v == REPORT_SKIPPED ? r->inputs[k].skipped : r->inputs[k].error;
            if (why) {
                fputs(": ", out);
                put(out, why);
                break;
            }
        }
    } else if (p) {
        struct report_counts c = {0, 0, 0, 0}, one;
        for (size_t k = h; k < end; k++) {
            report_input_counts(r, k, &one);
            c.error += one.error;
            c.warning += one.warning;
            c.note += one.note;
        }
        fprintf(out, " (%s %s: %zu error%s, %zu warning%s, %zu note%s)", p->runtime, p->arch,
                c.error, c.error == 1 ? "" : "s", c.warning, c.warning == 1 ? "" : "s", c.note,
                c.note == 1 ? "" : "s");
    }
    fputc('\n', out);
    if (v != REPORT_ERROR && v != REPORT_SKIPPED) {
        print_about(out, r, h, false);
    }
    for (size_t k = h + 1; k < end; k++) {
        fputs("   with layer ", out);
        put(out, r->inputs[k].name);
        fputc('\n', out);
    }
    for (size_t k = 0; v != REPORT_SKIPPED && in->not_checked && k < in->not_checked->nr; k++) {
        fputs("   not checked: ", out);
        put(out, in->not_checked->v[k]);
        fputc('\n', out);
    }
}

/* One function (with its layers) or layer alone, of a report of several. */
static size_t print_unit(FILE *out, const struct report *r, size_t h, size_t end)
{
    enum report_verdict_kind v = report_input_verdict(r, h);
    const struct report_verdict *rows;
    size_t nr, hidden = 0;

    print_unit_heading(out, r, h, end);
    fputc('\n', out);
    if (v == REPORT_ERROR || v == REPORT_SKIPPED) {
        return 0;
    }
    print_role(out, r, h);
    if ((rows = report_input_matrix(r, h, &nr)) != NULL) {
        print_rows(out, r, rows, nr);
        fputc('\n', out);
    } else {
        hidden = print_findings(out, r, h, end);
    }
    rtext_size(out, r, h);
    return hidden;
}

static void print_hidden(FILE *out, size_t hidden)
{
    if (hidden) {
        fprintf(out, "(%zu note%s not shown: -v shows %s)\n", hidden, hidden == 1 ? "" : "s",
                hidden == 1 ? "it" : "them");
    }
}

/* Several functions, or one that could not be read: each on its own, in input order. */
static void print_units(FILE *out, const struct report *r)
{
    size_t hidden = 0, ok = 0;

    for (size_t h = 0; h < r->inputs_nr;) {
        size_t end = h + 1;
        while (end < r->inputs_nr && report_head_of(r, end) == h) {
            end++;
        }
        hidden += print_unit(out, r, h, end);
        h = end;
    }
    print_hidden(out, hidden);
    if (!r->profile && r->matrix_nr) {
        size_t t[4], heads = report_tally(r, t);
        for (size_t i = 0; i < r->matrix_nr; i++) {
            ok += report_verdict_ok(&r->matrix[i]);
        }
        fprintf(out, "%s: %zu input%s", r->tool_name, heads, heads == 1 ? "" : "s");
        report_print_tally(out, r);
        fprintf(out,
                "; together they import on %zu of %zu runtime%s (give --runtime for the "
                "findings)\n",
                ok, r->matrix_nr, r->matrix_nr == 1 ? "" : "s");
        return;
    }
    print_summary(out, r);
}

int report_text(FILE *out, const struct report *r, struct diag *d)
{
    size_t t[4], heads = report_tally(r, t);

    if (heads != 1 || t[REPORT_ERROR] || t[REPORT_SKIPPED] || r->inputs[0].function) {
        print_units(out, r);
        return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the report") : 0;
    }
    /* One bundle (with its layers): what was found in it, then its findings by distribution,
     * as they always were. */
    for (size_t i = 0; i < r->inputs_nr; i++) {
        print_about(out, r, i, true);
        print_role(out, r, i);
    }
    if (!r->profile) {
        print_matrix(out, r);
        rtext_size(out, r, 0);
        return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the report") : 0;
    }
    /* Errors and warnings; the notes only with -v (a real bundle had 4,349), counted. */
    print_hidden(out, print_findings(out, r, 0, r->inputs_nr));
    rtext_size(out, r, 0);
    print_summary(out, r);
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the report") : 0;
}
