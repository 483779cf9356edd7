/* SPDX-License-Identifier: MIT */
/*
 * The catalogue for people: --list-rules (a table, or JSON with --format json) and
 * --explain RULE (what it means, an example from rules/examples.json, what Lambda logs,
 * how to fix it).
 *
 * Ownership: nothing is kept; the data is borrowed for the call.
 */
#ifndef ANALYZER_EXPLAIN_H
#define ANALYZER_EXPLAIN_H

#include <stdbool.h>
#include <stdio.h>

#include "datadir.h"
#include "diag.h"

/** The rule table; json: {"rules": [{id, slug, severity, title, summary}]}. */
int explain_list(FILE *out, const struct datadir *dd, bool json, struct diag *d);

/** One rule, by id or slug (case-insensitive); -1 with d naming it when unknown. */
int explain_rule(FILE *out, const struct datadir *dd, const char *name, struct diag *d);

#endif
