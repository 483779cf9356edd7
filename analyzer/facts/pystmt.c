/* SPDX-License-Identifier: MIT */
/*
 * A Python source file's module-level statements (pysource.h, pysource_read): its logical
 * lines (pystmt_lines.c cuts them as Python's tokenizer does), and the blocks they open, by
 * indentation. Not a parser: only the statements that import or bind a name at module level
 * are looked into.
 */
#define _GNU_SOURCE /* memmem */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pysource.h"
#include "pystmt_int.h"
#include "xalloc.h"

#define MAX_STACK 64
#define MAX_TRIES 8  /* the enclosing try statements one import remembers */
#define MAX_INLINE 4 /* compound statements read on one line */
#define MAX_NAME 255 /* a longer dotted module name is no import of a real module */

enum kind { K_DEF, K_CLASS, K_TRY, K_IF, K_LOOP, K_WITH };
enum clause { C_BODY, C_EXCEPT, C_ELSE, C_FINALLY, C_ELIF };

struct blk {
    size_t indent;
    enum kind kind;
    enum clause clause;
    bool never;    /* K_IF: its body never runs on import (TYPE_CHECKING, False, __main__) */
    bool suppress; /* K_WITH: suppress(ImportError) */
    size_t try_idx;
    bool catches; /* K_TRY in an except clause: it catches ImportError */
    bool raised;  /* ... and its handler raises */
    /* K_IF on the Python version: each clause's own test so far (if, elif...), and the
     * condition the current clause runs under; known false: a test abiscan does not read. */
    struct pycond_term own[PYCOND_MAX];
    unsigned char own_nr;
    bool known;
    struct pycond cur;
};

struct imp_tries {
    size_t t[MAX_TRIES], n;
};

struct reader {
    struct pylines lines; /* the source, cut into logical lines */
    struct blk st[MAX_STACK];
    size_t depth;
    unsigned inline_depth;
    bool *guards; /* per try statement: an except clause catches ImportError for good */
    size_t tries_nr, tries_cap;
    struct imp_tries *imp; /* per import of out */
    size_t imp_cap;
    bool want_names;
    bool want_all; /* PYSOURCE_ALL: the imports that do not run on import too */
    struct pysource *out;
};

static bool catches_import_error(const char *s)
{
    const char *rest = pyw_skip_blanks(s + 6);

    return *rest == ':' || pyw_names(s, "ImportError") || pyw_names(s, "ModuleNotFoundError") ||
           pyw_names(s, "Exception") || pyw_names(s, "BaseException");
}

static void add_name(struct reader *r, const char *s, size_t n)
{
    char *name;

    if (!n || !r->want_names || (s[0] >= '0' && s[0] <= '9')) {
        return;
    }
    name = xstrndup(s, n);
    if (!strvec_contains(&r->out->names, name)) {
        strvec_push(&r->out->names, name);
    }
    free(name);
}

/* Whether the statements at the top of the stack are at module scope (no def or class). */
static bool module_scope(const struct reader *r)
{
    for (size_t i = 0; i < r->depth; i++) {
        if (r->st[i].kind == K_DEF || r->st[i].kind == K_CLASS) {
            return false;
        }
    }
    return true;
}

enum ctx { CTX_RUNS, CTX_SKIP };

/* to's bounds and from's, if they fit. */
static bool add_terms(struct pycond *to, const struct pycond *from)
{
    if (to->nr + from->nr > PYCOND_MAX) {
        return false;
    }
    memcpy(to->t + to->nr, from->t, from->nr * sizeof(*from->t));
    to->nr = (unsigned char)(to->nr + from->nr);
    return true;
}

/* An if chain's next clause: the negation of every earlier test, and its own (own: NULL for
 * else); a test abiscan does not read, or too many, make the rest unknown. */
static void next_clause(struct blk *b, const char *test, const char *end)
{
    struct pycond_term t;
    bool read = test && pycond_parse(test, end, &t);

    b->cur.nr = 0;
    for (size_t i = 0; i < b->own_nr && b->known; i++) {
        b->cur.t[b->cur.nr++] =
            (struct pycond_term){!b->own[i].ge, b->own[i].major, b->own[i].minor};
    }
    if (test) {
        b->known &= read && b->own_nr < PYCOND_MAX;
        if (b->known) {
            b->own[b->own_nr++] = t;
            b->cur.t[b->cur.nr++] = t;
        }
    }
}

/* How a statement at the top of the stack runs when the module is imported, and the try
 * statements whose bodies it is in (for one that may not run, too: under an if, in an
 * except clause). A def's body is not read: it runs when the def is called, not on import. */
static enum ctx context(const struct reader *r, struct imp_tries *t, bool *guarded,
                        struct pycond *cond)
{
    enum ctx c = CTX_RUNS;

    t->n = 0;
    *guarded = false;
    cond->nr = 0;
    for (size_t i = 0; i < r->depth; i++) {
        const struct blk *b = &r->st[i];
        switch (b->kind) {
        case K_DEF:
        case K_LOOP:
            c = CTX_SKIP;
            break;
        case K_CLASS:
            break; /* a class body runs on import */
        case K_IF:
            if (b->never ? b->clause != C_ELSE : !b->known || !add_terms(cond, &b->cur)) {
                c = CTX_SKIP; /* runs or not, by a condition abiscan does not know */
            }
            break; /* the else of an if that never runs: it always does */
        case K_TRY:
            if (b->clause == C_EXCEPT) {
                c = CTX_SKIP; /* only when the body failed */
            } else if (b->clause == C_BODY && t->n < MAX_TRIES) {
                t->t[t->n++] = b->try_idx;
            }
            break;
        case K_WITH:
            *guarded |= b->suppress;
            break;
        }
        if (c == CTX_SKIP && !r->want_all) {
            return c;
        }
    }
    return c;
}

struct where {
    enum ctx c;
    bool guarded; /* by a with suppress(ImportError) */
    struct imp_tries t;
    struct pycond cond;
};

static void add_import(struct reader *r, const char *module, size_t mlen, const char *name,
                       size_t nlen, const struct where *w)
{
    struct pyimport *im;

    if (mlen > MAX_NAME || nlen > MAX_NAME || (w->c == CTX_SKIP && !r->want_all)) {
        return;
    }
    ALLOC_GROW(r->out->v, r->out->nr + 1, r->out->alloc);
    ALLOC_GROW(r->imp, r->out->nr + 1, r->imp_cap);
    im = &r->out->v[r->out->nr];
    im->module = xstrndup(module, mlen);
    im->name = name ? xstrndup(name, nlen) : NULL;
    im->line = pylines_line(&r->lines); /* counted only for what is kept */
    im->guarded = w->guarded;
    im->runs = w->c != CTX_SKIP;
    im->cond = w->cond;
    r->imp[r->out->nr++] = w->t;
}

/* `import a.b as c, d` and `from M import a as b, (c, d)`. */
static void import_stmt(struct reader *r, const char *s, bool scope)
{
    struct where w;

    w.c = context(r, &w.t, &w.guarded, &w.cond);

    if (pyw_is_word(s, "import")) {
        for (s = pyw_skip_blanks(s + 6); *s;) {
            size_t n = pyw_dotted(s, false);
            char *mod = pyw_squeeze(s, n);
            const char *alias = NULL, *a;
            if (!n) {
                free(mod);
                break;
            }
            a = pyw_skip_blanks(s + n);
            if (pyw_is_word(a, "as")) {
                alias = pyw_skip_blanks(a + 2);
                for (a = alias; pyw_ident_char(*a); a++) {
                }
            }
            add_import(r, mod, strlen(mod), NULL, 0, &w);
            if (scope) {
                add_name(r, alias ? alias : mod, alias ? (size_t)(a - alias) : strcspn(mod, "."));
            }
            free(mod);
            a = pyw_skip_blanks(a);
            if (*a != ',') {
                break;
            }
            s = pyw_skip_blanks(a + 1);
        }
        return;
    }
    /* from M import ... */
    {
        const char *m = pyw_skip_blanks(s + 4), *rest;
        size_t n = pyw_dotted(m, true);
        char *mod = pyw_squeeze(m, n);
        rest = pyw_skip_blanks(m + n);
        if (!n || !pyw_is_word(rest, "import")) {
            free(mod);
            return;
        }
        for (rest = pyw_skip_blanks(rest + 6); *rest;) {
            const char *name, *a, *alias = NULL;
            size_t nlen;
            while (*rest == '(' || *rest == ' ' || *rest == ',') {
                rest++;
            }
            if (*rest == '*') {
                add_import(r, mod, strlen(mod), "*", 1, &w);
                r->out->dynamic |= scope;
                break;
            }
            name = rest;
            for (a = name; pyw_ident_char(*a); a++) {
            }
            nlen = (size_t)(a - name);
            if (!nlen) {
                break;
            }
            a = pyw_skip_blanks(a);
            if (pyw_is_word(a, "as")) {
                alias = pyw_skip_blanks(a + 2);
                for (a = alias; pyw_ident_char(*a); a++) {
                }
            }
            add_import(r, mod, strlen(mod), name, nlen, &w);
            if (scope) {
                add_name(r, alias ? alias : name, alias ? (size_t)(a - alias) : nlen);
            }
            rest = pyw_skip_blanks(a);
            if (*rest != ',') {
                break;
            }
        }
        free(mod);
    }
}

/* The plain names of an assignment target list ("a, (b, c)", "x: int"): each bound. */
static void target_names(struct reader *r, const char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        size_t start;
        while (i < n && !pyw_ident_char(s[i])) {
            if (s[i] == '.' || s[i] == '[') {
                /* an attribute or a subscript: skip the rest of this target */
                while (i < n && s[i] != ',') {
                    i++;
                }
            }
            i++;
        }
        start = i;
        while (i < n && pyw_ident_char(s[i])) {
            i++;
        }
        if (i > start && !(i < n && (s[i] == '.' || s[i] == '[' || s[i] == '('))) {
            add_name(r, s + start, i - start);
        }
    }
}

/* NAME = ..., a, b = ..., x: T = ...: the names bound at module scope. */
static void assignment(struct reader *r, char *s)
{
    int depth = 0;
    char *from = s;

    for (char *p = s; *p; p++) {
        if (*p == '(' || *p == '[' || *p == '{') {
            depth++;
        } else if ((*p == ')' || *p == ']' || *p == '}') && depth > 0) {
            depth--;
        } else if (!depth && *p == ':' && p[1] != '=' && from == s) {
            target_names(r, from, (size_t)(p - from)); /* annotated */
            return;
        } else if (!depth && *p == '=' && p[1] != '=' && p > s &&
                   !strchr("=!<>+-*/%&|^@:", p[-1])) {
            target_names(r, from, (size_t)(p - from));
            from = p + 1;
        } else if (!depth && *p == '=' && p[1] == '=') {
            p++;
        }
    }
}

/* Every try whose except clause the statement is in: its handler may raise. */
static void raised(struct reader *r)
{
    for (size_t i = r->depth; i-- > 0;) {
        if (r->st[i].kind == K_DEF || r->st[i].kind == K_CLASS) {
            return; /* a raise in a function the handler defines raises nothing now */
        }
        if (r->st[i].kind == K_TRY && r->st[i].clause == C_EXCEPT) {
            r->st[i].raised = true;
        }
    }
}

/* A simple statement (one of a line's ';'-separated ones). */
static void simple(struct reader *r, char *s)
{
    bool scope = module_scope(r);

    s = (char *)pyw_skip_blanks(s);
    if (pyw_is_word(s, "import") || pyw_is_word(s, "from")) {
        import_stmt(r, s, scope);
    } else if (pyw_is_word(s, "raise")) {
        raised(r);
    } else if (scope && r->want_names && pyw_ident_char(*s) && !pyw_is_word(s, "del") &&
               !pyw_is_word(s, "global") && !pyw_is_word(s, "nonlocal") &&
               !pyw_is_word(s, "assert") && !pyw_is_word(s, "return") && !pyw_is_word(s, "pass")) {
        assignment(r, s);
    }
}

/* Each ';'-separated statement of s. */
static void simples(struct reader *r, char *s)
{
    int depth = 0;
    char *from = s;

    if (!r->want_names && !strstr(s, "import") && !strstr(s, "raise")) {
        return; /* nothing here is read: a statement that neither imports nor raises */
    }
    for (char *p = s;; p++) {
        if (*p == '(' || *p == '[' || *p == '{') {
            depth++;
        } else if ((*p == ')' || *p == ']' || *p == '}') && depth > 0) {
            depth--;
        } else if (*p == '\0' || (*p == ';' && !depth)) {
            char end = *p;
            *p = '\0';
            simple(r, from);
            if (!end) {
                return;
            }
            from = p + 1;
        }
    }
}

/* Leaving an except clause: a handler that catches ImportError and does not raise makes
 * its try statement a guard. */
static void close_clause(struct reader *r, struct blk *b)
{
    if (b->kind == K_TRY && b->clause == C_EXCEPT && b->catches && !b->raised) {
        r->guards[b->try_idx] = true;
    }
}

static bool continues(const struct blk *b, const char *s)
{
    switch (b->kind) {
    case K_TRY:
        return pyw_is_word(s, "except") || pyw_is_word(s, "else") || pyw_is_word(s, "finally");
    case K_IF:
        return pyw_is_word(s, "elif") || pyw_is_word(s, "else");
    case K_LOOP:
        return pyw_is_word(s, "else");
    default:
        return false;
    }
}

static void statement(struct reader *r, char *s, size_t indent);

/* A compound statement's body on its own line ("try: import x"), one level deeper; hostile
 * input nests headers on one line ("if a: if b: ..."), so only a few levels are read. */
static void inline_body(struct reader *r, char *s, size_t indent)
{
    if (r->inline_depth < MAX_INLINE) {
        r->inline_depth++;
        statement(r, s, indent + 1);
        r->inline_depth--;
    }
}

/* A compound statement's header: push its block, then its body when it is on the line. */
static void compound(struct reader *r, char *s, size_t indent, struct blk b)
{
    /* A def's body never runs on import, on its line or below it. */
    char *colon = b.kind == K_DEF && !r->want_names ? NULL : pyw_header_colon(s);

    if ((b.kind == K_DEF || b.kind == K_CLASS) && r->want_names && module_scope(r)) {
        const char *n = pyw_skip_blanks(s + (pyw_is_word(s, "async") ? 5 : 0));
        n = pyw_skip_blanks(n + (pyw_is_word(n, "def") ? 3 : 5));
        size_t len = 0;
        while (pyw_ident_char(n[len])) {
            len++;
        }
        add_name(r, n, len);
        if (len == 11 && !strncmp(n, "__getattr__", 11) && !pyw_is_word(s, "class")) {
            r->out->dynamic = true; /* PEP 562: any name may be there */
        }
    }
    if (b.kind == K_LOOP && r->want_names && module_scope(r) && pyw_is_word(s, "for")) {
        const char *in = strstr(s, " in ");
        if (in) {
            target_names(r, s + 3, (size_t)(in - s - 3));
        }
    }
    if (b.kind == K_WITH && r->want_names && module_scope(r)) {
        for (const char *as = strstr(s, " as "); as && (!colon || as < colon);
             as = strstr(as + 1, " as ")) {
            const char *n = pyw_skip_blanks(as + 4);
            size_t len = 0;
            while (pyw_ident_char(n[len])) {
                len++;
            }
            add_name(r, n, len);
        }
    }
    if (r->depth < MAX_STACK) {
        b.indent = indent;
        r->st[r->depth++] = b;
    }
    if (colon && *pyw_skip_blanks(colon + 1)) {
        inline_body(r, colon + 1, indent);
    }
}

static void statement(struct reader *r, char *s, size_t indent)
{
    struct blk b = {0};
    const char *after;

    s = (char *)pyw_skip_blanks(s);
    /* Leave the blocks this line is not in; a clause of one at its depth continues it. */
    while (r->depth) {
        struct blk *top = &r->st[r->depth - 1];
        if (top->indent < indent) {
            break;
        }
        close_clause(r, top);
        if (top->indent == indent && continues(top, s)) {
            char *colon = pyw_header_colon(s);
            if (pyw_is_word(s, "except")) {
                top->clause = C_EXCEPT;
                top->catches = catches_import_error(s);
                top->raised = false;
            } else if (pyw_is_word(s, "elif")) {
                top->clause = C_ELIF;
                next_clause(top, s + 4, colon ? colon : s + strlen(s));
            } else {
                top->clause = pyw_is_word(s, "finally") ? C_FINALLY : C_ELSE;
                if (top->kind == K_IF) {
                    next_clause(top, NULL, NULL);
                }
            }
            if (colon && *pyw_skip_blanks(colon + 1)) {
                inline_body(r, colon + 1, indent);
            }
            return;
        }
        r->depth--;
    }
    after = pyw_is_word(s, "async") ? pyw_skip_blanks(s + 5) : s;
    if (pyw_is_word(after, "def") || pyw_is_word(after, "class")) {
        b.kind = pyw_is_word(after, "def") ? K_DEF : K_CLASS;
        compound(r, s, indent, b);
    } else if (pyw_is_word(s, "if")) {
        b.kind = K_IF;
        b.never = pyw_names(s, "TYPE_CHECKING") || pyw_is_word(pyw_skip_blanks(s + 2), "False") ||
                  !strncmp(pyw_skip_blanks(s + 2), "0:", 2) ||
                  (pyw_names(s, "__name__") && strstr(s, "==") != NULL);
        b.known = true;
        {
            const char *colon = pyw_header_colon(s);
            next_clause(&b, s + 2, colon ? colon : s + strlen(s));
        }
        compound(r, s, indent, b);
    } else if (pyw_is_word(s, "try")) {
        b.kind = K_TRY;
        ALLOC_GROW(r->guards, r->tries_nr + 1, r->tries_cap);
        r->guards[r->tries_nr] = false;
        b.try_idx = r->tries_nr++;
        compound(r, s, indent, b);
    } else if (pyw_is_word(after, "for") || pyw_is_word(s, "while") ||
               ((pyw_is_word(s, "match") || pyw_is_word(s, "case")) && pyw_header_colon(s) &&
                !pyw_header_colon(s)[1])) {
        b.kind = K_LOOP;
        compound(r, s, indent, b);
    } else if (pyw_is_word(after, "with")) {
        b.kind = K_WITH;
        b.suppress = pyw_names(s, "suppress") &&
                     (pyw_names(s, "ImportError") || pyw_names(s, "ModuleNotFoundError") ||
                      pyw_names(s, "Exception") || pyw_names(s, "BaseException"));
        compound(r, s, indent, b);
    } else {
        simples(r, s);
    }
}

/* The indentation of the outermost def the reader is in, or SIZE_MAX. */
static size_t def_indent(const struct reader *r)
{
    for (size_t i = 0; i < r->depth; i++) {
        if (r->st[i].kind == K_DEF) {
            return r->st[i].indent;
        }
    }
    return SIZE_MAX;
}

void pysource_read(const char *text, size_t len, unsigned want, struct pysource *out)
{
    struct reader r = {.lines = {.p = text, .end = text + len, .line = 1, .line_pos = text},
                       .want_names = (want & PYSOURCE_NAMES) != 0,
                       .want_all = (want & PYSOURCE_ALL) != 0,
                       .out = out};
    size_t indent;
    enum pylines_got got;

    out->names_read = r.want_names;
    out->hooks = (want & PYSOURCE_HOOKS) && pyw_hooks(text, len);
    /* A UTF-8 byte order mark is no indentation. */
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
        r.lines.p += 3;
    }
    if (!r.want_names && (!len || !memmem(text, len, "import", 6))) {
        return; /* no import, and nothing else asked for but the hooks */
    }
    while ((got = pylines_next(&r.lines, &indent, def_indent(&r))) != PYLINES_END) {
        if (got == PYLINES_LINE) {
            statement(&r, r.lines.buf, indent);
        }
    }
    while (r.depth) {
        close_clause(&r, &r.st[--r.depth]);
    }
    for (size_t i = 0; i < out->nr; i++) {
        for (size_t k = 0; k < r.imp[i].n && !out->v[i].guarded; k++) {
            out->v[i].guarded = r.guards[r.imp[i].t[k]];
        }
    }
    free(r.lines.buf);
    free(r.guards);
    free(r.imp);
}

void pysource_release(struct pysource *s)
{
    for (size_t i = 0; i < s->nr; i++) {
        free(s->v[i].module);
        free(s->v[i].name);
    }
    free(s->v);
    strvec_release(&s->names);
    memset(s, 0, sizeof(*s));
}
