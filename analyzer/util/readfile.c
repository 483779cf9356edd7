/* SPDX-License-Identifier: MIT */
/* A bounded whole-file read (readfile.h). */
#include "readfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

char *readfile(const char *path, size_t max, const char *too_large, size_t *len, struct diag *d)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, alloc = 0;

    if (!f) {
        diag_set(d, DIAG_IO, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        size_t got;
        ALLOC_GROW(buf, n + 65536 + 1, alloc);
        got = fread(buf + n, 1, alloc - n - 1, f);
        n += got;
        if (got == 0 || n > max) {
            break;
        }
    }
    if (ferror(f) || n > max) {
        diag_set(d, DIAG_IO, "cannot read '%s': %s", path, n > max ? too_large : strerror(errno));
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}
