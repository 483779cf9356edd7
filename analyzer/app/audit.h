/* SPDX-License-Identifier: MIT */
/*
 * An audit: every job (a function with its layers, or a layer alone) read, checked and
 * gated as a unit, on its own target, on up to --jobs threads, and merged into one report
 * in job order, so that the report is the same for every --jobs. An input that cannot be
 * read is an input with an error (said on stderr too), never the end of the run: the
 * others are still checked. With a stream (--format jsonl), each job's line is written
 * and flushed as soon as it and every job before it are done.
 *
 * How the threads are shared: with several jobs, each thread checks one job at a time
 * and reads its members itself (a thread per job: the inputs of an audit are many and
 * small); one job alone reads its members on all of them, as a single bundle always has.
 *
 * Ownership: struct audit owns the merged inputs, findings and matrices and the strings
 * they point at; audit_release() frees them. The jobs, the datadir and the gate_run are
 * borrowed and must outlive it (the report borrows from all of them).
 */
#ifndef ANALYZER_AUDIT_H
#define ANALYZER_AUDIT_H

#include <stdio.h>

#include "options.h"
#include "datadir.h"
#include "finding.h"
#include "gate_run.h"
#include "jobs.h"
#include "report.h"

struct audit_unit; /* one job's result (audit.c) */

struct audit {
    struct report_input *inputs; /* every job's inputs, in job order */
    size_t inputs_nr, inputs_alloc;
    struct findings findings;      /* sorted: by input first */
    struct causes causes;          /* each function's, in job order; indexes into findings */
    struct report_verdict *matrix; /* where every job checked on every runtime imports */
    size_t matrix_nr;
    const struct profile *profile; /* the target shared by every job that has one */
    size_t unreadable;             /* jobs with an input that could not be read */
    struct audit_unit *units;
    size_t units_nr;
};

struct audit_opts {
    const struct options *o;
    const struct datadir *dd;
    struct gate_run *gate_run; /* NULL: no gate */
    FILE *stream;              /* write each job's JSON line here as it is done; NULL: none */
    bool size;                 /* a size plan for every head (--size, an exclude list, a treemap) */
};

/** Run every job. -1 only when the run itself cannot go on (a stream that cannot be
 * written); an input that cannot be read is not an error of the audit. */
int audit_run(struct audit *out, const struct jobs *js, const struct audit_opts *ao,
              struct diag *d);

/** The report of the audit (borrowing from it); the caller fills the rest. */
void audit_report(struct report *r, const struct audit *a);

void audit_release(struct audit *a);

#endif
