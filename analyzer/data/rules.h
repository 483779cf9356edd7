/* SPDX-License-Identifier: MIT */
/*
 * The rule catalogue (rules/catalog.json): id, slug, default severity, title,
 * help, and the templates for the Lambda error line and the fix.
 *
 * Ownership: struct ruleset owns its rules and their strings;
 * rules_release() frees them (a zeroed struct is valid). Pointers from
 * rules_find() are borrowed and live as long as the ruleset.
 */
#ifndef ANALYZER_RULES_H
#define ANALYZER_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "severity.h"

struct datasrc;

/* A fix as data: the command a POSIX shell runs as it is (one line: each {var} it
 * substitutes is quoted as one word, check_render_command), and the words around it. */
struct rule_fix {
    char *command; /* template with {vars}, or NULL: a fix that is only words */
    char *note;    /* template with {vars}, or NULL */
};

struct rule {
    char *id;   /* "ABI001": stable, never reused */
    char *slug; /* "python-tag-mismatch": part of the JSON contract */
    enum severity severity;
    char *title;
    char *help;
    char *summary;       /* one line (Markdown): the README's table, SARIF's fullDescription */
    char *lambda_error;  /* template with {vars}, or NULL */
    struct rule_fix fix; /* "fix": templates, either NULL */
    /* For a program of the bundle (an executable, not a module) when the fix installs a
     * wheel ({pip_install}), which holds no such program: the rule's own "fix_program",
     * else the catalogue's. */
    struct rule_fix fix_program;
    /* What a finding of the rule means beyond its own words (catalogue columns). */
    bool blocks_deploy;        /* "blocks": "deploy": Lambda refuses the function (the
                                * matrix's deploys column), not its import */
    bool fingerprint_expected; /* "fingerprint": "expected": the stable fact is the limit or
                                * date crossed, not the measurement found */
    bool size_plan;            /* "size_plan": the report carries the size plan */
    bool not_analysed;         /* "not_analysed": a member abiscan could not read (SARIF: a
                                * tool execution notification too) */
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

/** The slugs a mistyped rule name meant ("glibc-to-new"), in words into buf, or NULL. */
const char *rules_suggest(const struct ruleset *rs, const char *name, char *buf, size_t n);

/**
 * The rule's example finding from rules_dir/examples.json (generated from the golden cases),
 * or NULL when it has none or the file cannot be read (d says why), and in *fix its fix as
 * that case printed it (fresh strings, either NULL). Caller frees.
 */
char *rules_example(const char *rules_dir, const struct rule *rule, struct rule_fix *fix,
                    struct diag *d);

void rules_release(struct ruleset *rs);

#endif
