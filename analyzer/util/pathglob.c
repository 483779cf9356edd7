/* SPDX-License-Identifier: MIT */
/*
 * Bounded glob matching on paths. Two levels, each the greedy wildcard algorithm
 * (Kirk Krauss, "Matching Wildcards", Dr. Dobb's 2008; also git's wildmatch before it
 * grew recursion): segments against "**" at the upper level, characters against '*'
 * inside a segment. Greedy matching with a single resume point per level is exact when
 * the star matches any sequence and every other token matches exactly one element, which
 * holds at both levels; each level does at most m x n steps, so a hostile pattern costs
 * time linear in each of its two lengths, never exponential.
 */
#include "pathglob.h"

#include <string.h>

/* One segment of a pattern or a path: [s, s + n). */
struct seg {
    const char *s;
    size_t n;
};

static struct seg seg_at(const char *p)
{
    const char *slash = strchr(p, '/');
    struct seg sg = {p, slash ? (size_t)(slash - p) : strlen(p)};
    return sg;
}

/* The next segment after sg, or {NULL, 0} at the end. */
static struct seg seg_next(struct seg sg)
{
    struct seg none = {NULL, 0};
    return sg.s[sg.n] == '/' ? seg_at(sg.s + sg.n + 1) : none;
}

static bool is_globstar(struct seg sg)
{
    return sg.n == 2 && sg.s[0] == '*' && sg.s[1] == '*';
}

/* A class at p[0] == '[' against c; *len gets the class's length in the pattern. */
static bool class_match(const char *p, size_t avail, char c, size_t *len)
{
    size_t i = 1;
    bool neg = false, hit = false;

    if (i < avail && (p[i] == '!' || p[i] == '^')) {
        neg = true;
        i++;
    }
    for (bool first = true; i < avail && (p[i] != ']' || first); first = false) {
        unsigned char lo = (unsigned char)p[i], hi = lo;
        if (i + 2 < avail && p[i + 1] == '-' && p[i + 2] != ']') {
            hi = (unsigned char)p[i + 2];
            i += 2;
        }
        hit |= (unsigned char)c >= lo && (unsigned char)c <= hi;
        i++;
    }
    *len = i + 1; /* past the ']' (pathglob_valid made sure there is one) */
    return hit != neg;
}

/* One pattern token at p against c: '?', a class, a quoted or a plain character. */
static bool token_match(const char *p, size_t avail, char c, size_t *len)
{
    if (p[0] == '?') {
        *len = 1;
        return true;
    }
    if (p[0] == '[') {
        return class_match(p, avail, c, len);
    }
    if (p[0] == '\\' && avail > 1) {
        *len = 2;
        return p[1] == c;
    }
    *len = 1;
    return p[0] == c;
}

/* A segment of the pattern against one of the path: '*' is any run of characters. */
static bool seg_match(struct seg pat, struct seg str)
{
    size_t p = 0, s = 0, star_p = (size_t)-1, star_s = 0;

    while (s < str.n) {
        size_t len = 0;
        if (p < pat.n && pat.s[p] == '*') {
            while (p < pat.n && pat.s[p] == '*') {
                p++; /* "**" inside a segment is one star, as in gitignore */
            }
            star_p = p;
            star_s = s;
            continue;
        }
        if (p < pat.n && token_match(pat.s + p, pat.n - p, str.s[s], &len)) {
            p += len;
            s++;
            continue;
        }
        if (star_p == (size_t)-1) {
            return false;
        }
        p = star_p; /* the star takes one more character; try again from there */
        s = ++star_s;
    }
    while (p < pat.n && pat.s[p] == '*') {
        p++;
    }
    return p == pat.n;
}

bool pathglob_match(const char *pattern, const char *path)
{
    struct seg p = seg_at(pattern), s = seg_at(path), star_p = {NULL, 0}, star_s = {NULL, 0};

    while (s.s) {
        if (p.s && is_globstar(p)) {
            star_p = p = seg_next(p);
            star_s = s;
            if (!p.s) {
                return true; /* a trailing "**" takes the rest */
            }
            continue;
        }
        if (p.s && seg_match(p, s)) {
            p = seg_next(p);
            s = seg_next(s);
            continue;
        }
        if (!star_s.s) {
            return false;
        }
        p = star_p; /* "**" takes one more segment */
        s = star_s = seg_next(star_s);
    }
    while (p.s && is_globstar(p)) {
        p = seg_next(p);
    }
    return !p.s;
}

bool pathglob_valid(const char *pattern, const char **why)
{
    for (const char *p = pattern; *p; p++) {
        if (*p == '\\') {
            if (!p[1] || p[1] == '/') {
                *why = "'\\' at the end of a segment quotes nothing";
                return false;
            }
            p++;
        } else if (*p == '[') {
            const char *q = p + 1;
            q += *q == '!' || *q == '^';
            q += *q == ']'; /* a ']' first is a member, not the end */
            while (*q && *q != ']' && *q != '/') {
                q++;
            }
            if (*q != ']') {
                *why = "'[' without its ']' in the same segment";
                return false;
            }
            p = q;
        }
    }
    if (!*pattern) {
        *why = "empty pattern";
        return false;
    }
    return true;
}
