/* SPDX-License-Identifier: MIT */
/*
 * The checks as the tool sees them: verify the registry against the catalogue, run every
 * check against an image for one target. What a check is, and the helpers checks share,
 * are private to this folder (check.h).
 *
 * Ownership: everything is borrowed for the call; findings appended belong to the
 * caller's struct findings.
 */
#ifndef ANALYZER_CHECKS_H
#define ANALYZER_CHECKS_H

#include <stdbool.h>

#include "diag.h"
#include "finding.h"

struct datadir;
struct image;
struct profile;
struct ruleset;
struct size_plans;

/**
 * Every registered check must have a catalogue row and every row a check
 * (CONTRIBUTING.md#house-rules, registry). Returns -1 with d naming the orphan.
 */
int checks_verify(const struct ruleset *rs, struct diag *d);

/** Run every check against the image for one target profile, the members shared out among
 * up to jobs threads when there are enough of them to pay, or whatever their number when
 * jobs_given (--jobs); the findings are the same either way. sizes (or NULL) keeps the size
 * plans a check built, for the caller's report (built with profile's runtime). */
void checks_run(const struct image *img, const struct profile *profile, const struct datadir *data,
                struct size_plans *sizes, unsigned jobs, bool jobs_given, struct findings *out);

#endif
