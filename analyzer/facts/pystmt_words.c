/* SPDX-License-Identifier: MIT */
/* The words of a Python logical line, as the statement reader (pystmt.c) looks at them. */
#define _GNU_SOURCE /* memmem */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "pystmt_int.h"
#include "xalloc.h"

bool pyw_ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (unsigned char)c >= 0x80;
}

/* The word s starts with, when it is word (followed by no name character). */
bool pyw_is_word(const char *s, const char *word)
{
    while (*word) {
        if (*s++ != *word++) {
            return false;
        }
    }
    return !pyw_ident_char(*s);
}

const char *pyw_skip_blanks(const char *s)
{
    while (*s == ' ') {
        s++;
    }
    return s;
}

/* Whether s names word as a whole identifier. */
bool pyw_names(const char *s, const char *word)
{
    size_t n = strlen(word);

    for (const char *p = strstr(s, word); p; p = strstr(p + 1, word)) {
        if ((p == s || !pyw_ident_char(p[-1])) && !pyw_ident_char(p[n])) {
            return true;
        }
    }
    return false;
}

/* The ':' that ends a compound statement's header (at bracket depth 0, no walrus), or NULL. */
char *pyw_header_colon(char *s)
{
    int depth = 0;

    for (; *s; s++) {
        if (*s == '(' || *s == '[' || *s == '{') {
            depth++;
        } else if ((*s == ')' || *s == ']' || *s == '}') && depth > 0) {
            depth--;
        } else if (*s == ':' && !depth && s[1] != '=') {
            return s;
        }
    }
    return NULL;
}

/* A dotted name at s (with leading dots when relative): its length. */
size_t pyw_dotted(const char *s, bool relative)
{
    size_t n = 0;

    while (relative && s[n] == '.') {
        n++;
    }
    if (n && pyw_is_word(s + n, "import")) {
        return n; /* from .import x */
    }
    for (;;) {
        size_t blank = n;
        while (s[blank] == ' ') {
            blank++;
        }
        if (pyw_ident_char(s[n])) {
            n++;
        } else if (s[blank] == '.' && n && (pyw_ident_char(s[n - 1]) || s[n - 1] == ' ')) {
            n = blank + 1; /* "a . b", "a \ .b" */
            while (s[n] == ' ') {
                n++;
            }
        } else {
            return n;
        }
    }
}

/* "a . b" as written with blanks: "a.b". */
char *pyw_squeeze(const char *s, size_t n)
{
    char *out = xcalloc(n + 1, 1), *o = out;

    for (size_t i = 0; i < n; i++) {
        if (s[i] != ' ') {
            *o++ = s[i];
        }
    }
    return out;
}

/* Whether text names sys.meta_path, sys.path_hooks or __path__ (one pass, for "path"). */
bool pyw_hooks(const char *text, size_t len)
{
    const char *end = text + len;

    if (!len) {
        return false; /* memmem() wants a haystack, even an empty one */
    }

    for (const char *p = text; (p = memmem(p, (size_t)(end - p), "path", 4)) != NULL; p += 4) {
        if ((p - text >= 5 && !memcmp(p - 5, "meta_", 5)) ||
            (p - text >= 2 && !memcmp(p - 2, "__", 2) && end - p >= 6 && !memcmp(p + 4, "__", 2)) ||
            (end - p >= 10 && !memcmp(p, "path_hooks", 10))) {
            return true;
        }
    }
    return false;
}
