/* SPDX-License-Identifier: MIT */
/*
 * abiscan's commands (libgit2's src/cli/ shape): one cmd_*.c each, picked from the
 * options by the table in command.c. Every command gets the loaded and verified data
 * (catalogue, profiles, OS lists) and returns an exit status (enum abiscan_exit); on
 * ABISCAN_EXIT_TROUBLE, d says why.
 */
#ifndef ANALYZER_COMMAND_H
#define ANALYZER_COMMAND_H

#include "datadir.h"
#include "diag.h"
#include "options.h"

/** Pick the command the options ask for, load the data and run it. */
int command_run(const struct options *o, struct diag *d);

/** Check the bundles, templates or functions given (the default command). */
int cmd_check(const struct options *o, const struct datadir *dd, struct diag *d);

/** --explain RULE: one rule, by id or slug. */
int cmd_explain(const struct options *o, const struct datadir *dd, struct diag *d);

/** --list-rules: the rule table (JSON with --format json). */
int cmd_list_rules(const struct options *o, const struct datadir *dd, struct diag *d);

/** --list-runtimes: every runtime profile, with its ceilings and dates. */
int cmd_list_runtimes(const struct options *o, const struct datadir *dd, struct diag *d);

#endif
