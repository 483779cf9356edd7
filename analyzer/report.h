/* SPDX-License-Identifier: MIT */
/*
 * The report (run metadata + sorted findings) and the emitter registry. An
 * emitter reads only a const struct report and writes to a FILE: no
 * analysis, no bundle I/O, no libelf/libzip/pcre2 (style.md §4.2).
 *
 * Ownership: a report borrows everything it points at; the caller keeps the
 * image, profile and findings alive while emitting.
 */
#ifndef ANALYZER_REPORT_H
#define ANALYZER_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "finding.h"
#include "image.h"
#include "profile.h"
#include "strvec.h"

#define REPORT_SCHEMA_VERSION 1

/* One runtime and architecture of the compatibility matrix (no --runtime given). */
struct report_verdict {
    const struct profile *profile;
    size_t errors, warnings;
    bool imports;           /* no finding at or above --fail-on */
    struct strvec blockers; /* slugs of the findings that block it */
};

struct report {
    const char *tool_name;
    const char *tool_version;
    const struct profile *profile;   /* NULL for the matrix */
    const struct image *img;
    const struct findings *findings;
    enum severity fail_on;
    bool color;   /* text only: ANSI colour */
    int verbose;  /* text only: print the Lambda error line */
    struct report_verdict *matrix;   /* without a target: one row per runtime+arch */
    size_t matrix_nr;
};

/** Whether the run fails the gate: a finding at or above --fail-on, or, for the matrix,
 * no runtime on which the bundle imports. */
bool report_failed(const struct report *r);

struct emitter {
    const char *name;
    int (*emit)(FILE *out, const struct report *r, struct diag *d);
};

/** The emitter for a format name, or NULL. */
const struct emitter *report_emitter_find(const char *name);

/** "text|json", for help and errors. */
const char *report_format_names(void);

/* Counts over the image, shared by the emitters. */
struct report_counts {
    size_t members, elf_objects, extensions, distributions;
};
void report_count(const struct report *r, size_t input, struct report_counts *out);

int report_text(FILE *out, const struct report *r, struct diag *d);
int report_json(FILE *out, const struct report *r, struct diag *d);

#endif
