/* SPDX-License-Identifier: MIT */
/*
 * Symbol versions an object needs that the runtime would not give it: the
 * family (GLIBC_, GLIBCXX_, CXXABI_, GCC_) above the OS's ceiling when the
 * loader picks the system library, or not defined by the bundled copy it picks.
 *
 * The library that must define a version is the one the loader model picks for the
 * object (loader.h): its own paths, or the load that maps it.
 *
 * Ownership: struct symver_need points into the member's elfinfo (borrowed).
 */
#ifndef ANALYZER_SYMVER_H
#define ANALYZER_SYMVER_H

#include <stddef.h>

#include "image.h"
#include "profile.h"

struct loader_model;

struct symver_family {
    const char *prefix;          /* "GLIBC_" */
    const char *ceiling;         /* "2.26" */
    const struct strvec *accept; /* other names of the family the runtime has, or NULL */
};

struct symver_need {
    const char *file;          /* "libc.so.6" */
    const char *version;       /* "GLIBC_2.28" */
    const struct member *copy; /* the bundled copy the loader picks, NULL for the system's */
    const struct member *sys;  /* a container image's own library the loader picks, or NULL */
};

/** The unmet needs of obj for one family, highest first; returns how many (at most max). */
size_t symver_unmet(const struct loader_model *lm, const struct member *obj,
                    const struct symver_family *fam, struct symver_need *out, size_t max);

/** The highest version of a family lib defines ("GLIBC_" -> "2.34"), or NULL. Caller frees. */
char *symver_highest(const struct member *lib, const char *prefix);

/**
 * The symbols obj binds to version (from .dynsym), joined as "fcntl64@GLIBC_2.28, ...",
 * at most max names and "and N more". Caller frees.
 */
char *symver_symbols(const struct member *obj, const char *version, size_t max);

#endif
