/* SPDX-License-Identifier: MIT */
/*
 * What each runtime OS ships (rules/os/ID.json): which sonames the loader finds
 * there (present, absent, or unconfirmed). Data, with sources, from
 * doc/sources.md#libraries-per-os. Where a missing library comes from is providers.h's.
 *
 * Ownership: struct osdatas owns every row, string and compiled pattern;
 * osdatas_release() frees them (a zeroed struct is valid). Pointers returned by
 * the lookups are borrowed and live as long as the struct osdatas.
 */
#ifndef ANALYZER_OSDATA_H
#define ANALYZER_OSDATA_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "strmap.h"

struct datasrc;

struct regexp;

enum lib_status { LIB_PRESENT, LIB_ABSENT, LIB_UNKNOWN };

struct oslib {
    char *soname;  /* exact name, or NULL when the row is a pattern */
    char *pattern; /* PCRE2, anchored */
    struct regexp *re;
    enum lib_status status;
    char *family; /* "glibc", "toolchain", "system", "libpython", "musl" */
    char *source;
    char *confidence; /* NULL when confirmed; "inferred", "single-source", ... */
    char *says;       /* the unlisted row only: why an unnamed soname is what it is */
};

struct osdata {
    char *id;   /* "al2" */
    char *name; /* "Amazon Linux 2" */
    struct oslib *libs;
    size_t libs_nr;
    struct oslib unlisted;   /* what a soname no row names is (no soname, no pattern) */
    struct strmap by_soname; /* soname -> its row in libs */
};

struct osdatas {
    struct osdata *v;
    size_t nr;
};

/** Load rules_dir/os/NAME.json, each validated against rules_dir/schema/os.schema.json. */
int osdatas_load(struct osdatas *out, const struct datasrc *src, struct diag *d);
/** Load rules_dir/os/ID.json alone, appended to os. */
int osdatas_load_id(struct osdatas *os, const struct datasrc *src, const char *id, struct diag *d);

const struct osdata *osdatas_find(const struct osdatas *os, const char *id);
void osdatas_release(struct osdatas *os);

/** The row for a soname: exact rows first, then patterns, else the OS's unlisted row. */
const struct oslib *osdata_library(const struct osdata *os, const char *soname);

/** Whether l is a row of the list (not the unlisted row, not NULL). */
bool oslib_listed(const struct oslib *l);

#endif
