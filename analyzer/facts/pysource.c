/* SPDX-License-Identifier: MIT */
/*
 * Imports in Python source, read line by line: a line that imports and names the module,
 * guarded when it sits in the body of a `try:` closed by an `except` for ImportError,
 * ModuleNotFoundError, Exception, BaseException (or a tuple naming one) or everything, whose
 * handler does not raise again (numpy's core/__init__.py catches the ImportError only to
 * raise a better one: no fallback), or in the body of `with suppress(ImportError):`.
 * Indentation delimits the blocks.
 */
#define _GNU_SOURCE /* memmem */
#include "pysource.h"

#include <stdbool.h>
#include <string.h>

#include "strmap.h"

#define MAX_DEPTH 32

struct line {
    const char *s; /* first non-blank character */
    size_t len;    /* to the end of the line, from s */
    size_t indent;
    bool blank; /* empty or a comment */
};

static bool ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Whether word occurs in text[0..len) as a whole identifier. */
static bool names(const char *text, size_t len, const char *word)
{
    size_t n = strlen(word);

    if (!n || n > len) {
        return false;
    }
    for (const char *p = text; (p = memmem(p, len - (size_t)(p - text), word, n)) != NULL; p++) {
        bool before = p > text && ident_char(p[-1]);
        bool after = (size_t)(p - text) + n < len && ident_char(p[n]);
        if (!before && !after) {
            return true;
        }
    }
    return false;
}

static bool starts_with_word(const struct line *l, const char *word)
{
    size_t n = strlen(word);

    return l->len >= n && !memcmp(l->s, word, n) && (l->len == n || !ident_char(l->s[n]));
}

static const char *next_line(const char *p, const char *end, struct line *l)
{
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    const char *stop = eol ? eol : end;

    l->indent = 0;
    while (p < stop && (*p == ' ' || *p == '\t')) {
        l->indent += *p == '\t' ? 8 - l->indent % 8 : 1;
        p++;
    }
    l->s = p;
    l->len = (size_t)(stop - p);
    l->blank = !l->len || *p == '#' || *p == '\r';
    return eol ? eol + 1 : end;
}

/* Whether text names an exception class that a failed import's ImportError is (a tuple
 * holding one is named too). */
static bool names_import_error(const char *text, size_t len)
{
    return names(text, len, "ImportError") || names(text, len, "ModuleNotFoundError") ||
           names(text, len, "Exception") || names(text, len, "BaseException");
}

/* An except clause whose exception a failed import raises. */
static bool catches_import_error(const struct line *l)
{
    if (!starts_with_word(l, "except")) {
        return false;
    }
    return l->len < 8 || l->s[6] == ':' || l->s[7] == ':' || names_import_error(l->s, l->len);
}

/* A try statement's body whose ImportError a handler catches without raising again. */
struct range {
    const char *from, *to;
};

#define MAX_RANGES 256

/* The bodies of the try statements in text that fall back: pass one. */
static size_t guarded_ranges(const char *text, size_t len, struct range *out, size_t max)
{
    const char *end = text + len, *p = text;
    const char *try_body[MAX_DEPTH]; /* where the try: at each depth starts its body */
    size_t try_indent[MAX_DEPTH], depth = 0, n = 0;
    struct line l;

    while (p < end) {
        const char *at;
        if (!depth) {
            /* Outside every try statement, only the next "try" matters: go to its line. */
            const char *hit = memmem(p, (size_t)(end - p), "try", 3), *nl;
            if (!hit) {
                break;
            }
            nl = memrchr(p, '\n', (size_t)(hit - p));
            p = nl ? nl + 1 : p;
        }
        at = p;
        p = next_line(p, end, &l);
        if (l.blank) {
            continue;
        }
        /* Leave the try statements this line ends: those indented deeper, and one at the
         * same depth unless the line is one of its clauses. */
        while (depth && (try_indent[depth - 1] > l.indent ||
                         (try_indent[depth - 1] == l.indent && !starts_with_word(&l, "except") &&
                          !starts_with_word(&l, "else") && !starts_with_word(&l, "finally")))) {
            depth--;
        }
        if (starts_with_word(&l, "try") && depth < MAX_DEPTH) {
            try_body[depth] = p;
            try_indent[depth++] = l.indent;
            continue;
        }
        if (depth && try_indent[depth - 1] == l.indent && catches_import_error(&l)) {
            const char *h = p;
            size_t except_indent = l.indent;
            bool raises = false, any = false;
            struct line hl;
            /* The handler: the lines below the except, indented deeper. */
            while (h < end) {
                const char *next = next_line(h, end, &hl);
                if (!hl.blank && hl.indent <= except_indent) {
                    break;
                }
                if (!hl.blank) {
                    any = true;
                    raises |= starts_with_word(&hl, "raise");
                }
                h = next;
            }
            if (any && !raises && n < max) {
                out[n++] = (struct range){try_body[depth - 1], at};
            }
        }
    }
    return n;
}

/* The bodies of `with suppress(ImportError):` (contextlib's, however imported), which
 * swallow a failed import: pass one, for the with statements. */
static size_t suppressed_ranges(const char *text, size_t len, struct range *out, size_t n,
                                size_t max)
{
    const char *end = text + len, *p = text, *hit;
    struct line l, bl;

    while (n < max && p < end && (hit = memmem(p, (size_t)(end - p), "suppress", 8)) != NULL) {
        const char *nl = memrchr(p, '\n', (size_t)(hit - p)), *body, *b;
        p = next_line(nl ? nl + 1 : p, end, &l);
        if (!starts_with_word(&l, "with") || !names(l.s, l.len, "suppress") ||
            !names_import_error(l.s, l.len)) {
            continue;
        }
        /* The body: the lines below, indented deeper. */
        for (body = b = p; b < end;) {
            const char *next = next_line(b, end, &bl);
            if (!bl.blank && bl.indent <= l.indent) {
                break;
            }
            b = next;
        }
        out[n++] = (struct range){body, b};
    }
    return n;
}

/* Each identifier of an import line that is one of the modules (set: name -> its entry in
 * the modules list), in order: a token is a maximal run of identifier characters, as
 * names() matches a whole identifier. Calls found(ctx, name) for each; stops when it
 * returns true, and says whether it did. */
static bool each_module(const struct line *l, const struct strmap *set,
                        bool (*found)(void *ctx, const char *name), void *ctx)
{
    const char *p = l->s, *end = l->s + l->len;

    while (p < end) {
        const char *start;
        const char *name;
        while (p < end && !ident_char(*p)) {
            p++;
        }
        for (start = p; p < end && ident_char(*p); p++) {
        }
        if (p > start && (name = strmap_get(set, start, (size_t)(p - start))) != NULL &&
            found(ctx, name)) {
            return true;
        }
    }
    return false;
}

static bool stop(void *ctx, const char *name)
{
    (void)ctx;
    (void)name;
    return true;
}

/* The next line from p that imports (names "import" as a word), into l; NULL at the end.
 * From one "import" to the next, not line by line: most lines of a big module import
 * nothing. *at is where the line starts. */
static const char *next_import(const char *p, const char *end, struct line *l, const char **at)
{
    const char *hit;

    while (p < end && (hit = memmem(p, (size_t)(end - p), "import", 6)) != NULL) {
        const char *nl = memrchr(p, '\n', (size_t)(hit - p));
        *at = nl ? nl + 1 : p;
        p = next_line(*at, end, l);
        if (!l->blank && names(l->s, l->len, "import")) {
            return p;
        }
    }
    return NULL;
}

struct sink {
    struct strvec *to;
};

static bool collect(void *ctx, const char *name)
{
    struct sink *k = ctx;

    if (!strvec_contains(k->to, name)) {
        strvec_push(k->to, name);
    }
    return false;
}

void pysource_imports(const char *text, size_t len, const struct strvec *modules,
                      struct strvec *guarded, struct strvec *unguarded)
{
    const char *end = text + len, *p, *at;
    struct range ranges[MAX_RANGES];
    struct strmap set = {0};
    size_t nr;
    struct line l;
    bool any = false;

    if (!names(text, len, "import")) {
        return;
    }
    for (size_t i = 0; i < modules->nr; i++) {
        strmap_put(&set, modules->v[i], strlen(modules->v[i]), modules->v[i]);
    }
    /* The cheap pass that most files end with: does an import line name one of them? */
    for (p = text; !any && (p = next_import(p, end, &l, &at)) != NULL;) {
        any = each_module(&l, &set, stop, NULL);
    }
    if (!any) {
        strmap_release(&set);
        return;
    }
    nr = names(text, len, "except") ? guarded_ranges(text, len, ranges, MAX_RANGES) : 0;
    nr = names(text, len, "suppress") ? suppressed_ranges(text, len, ranges, nr, MAX_RANGES) : nr;
    /* Pass two: each line that imports, in a guarded body or not. */
    for (p = text; (p = next_import(p, end, &l, &at)) != NULL;) {
        bool inside = false;
        for (size_t k = 0; k < nr && !inside; k++) {
            inside = at >= ranges[k].from && at < ranges[k].to;
        }
        each_module(&l, &set, collect, &(struct sink){inside ? guarded : unguarded});
    }
    strmap_release(&set);
}
