/* SPDX-License-Identifier: MIT */
/*
 * Causes: the findings of one function (with its layers) grouped by what made them, each
 * with its one fix. A bundle built with CPython 3.11 on Debian 12 for python3.9 gets 180
 * python-tag-mismatch findings and one cause, "built for CPython 3.11", whose fix rebuilds
 * the whole bundle for the target in the user's installer; a library nothing on Lambda
 * ships is a cause of its own (one per soname); every other finding is grouped with those of
 * its rule that share its fix, so that a cause never has two fixes. Every finding is in
 * exactly one cause; the findings keep their own fields (and the gate works on them).
 *
 * Ownership: struct causes owns its causes, their strings and index arrays;
 * causes_release() frees them (a zeroed struct is valid: no causes).
 */
#ifndef ANALYZER_CAUSE_H
#define ANALYZER_CAUSE_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h"
#include "severity.h"
#include "strvec.h"

struct profile;

struct cause {
    char *key;              /* what groups it: "python:3.11", "glibc", "needed:libblas.so.3",
                             * "rule:ABI021:<fix>"; stable, for machines */
    char *title;            /* "built for CPython 3.11; python3.9 imports only 3.9 modules" */
    size_t input;           /* the head input (the function) of its findings */
    enum severity severity; /* its most severe finding's */
    size_t *findings;       /* indexes into the findings it was built from, in their order */
    size_t nr, findings_alloc;
    size_t errors, warnings, notes;
    struct strvec dists; /* "numpy 1.24.2" of its findings, first seen first; empty: none */
    bool rebuild;        /* rebuilding the bundle for the target removes it */
    char *fix_command;   /* one line a POSIX shell runs, or NULL */
    char *fix_note;      /* words, or NULL */
};

struct causes {
    struct cause *v;
    size_t nr, alloc;
};

/* The fix of every cause that rebuilding the bundle removes: the whole bundle's rebuild in
 * the user's installer (checks/advice.h's advice_rebuild), made by the caller. */
struct cause_rebuild {
    const char *command; /* NULL: none could be written */
    const char *note;
};

/**
 * Group findings [from, to) of fs (one function's, sorted) into causes appended to out, most
 * severe first, then most findings first, then by key. p: the target the findings were
 * checked against (its words go in the titles); rb: the rebuild fix. Indexes are into fs.
 */
void causes_group(struct causes *out, const struct findings *fs, size_t from, size_t to,
                  size_t input, const struct profile *p, const struct cause_rebuild *rb);

/** Move the causes of src to the end of out, their finding indexes shifted by findings and
 * their input by inputs (a unit's causes into the audit's). src is left empty. */
void causes_take(struct causes *out, struct causes *src, size_t findings, size_t inputs);

/** For each of the first `findings` findings, the cause it is in (an index into c->v), or
 * c->nr for none: one pass instead of a search per finding. Caller frees. */
size_t *causes_index(const struct causes *c, size_t findings);

void causes_release(struct causes *c);

#endif
