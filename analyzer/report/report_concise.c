/* SPDX-License-Identifier: MIT */
/*
 * Concise: one line per finding, `WHERE: severity: slug: message`, for grep, a terminal
 * that scrolls, and an editor's quickfix list (errorformat %f: %t%*[a-z]: %m). WHERE is the
 * file on disk for a directory's member (DIR/PATH), else INPUT:PATH. An input that could
 * not be read is one line too (`INPUT: error: input-unreadable: why`), in input order;
 * suppressed findings are not listed (the JSON and SARIF keep them).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "rules.h"
#include "xalloc.h"

int report_concise(FILE *out, const struct report *r, struct diag *d)
{
    size_t k = 0;

    for (size_t i = 0; i < r->inputs_nr; i++) {
        const struct report_input *in = &r->inputs[i];
        if (in->error) {
            fprintf(out, "%s: error: input-unreadable: %s\n", in->name, in->error);
        }
        for (; k < r->findings->nr && r->findings->items[k].input == i; k++) {
            const struct finding *f = &r->findings->items[k];
            bool whole = !f->path[0] || !strcmp(f->path, "."); /* the bundle as a whole */
            char *where = whole                     ? xstrdup(in->name)
                          : report_in_archive(r, f) ? xasprintf("%s:%s", in->name, f->path)
                                                    : report_artifact_path(r, f);
            fprintf(out, "%s: %s: %s: %s\n", where, severity_name(f->severity), f->rule->slug,
                    f->message);
            free(where);
        }
    }
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the report") : 0;
}
