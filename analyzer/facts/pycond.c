/* SPDX-License-Identifier: MIT */
/*
 * The Python version an if statement tests, so that the import model runs its imports as the
 * target's interpreter would (pysource.h, struct pycond): `sys.version_info >= (3, 8)`,
 * `sys.version_info[:2] < (3, 12)`, `sys.version_info[0] == 2`, `sys.version_info.major >= 3`,
 * six's `PY3` and `PY2` (however imported), each maybe under `not`. A real sys.version_info is
 * a 5-tuple, so it is greater than any 2-tuple it starts with: `> (3, 8)` holds on 3.8.0 and
 * `<= (3, 8)` does not. Anything else (and, or, a call) is no condition abiscan reads.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pysource.h"

static const char *blanks(const char *s, const char *end)
{
    while (s < end && *s == ' ') {
        s++;
    }
    return s;
}

static bool word_at(const char *s, const char *end, const char *w)
{
    size_t n = strlen(w);

    return (size_t)(end - s) >= n && !memcmp(s, w, n);
}

/* A small non-negative integer at *s, moved past. */
static bool number(const char **s, const char *end, int *out)
{
    int v = 0;
    const char *p = *s;

    while (p < end && *p >= '0' && *p <= '9' && v < 1000) {
        v = v * 10 + (*p++ - '0');
    }
    if (p == *s || v >= 1000) {
        return false;
    }
    *s = p;
    *out = v;
    return true;
}

enum op { OP_GE, OP_GT, OP_LT, OP_LE, OP_EQ, OP_NE };

static bool comparison(const char **s, const char *end, enum op *op)
{
    static const struct {
        const char *text;
        enum op op;
    } ops[] = {{">=", OP_GE}, {"<=", OP_LE}, {"==", OP_EQ},
               {"!=", OP_NE}, {">", OP_GT},  {"<", OP_LT}};

    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        if (word_at(*s, end, ops[i].text)) {
            *s += strlen(ops[i].text);
            *op = ops[i].op;
            return true;
        }
    }
    return false;
}

/* "(3, 8)", "(3,)", "(3, 8, 1)": its first two numbers; *more: a third one above 0. */
static bool version_tuple(const char **s, const char *end, int *major, int *minor, bool *more)
{
    const char *p = blanks(*s, end);
    int third = 0;

    *minor = 0;
    *more = false;
    if (p >= end || *p != '(' || !number((p = blanks(p + 1, end), &p), end, major)) {
        return false;
    }
    p = blanks(p, end);
    if (p < end && *p == ',') {
        p = blanks(p + 1, end);
        if (number(&p, end, minor)) {
            p = blanks(p, end);
            if (p < end && *p == ',') {
                p = blanks(p + 1, end);
                if (number(&p, end, &third)) {
                    *more = third > 0;
                    p = blanks(p, end);
                }
            }
        }
    }
    if (p >= end || *p != ')') {
        return false;
    }
    *s = p + 1;
    return true;
}

static struct pycond_term term(bool ge, int major, int minor)
{
    return (struct pycond_term){ge, (unsigned char)major, (unsigned char)minor};
}

/* sys.version_info's comparison from s (just past the name) to end. */
static bool version_info(const char *s, const char *end, struct pycond_term *out)
{
    enum { WHOLE, FIRST_TWO, MAJOR } kind = WHOLE;
    enum op op;
    int major, minor = 0;
    bool more = false;

    if (word_at(s, end, "[:2]")) {
        kind = FIRST_TWO;
        s += 4;
    } else if (word_at(s, end, "[0]") || word_at(s, end, ".major")) {
        kind = MAJOR;
        s += *s == '[' ? 3 : 6;
    }
    s = blanks(s, end);
    if (!comparison(&s, end, &op)) {
        return false;
    }
    s = blanks(s, end);
    if (kind == MAJOR ? !number(&s, end, &major) : !version_tuple(&s, end, &major, &minor, &more)) {
        return false;
    }
    if (blanks(s, end) != end || major > 200 || minor > 200) {
        return false;
    }
    if (kind == MAJOR) {
        switch (op) {
        case OP_GE:
            *out = term(true, major, 0);
            return true;
        case OP_GT:
            *out = term(true, major + 1, 0);
            return true;
        case OP_LT:
            *out = term(false, major, 0);
            return true;
        case OP_LE:
            *out = term(false, major + 1, 0);
            return true;
        case OP_EQ:
        case OP_NE: /* == 2 and == 3: the two majors Lambda has had */
            if (major != 2 && major != 3) {
                return false;
            }
            *out = term((major == 3) == (op == OP_EQ), 3, 0);
            return true;
        }
        return false;
    }
    if (op == OP_EQ || op == OP_NE) {
        return false; /* one version exactly: no single bound */
    }
    if (kind == FIRST_TWO && !more && (op == OP_GT || op == OP_LE)) {
        minor++; /* [:2] > (3, 8) is >= (3, 9) */
    }
    /* The whole 5-tuple: > (3, 8) and >= (3, 8) both hold from 3.8.0 on. */
    *out = term(op == OP_GE || op == OP_GT, major, minor);
    return true;
}

bool pycond_parse(const char *s, const char *end, struct pycond_term *out)
{
    bool negate = false, ok = false;
    const char *name, *name_end;

    s = blanks(s, end);
    while (end > s && end[-1] == ' ') {
        end--;
    }
    if (word_at(s, end, "not ")) {
        negate = true;
        s = blanks(s + 4, end);
    }
    for (name = name_end = s;
         name_end < end &&
         (*name_end == '.' || *name_end == '_' || (*name_end >= 'a' && *name_end <= 'z') ||
          (*name_end >= 'A' && *name_end <= 'Z') || (*name_end >= '0' && *name_end <= '9'));
         name_end++) {
    }
    if (name_end - name >= 16 && word_at(name, name_end, "sys.version_info") &&
        (name_end - name == 16 || name[16] == '.')) {
        ok = version_info(name + 16, end, out); /* .major is read there */
    } else if (name_end == end && name_end - name >= 3 &&
               (name_end - name == 3 || name_end[-4] == '.') &&
               (word_at(name_end - 3, end, "PY3") || word_at(name_end - 3, end, "PY2"))) {
        *out = term(name_end[-1] == '3', 3, 0); /* six.PY3, PY2 */
        ok = true;
    }
    if (ok && negate) {
        out->ge = !out->ge;
    }
    return ok;
}

bool pycond_holds(const struct pycond *c, int major, int minor)
{
    for (size_t i = 0; i < c->nr; i++) {
        int at = major * 1000 + minor, bound = c->t[i].major * 1000 + c->t[i].minor;
        if (c->t[i].ge ? at < bound : at >= bound) {
            return false;
        }
    }
    return true;
}
