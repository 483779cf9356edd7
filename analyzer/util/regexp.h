/* SPDX-License-Identifier: MIT */
/*
 * Regular expressions: the only place pcre2 is included. Patterns come from the
 * code (the extension-module grammar) and from data (OS library patterns, schema
 * patterns); every pattern is compiled with PCRE2_DOLLAR_ENDONLY, so that '$' never
 * matches before a final newline ("x.so\n" is no module name).
 *
 * Ownership: regexp_compile() returns a struct regexp the caller frees with
 * regexp_free(); regexp_exec() returns a match the caller frees with
 * regexp_match_free(). Strings from regexp_group() are fresh copies. A regex may be
 * used from several threads at once: every match has its own data, and a lazy pattern
 * is compiled once (the first thread to finish publishes it, the others drop theirs).
 */
#ifndef ANALYZER_REGEXP_H
#define ANALYZER_REGEXP_H

#include <stdbool.h>

#include "diag.h"

enum regexp_flags {
    REGEXP_ANCHORED = 1 << 0, /* match at the start of the subject only */
    REGEXP_UTF = 1 << 1,      /* pattern and subject are UTF-8 */
    REGEXP_LAZY = 1 << 2,     /* compile on first use (a pattern already known to compile:
                               * the shipped data, tested when it was built) */
};

struct regexp;
struct regexp_match;

/**
 * Compile pattern. On failure returns -1 with d saying "pattern '<p>': <pcre2's words> at
 * offset N", for the caller to prefix with where the pattern came from.
 */
int regexp_compile(struct regexp **out, const char *pattern, unsigned flags, struct diag *d);

/** Whether subject matches. */
bool regexp_test(const struct regexp *re, const char *subject);

/** Match subject and keep the captures, or NULL when it does not match. */
struct regexp_match *regexp_exec(const struct regexp *re, const char *subject);

/** The named group's text (fresh), or NULL when the group took no part in the match. */
char *regexp_group(const struct regexp_match *m, const char *name);

/** Whether the named group took part in the match. */
bool regexp_group_set(const struct regexp_match *m, const char *name);

void regexp_match_free(struct regexp_match *m);
void regexp_free(struct regexp *re);

#endif
