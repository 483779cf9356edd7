/* SPDX-License-Identifier: MIT */
/*
 * The strip commands: every one the size plan gives (the text report shows the first
 * few), as a POSIX shell script, one command a line, each path relative to its input's
 * root and quoted for the shell (sh_word). Run it in the tree the zip is made from,
 * before zipping: abiscan itself never writes into a bundle. With several inputs (a
 * function and its layers), each input's commands follow a comment naming it: run them
 * in that input's tree. A path no command line can carry is left out, and said so.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "shword.h"

int report_strip(FILE *out, const struct report *r, struct diag *d)
{
    size_t inputs = 0;

    for (size_t h = 0; h < r->inputs_nr; h++) {
        inputs += r->inputs[h].size ? r->inputs[h].size->uploads_nr : 0;
    }
    fputs("#!/bin/sh\n# strip, before zipping: abiscan's size plan (run in the tree the zip is "
          "made from)\nset -e\n",
          out);
    for (size_t h = 0; h < r->inputs_nr; h++) {
        const struct size_plan *p = r->inputs[h].size;
        size_t last = SIZE_MAX;
        for (size_t i = 0; p && i < p->items_nr; i++) {
            const struct size_item *it = &p->items[i];
            size_t in = h + (it->input - p->view);
            char *word;
            if (it->kind != SIZE_DEBUG || it->input < p->view || in >= r->inputs_nr) {
                continue;
            }
            if (inputs > 1 && in != last) {
                char *name = sh_word(r->inputs[in].name);
                fprintf(out, "# in the tree of %s\n", name ? name : "(an input)");
                free(name);
                last = in;
            }
            if ((word = rstrip_command(it)) == NULL) {
                fputs("# a file whose name no command line carries is left out\n", out);
                continue;
            }
            fprintf(out, "%s\n", word);
            free(word);
        }
    }
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the strip commands") : 0;
}
