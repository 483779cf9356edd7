/* SPDX-License-Identifier: MIT */
/*
 * A pool for one loop: every index of [0, n) handed to fn once, over up to jobs threads,
 * the caller's among them. Which thread runs which index is left to chance; what fn does
 * with index i must depend on i alone (each index writes its own slot), so that the result
 * does not depend on the schedule. worker (0 .. jobs-1) names the thread, for state kept
 * per thread (a reader, a buffer); worker 0 is the caller.
 *
 * Ownership: nothing is kept; workers_run() returns once every index is done.
 */
#ifndef ANALYZER_WORKERS_H
#define ANALYZER_WORKERS_H

#include <stddef.h>

typedef void (*workers_fn)(void *ctx, size_t i, unsigned worker);

/** Run fn(ctx, i, worker) for every i < n; jobs <= 1 (or a thread that cannot start) runs
 * them on the caller's thread, in order. */
void workers_run(unsigned jobs, size_t n, workers_fn fn, void *ctx);

/** The processors this process may run on (sched_getaffinity), at least 1. */
unsigned workers_online(void);

#endif
