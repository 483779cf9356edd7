/* SPDX-License-Identifier: MIT */
/* Did you mean (suggest.h). */
#include "suggest.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_WORD 64
#define MAX_SHOWN 5

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* The optimal-string-alignment distance of a and b, case-insensitive; names longer than
 * MAX_WORD are too far from anything typed. */
static size_t distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b), d[MAX_WORD + 1][MAX_WORD + 1];

    if (n > MAX_WORD || m > MAX_WORD) {
        return (size_t)-1;
    }
    for (size_t i = 0; i <= n; i++) {
        d[i][0] = i;
    }
    for (size_t j = 0; j <= m; j++) {
        d[0][j] = j;
    }
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int x = tolower((unsigned char)a[i - 1]), y = tolower((unsigned char)b[j - 1]);
            d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x != y));
            if (i > 1 && j > 1 && x == tolower((unsigned char)b[j - 2]) &&
                y == tolower((unsigned char)a[i - 2]) && d[i - 2][j - 2] + 1 < d[i][j]) {
                d[i][j] = d[i - 2][j - 2] + 1;
            }
        }
    }
    return d[n][m];
}

/* In half steps: a name the word begins is closer than any edit (x86 for x86_64, python3.1
 * for python3.10 rather than python3.6). */
static size_t how_far(const char *word, const char *name)
{
    size_t n = strlen(word), d;

    if (n >= 2 && !strncasecmp(name, word, n)) {
        return 1;
    }
    d = distance(word, name);
    return d == (size_t)-1 ? d : 2 * d;
}

const char *suggest_words(const char *word, const char *const *names, size_t n, char *buf,
                          size_t len)
{
    size_t best = (size_t)-1, limit = strlen(word) / 3, shown = 0, at = 0, total = 0;

    limit = limit ? limit : 1;
    for (size_t i = 0; i < n; i++) {
        size_t d = how_far(word, names[i]);
        if (!strcmp(word, names[i])) {
            return NULL;
        }
        best = d < best ? d : best;
    }
    if (best > 2 * limit || !len) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        total += how_far(word, names[i]) == best;
    }
    if (total > MAX_SHOWN) {
        return NULL; /* too many to be a guess */
    }
    buf[0] = '\0';
    for (size_t i = 0; i < n && shown < MAX_SHOWN; i++) {
        const char *sep;
        int w;
        if (how_far(word, names[i]) != best) {
            continue;
        }
        shown++;
        sep = shown == 1 ? "" : shown == total ? " or " : ", ";
        w = snprintf(buf + at, len - at, "%s%s", sep, names[i]);
        at = w < 0 || (size_t)w >= len - at ? len - 1 : at + (size_t)w;
    }
    return buf;
}
