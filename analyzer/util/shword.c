/* SPDX-License-Identifier: MIT */
/* Words of a POSIX shell command line (shword.h). */
#include "shword.h"

#include <stdbool.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

char *sh_word(const char *s)
{
    size_t n = strlen(s), quotes = 0;
    bool plain = n && *s != '-';
    char *out, *o;

    if (!utf8_valid(s, n)) {
        return NULL;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            return NULL;
        }
        plain &= (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                 (*p && strchr("_-./+,:=@%", *p));
        quotes += *p == '\'';
    }
    if (plain) {
        return xstrdup(s);
    }
    o = out = xmalloc(n + 3 * quotes + 3);
    *o++ = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *p;
        }
    }
    *o++ = '\'';
    *o = '\0';
    return out;
}
