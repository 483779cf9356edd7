/* SPDX-License-Identifier: MIT */
/*
 * Lambda's deployment limits (rules/limits.json, doc/sources.md#limits): the bytes and
 * counts a deployment may not pass, and what Lambda answers when one is passed.
 *
 * Ownership: struct lambda_limits owns its strings; lambda_limits_release() frees them (a zeroed
 * struct is valid).
 */
#ifndef ANALYZER_LAMBDA_LIMITS_H
#define ANALYZER_LAMBDA_LIMITS_H

#include <stdint.h>

#include "diag.h"
#include "strvec.h"

struct datasrc;

struct limit {
    uint64_t value;
    char *lambda_error; /* what Lambda answers past it */
};

/* Distributions some runtimes already provide (the SDK and its dependencies). */
struct runtime_packages {
    struct strvec runtimes; /* "python3.12" */
    struct strvec packages; /* normalised distribution names: "python-dateutil" */
};

struct lambda_limits {
    struct limit zipped;   /* one zip uploaded directly */
    struct limit unzipped; /* the function and all its layers, unzipped */
    struct limit layers;   /* layers of one function */
    struct limit image;    /* a container image's layers, uncompressed */
    unsigned warn_percent; /* a warning from this share of a limit */
    struct runtime_packages *provided;
    size_t provided_nr;
};

/** Load rules_dir/limits.json, validated against rules_dir/schema/limits.schema.json. */
int lambda_limits_load(struct lambda_limits *out, const struct datasrc *src, struct diag *d);

/**
 * The distributions runtime ("python3.12") provides, normalised; with runtime NULL, those
 * every runtime listed provides (the first list's, when it is the only one). NULL: none.
 */
const struct strvec *lambda_runtime_packages(const struct lambda_limits *l, const char *runtime);

void lambda_limits_release(struct lambda_limits *l);

#endif
