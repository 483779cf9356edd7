/* SPDX-License-Identifier: MIT */
/*
 * A file written whole or not at all: the bytes go to a temporary name in the same
 * directory (so that rename(2) is atomic), which replaces the target only once
 * everything is written and flushed. A report that a CI step reads is then never
 * half-written, and never yesterday's looking like today's.
 *
 * Ownership: struct atomicfile owns its FILE and its temporary name until
 * atomicfile_commit() or atomicfile_abort(), one of which must be called.
 */
#ifndef ANALYZER_ATOMICFILE_H
#define ANALYZER_ATOMICFILE_H

#include <stdio.h>

#include "diag.h"

struct atomicfile {
    FILE *f;    /* write here */
    char *path; /* the target */
    char *tmp;  /* the temporary name beside it */
};

/** Create the temporary file beside path. */
int atomicfile_open(struct atomicfile *af, const char *path, struct diag *d);

/** Flush, close and rename over the target. On failure the target is untouched. */
int atomicfile_commit(struct atomicfile *af, struct diag *d);

/** Close and remove the temporary file; the target is untouched. Accepts a zeroed struct. */
void atomicfile_abort(struct atomicfile *af);

/** Remove path if it is a regular file (a stale report of an earlier run). */
void atomicfile_remove_stale(const char *path);

#endif
