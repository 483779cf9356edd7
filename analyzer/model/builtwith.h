/* SPDX-License-Identifier: MIT */
/*
 * How a bundle was built, as what it holds says: the CPython its extension modules were
 * built for (their file-name tags), the newest glibc its objects need (their GLIBC_ version
 * needs), who compiled them (.comment: the distribution's GCC, a manylinux image's Red Hat
 * devtoolset, clang, rustc), and where its native distributions came from (WHEEL tags: a
 * manylinux or musllinux wheel, a wheel built on the machine, or no wheel at all). Plain
 * data the emitters print at the top of an input's report.
 *
 * Ownership: struct built_with owns its arrays and strings; built_with_release() frees them
 * (a zeroed struct is valid).
 */
#ifndef ANALYZER_BUILTWITH_H
#define ANALYZER_BUILTWITH_H

#include <stdbool.h>
#include <stddef.h>

struct image; /* facts/image.h: the emitters that read this see no image */

struct built_python {
    int major, minor; /* 0.0: the stable ABI (abi3) */
    size_t modules;   /* extension modules with that tag */
};

struct built_tool {
    char *comment; /* a .comment string, as the object holds it */
    size_t objects;
};

/* Where the distributions that hold ELF objects came from. */
struct built_origins {
    size_t manylinux;  /* a WHEEL tag manylinux* */
    size_t musllinux;  /* musllinux* */
    size_t local;      /* linux_*: a wheel built on the machine that made the bundle */
    size_t other;      /* another platform's wheel (macosx, win) */
    size_t not_wheels; /* no WHEEL file: a package manager's or a setup.py install */
};

struct built_with {
    struct built_python *pythons; /* most modules first */
    size_t pythons_nr;
    char *glibc; /* "2.34": the newest GLIBC_ version an object needs; NULL: none needs one */
    struct built_tool *tools; /* most objects first, at most BUILT_WITH_TOOLS */
    size_t tools_nr;
    struct built_origins origins;
    size_t elf_objects;
};

#define BUILT_WITH_TOOLS 3

/** What the members of view (a function with its layers, or a layer alone) say of their
 * build. */
void built_with_read(struct built_with *out, const struct image *img, size_t view);

/** Whether there is anything to say (an ELF object, a tagged module). */
bool built_with_any(const struct built_with *b);

/** One line: "built for CPython 3.11 (180 modules); needs glibc 2.34 or newer; compiled by
 * GCC: (Debian 12.2.0-14) 12.2.0 (290 objects); native distributions: 20 not from wheels".
 * The caller frees it. */
char *built_with_words(const struct built_with *b);

void built_with_release(struct built_with *b);

#endif
