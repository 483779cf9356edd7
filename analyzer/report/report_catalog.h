/* SPDX-License-Identifier: MIT */
/*
 * The rule catalogue rendered for people: --list-rules' table (or its JSON) and
 * --explain's page for one rule. Nothing here reads a file: the caller finds the rule and
 * its example.
 */
#ifndef ANALYZER_REPORT_CATALOG_H
#define ANALYZER_REPORT_CATALOG_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "rules.h"

/** The rule table; json: {"rules": [{id, slug, severity, title, summary}]}. */
int report_catalog_list(FILE *out, const struct ruleset *rs, bool json, struct diag *d);

/** One rule: what it means, its example (may be NULL), what Lambda logs, how to fix it: the
 * example's fix as abiscan printed it (fix: either part NULL), else the catalogue's words. */
int report_catalog_rule(FILE *out, const struct rule *rule, const char *example,
                        const struct rule_fix *fix, struct diag *d);

#endif
