/* SPDX-License-Identifier: MIT */
/*
 * Everything the tool knows, loaded from the rules directory: the rule
 * catalogue, the runtime profiles, the OS library lists and the Stable ABI
 * table. Found next to the binary (installed or build tree), or given.
 *
 * Ownership: struct datadir owns all of it; datadir_release() frees it.
 * Profiles point at their OS data (borrowed from the same datadir).
 */
#ifndef ANALYZER_DATADIR_H
#define ANALYZER_DATADIR_H

#include "diag.h"
#include "osdata.h"
#include "profile.h"
#include "rules.h"
#include "stableabi.h"

struct datadir {
    struct ruleset rules;
    struct profiles profiles;
    struct osdatas os;
    struct stable_abi stable_abi;
};

/**
 * Load the data from dir; NULL dir means: $ABISCAN_RULES, else next to the
 * binary (<bindir>/../share/abiscan/rules installed, <bindir>/rules in the build tree).
 */
int datadir_load(struct datadir *out, const char *dir, struct diag *d);

void datadir_release(struct datadir *dd);

#endif
