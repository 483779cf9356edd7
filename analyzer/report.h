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

#define REPORT_SCHEMA_VERSION 1

struct report {
    const char *tool_name;
    const char *tool_version;
    const struct profile *profile;
    const struct image *img;
    const struct findings *findings;
    enum severity fail_on;
    bool color;   /* text only: ANSI colour */
    int verbose;  /* text only: print rule help */
};

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
