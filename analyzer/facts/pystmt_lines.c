/* SPDX-License-Identifier: MIT */
/*
 * A Python source's logical lines, for the statement reader (pystmt.c): the physical lines
 * cut and joined as Python's tokenizer does (strings, comments, brackets and backslashes
 * joined or skipped), each with its indentation and first line number.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "pystmt_int.h"
#include "xalloc.h"

/* Past the string literal whose quote q is at (its prefix was copied as a name). */
static const char *skip_string(struct pylines *r, const char *q)
{
    static const bool stops[256] = {['\\'] = true, ['\n'] = true, ['\''] = true, ['"'] = true};
    char quote = *q;
    bool triple = r->end - q >= 3 && q[1] == quote && q[2] == quote;

    q += triple ? 3 : 1;
    while (triple && q < r->end) {
        /* a docstring: from one quote to the next, an escaped one skipped */
        const char *at = memchr(q, quote, (size_t)(r->end - q));
        size_t backslashes = 0;
        if (!at) {
            return r->end;
        }
        while (at - backslashes > q && at[-1 - (ptrdiff_t)backslashes] == '\\') {
            backslashes++;
        }
        if (backslashes % 2 == 0 && r->end - at >= 3 && at[1] == quote && at[2] == quote) {
            return at + 3;
        }
        q = at + 1;
    }
    while (q < r->end) {
        while (q < r->end && !stops[(unsigned char)*q]) {
            q++;
        }
        if (q >= r->end) {
            break;
        }
        if (*q == '\\') {
            q += 2;
            continue;
        }
        if (*q == '\n' && !triple) {
            return q; /* an unterminated string ends with its line */
        }
        if (*q == quote && (!triple || (r->end - q >= 3 && q[1] == quote && q[2] == quote))) {
            return q + (triple ? 3 : 1);
        }
        q++;
    }
    return q < r->end ? q : r->end;
}

unsigned pylines_line(struct pylines *r)
{
    const char *p = r->start; /* never before where it last counted: lines only go forward */
    unsigned n = 0;

    for (const char *c = r->line_pos; c < p; c++) {
        n += *c == '\n'; /* one sweep, no call per line */
    }
    if (p > r->line_pos) {
        r->line += n;
        r->line_pos = p;
    }
    return r->line;
}

/* The characters that end a run of plain ones in a logical line. */
static const bool special[256] = {
    ['\n'] = true, ['\\'] = true, ['#'] = true,  ['\''] = true, ['"'] = true,
    ['('] = true,  [')'] = true,  ['['] = true,  [']'] = true,  ['{'] = true,
    ['}'] = true,  ['\r'] = true, ['\t'] = true, ['\f'] = true};

/* Past the plain characters from q: eight at a time while none of them is special (most of
 * a source is plain, and one test per byte was most of the reading's cost). */
static const char *plain_run(const char *q, const char *end)
{
    const unsigned char *u = (const unsigned char *)q;

    while (end - (const char *)u >= 8 &&
           !(special[u[0]] | special[u[1]] | special[u[2]] | special[u[3]] | special[u[4]] |
             special[u[5]] | special[u[6]] | special[u[7]])) {
        u += 8;
    }
    while ((const char *)u < end && !special[*u]) {
        u++;
    }
    return (const char *)u;
}

static void append(struct pylines *r, const char *s, size_t n)
{
    ALLOC_GROW(r->buf, r->len + n + 2, r->cap);
    memcpy(r->buf + r->len, s, n);
    r->len += n;
}

enum pylines_got pylines_next(struct pylines *r, size_t *indent, size_t skip_above)
{
    while (r->p < r->end) {
        const char *q = r->p, *end = r->end;
        size_t ind = 0;
        int depth = 0;
        bool copy;
        while (q < end && *q == ' ') {
            q++;
        }
        ind = (size_t)(q - r->p);
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\f')) {
            ind = *q == '\t' ? (ind / 8 + 1) * 8 : *q == '\f' ? 0 : ind + 1;
            q++;
        }
        if (q < end && (*q == '\n' || *q == '\r' || *q == '#')) {
            const char *nl = memchr(q, '\n', (size_t)(end - q));
            r->p = nl ? nl + 1 : end;
            continue;
        }
        if (q >= end) {
            r->p = q;
            return PYLINES_END;
        }
        *indent = ind;
        r->len = 0;
        copy = ind <= skip_above;
        r->start = q;
        while (q < end) {
            const char *run = q;
            char c;
            q = plain_run(q, end);
            if (copy && q > run) {
                append(r, run, (size_t)(q - run));
            }
            if (q >= end) {
                break;
            }
            c = *q;
            if (c == '\n') {
                q++;
                if (depth > 0) {
                    if (copy) {
                        append(r, " ", 1);
                    }
                    continue;
                }
                break;
            }
            if (c == '\\') {
                if (q + 1 < end && (q[1] == '\n' || q[1] == '\r')) {
                    q += q[1] == '\r' ? 2 : 1; /* a continuation line: joined */
                    q += q < end && *q == '\n';
                    if (copy) {
                        append(r, " ", 1);
                    }
                    continue;
                }
                if (copy) {
                    append(r, q, 1);
                }
                q++;
                continue;
            }
            if (c == '#') {
                const char *nl = memchr(q, '\n', (size_t)(end - q));
                q = nl ? nl : end;
                continue;
            }
            if (c == '\'' || c == '"') {
                q = skip_string(r, q);
                if (copy) {
                    append(r, "\"\"", 2);
                }
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
            if (copy) {
                append(r, c == '\r' || c == '\t' || c == '\f' ? " " : q, 1);
            }
            q++;
        }
        r->p = q;
        if (!copy) {
            return PYLINES_SKIPPED;
        }
        while (r->len && r->buf[r->len - 1] == ' ') {
            r->len--;
        }
        ALLOC_GROW(r->buf, r->len + 1, r->cap);
        r->buf[r->len] = '\0';
        return PYLINES_LINE;
    }
    return PYLINES_END;
}
