/* SPDX-License-Identifier: MIT */
/*
 * What a package.json in node_modules says that decides which native code Node.js loads:
 * the package's name, the platforms npm installs it on (its "os", "cpu" and "libc" fields,
 * docs.npmjs.com package-json), and the optional dependencies a package with platform
 * builds lists (sharp's @img/sharp-linux-x64, ...). doc/sources.md#nodejs-addons.
 *
 * Ownership: struct npm_package owns its strings; npmpkg_release() frees them (a zeroed
 * struct is valid).
 */
#ifndef ANALYZER_NPMPKG_H
#define ANALYZER_NPMPKG_H

#include <stdbool.h>
#include <stddef.h>

#include "strvec.h"

/* The most of a package.json read: larger is not a package's manifest. */
#define NPMPKG_MAX (1u << 20)

struct npm_package {
    char *name;    /* "sharp", "@img/sharp-linux-x64"; NULL when it has none */
    char *version; /* or NULL */
    /* npm's platform fields as written: "linux", "!win32"; empty: any. */
    struct strvec os, cpu, libc;
    struct strvec optional; /* the names of its optionalDependencies, in order */
    struct strvec dev;      /* the names of its devDependencies (the function's own
                             * package.json: what the code is built with, not run with) */
    bool broken;            /* not a JSON object: nothing above is known */
};

/** Read a package.json's text (len bytes, not NUL-terminated) into out. */
void npmpkg_read(struct npm_package *out, const char *text, size_t len);

/**
 * Whether npm installs a package with these platform fields on Linux for cpu ("x64",
 * "arm64") and libc ("glibc"): every field empty, or naming the value, or excluding others
 * only ("!win32"). When it does not, *why says which field rules it out ("os darwin").
 */
bool npmpkg_fits(const struct npm_package *p, const char *cpu, const char *libc, char *why,
                 size_t n);

void npmpkg_release(struct npm_package *p);

#endif
