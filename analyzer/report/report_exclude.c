/* SPDX-License-Identifier: MIT */
/*
 * The exclude list: the paths the size plan says can be left out (tests/ trees, caches
 * this Python never reads, unread metadata, sources and headers), one a line, in the form
 * zip -x@FILE reads: a tree as its directory then "*" (zip's * crosses '/'), a file as its path, each
 * relative to its bundle's root. Build the bundle again from the same tree with
 * zip -r BUNDLE.zip . -x@FILE; abiscan itself never writes into a bundle. With several
 * bundles, each one's paths follow in input order (a path of a layer is relative to the
 * layer's root). A name zip cannot be given on a line (a newline in it) is left out.
 */
#include <string.h>

#include "report.h"
#include "utf8.h"

int report_exclude(FILE *out, const struct report *r, struct diag *d)
{
    for (size_t i = 0; i < r->inputs_nr; i++) {
        const struct size_plan *p = r->inputs[i].size;
        for (size_t k = 0; p && k < p->exclude.nr; k++) {
            const char *line = p->exclude.v[k];
            if (strpbrk(line, "\n\r") || !utf8_valid(line, strlen(line))) {
                continue;
            }
            fputs(line, out);
            fputc('\n', out);
        }
    }
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the exclude list") : 0;
}
