/* SPDX-License-Identifier: MIT */
/*
 * Everything the tool knows, loaded from the rules directory: the rule
 * catalogue, the runtime profiles, the OS library lists, the Stable ABI table
 * and the deployment limits. Found next to the binary (installed or build tree),
 * or given. That every catalogue row has a check is the registry's to verify
 * (checks_verify(), called by the tool once the data is loaded).
 *
 * Ownership: struct datadir owns all of it; datadir_release() frees it.
 * Profiles point at their OS data (borrowed from the same datadir).
 */
#ifndef ANALYZER_DATADIR_H
#define ANALYZER_DATADIR_H

#include "diag.h"
#include "lambda_limits.h"
#include "osdata.h"
#include "profile.h"
#include "providers.h"
#include "pypinames.h"
#include "rules.h"
#include "stableabi.h"

struct datadir {
    char *dir; /* where it was read from (the configuration's schema is there too) */
    struct ruleset rules;
    struct profiles profiles;
    struct osdatas os;
    struct stable_abi stable_abi;
    struct lambda_limits limits;
    struct providers providers;
    struct pypi_names pypi_names;
};

/**
 * Load the data from dir; NULL dir means: $ABISCAN_RULES, else next to the
 * binary (<bindir>/../share/abiscan/rules installed, <bindir>/rules in the build tree).
 */
int datadir_load(struct datadir *out, const char *dir, struct diag *d);

void datadir_release(struct datadir *dd);

#endif
