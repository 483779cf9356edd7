/* SPDX-License-Identifier: MIT */
/*
 * The fixes for a Node.js addon, written to work when pasted (doc/sources.md#nodejs-addons):
 * a package that ships builds per platform is installed again for Linux on the runtime's
 * architecture with glibc (`npm install --os=linux --cpu=x64 --libc=glibc sharp`); one built
 * from source is rebuilt in the runtime's build image (`npm rebuild`).
 *
 * Ownership: returned strings are fresh; the caller frees them.
 */
#ifndef ANALYZER_ADVICE_NODE_H
#define ANALYZER_ADVICE_NODE_H

#include "check.h"

/** The npm package a path is in ("sharp", "@img/sharp-linux-x64"), into buf; NULL when it
 * is in none (the function's own code). */
const char *advice_npm_package(const char *path, char *buf, size_t n);

/** The package whose optionalDependencies list name (sharp for @img/sharp-linux-x64), or
 * NULL. */
const char *advice_npm_parent(const struct image *img, const char *name);

/** npm install for the runtime's platform of the package (its parent, for a platform
 * package). */
char *advice_npm_install(const struct profile *p, const char *package);

/** `npm rebuild` of the package (all of node_modules for NULL) in the runtime's build image;
 * *note: what it does, fresh. NULL when the name cannot be one shell word. */
char *advice_npm_rebuild(const struct profile *p, const char *package, char **note);

/**
 * The command that gives the runtime a working build of m's package: the platform's
 * install for a platform package (its parent's, when a package lists it), else `npm
 * rebuild` in the runtime's build image (node-gyp-build builds from source when no prebuild
 * fits). NULL when a name cannot be one shell word; *note: what it does, fresh.
 */
char *advice_npm(const struct check_ctx *ctx, const struct member *m, char **note);

#endif
