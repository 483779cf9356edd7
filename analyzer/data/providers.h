/* SPDX-License-Identifier: MIT */
/*
 * Where a library the target OS lacks usually comes from, and how a bundle gets it
 * (rules/providers.json): one row per soname pattern, the same for every OS. Which OS
 * ships what is the OS lists' to say (rules/os/, osdata.h); a hint never says it.
 *
 * Ownership: struct providers owns its rows, strings and compiled patterns;
 * providers_release() frees them (a zeroed struct is valid). providers_find() returns a
 * row borrowed from the struct.
 */
#ifndef ANALYZER_PROVIDERS_H
#define ANALYZER_PROVIDERS_H

#include <stddef.h>

#include "diag.h"

struct datasrc;

struct regexp;

struct provider {
    char *pattern; /* PCRE2, anchored */
    struct regexp *re;
    char *package; /* "ZeroMQ (RHEL zeromq, Debian libzmq5)" */
    char *hint;    /* words: a fix's note template ({pip_platform} ...), never a command */
};

struct providers {
    struct provider *v;
    size_t nr;
};

/** Load rules_dir/providers.json, validated against rules_dir/schema/providers.schema.json. */
int providers_load(struct providers *out, const struct datasrc *src, struct diag *d);

/** The first row whose pattern matches soname, or NULL. */
const struct provider *providers_find(const struct providers *ps, const char *soname);

void providers_release(struct providers *ps);

#endif
