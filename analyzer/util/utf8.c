/* SPDX-License-Identifier: MIT */
/* Validating and escaping UTF-8 (RFC 3629). */
#include "utf8.h"

#include <stdio.h>
#include <string.h>

#include "xalloc.h"

/* Length of the valid sequence at s (at most n bytes), or 0 when it is not valid. */
static size_t sequence(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned cp;

    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, cp = c & 0x07;
    } else {
        return 0;
    }
    if (len > n) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
        return 0;
    }
    return len;
}

bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;

    for (size_t i = 0; i < n;) {
        size_t len = sequence(p + i, n - i);
        if (!len) {
            return false;
        }
        i += len;
    }
    return true;
}

char *utf8_escape(const char *s, bool controls)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), o = 0;
    char *out = xmalloc(4 * n + 1);

    for (size_t i = 0; i < n;) {
        size_t len = sequence(p + i, n - i);
        if (!len || (controls && len == 1 && (p[i] < 0x20 || p[i] == 0x7F))) {
            o += (size_t)snprintf(out + o, 5, "\\x%02x", p[i]);
            i++;
        } else {
            memcpy(out + o, p + i, len);
            o += len;
            i += len;
        }
    }
    out[o] = '\0';
    return out;
}

char *utf8_hex(const char *s)
{
    size_t n = strlen(s);
    char *out = xmalloc(2 * n + 1);

    for (size_t i = 0; i < n; i++) {
        snprintf(out + 2 * i, 3, "%02x", (unsigned char)s[i]);
    }
    out[2 * n] = '\0';
    return out;
}
