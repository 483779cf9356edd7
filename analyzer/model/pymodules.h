/* SPDX-License-Identifier: MIT */
/*
 * Where Python finds a module by name in one function's filesystem (doc/sources.md#the-handler):
 * the function's sys.path (/var/task, the layers' /opt/python/lib/python3.X/site-packages and
 * /opt/python), then the runtime's standard library and the packages it brings (boto3 ...).
 * In each directory, importlib's order: a package directory with __init__, the extension
 * suffixes, M.py, a sourceless M.pyc of the runtime's magic; a directory without __init__
 * is a namespace portion (Python 3), taken when nothing else is found. A submodule is
 * looked for in its package's directories only.
 *
 * And the handler's import chain: from the handler's module, every module-level import
 * that is not guarded (facts/pysource.h), through the bundle's own modules, to a module
 * that is nowhere (module-not-found) or one the runtime's standard library removed.
 *
 * Ownership: the resolver borrows the image, profile and standard library; its results are
 * its own until pymodules_free(). The chain is the caller's (pychain_release()).
 */
#ifndef ANALYZER_PYMODULES_H
#define ANALYZER_PYMODULES_H

#include <stdbool.h>

#include "image.h"
#include "profile.h"
#include "pystdlib.h"

enum pymod_where {
    PYMOD_MISSING,
    PYMOD_BUNDLE,    /* a file of the bundle: m */
    PYMOD_NAMESPACE, /* directories of the bundle without __init__ (PEP 420) */
    PYMOD_STDLIB,    /* the runtime's standard library */
    PYMOD_PROVIDED,  /* a package the runtime brings (boto3 ...) */
    PYMOD_HOOKED,    /* below a module of the bundle that installs an import hook or
                      * extends its __path__ (six.moves, setuptools.extern): not known */
};

struct pymod {
    enum pymod_where where;
    const struct member *m; /* BUNDLE: the file Python opens (pkg/__init__.py for a package) */
    bool package;           /* its submodules are looked for in dirs */
    struct strvec dirs;     /* a package's directories (absolute) */
    char *error;            /* MISSING: Python's words ("No module named 'a.b'") */
};

struct pymodules;

struct pymodules *pymodules_new(const struct image *img, size_t view, const struct profile *p,
                                const struct stdlib *sl);
void pymodules_free(struct pymodules *pm);

/** The module of an absolute dotted name (its parents imported first; the first that is
 * missing is the answer). Borrowed from pm. */
const struct pymod *pymodules_find(struct pymodules *pm, const char *dotted);

/** The absolute name of a module file m (below its sys.path entry), or NULL. Fresh. */
char *pymodules_name_of(const struct member *m);

/* One import of the handler's chain that fails. */
struct pychain_miss {
    const struct member *from; /* the source whose import fails */
    unsigned line;
    char *module;        /* the absolute module that is missing */
    char *error;         /* Python's words */
    struct strvec chain; /* the modules from the handler's to from's, then the missing one */
    const struct stdlib_removed *removed; /* a module the runtime's standard library removed */
};

struct pychain {
    char *module;                /* the handler's module, dotted ("src.api.bookings") */
    const struct pymod *handler; /* its resolution (borrowed from the resolver) */
    bool *on_chain;              /* per member of the image: its module runs when the handler's is
                              * imported */
    struct pychain_miss *miss;
    size_t miss_nr, miss_alloc;
};

/**
 * The chain of the handler's module (MODULE.FUNCTION as Lambda's Handler says it, "/" read
 * as "."): the modules importing it runs, and the imports among them that fail.
 */
void pychain_build(struct pychain *out, struct pymodules *pm, const char *handler);
void pychain_release(struct pychain *c);

#endif
