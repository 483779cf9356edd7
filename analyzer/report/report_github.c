/* SPDX-License-Identifier: MIT */
/*
 * GitHub Actions workflow commands, one annotation per finding:
 *   ::error file=dist/fn.zip,title=ABI001 python-tag-mismatch::numpy/x.so: built for ...
 * ("Workflow commands for GitHub Actions", docs.github.com; the escaping is the runner's
 * toolkit's, actions/toolkit packages/core/src/command.ts: escapeData() for the message,
 * '%' -> %25, CR -> %0D, LF -> %0A; escapeProperty() for file= and title=, also
 * ':' -> %3A and ',' -> %2C). The runner reads a command only at the start of a line, so
 * no byte of a member name may end the line abiscan writes: control characters are
 * written as \xNN first, then the toolkit's escapes apply, and every line this emitter
 * writes starts with "::error ", "::warning " or "::notice ". Findings the gate set aside
 * are not annotated: they are accepted.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "rules.h"
#include "utf8.h"
#include "xalloc.h"

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

static void annotate(FILE *out, const struct report *r, const struct finding *f)
{
    char *file = report_artifact_path(r, f);
    char *title = xasprintf("%s %s", f->rule->id, f->rule->slug);

    fprintf(out, "::%s file=", commands[f->severity]);
    gh_put(out, file, true);
    fputs(",title=", out);
    gh_put(out, title, true);
    fputs("::", out);
    if (report_in_archive(r, f) && f->path[0]) {
        gh_put(out, f->path, false);
        fputs(": ", out);
    }
    gh_put(out, f->message, false);
    if (f->remediation && f->severity > SEV_NOTE) {
        fputs("%0AFix: ", out); /* a second line of the same annotation, as GitHub shows it */
        gh_put(out, f->remediation, false);
    }
    fputc('\n', out);
    free(file);
    free(title);
}

int report_github(FILE *out, const struct report *r, struct diag *d)
{
    if (!r->profile) {
        size_t ok = 0;
        for (size_t i = 0; i < r->matrix_nr; i++) {
            ok += r->matrix[i].imports;
        }
        fprintf(out,
                "::%s title=abiscan::imports on %zu of %zu runtimes (give --runtime for "
                "the findings)\n",
                ok ? "notice" : "error", ok, r->matrix_nr);
        return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the report") : 0;
    }
    for (size_t i = 0; i < r->findings->nr; i++) {
        annotate(out, r, &r->findings->items[i]);
    }
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the report") : 0;
}
