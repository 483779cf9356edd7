/* SPDX-License-Identifier: MIT */
/*
 * The report (run metadata, a summary of each input, the sorted findings) and the
 * emitter registry. An emitter reads only a const struct report and writes to a FILE:
 * no analysis, no bundle I/O, no libelf/libzip/pcre2 (CONTRIBUTING.md#house-rules, report). Nothing here
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

#include "builtwith.h"
#include "cause.h"
#include "diag.h"
#include "finding.h"
#include "gate.h"
#include "profile.h"
#include "rules.h"
#include "sizeplan.h"
#include "strvec.h"

#define REPORT_SCHEMA_VERSION 1

/* One runtime and architecture of the compatibility matrix (no --runtime given). */
struct report_verdict {
    const struct profile *profile;
    size_t errors, warnings;
    bool imports;           /* no finding at or above --fail-on but the runtime's own end */
    bool deploys;           /* Lambda still takes the runtime (no runtime-deprecated error) */
    struct strvec blockers; /* slugs of the findings that block it */
};

/** Whether a row passes: the bundle imports there, and the runtime can still be deployed. */
static inline bool report_verdict_ok(const struct report_verdict *v)
{
    return v->imports && v->deploys;
}

/* What the report says of one input. */
struct report_input {
    const char *name;        /* as given on the command line */
    const char *real;        /* where it is: absolute, links resolved (app/srcroot.h); NULL
                              * when it is no file (a function declared with no code) */
    const char *kind;        /* "zip", "directory", "file" */
    const char *role;        /* "function", "layer" */
    const char *role_reason; /* why it is checked in that role */
    bool alone;              /* the text says the role first: a layer checked on its own (not
                              * a --layer of a function), or a guess worth explaining */
    size_t files, elf_objects, extensions, distributions;
    const struct strvec *notes; /* remarks on the input as a whole */
    const struct strvec *about; /* what was found in it, a line each (a container image: its
                                 * platform, OS and C library, Python, task root, handler);
                                 * NULL or empty: nothing to say (a bundle) */
    /* Audits: each function checked as a unit, against its own target. */
    const char *function;                /* the function it belongs to, as its declaration names
                                    * it (logical id, function name); NULL: none declared */
    const struct profile *profile;       /* the target it was checked against; NULL: the report's */
    const struct report_verdict *matrix; /* no target: where it would import (a function or a
                                          * layer alone; NULL: the report's, for one input) */
    size_t matrix_nr;
    const char *error;   /* it could not be read: why (verdict error); NULL: it was read */
    const char *skipped; /* it was not checked: why (verdict skipped), e.g. not Python */
    const struct strvec *not_checked; /* layers its declaration names with no local code */
    const struct size_plan *size;     /* its size plan (--size, or near a limit); NULL: none */
    const struct built_with *built;   /* how it was built (a head); NULL: not read */
};

/* What became of one input (report_input_verdict()). */
enum report_verdict_kind { REPORT_PASS, REPORT_FAIL, REPORT_ERROR, REPORT_SKIPPED };

/* The findings of one input, by severity, and those the gate set aside. */
struct report_counts {
    size_t error, warning, note, suppressed;
};

struct report {
    const char *tool_name;
    const char *tool_version;
    const struct profile *profile; /* the target every input was checked against; NULL for the
                                    * matrix, or when the inputs' targets differ */
    const struct report_input *inputs;
    size_t inputs_nr;
    const struct findings *findings; /* sorted, by input first; finding->input indexes inputs */
    enum severity fail_on;
    bool color;                    /* text only: ANSI colour */
    int verbose;                   /* text only: print the Lambda error line */
    struct report_verdict *matrix; /* without a target: one row per runtime+arch (with several
                                    * inputs: where all of them import) */
    size_t matrix_nr;
    /* The CI gate (gate/). rules: the catalogue, for SARIF's driver.rules and JUnit's test
     * cases (NULL: the rules the findings name). gate: the findings set aside by a
     * suppression or the baseline, why, and the run's notes and warnings (NULL: none).
     * gated: suppressions or a baseline were in use, so the formats say how many. */
    const struct ruleset *rules;
    const struct gate *gate;
    bool gated;
    const struct causes *causes; /* the findings by cause, each function's in input order;
                                  * NULL or empty: none (every finding is its own) */
    /* The directory the formats a CI system places on files say paths from (--path-base,
     * or the repository root: app/srcroot.h): absolute, links resolved, no trailing '/'
     * but for "/". NULL: none, and those paths are as given. */
    const char *path_base;
};

/** Whether the run fails the gate: an input that fails (a finding at or above --fail-on,
 * or, for the matrix, no runtime on which it imports) or that could not be read. */
bool report_failed(const struct report *r);

/** "pass", "fail", "error", "skipped". */
const char *report_verdict_name(enum report_verdict_kind v);

/**
 * The input that heads the function input i belongs to: i itself, or for a layer given
 * with a function (role "layer", not alone) the function before it. A function and its
 * layers are one unit: checked together, one verdict.
 */
size_t report_head_of(const struct report *r, size_t i);

/** The target input i was checked against: its own, or the report's; NULL for a function
 * skipped or not checked without one (another language, an unknown runtime). */
const struct profile *report_input_profile(const struct report *r, size_t i);

/** The matrix input i was checked on (NULL with *nr = 0 when it had a target). */
const struct report_verdict *report_input_matrix(const struct report *r, size_t i, size_t *nr);

/** The report's causes: r->causes, or when it has none (a report made without them), those
 * of its findings grouped into *local (each with its own fix; the caller releases it). */
const struct causes *report_causes(const struct report *r, struct causes *local);

/** The findings of input i: [*begin, *end) of r->findings (sorted by input). */
void report_findings_of(const struct report *r, size_t i, size_t *begin, size_t *end);

/** Input i's own findings by severity, and how many of them the gate set aside. */
void report_input_counts(const struct report *r, size_t i, struct report_counts *c);

/**
 * What became of input i. A head: error when it or one of its layers could not be read,
 * skipped when it was not checked, else fail on a finding at or above --fail-on in it or
 * its layers (the matrix: no runtime where it imports), else pass. A layer of a function:
 * from its own findings; skipped (not checked) when its function could not be read.
 */
enum report_verdict_kind report_input_verdict(const struct report *r, size_t i);

/** Why input i's verdict is error or skipped (for a function, the first error of its unit,
 * its own or a layer's), or NULL for pass and fail. */
const char *report_input_reason(const struct report *r, size_t i);

/** The heads (functions, layers alone) by verdict: out[REPORT_PASS] ... out[REPORT_SKIPPED]. */
size_t report_tally(const struct report *r, size_t out[4]);

/** The findings set aside by the gate (0 without one). */
size_t report_suppressed_count(const struct report *r);

/** "; N suppressed" when the run was gated (the text summary line's tail), else nothing. */
void report_print_suppressed(FILE *out, const struct report *r);

/** " (P pass, F fail, E error, S skipped)" when there are several inputs (or one that
 * could not be read or was not checked), else nothing. */
void report_print_tally(FILE *out, const struct report *r);

/** When inputs could not be checked, what a summary line says first: " 1 of 3 inputs could
 * not be checked; in the others," (" the input could not be checked", " none of the 3
 * inputs could be checked" when none was); nothing otherwise. Returns whether none was
 * checked: then there are no counts to give. */
bool report_print_unchecked(FILE *out, const struct report *r);

/** "target python3.12 arm64", or "targets as declared" when the inputs' differ. */
void report_print_target(FILE *out, const struct report *r);

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
 * single file, whose member then goes in the message; a directory, for a finding on all of
 * it). The input as given: report_placed_path() says it from the base. Caller frees.
 */
char *report_artifact_path(const struct report *r, const struct finding *f);

/**
 * Where input in is relative to r->path_base ("." when it is the base itself), borrowed
 * from in->real; NULL when there is no base, the input is not under it, or is no file.
 */
const char *report_input_based(const struct report *r, const struct report_input *in);

/** Input in as a CI system places it: report_input_based(), else its name as given. */
const char *report_input_placed(const struct report *r, const struct report_input *in);

/** Whether the finding's artifact is a member file of a directory input (not the input). */
bool report_on_member_file(const struct report *r, const struct finding *f);

/** report_artifact_path() with the finding's input at path (its name, its real path, its
 * path from the base) instead of its name. Caller frees. */
char *report_artifact_at(const struct report *r, const struct finding *f, const char *path);

/**
 * Where a finding is for a CI system (GitHub annotations' file=): report_artifact_path()
 * from the input's path relative to r->path_base when it is under it, else as given.
 * Caller frees.
 */
char *report_placed_path(const struct report *r, const struct finding *f);

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
/* The exclude lists one per input (--report exclude=DIR/): whether report input i has one
 * (a size plan covers it), the file it goes to in the directory ("layer.zip.exclude";
 * caller frees), and its lines alone, ready for zip -x@. */
bool report_exclude_has(const struct report *r, size_t i);
char *report_exclude_file(const struct report *r, size_t i);
int report_exclude_one(FILE *out, const struct report *r, size_t i, struct diag *d);

#define EMITTER(name, help) report_emit_fn report_##name;
#include "emitters.def"
#undef EMITTER

#endif
