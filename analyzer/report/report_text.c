/* SPDX-License-Identifier: MIT */
/*
 * Text output for people: what each input is and how it was built, its findings by cause
 * (report_text_causes.c: the cause, a few of its findings, its one fix), and a summary line;
 * without a target, the runtimes it imports on. Colour only when asked (a TTY without
 * NO_COLOR).
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

#define RESET RTEXT_RESET
#define BOLD RTEXT_BOLD

/* Write s as text a terminal cannot be driven by (rtext_put). */
static void put(FILE *out, const char *s)
{
    rtext_put(out, s);
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
    size_t ok = 0, width = 11; /* the runtime column: its longest name ("provided.al2023") */

    for (size_t i = 0; i < nr; i++) {
        size_t n = strlen(rows[i].profile->runtime);
        width = n > width ? n : width;
    }
    fprintf(out, "%-*s %-7s %-8s %-8s %s\n", (int)width, "RUNTIME", "ARCH", "IMPORTS", "DEPLOYS",
            "BLOCKED BY");
    for (size_t i = 0; i < nr; i++) {
        const struct report_verdict *v = &rows[i];
        char *blockers = strvec_join(&v->blockers, ", ");
        fprintf(out, "%-*s %-7s %s%-8s%s %s%-8s%s %s\n", (int)width, v->profile->runtime,
                v->profile->arch, r->color ? (v->imports ? "\033[1;32m" : "\033[1;31m") : "",
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
        hidden = rtext_causes(out, r, h, end);
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
    print_hidden(out, rtext_causes(out, r, 0, r->inputs_nr));
    rtext_size(out, r, 0);
    print_summary(out, r);
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the report") : 0;
}
