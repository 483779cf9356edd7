/* SPDX-License-Identifier: MIT */
/*
 * The Stable ABI table (rules/stable_abi.json, derived from CPython's
 * Misc/stable_abi.toml by tools/gen_stable_abi.py): for each symbol of the
 * limited API, the Python version that added it.
 *
 * Ownership: struct stable_abi owns its strings; stableabi_release() frees them.
 */
#ifndef ANALYZER_STABLEABI_H
#define ANALYZER_STABLEABI_H

#include "diag.h"

struct datasrc;
#include "strvec.h"

struct stable_abi {
    struct strvec names; /* sorted */
    struct strvec added; /* parallel to names: "3.2" ... */
};

int stableabi_load(struct stable_abi *out, const struct datasrc *src, struct diag *d);

/** The version that added sym to the Stable ABI, or NULL when it is not in it. */
const char *stableabi_added(const struct stable_abi *t, const char *sym);

void stableabi_release(struct stable_abi *t);

#endif
