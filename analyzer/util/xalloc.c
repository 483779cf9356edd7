/* SPDX-License-Identifier: MIT */
/* The single out-of-memory policy (pax-utils xfuncs.c): one line, exit 2. */
#include "xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "version.h"

void xalloc_die(size_t n)
{
    fprintf(stderr, "%s: out of memory (%zu bytes)\n", ABISCAN_NAME, n);
    exit(ABISCAN_EXIT_TROUBLE);
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (!p) {
        xalloc_die(size);
    }
    return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

    if (!p) {
        xalloc_die(nmemb * size);
    }
    return p;
}

void *xrealloc_array(void *ptr, size_t nmemb, size_t size)
{
    void *p;

    if (size && nmemb > SIZE_MAX / size) {
        xalloc_die(SIZE_MAX);
    }
    p = realloc(ptr, (nmemb && size) ? nmemb * size : 1);
    if (!p) {
        xalloc_die(nmemb * size);
    }
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xjoin(const char *a, const char *sep, const char *b)
{
    size_t na = strlen(a), ns = strlen(sep), nb = strlen(b);
    char *p = xmalloc(na + ns + nb + 1);

    memcpy(p, a, na);
    memcpy(p + na, sep, ns);
    memcpy(p + na + ns, b, nb + 1);
    return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
    char small[256]; /* most strings fit: one formatting pass, not two */
    va_list copy;
    int n;
    char *p;

    va_copy(copy, ap);
    n = vsnprintf(small, sizeof(small), fmt, copy);
    va_end(copy);
    if (n < 0) {
        BUG("vsnprintf failed for '%s'", fmt);
    }
    p = xmalloc((size_t)n + 1);
    if ((size_t)n < sizeof(small)) {
        memcpy(p, small, (size_t)n + 1);
    } else {
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    }
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *p;

    va_start(ap, fmt);
    p = xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}
