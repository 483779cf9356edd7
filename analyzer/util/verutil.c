/* SPDX-License-Identifier: MIT */
/* Dotted version numbers: "2.28", "3.4.30", compared number by number. */
#include "verutil.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int verutil_cmp(const char *a, const char *b)
{
    /* x86_64 glibc has no 2.19-2.21 and aarch64 starts at 2.17: only a numeric compare
     * orders them (doc/sources.md#toolchain-ceilings). A missing component counts as 0. */
    while (*a || *b) {
        unsigned long x = 0, y = 0;
        while (isdigit((unsigned char)*a)) {
            x = x * 10 + (unsigned long)(*a++ - '0');
            if (x > 1000000) {
                x = 1000000;
            }
        }
        while (isdigit((unsigned char)*b)) {
            y = y * 10 + (unsigned long)(*b++ - '0');
            if (y > 1000000) {
                y = 1000000;
            }
        }
        if (x != y) {
            return x < y ? -1 : 1;
        }
        if (*a && !isdigit((unsigned char)*a)) {
            a++;
        }
        if (*b && !isdigit((unsigned char)*b)) {
            b++;
        }
    }
    return 0;
}

const char *verutil_number(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    const char *rest = name + n;

    if (strncmp(name, prefix, n) != 0 || !isdigit((unsigned char)*rest)) {
        return NULL;
    }
    for (const char *p = rest; *p; p++) {
        if (!isdigit((unsigned char)*p) && *p != '.') {
            return NULL;
        }
    }
    return rest;
}
