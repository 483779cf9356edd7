/* SPDX-License-Identifier: MIT */
/*
 * The standard library of each Python (rules/stdlib.json, tools/gen_stdlib.py): its top-level
 * module names by version, the modules a release removed with what replaces them, and the
 * modules every runtime provides beside it (boto3 and its dependencies).
 *
 * Ownership: struct stdlib owns its versions, rows and strings; stdlib_release() frees them
 * (a zeroed struct is valid). The lookups return rows borrowed from it.
 */
#ifndef ANALYZER_PYSTDLIB_H
#define ANALYZER_PYSTDLIB_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "strvec.h"

struct datasrc;

struct stdlib_version {
    int major, minor;
    struct strvec modules; /* sorted (strcmp) */
};

struct stdlib_removed {
    char *module;
    int major, minor; /* the release that removed it */
    char *backport;   /* a PyPI distribution that installs it under its name, or NULL */
    char *instead;    /* what code uses in its place, or NULL */
};

struct stdlib {
    struct stdlib_version *v;
    size_t nr;
    struct stdlib_removed *removed;
    size_t removed_nr;
    struct strvec provided; /* sorted */
};

/** Load rules_dir/stdlib.json (validated against its schema when the data is not trusted). */
int stdlib_load(struct stdlib *out, const struct datasrc *src, struct diag *d);

/** Whether Python major.minor's standard library has the top-level module name; false for
 * a version the data does not know. */
bool stdlib_has(const struct stdlib *s, int major, int minor, const char *name);

/** Whether the version is in the data. */
bool stdlib_knows(const struct stdlib *s, int major, int minor);

/** The row of a top-level module that Python major.minor no longer has, or NULL. */
const struct stdlib_removed *stdlib_removed_in(const struct stdlib *s, int major, int minor,
                                               const char *name);

/** Whether every runtime provides the top-level module name (boto3, ...). */
bool stdlib_provided(const struct stdlib *s, const char *name);

void stdlib_release(struct stdlib *s);

#endif
