/* SPDX-License-Identifier: MIT */
/*
 * The units of work of a run: one per function (a bundle with its layers) or layer
 * checked alone, each with the target it is checked against. From the bundles named on
 * the command line (and --files-from), or from where the functions are declared
 * (--lambda-config, --template), then the K-th of N slices (--shard K/N). A --runtime or
 * --arch on the command line overrides what a declaration says (what if they moved?).
 *
 * Ownership: struct jobs owns its jobs, their layers, reasons and every name they point
 * at (the --files-from list, the declaration's target set); jobs_release() frees them.
 * Profiles are borrowed from the datadir, which must outlive the jobs.
 */
#ifndef ANALYZER_JOBS_H
#define ANALYZER_JOBS_H

#include "options.h"
#include "datadir.h"
#include "diag.h"
#include "scan.h"
#include "strvec.h"
#include "targets.h"

struct job {
    const char *function;      /* as its declaration names it; NULL: a bundle given */
    const char *path;          /* the bundle; NULL when there is none to read */
    struct strvec layers;      /* its layers, in configuration order */
    struct strvec not_checked; /* layers its declaration names with no local code */
    enum scan_as as;
    const char *role_why;          /* why it is a function (a declaration), or NULL */
    const char *handler;           /* MODULE.FUNCTION: --handler, the configuration's, or as
                                    * declared; NULL when nothing says */
    const char *handler_why;       /* where it was said ("--handler", "its declaration") */
    const struct profile *profile; /* NULL: every runtime (matrix_arch: of one arch) */
    const char *matrix_arch;       /* without a target, only this architecture; NULL: all */
    char *error;                   /* it cannot be checked: why */
    char *skipped;                 /* it is not checked: why */
};

struct jobs {
    struct job *v;
    size_t nr, alloc;
    size_t total;              /* before --shard */
    struct strvec listed;      /* --files-from's names */
    struct target_set targets; /* the declaration's functions */
};

/** The jobs of this run; a usage error (bad --shard, an unknown --runtime) is -1. */
int jobs_build(struct jobs *out, const struct options *o, const struct options *cli,
               const struct datadir *dd, struct diag *d);

/** Whether any job has a target (the gate applies only to those). */
bool jobs_any_target(const struct jobs *js);

/** "K/N" into k (1-based) and n; -1 with d set when malformed. */
int jobs_parse_shard(const char *spec, size_t *k, size_t *n, struct diag *d);

void jobs_release(struct jobs *js);

#endif
