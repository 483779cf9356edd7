/* SPDX-License-Identifier: MIT */
/*
 * Everything the tool knows, loaded from the rules directory: the rule
 * catalogue, the runtime profiles, the OS library lists, the Stable ABI table,
 * what each CPython exports and the deployment limits. Found next to the binary (installed or build tree),
 * or given. That every catalogue row has a check is the registry's to verify
 * (checks_verify(), called by the tool once the data is loaded).
 *
 * What a run may not need (the profiles and OS lists of runtimes it does not check, the
 * Stable ABI table, the CPython exports, the library providers) is loaded when first asked for, when the data is
 * trusted; the getters are safe to call from several threads.
 *
 * Ownership: struct datadir owns all of it; datadir_release() frees it.
 * Profiles point at their OS data once datadir_os() has loaded it (borrowed from the
 * same datadir).
 */
#ifndef ANALYZER_DATADIR_H
#define ANALYZER_DATADIR_H

#include "diag.h"
#include "lambda_limits.h"
#include "osdata.h"
#include "profile.h"
#include "providers.h"
#include "pyexports.h"
#include "pypinames.h"
#include "rules.h"
#include "stableabi.h"
#include "pystdlib.h"

struct datadir_lazy;

struct datadir {
    char *dir; /* where it was read from (the configuration's schema is there too) */
    struct ruleset rules;
    struct profiles profiles; /* every profile, once datadir_profiles() was called: read it
                               * through that */
    struct lambda_limits limits;
    struct pypi_names pypi_names;
    struct datadir_lazy *lazy; /* the parts loaded on first use */
};

/**
 * Load the data from dir; NULL dir means: $ABISCAN_RULES, else next to the
 * binary (<bindir>/../share/abiscan/rules installed, <bindir>/rules in the build tree).
 * The data shipped next to the binary is trusted (it was validated against its schemas
 * when it was built and tested: a run only parses it); any other directory is validated
 * file by file, and its patterns compiled, when loaded.
 */
int datadir_load(struct datadir *out, const char *dir, struct diag *d);

/** Every runtime profile, sorted (runtime, then x86_64 first). */
const struct profiles *datadir_profiles(const struct datadir *dd);

/** The profile of runtime on arch, or NULL. Trusted data reads that one file alone, unless
 * every profile is loaded already. */
const struct profile *datadir_profile(const struct datadir *dd, const char *runtime,
                                      const char *arch);

/** The OS library list of p's OS; sets p->os too. */
const struct osdata *datadir_os(const struct datadir *dd, const struct profile *p);

/** The Stable ABI table. */
const struct stable_abi *datadir_stable_abi(const struct datadir *dd);

/** What each CPython minor version exports (rules/python_exports.json). */
const struct py_exports *datadir_py_exports(const struct datadir *dd);

/** The library providers. */
const struct providers *datadir_providers(const struct datadir *dd);

/** The standard library of each Python, the removed modules, the runtime's own. */
const struct stdlib *datadir_stdlib(const struct datadir *dd);

void datadir_release(struct datadir *dd);

#endif
