/* SPDX-License-Identifier: MIT */
/*
 * Markdown for $GITHUB_STEP_SUMMARY or a pull-request comment (GitHub Flavored Markdown,
 * github.github.com/gfm: tables are §4.10). Per input a verdict line, then a table of
 * its findings grouped by distribution. Everything a bundle names is escaped for a table
 * cell: '|' as "\|" (GFM §4.10: the only way to put a pipe in a cell), the ASCII
 * punctuation Markdown would act on backslash-escaped (CommonMark §2.4), '<', '>' and '&'
 * as entities, so that no name becomes HTML, a link or a new row; control characters
 * are written as \xNN. The tests render it with cmark-gfm, GitHub's own renderer.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
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

static void row(FILE *out, const struct finding *f, const char *status)
{
    fputs("| ", out);
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
    fputs(" |\n", out);
}

static void input_section(FILE *out, const struct report *r, size_t in)
{
    const struct findings *fs = r->findings;
    const struct finding **v = xcalloc(fs->nr + 1, sizeof(*v));
    size_t n = 0, sup = 0, e = 0, w = 0, notes = 0, failing = 0;

    for (size_t i = 0; i < fs->nr; i++) {
        if (fs->items[i].input == in) {
            v[n++] = &fs->items[i];
            e += fs->items[i].severity == SEV_ERROR;
            w += fs->items[i].severity == SEV_WARNING;
            notes += fs->items[i].severity == SEV_NOTE;
            failing += fs->items[i].severity >= r->fail_on;
        }
    }
    for (size_t i = 0; i < report_suppressed_count(r); i++) {
        sup += r->gate->suppressed.items[i].input == in;
    }
    qsort(v, n, sizeof(*v), cmp_dist);
    fprintf(out, "### %s ", failing ? ":x:" : ":white_check_mark:");
    md_put(out, r->inputs[in].name);
    fprintf(out, " (%s, %s)\n\n", r->inputs[in].role, r->inputs[in].kind);
    fprintf(out, "**%s**: %zu error%s, %zu warning%s, %zu note%s", failing ? "Fails" : "Passes", e,
            e == 1 ? "" : "s", w, w == 1 ? "" : "s", notes, notes == 1 ? "" : "s");
    if (r->gated) {
        fprintf(out, ", %zu suppressed", sup);
    }
    fprintf(out, " in %zu files (%zu ELF).\n\n", r->inputs[in].files, r->inputs[in].elf_objects);
    if (n) {
        fputs("| distribution | member | severity | rule | finding |\n"
              "|---|---|---|---|---|\n",
              out);
        for (size_t i = 0; i < n; i++) {
            row(out, v[i], severity_name(v[i]->severity));
        }
        fputc('\n', out);
    }
    free(v);
}

static void matrix(FILE *out, const struct report *r)
{
    fputs("| runtime | arch | imports | blocked by |\n|---|---|---|---|\n", out);
    for (size_t i = 0; i < r->matrix_nr; i++) {
        const struct report_verdict *v = &r->matrix[i];
        char *why = strvec_join(&v->blockers, ", ");
        fprintf(out, "| %s | %s | %s | ", v->profile->runtime, v->profile->arch,
                v->imports ? "yes" : "**no**");
        md_put(out, why);
        fputs(" |\n", out);
        free(why);
    }
    fputc('\n', out);
}

int report_markdown(FILE *out, const struct report *r, struct diag *d)
{
    if (!r->profile) {
        fputs("## abiscan: where the bundle imports\n\n", out);
        matrix(out, r);
    } else {
        fprintf(out, "## abiscan: %s %s (--fail-on %s)\n\n", r->profile->runtime, r->profile->arch,
                severity_name(r->fail_on));
        for (size_t in = 0; in < r->inputs_nr; in++) {
            input_section(out, r, in);
        }
    }
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the report") : 0;
}
