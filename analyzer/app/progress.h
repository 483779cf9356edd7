/* SPDX-License-Identifier: MIT */
/*
 * Progress of a long audit on stderr, for a person watching a terminal: inputs done of
 * the total, the one started last, an estimate of the time left, on one line rewritten
 * in place. Shown only when stderr is a terminal, the run has taken longer than a second
 * ($ABISCAN_PROGRESS_DELAY_MS, for the tests), and -q was not given; erased at the end,
 * so that what stays on the terminal is what a run without it prints. Never in a log.
 *
 * Ownership: struct progress borrows the names it is given until the next call; the
 * caller serialises the calls (the audit's lock).
 */
#ifndef ANALYZER_PROGRESS_H
#define ANALYZER_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct progress {
    FILE *out;
    bool on;
    bool shown; /* something is on the line, to be erased */
    size_t total, done;
    const char *current;
    long long start_ms, last_ms, delay_ms;
};

/** Set up for total inputs; on only when out is a terminal and not quiet. */
void progress_init(struct progress *p, FILE *out, size_t total, bool quiet);

/** An input was started (name: what it is called in the report). */
void progress_started(struct progress *p, const char *name);

/** An input is done. */
void progress_done(struct progress *p);

/** Erase the line, if one was shown. */
void progress_end(struct progress *p);

#endif
