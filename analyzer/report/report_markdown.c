/* SPDX-License-Identifier: MIT */
/*
 * Markdown for $GITHUB_STEP_SUMMARY or a pull-request comment (GitHub Flavored Markdown,
 * github.github.com/gfm: tables are §4.10). Per input a verdict line, then its causes
 * (model/cause.h) in a table, each cause's fix in a code block, and a table of its findings by
 * cause, then distribution (an input that could not be read: :x: and why). Everything a bundle names is escaped for a table
 * cell: '|' as "\|" (GFM §4.10: the only way to put a pipe in a cell), the ASCII
 * punctuation Markdown would act on backslash-escaped (CommonMark §2.4), '<', '>' and '&'
 * as entities, so that no name becomes HTML, a link or a new row; control characters
 * are written as \xNN. The tests render it with cmark-gfm, GitHub's own renderer.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "rules.h"
#include "utf8.h"
#include "xalloc.h"

static void md_put(FILE *out, const char *s)
{
    char *clean = utf8_escape(s ? s : "", true);

    for (const char *p = clean; *p; p++) {
        if (*p == '<') {
            fputs("&lt;", out);
        } else if (*p == '>') {
            fputs("&gt;", out);
        } else if (*p == '&') {
            fputs("&amp;", out);
        } else if (strchr("\\`*_[]{}()#+-.!|~\"'$=:@", *p)) {
            fprintf(out, "\\%c", *p);
        } else {
            fputc(*p, out);
        }
    }
    free(clean);
}

static int cmp_opt(const char *a, const char *b)
{
    if (!a || !b) {
        return a ? -1 : b ? 1 : 0; /* no distribution last, as in the text report */
    }
    return strcmp(a, b);
}

static int cmp_dist(const void *a, const void *b)
{
    const struct finding *x = *(const struct finding *const *)a;
    const struct finding *y = *(const struct finding *const *)b;
    int c = cmp_opt(x->dist_name, y->dist_name);

    if (!c) {
        c = cmp_opt(x->dist_version, y->dist_version);
    }
    return c ? c : (x < y ? -1 : x > y);
}

/* A row of an input's findings table: its cause's number (0: none) and the finding. */
struct md_row {
    size_t cause;
    const struct finding *f;
};

/* By cause, then by distribution. */
static int cmp_row(const void *a, const void *b)
{
    const struct md_row *x = a, *y = b;

    if (x->cause != y->cause) {
        return x->cause < y->cause ? -1 : 1;
    }
    return cmp_dist(&x->f, &y->f);
}

static void row(FILE *out, const struct finding *f, const char *status, size_t cause)
{
    char *also;

    fprintf(out, "| %zu | ", cause);
    if (f->dist_name) {
        md_put(out, f->dist_name);
        fputc(' ', out);
        md_put(out, f->dist_version ? f->dist_version : "");
    } else {
        fputs("(no distribution)", out);
    }
    fputs(" | ", out);
    md_put(out, f->path);
    fprintf(out, " | %s | %s ", status, f->rule->id);
    md_put(out, f->rule->slug);
    fputs(" | ", out);
    md_put(out, f->message);
    if ((also = finding_also_words(f)) != NULL) {
        fputs("; ", out);
        md_put(out, also);
        free(also);
    }
    fputs(" |\n", out);
}

static void matrix(FILE *out, const struct report_verdict *rows, size_t nr)
{
    fputs("| runtime | arch | imports | deploys | blocked by |\n|---|---|---|---|---|\n", out);
    for (size_t i = 0; i < nr; i++) {
        const struct report_verdict *v = &rows[i];
        char *why = strvec_join(&v->blockers, ", ");
        fprintf(out, "| %s | %s | %s | %s | ", v->profile->runtime, v->profile->arch,
                v->imports ? "yes" : "**no**", v->deploys ? "yes" : "**no**");
        md_put(out, why);
        fputs(" |\n", out);
        free(why);
    }
    fputc('\n', out);
}

static void section_heading(FILE *out, const struct report *r, size_t in, bool failing)
{
    const struct report_input *ri = &r->inputs[in];
    const struct profile *p = report_input_profile(r, in);

    fprintf(out, "### %s ",
            failing       ? ":x:"
            : ri->skipped ? ":fast_forward:"
                          : ":white_check_mark:");
    if (ri->function) {
        md_put(out, ri->function);
        fputc(' ', out);
    }
    md_put(out, ri->name);
    fprintf(out, " (%s", ri->role);
    if (ri->kind) {
        fprintf(out, ", %s", ri->kind);
    }
    if (p && !r->profile) {
        fprintf(out, ", %s %s", p->runtime, p->arch);
    }
    fputs(")\n\n", out);
}

/* The size plan in one line: what a reviewer needs to see that a bundle will not fit. */
static void size_line(FILE *out, const struct size_plan *p)
{
    if (!p) {
        return;
    }
    fprintf(out,
            "**Size**: %llu bytes unzipped of Lambda's %llu; %llu can be left out "
            "(--report exclude=FILE) and stripping saves %llu: then %llu, %s.\n\n",
            (unsigned long long)p->unzipped, (unsigned long long)p->limit,
            (unsigned long long)p->removable, (unsigned long long)p->saving[SIZE_DEBUG],
            (unsigned long long)p->after, sizeplan_verdict_text(p->verdict));
}

/* A command in a fenced code block: literal, whatever it holds (the fence is longer than
 * any run of backticks in it, CommonMark §4.5). */
static void code_block(FILE *out, const char *command)
{
    size_t run = 0, longest = 0;
    char *clean = utf8_escape(command, true);

    for (const char *p = clean; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    for (size_t i = 0; i < (longest < 3 ? 3 : longest + 1); i++) {
        fputc('`', out);
    }
    fprintf(out, "sh\n%s\n", clean);
    for (size_t i = 0; i < (longest < 3 ? 3 : longest + 1); i++) {
        fputc('`', out);
    }
    fputs("\n\n", out);
    free(clean);
}

/* The causes of head in's findings: a row each, then each one's fix; fills number[] (the
 * cause of each finding, by its place in r->findings) for the findings table. */
static void causes_section(FILE *out, const struct report *r, const struct causes *cs, size_t in,
                           size_t *number)
{
    size_t n = 0;

    for (size_t k = 0; k < cs->nr; k++) {
        const struct cause *c = &cs->v[k];
        char *dists;
        if (c->input != in) {
            continue;
        }
        if (!n++) {
            fputs("| # | cause | severity | findings |\n|---|---|---|---|\n", out);
        }
        for (size_t i = 0; i < c->nr; i++) {
            number[c->findings[i]] = n;
        }
        fprintf(out, "| %zu | ", n);
        md_put(out, c->title);
        fprintf(out, " | %s | %zu", severity_name(c->severity), c->nr);
        dists = strvec_join(&c->dists, ", ");
        if (*dists) {
            fputs(" (", out);
            md_put(out, dists);
            fputc(')', out);
        }
        fputs(" |\n", out);
        free(dists);
    }
    if (!n) {
        return;
    }
    fputc('\n', out);
    n = 0;
    for (size_t k = 0; k < cs->nr; k++) {
        const struct cause *c = &cs->v[k];
        if (c->input != in || (!c->fix_command && !c->fix_note)) {
            n += c->input == in;
            continue;
        }
        size_t same = 0, m = 0;
        n++;
        for (size_t j = 0; j < k && !same; j++) { /* a rebuild removes several causes */
            const struct cause *o = &cs->v[j];
            m += o->input == in;
            if (o->input == in && report_same_text(o->fix_command, c->fix_command) &&
                report_same_text(o->fix_note, c->fix_note)) {
                same = m;
            }
        }
        if (same) {
            fprintf(out, "**Fix %zu**: as fix %zu.\n\n", n, same);
            continue;
        }
        fprintf(out, "**Fix %zu**", n);
        if (c->fix_note) {
            fputs(": ", out);
            md_put(out, c->fix_note);
        }
        fputs("\n\n", out);
        if (c->fix_command) {
            code_block(out, c->fix_command);
        }
    }
}

/* The findings [b, e) in a table, by cause (its number in number[], by finding), then by
 * distribution: sorted once, not scanned once a cause. */
static void findings_table(FILE *out, const struct findings *fs, size_t b, size_t e,
                           const size_t *number)
{
    struct md_row *rows;
    size_t n = e - b;

    if (!n) {
        return;
    }
    rows = xcalloc(n, sizeof(*rows));
    for (size_t i = 0; i < n; i++) {
        rows[i] = (struct md_row){number[b + i], &fs->items[b + i]};
    }
    qsort(rows, n, sizeof(*rows), cmp_row);
    fputs("| cause | distribution | member | severity | rule | finding |\n"
          "|---|---|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < n; i++) {
        row(out, rows[i].f, severity_name(rows[i].f->severity), rows[i].cause);
    }
    fputc('\n', out);
    free(rows);
}

static void input_section(FILE *out, const struct report *r, size_t in, const struct causes *cs,
                          size_t *number)
{
    const struct report_input *ri = &r->inputs[in];
    enum report_verdict_kind verdict = report_input_verdict(r, in);
    bool failing = verdict == REPORT_FAIL || verdict == REPORT_ERROR;
    const struct report_verdict *rows;
    struct report_counts c;
    size_t b, e, rows_nr;

    section_heading(out, r, in, failing);
    if (ri->error || ri->skipped) {
        fputs(ri->error ? "**Could not be read**: " : "**Not checked**: ", out);
        md_put(out, ri->error ? ri->error : ri->skipped);
        fputs("\n\n", out);
        return;
    }
    if (report_head_of(r, in) == in && (rows = report_input_matrix(r, in, &rows_nr)) != NULL) {
        matrix(out, rows, rows_nr);
        size_line(out, ri->size);
        return;
    }
    report_input_counts(r, in, &c);
    report_findings_of(r, in, &b, &e);
    fprintf(out, "**%s**: %zu error%s, %zu warning%s, %zu note%s", failing ? "Fails" : "Passes",
            c.error, c.error == 1 ? "" : "s", c.warning, c.warning == 1 ? "" : "s", c.note,
            c.note == 1 ? "" : "s");
    if (r->gated) {
        fprintf(out, ", %zu suppressed", c.suppressed);
    }
    fprintf(out, " in %zu files (%zu ELF).\n\n", ri->files, ri->elf_objects);
    for (size_t i = 0; ri->not_checked && i < ri->not_checked->nr; i++) {
        fputs("Not checked: ", out);
        md_put(out, ri->not_checked->v[i]);
        fputs("\n\n", out);
    }
    size_line(out, ri->size);
    if (report_head_of(r, in) == in) {
        causes_section(out, r, cs, in, number);
    }
    findings_table(out, r->findings, b, e, number);
}

int report_markdown(FILE *out, const struct report *r, struct diag *d)
{
    size_t t[4], heads = report_tally(r, t);

    if (!r->profile && r->matrix_nr && heads == 1 && !t[REPORT_ERROR] && !t[REPORT_SKIPPED]) {
        fputs("## abiscan: where the bundle imports\n\n", out);
        matrix(out, r->matrix, r->matrix_nr);
        return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the report") : 0;
    }
    if (r->profile) {
        fprintf(out, "## abiscan: %s %s (--fail-on %s)\n\n", r->profile->runtime, r->profile->arch,
                severity_name(r->fail_on));
    } else if (r->matrix_nr) {
        fputs("## abiscan: where each input imports\n\n", out);
    } else {
        fprintf(out, "## abiscan: each function on its declared target (--fail-on %s)\n\n",
                severity_name(r->fail_on));
    }
    if (heads > 1 || t[REPORT_ERROR] || t[REPORT_SKIPPED]) {
        fprintf(out, "%zu pass, %zu fail, %zu could not be read, %zu not checked.\n\n",
                t[REPORT_PASS], t[REPORT_FAIL], t[REPORT_ERROR], t[REPORT_SKIPPED]);
    }
    struct causes local = {0};
    const struct causes *cs = report_causes(r, &local);
    size_t *number = xcalloc(r->findings->nr + 1, sizeof(*number));
    for (size_t in = 0; in < r->inputs_nr; in++) {
        input_section(out, r, in, cs, number);
    }
    free(number);
    causes_release(&local);
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the report") : 0;
}
