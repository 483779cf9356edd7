/* SPDX-License-Identifier: MIT */
/*
 * Allocation wrappers whose only failure mode is "out of memory": they print
 * one line and exit with status 2, so call sites never check for NULL.
 *
 * Ownership: every pointer returned belongs to the caller, freed with free().
 */
#ifndef ANALYZER_XALLOC_H
#define ANALYZER_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

/** Report out-of-memory for a library allocation that failed, and exit 2. */
#if defined(__GNUC__)
__attribute__((noreturn))
#endif
void xalloc_die(size_t size);

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
/** realloc(ptr, nmemb * size), dying on overflow as well as on OOM. */
void *xrealloc_array(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/** a, sep and b end to end in a fresh string ("a/b" without printf's cost: hot paths). */
char *xjoin(const char *a, const char *sep, const char *b);
/** vprintf into a fresh string. */
char *xvasprintf(const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 0)))
#endif
    ;
/** printf into a fresh string. */
char *xasprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/** Grow an array (git's ALLOC_GROW): ensure alloc >= nr, doubling. */
#define ALLOC_GROW(items, nr, alloc)                                                               \
    do {                                                                                           \
        if ((nr) > (alloc)) {                                                                      \
            size_t grow_ = (alloc) < 8 ? 8 : (alloc)*2;                                            \
            if (grow_ < (nr)) {                                                                    \
                grow_ = (nr);                                                                      \
            }                                                                                      \
            (items) = xrealloc_array((items), grow_, sizeof(*(items)));                            \
            (alloc) = grow_;                                                                       \
        }                                                                                          \
    } while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
