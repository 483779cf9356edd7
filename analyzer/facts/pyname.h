/* SPDX-License-Identifier: MIT */
/*
 * The extension-module file-name grammar: what a file name says about the
 * interpreter that would import it (PEP 3149, PEP 384,
 * doc/sources.md#extension-suffixes-and-bytecode).
 *
 * Ownership: struct pyname holds the compiled pcre2 pattern; create it once
 * with pyname_new() and free it with pyname_free(). A parsed struct pyext_name
 * owns its strings (all set for a module name, all NULL otherwise); free them
 * with pyext_name_release(). pyname_parse() is safe to call from several
 * threads on one struct pyname.
 */
#ifndef ANALYZER_PYNAME_H
#define ANALYZER_PYNAME_H

#include <stdbool.h>

#include "diag.h"

enum pyext_kind {
    PYEXT_NONE = 0,   /* not named like an extension module */
    PYEXT_CPYTHON,    /* mod.cpython-XY[dmut]*[-platform].so */
    PYEXT_ABI3,       /* mod.abi3.so: the stable ABI, any CPython 3 */
    PYEXT_UNTAGGED,   /* mod.so: every CPython tries it; Python 2 also tries modmodule.so */
    PYEXT_PYPY,       /* mod.pypy39-pp73-x86_64-linux-gnu.so, mod.pypy-41.so */
    PYEXT_OTHER_IMPL, /* another implementation's tag, e.g. mod.graalpy-38-native-x86_64-linux.so */
    PYEXT_WINDOWS,    /* mod.pyd, mod.cp311-win_amd64.pyd */
};

struct pyext_name {
    enum pyext_kind kind;
    char *module;       /* the part before the first dot */
    char *suffix;       /* from the first dot: ".cpython-35m-x86_64-linux-gnu.so" */
    int major, minor;   /* language version in the tag, 0 when none */
    char abiflags[8];   /* "m", "d", "dm", "t", "" */
    char *platform;     /* "x86_64-linux-gnu", "darwin", "win_amd64", "" */
    bool module_suffix; /* untagged name ending in "module.so" (Python 2 form) */
};

struct pyname;

/** Compile the grammar. Returns NULL and fills d if the pattern does not compile (a bug). */
struct pyname *pyname_new(struct diag *d);
void pyname_free(struct pyname *g);

/**
 * Parse a base name (no directory) into out (which is overwritten, not released).
 * Returns out->kind; PYEXT_NONE (with out zeroed) when the name is not an
 * extension-module name.
 */
enum pyext_kind pyname_parse(const struct pyname *g, const char *basename, struct pyext_name *out);

/** Free a parsed name's strings and zero it (a zeroed struct is accepted). */
void pyext_name_release(struct pyext_name *x);

/** "cpython", "abi3", ... for messages and JSON. */
const char *pyname_kind_name(enum pyext_kind kind);

#endif
