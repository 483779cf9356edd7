/* SPDX-License-Identifier: MIT */
/*
 * The rule catalogue (rules/catalog.json): id, slug, default severity, title,
 * help, and the templates for the Lambda error line and the remediation.
 *
 * Ownership: struct ruleset owns its rules and their strings;
 * rules_release() frees them (a zeroed struct is valid). Pointers from
 * rules_find() are borrowed and live as long as the ruleset.
 */
#ifndef ANALYZER_RULES_H
#define ANALYZER_RULES_H

#include <stddef.h>

#include "diag.h"

struct datasrc;
#include "severity.h"

struct rule {
    char *id;   /* "ABI001": stable, never reused */
    char *slug; /* "python-tag-mismatch": part of the JSON contract */
    enum severity severity;
    char *title;
    char *help;
    char *summary;      /* one line (Markdown): the README's table, SARIF's fullDescription */
    char *lambda_error; /* template with {vars}, or NULL */
    char *remediation;  /* template with {vars}, or NULL */
};

struct ruleset {
    struct rule *v;
    size_t nr;
};

/**
 * Load rules_dir/catalog.json, validated against
 * rules_dir/schema/catalog.schema.json. Ids and slugs must be unique.
 */
int rules_load(struct ruleset *out, const struct datasrc *src, struct diag *d);

/** The rule with this id, or NULL. */
const struct rule *rules_find(const struct ruleset *rs, const char *id);

/** The rule with this id or slug, case-insensitive ("abi006", "GLIBC-TOO-NEW"), or NULL. */
const struct rule *rules_find_name(const struct ruleset *rs, const char *name);

/**
 * The rule's example finding from rules_dir/examples.json (generated from the golden cases),
 * or NULL when it has none or the file cannot be read (d says why). Caller frees.
 */
char *rules_example(const char *rules_dir, const struct rule *rule, struct diag *d);

void rules_release(struct ruleset *rs);

#endif
