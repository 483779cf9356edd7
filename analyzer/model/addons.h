/* SPDX-License-Identifier: MIT */
/*
 * Which Node.js addons (*.node) a Node.js runtime loads (doc/sources.md#nodejs-addons).
 *
 * require() of a .node file dlopen()s it; which file a package requires is the package's
 * own choice, made by the conventions the ecosystem shares:
 *   - node-gyp-build (and its forks): the package's build/Release/ first, else the one
 *     prebuild of prebuilds/<platform>-<arch>/ whose tags (node, napi, abiN, glibc or musl,
 *     uvN, armvN) fit the running Node.js, the most specific winning;
 *   - platform packages: a package lists one package per platform in its
 *     optionalDependencies (sharp's @img/sharp-linux-x64), each restricted by its
 *     package.json's os, cpu and libc fields; npm installs the ones for the platform it runs
 *     on, and the package requires the one for the platform Node.js runs on.
 * So a prebuild for another platform, a musl prebuild beside a glibc one, and a platform
 * package for another platform are never opened: they are not checked. Any other .node file
 * is opened when required.
 *
 * Ownership: nothing is allocated beyond what each function says.
 */
#ifndef ANALYZER_ADDONS_H
#define ANALYZER_ADDONS_H

#include <stdbool.h>
#include <stddef.h>

#include "image.h"
#include "profile.h"

/* What a path below prebuilds/ says (node-gyp-build's parseTuple and parseTags). */
struct prebuild {
    size_t root_len; /* path[0, root_len) is the directory holding prebuilds/ ("" or "x/") */
    size_t dir_len;  /* path[0, dir_len) is prebuilds/<platform>-<arch>/ */
    char platform[16];
    char archs[32];   /* "x64", or "x64+arm64" */
    char runtime[16]; /* "node", "electron", "node-webkit", or "" */
    bool napi;
    long abi;        /* abiN, 0 for none */
    long uv, armv;   /* uvN, armvN, 0 for none */
    char libc[8];    /* "glibc", "musl" or "" */
    int specificity; /* how many tags it has */
};

/** Whether path is a .node file directly in prebuilds/<platform>-<arch>/; out its tags. */
bool addons_prebuild(const char *path, struct prebuild *out);

/** npm's and Node.js's name of the runtime's architecture: "x64", "arm64". */
const char *addons_cpu(const struct profile *p);

/**
 * Whether a package name is one of a platform's builds (it names a platform and an
 * architecture: @img/sharp-linux-x64, @rollup/rollup-linux-arm64-musl); if so, *fits says
 * whether it is the build for Linux on the runtime's architecture with glibc.
 */
bool addons_platform_name(const char *name, const struct profile *p, bool *fits);

struct strmap;

/** Index every package.json read in img by "<input>:<directory>" ("" at the top). */
void addons_index(const struct image *img, struct strmap *out);

/** The package.json member of the directory path[0, len) of input (no '/' at its end), or
 * NULL. */
const struct member *addons_package_at(const struct strmap *pkgs, size_t input, const char *path,
                                       size_t len);

/** The package.json member of the package holding m (the nearest one above it), or NULL. */
const struct member *addons_package_of(const struct strmap *pkgs, const struct member *m);

/* What the Node.js of a runtime makes of a member. */
enum addon_fate {
    ADDON_NONE = 0, /* not an addon, in no package for another platform */
    ADDON_OPENED,   /* an addon it loads when required */
    ADDON_UNOPENED, /* an addon it never loads (another platform's prebuild, one that loses
                     * to another) */
    ADDON_FOREIGN,  /* anything in a package for another platform (npm's os, cpu, libc) */
};

/**
 * For every member of img, what the Node.js of p makes of it (node-gyp-build's choice, the
 * packages' platform fields): fates[i] for img->members[i].
 */
void addons_decide(const struct image *img, const struct profile *p, enum addon_fate *fates);

#endif
