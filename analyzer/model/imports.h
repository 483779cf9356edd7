/* SPDX-License-Identifier: MIT */
/*
 * How Python imports each extension module of an image on one runtime: which file of a
 * module it opens, which it never opens, and what happens when a module cannot load.
 *
 * importlib's FileFinder tries, in each directory, a package directory M/ with an
 * __init__, then M with each of the runtime's extension suffixes, then M.py, then M.pyc
 * (Lib/importlib/_bootstrap_external.py, Python/dynload_shlib.c). So a module file whose
 * suffix the runtime does not try is never opened: the import finds M.py beside it if
 * there is one, and runs the pure-Python implementation. A file the runtime does open and
 * that fails to load raises ImportError, which the package may catch and fall back on
 * (`try: from ._speedups import x` / `except ImportError:`, facts/pysource.h), or a
 * B_py.py twin of a B_cpp module that the package picks when B_cpp cannot load.
 *
 * On a Node.js runtime, an addon (*.node) is IMPORT_OPENED when Node.js loads it and
 * IMPORT_SKIPPED when it never does (addons.h); no Python module is opened there.
 *
 * Ownership: the model borrows the image and the profile; imports_free() frees it.
 */
#ifndef ANALYZER_IMPORTS_H
#define ANALYZER_IMPORTS_H

#include <stdbool.h>

#include "image.h"
#include "profile.h"

enum import_fate {
    IMPORT_NOT_MODULE, /* not an extension module below a sys.path entry of the runtime */
    IMPORT_OPENED,     /* Python dlopen()s this file when the module is imported */
    IMPORT_SHADOWED,   /* a build of the module in the same directory that the runtime
                        * does open is imported instead */
    IMPORT_SKIPPED,    /* none of the runtime's suffixes: Python never opens this file */
};

enum import_fallback {
    FALLBACK_NONE,
    FALLBACK_SOURCE, /* M.py or M/__init__.py beside it: what a skipped file leaves to import */
    FALLBACK_GUARD,  /* every chain of imports that leads to it passes a guard that catches
                      * the ImportError */
    FALLBACK_TWIN,   /* B_py.py beside B_cpp (or _c, _cy, _ext): the package's Python twin */
    FALLBACK_HELPER, /* a mypyc helper (X__mypyc) whose every compiled module falls back */
};

struct import_info {
    enum import_fate fate;
    enum import_fallback fallback;
    const struct member *by;  /* the source file that falls back (M.py, the guard, the twin) */
    const struct member *via; /* a guard up the chain: the source that imports the module
                               * (yaml/cyaml.py, whose own import yaml/__init__.py guards) */
};

struct imports;

struct imports *imports_new(const struct image *img, const struct profile *p);
void imports_free(struct imports *im);

/** m's fate and fallback; IMPORT_NOT_MODULE for anything not an extension module. */
const struct import_info *imports_of(const struct imports *im, const struct member *m);

/** Whether a failure of m to import is caught: the function goes on, in pure Python. A
 * skipped file is caught by any fallback; a file Python opens, only by a guard or a twin. */
bool imports_caught(const struct imports *im, const struct member *m);

/**
 * Whether the first cause of a skipped module is its content, not its name, in the one order
 * of causes: an ELF object for another machine, class or byte order (arch-mismatch says it,
 * whatever its CPython tag: rebuilt for the right Python on the same machine, it would still
 * fail), then a musl build (the tag says musl; musl-linked says it), then the CPython tag
 * (python-tag-mismatch, which stays silent when this holds).
 */
bool imports_content_is_cause(const struct profile *p, const struct member *m);

/** On a Node.js runtime: whether m is an addon Node.js never loads, or a file of a package
 * for another platform (addons.h), which nothing loads. */
bool imports_unloaded(const struct imports *im, const struct member *m);

/** "md.py", "the guarded import in fuzz.py", ...: how a fallback reads in a message. */
const char *imports_fallback_words(const struct import_info *info, char *buf, size_t n);

#endif
