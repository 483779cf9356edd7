/* SPDX-License-Identifier: MIT */
/*
 * The baseline: the findings a team accepted when it adopted abiscan on an old bundle,
 * one entry each {rule, path, fact} (fingerprint.h), in a JSON file
 * (rules/schema/baseline.schema.json) that is reviewed like code. --write-baseline writes
 * it; --baseline reads it, and the run then fails only on findings not in it.
 *
 * Ownership: struct baseline owns its entries and their strings; baseline_release()
 * frees them (a zeroed struct is valid).
 */
#ifndef ANALYZER_BASELINE_H
#define ANALYZER_BASELINE_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "finding.h"
#include "strmap.h"

#define BASELINE_SCHEMA_VERSION 1

struct baseline_entry {
    char *rule, *slug, *path, *fact;
    bool seen; /* a finding of this run matched it */
};

struct baseline {
    char *file;
    struct baseline_entry *v;
    size_t nr;
    struct strmap index; /* fingerprint -> entry */
};

/** Read and validate path (schema_path is the baseline schema). */
int baseline_load(struct baseline *out, const char *path, const char *schema_path, struct diag *d);

/** Whether f is in the baseline; marks the entry seen. */
bool baseline_match(struct baseline *b, const struct finding *f);

/** Write the baseline of these findings (sorted, one entry per fingerprint) to out. */
int baseline_write(FILE *out, const struct finding *const *fs, size_t n, struct diag *d);

void baseline_release(struct baseline *b);

#endif
