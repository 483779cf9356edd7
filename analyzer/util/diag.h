/* SPDX-License-Identifier: MIT */
/*
 * Error carrier for operational failures, and the exit-status contract.
 *
 * Ownership: a struct diag is a plain value (no heap); callers put one on the
 * stack, pass its address as the last parameter of fallible functions, and read
 * d.code / d.msg after a -1 return.
 */
#ifndef ANALYZER_DIAG_H
#define ANALYZER_DIAG_H

#include <stdarg.h>

/*
 * Exit status, documented in --help and README:
 *   0  analysis finished; no finding at or above --fail-on
 *   1  analysis finished; at least one finding at or above --fail-on
 *   2  the run could not do its job: usage error, unreadable input,
 *      unknown runtime, invalid rules or profile, out of memory
 */
enum abiscan_exit {
    ABISCAN_EXIT_OK = 0,
    ABISCAN_EXIT_FINDINGS = 1,
    ABISCAN_EXIT_TROUBLE = 2,
};

enum diag_code {
    DIAG_OK = 0,
    DIAG_USAGE, /* bad option or argument */
    DIAG_IO,    /* a file could not be opened or read */
    DIAG_INPUT, /* an input is not a bundle we can read */
    DIAG_DATA,  /* rules, catalogue or profile invalid */
    DIAG_LIMIT, /* a configured limit was hit */
};

#define DIAG_MSG_MAX 1024

struct diag {
    enum diag_code code;
    char msg[DIAG_MSG_MAX];
};

#define DIAG_INIT                                                                                  \
    {                                                                                              \
        DIAG_OK,                                                                                   \
        {                                                                                          \
            0                                                                                      \
        }                                                                                          \
    }

#if defined(__GNUC__)
#define ABISCAN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define ABISCAN_NORETURN __attribute__((noreturn))
#else
#define ABISCAN_PRINTF(f, a)
#define ABISCAN_NORETURN
#endif

/** Record an error in d (if d is not NULL) and return -1, for `return diag_set(...)`. */
int diag_set(struct diag *d, enum diag_code code, const char *fmt, ...) ABISCAN_PRINTF(3, 4);

/** Prefix d->msg with "prefix: " (used to add a file name to a nested error). Returns -1. */
int diag_prefix(struct diag *d, const char *fmt, ...) ABISCAN_PRINTF(2, 3);

/** Print "abiscan: <msg>" on stderr. */
void diag_print(const struct diag *d);

/** A broken invariant: print file and line, then abort. */
#define BUG(...) diag_bug(__FILE__, __LINE__, __VA_ARGS__)
ABISCAN_NORETURN void diag_bug(const char *file, int line, const char *fmt, ...)
    ABISCAN_PRINTF(3, 4);

#endif
