/* SPDX-License-Identifier: MIT */
/*
 * Command line: one option table from which getopt_long's array and the
 * help text are both derived (libgit2 cli_opt_spec + getopt_long).
 *
 * Ownership: struct options borrows its strings from argv, except its strvecs
 * (inputs, layers, reports), which it owns (options_release()).
 */
#ifndef ANALYZER_OPTIONS_H
#define ANALYZER_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "finding.h"
#include "strvec.h"

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };
/* What the bundles are: guessed from their content, or said with --role. */
enum role_as { ROLE_AS_GUESS, ROLE_AS_FUNCTION, ROLE_AS_LAYER };

struct options {
    const char *runtime;   /* "python3.12", NULL when not given */
    const char *arch;      /* "x86_64" | "arm64" (aliases normalised) */
    bool arch_given;       /* --arch was given (the matrix then keeps to it) */
    const char *format;    /* "text" | "json" */
    const char *output;    /* NULL: stdout */
    const char *rules_dir; /* NULL: found next to the binary */
    enum severity fail_on;
    enum color_mode color;
    enum role_as role;
    const char *handler;   /* --handler MODULE.FUNCTION, or the configuration's handler */
    const char *installer; /* --installer, or the configuration's; NULL: found beside the bundle */
    const char *platform; /* --platform OS/ARCH: the image of an index to check; NULL: the arch's */
    bool list_runtimes;
    int verbose;
    uint64_t max_member_size;
    size_t max_entries;
    unsigned max_depth;
    unsigned jobs; /* --jobs; 0: the processors this process may run on */
    struct strvec inputs;
    struct strvec layers; /* --layer, in configuration order */
    /* The CI gate: reports, configuration, suppressions, baseline, the catalogue. */
    struct strvec reports;      /* --report FORMAT=FILE, as given */
    bool fail_on_given;         /* --fail-on was given (it then wins over the configuration) */
    const char *config;         /* --config FILE; NULL: .abiscan.yaml found upwards */
    bool no_config;             /* --no-config */
    bool no_suppress;           /* --no-suppress: the configuration's suppressions ignored */
    const char *baseline;       /* --baseline FILE */
    const char *write_baseline; /* --write-baseline FILE */
    const char *path_base;      /* --path-base DIR: SARIF and annotations place paths from it */
    bool list_rules;            /* --list-rules */
    const char *explain;        /* --explain RULE (id or slug) */
    /* Audits: many bundles, targets where they are declared, slices. */
    const char *files_from;    /* --files-from FILE ("-": stdin) */
    bool null_list;            /* -0: the --files-from list is NUL-separated */
    const char *lambda_config; /* --lambda-config FILE */
    const char *code_dir;      /* --code-dir DIR */
    const char *template_path; /* --template PATH */
    const char *shard;         /* --shard K/N, as given (jobs.c reads it) */
    bool quiet;                /* -q: no progress line */
    /* Size: the limits, the plan to fit them, where the bytes go. */
    bool size; /* --size: the size plan of every bundle */
};

enum cli_result { CLI_OK, CLI_HELP, CLI_VERSION, CLI_USAGE_ERROR };

/** An architecture as Lambda names it ("x86_64", "arm64") for any of its spellings (amd64,
 * aarch64), or NULL. */
const char *options_arch_name(const char *arch);

/** Fill o from argv. CLI_USAGE_ERROR comes with d set. */
enum cli_result options_parse(struct options *o, int argc, char **argv, struct diag *d);

/**
 * The help screen, generated from the option table, with the exit-status contract.
 * formats lists the output formats (the report's emitter table).
 */
void options_print_help(FILE *out, const char *formats);

/**
 * The manual's OPTIONS section (mdoc), generated from the same table: what
 * tools/gen_man.py writes into doc/abiscan.1.
 */
void options_print_man(FILE *out, const char *formats);

void options_release(struct options *o);

#endif
