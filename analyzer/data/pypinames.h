/* SPDX-License-Identifier: MIT */
/*
 * Distributions whose Linux wheels are published under another name (rules/pypi_names.json):
 * psycopg2's are psycopg2-binary. A fix that reinstalls from wheels names the one pip finds.
 *
 * Ownership: struct pypi_names owns its rows; pypi_names_release() frees them (a zeroed
 * struct is valid). pypi_names_find() returns a row borrowed from it.
 */
#ifndef ANALYZER_PYPINAMES_H
#define ANALYZER_PYPINAMES_H

#include <stddef.h>

#include "diag.h"

struct datasrc;

struct pypi_name {
    char *name; /* as the metadata spells it */
    char *use;  /* what to give pip; NULL: no name has Linux wheels (build it) */
    char *why;
};

struct pypi_names {
    struct pypi_name *v;
    size_t nr;
};

/** Load rules_dir/pypi_names.json, validated against its schema. */
int pypi_names_load(struct pypi_names *out, const struct datasrc *src, struct diag *d);

/** The row for a distribution name (PEP 503 normalised comparison), or NULL. */
const struct pypi_name *pypi_names_find(const struct pypi_names *pn, const char *name);

void pypi_names_release(struct pypi_names *pn);

#endif
