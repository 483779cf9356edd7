/* SPDX-License-Identifier: MIT */
/*
 * The report (run metadata, a summary of each input, the sorted findings) and the
 * emitter registry. An emitter reads only a const struct report and writes to a FILE:
 * no analysis, no bundle I/O, no libelf/libzip/pcre2 (style.md §4.2). Nothing here
 * sees the image, the input layer or the ELF reader: what an emitter may say about an
 * input is in struct report_input.
 *
 * Ownership: a report borrows everything it points at; the caller keeps the
 * profiles, findings and input summaries alive while emitting.
 */
#ifndef ANALYZER_REPORT_H
#define ANALYZER_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "finding.h"
#include "gate.h"
#include "profile.h"
#include "rules.h"
#include "strvec.h"

#define REPORT_SCHEMA_VERSION 1

/* One runtime and architecture of the compatibility matrix (no --runtime given). */
struct report_verdict {
    const struct profile *profile;
    size_t errors, warnings;
    bool imports;           /* no finding at or above --fail-on */
    struct strvec blockers; /* slugs of the findings that block it */
};

/* What the report says of one input. */
struct report_input {
    const char *name;        /* as given on the command line */
    const char *kind;        /* "zip", "directory", "file" */
    const char *role;        /* "function", "layer" */
    const char *role_reason; /* why it is checked in that role */
    bool alone;              /* the text says the role first: a layer checked on its own (not
                              * a --layer of a function), or a guess worth explaining */
    size_t files, elf_objects, extensions, distributions;
    const struct strvec *notes; /* remarks on the input as a whole */
};

struct report {
    const char *tool_name;
    const char *tool_version;
    const struct profile *profile; /* NULL for the matrix */
    const struct report_input *inputs;
    size_t inputs_nr;
    const struct findings *findings; /* sorted; finding->input indexes inputs */
    enum severity fail_on;
    bool color;                    /* text only: ANSI colour */
    int verbose;                   /* text only: print the Lambda error line */
    struct report_verdict *matrix; /* without a target: one row per runtime+arch */
    size_t matrix_nr;
    /* The CI gate (gate/). rules: the catalogue, for SARIF's driver.rules and JUnit's test
     * cases (NULL: the rules the findings name). gate: the findings set aside by a
     * suppression or the baseline, why, and the run's notes and warnings (NULL: none).
     * gated: suppressions or a baseline were in use, so the formats say how many. */
    const struct ruleset *rules;
    const struct gate *gate;
    bool gated;
};

/** Whether the run fails the gate: a finding at or above --fail-on, or, for the matrix,
 * no runtime on which the bundle imports. */
bool report_failed(const struct report *r);

/** The findings set aside by the gate (0 without one). */
size_t report_suppressed_count(const struct report *r);

/** "; N suppressed" when the run was gated (the text summary line's tail), else nothing. */
void report_print_suppressed(FILE *out, const struct report *r);

/** The one-line summary, for stderr when stdout carries a machine format. */
void report_print_summary_line(FILE *out, const struct report *r);

/**
 * The rules a format describes: the catalogue when the report has it, else the rules the
 * findings (set aside or not) name, in id order. *out is the caller's to free, not the rules.
 */
size_t report_rules(const struct report *r, const struct rule ***out);

/**
 * Where a finding is on disk, for formats that point at files (SARIF, GitHub annotations):
 * the member itself inside a directory input ("INPUT/PATH"), else the input (a zip or a
 * single file), whose member then goes in the message. Caller frees.
 */
char *report_artifact_path(const struct report *r, const struct finding *f);

/** Whether the finding's member is inside an archive (its artifact is the input file). */
bool report_in_archive(const struct report *r, const struct finding *f);

typedef int report_emit_fn(FILE *out, const struct report *r, struct diag *d);

struct emitter {
    const char *name;
    const char *help;
    report_emit_fn *emit;
};

/** The emitter for a format name, or NULL. */
const struct emitter *report_emitter_find(const char *name);

/** The format names, from the emitter table, joined with sep: "text, json". Caller frees. */
char *report_format_names(const char *sep);

/* The emitters, one file each (report_<name>.c), from the registry. */
#define EMITTER(name, help) report_emit_fn report_##name;
#include "emitters.def"
#undef EMITTER

#endif
