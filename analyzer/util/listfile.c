/* SPDX-License-Identifier: MIT */
/* --files-from: names one a line or NUL-separated, bounded. */
#include "listfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

int listfile_read_stream(struct strvec *out, FILE *in, const char *name, bool nul, struct diag *d)
{
    char *buf = xmalloc(LISTFILE_MAX_NAME + 1);
    size_t len = 0, entries = 0;
    bool has_nul = false;
    int c, rc = -1;

    for (;;) {
        c = getc(in);
        if (c == EOF || c == (nul ? '\0' : '\n')) {
            if (c == EOF && !len) {
                break;
            }
            if (++entries > LISTFILE_MAX_ENTRIES) {
                diag_set(d, DIAG_USAGE, "%s: more than %d entries", name, LISTFILE_MAX_ENTRIES);
                goto out;
            }
            if (has_nul) {
                diag_set(d, DIAG_USAGE,
                         "%s: entry %zu holds a NUL byte (for a NUL-separated list, give -0)", name,
                         entries);
                goto out;
            }
            if (len) {
                buf[len] = '\0';
                strvec_push(out, buf);
            }
            len = 0;
            has_nul = false;
            if (c == EOF) {
                break;
            }
            continue;
        }
        if (len == LISTFILE_MAX_NAME) {
            diag_set(d, DIAG_USAGE, "%s: entry %zu is longer than %d bytes%s", name, entries + 1,
                     LISTFILE_MAX_NAME, nul ? "" : " (for a NUL-separated list, give -0)");
            goto out;
        }
        has_nul |= c == '\0';
        buf[len++] = (char)c;
    }
    if (ferror(in)) {
        diag_set(d, DIAG_IO, "cannot read %s: %s", name, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    free(buf);
    return rc;
}

int listfile_read(struct strvec *out, const char *path, bool nul, struct diag *d)
{
    FILE *f;
    int rc;

    if (!strcmp(path, "-")) {
        return listfile_read_stream(out, stdin, "the list on stdin", nul, d);
    }
    if (!(f = fopen(path, "r"))) {
        return diag_set(d, DIAG_IO, "cannot open the list '%s': %s", path, strerror(errno));
    }
    rc = listfile_read_stream(out, f, path, nul, d);
    fclose(f);
    return rc;
}
