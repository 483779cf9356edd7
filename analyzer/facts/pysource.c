/* SPDX-License-Identifier: MIT */
/*
 * Which of the extension modules beside a source file (and the Python modules and packages
 * on the way to them) its imports name, guarded or not: read from the imports pysource_read()
 * found (pystmt.c) at module level, those that may not run (under an if, in an except
 * clause) too.
 * And the glance that spares most files that reading: whether a line that imports names one
 * of a few modules at all.
 */
#define _GNU_SOURCE /* memmem, memrchr */
#include "pysource.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "xalloc.h"

static bool ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           (unsigned char)c >= 0x80;
}

/* Each name of s ("a.b", "..a") that is one of the modules, onto to, once. */
static void each_module(const char *s, const struct strmap *set, struct strvec *to)
{
    while (*s) {
        const char *start;
        while (*s && !ident_char(*s)) {
            s++;
        }
        for (start = s; *s && ident_char(*s); s++) {
        }
        if (s > start && strmap_get(set, start, (size_t)(s - start))) {
            char *name = xstrndup(start, (size_t)(s - start));
            if (!strvec_contains(to, name)) {
                strvec_push(to, name);
            }
            free(name);
        }
    }
}

void pysource_module_imports(const struct pysource *s, const struct strmap *modules,
                             struct strvec *guarded, struct strvec *unguarded)
{
    for (size_t i = 0; i < s->nr; i++) {
        struct strvec *to = s->v[i].guarded ? guarded : unguarded;
        each_module(s->v[i].module, modules, to);
        if (s->v[i].name) {
            each_module(s->v[i].name, modules, to);
        }
    }
}

/* Whether an identifier of [s, end) is in names or more. */
static bool names_any(const char *s, const char *end, const struct strmap *names,
                      const struct strmap *more)
{
    while (s < end) {
        const char *start;
        while (s < end && !ident_char(*s)) {
            s++;
        }
        for (start = s; s < end && ident_char(*s); s++) {
        }
        if (s > start && (strmap_get(names, start, (size_t)(s - start)) ||
                          (more && strmap_get(more, start, (size_t)(s - start))))) {
            return true;
        }
    }
    return false;
}

/* Whether the physical line whose newline is at eol ends with a backslash (before CR LF too). */
static bool joined(const char *text, const char *eol)
{
    size_t n = (size_t)(eol - text);

    return (n >= 1 && eol[-1] == '\\') || (n >= 2 && eol[-1] == '\r' && eol[-2] == '\\');
}

/* The end of the import statement whose "import" keyword is at hit: its line, the lines a
 * backslash joins to it, and those up to the ')' that closes `from m import (`. */
static const char *statement_end(const char *text, const char *hit, const char *end)
{
    const char *p = hit;
    int depth = 0;

    while (p < end) {
        if (*p == '#') {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            p = nl ? nl : end;
            continue;
        }
        if (*p == '\n' && !depth && !joined(text, p)) {
            return p;
        }
        depth += *p == '(';
        depth -= *p == ')' && depth > 0;
        p++;
    }
    return end;
}

bool pysource_imports_any(const char *text, size_t len, const struct strmap *names,
                          const struct strmap *more)
{
    const char *end = text + len, *p = text, *hit;

    while (p < end && (hit = memmem(p, (size_t)(end - p), "import", 6)) != NULL) {
        const char *from = memrchr(text, '\n', (size_t)(hit - text)), *to;
        /* Its physical line, and the lines a backslash joins to it: `import os, \` and `imp`. */
        from = from ? from + 1 : text;
        while (from > text && joined(text, from - 1)) {
            const char *nl = memrchr(text, '\n', (size_t)(from - 1 - text));
            from = nl ? nl + 1 : text;
        }
        to = statement_end(text, hit + 6, end);
        if (names_any(from, to, names, more)) {
            return true;
        }
        p = to;
    }
    return false;
}
