/* SPDX-License-Identifier: MIT */
/*
 * What a Python source file does when it is imported, read by pysource_read() (pystmt.c):
 * its module-level imports, guarded or not, the names it binds, whether it installs import
 * hooks. And, beside extension modules, which of them (and of the modules on the way to them)
 * it imports at all, guarded (`try: from ._speedups import x` / `except ImportError:`,
 * `with suppress(ImportError):`) or not: a failed import is caught when every import on each
 * chain that leads to it is guarded somewhere along the chain (model/imports.h), and the
 * function goes on in pure Python. A guard is a try whose except catches ImportError (or
 * ModuleNotFoundError, Exception, BaseException, a tuple naming one, everything) and whose
 * handler does not raise again.
 *
 * Ownership: names appended to strvecs are fresh copies the strvec owns.
 */
#ifndef ANALYZER_PYSOURCE_H
#define ANALYZER_PYSOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "strmap.h"
#include "strvec.h"

/* Source files larger than this are not read (no fallback shim or handler module is). */
#define PYSOURCE_MAX (256u << 10)

/* What a source file does when it is imported: its module-level import statements (not in
 * a def, not under `if TYPE_CHECKING:` or `if __name__ == "__main__":`, not under any
 * other if, loop or except clause, whose running depends on something abiscan does not
 * know), and, when asked, the names it binds at module level (def, async def, class,
 * assignment, import, for and with targets). The same reading by lines and indentation,
 * with strings, comments, brackets and continuation lines skipped as Python's tokenizer
 * does, so that a docstring's "import x" is no import. */
/* A bound on the Python version: version >= major.minor (ge), or version < major.minor. */
struct pycond_term {
    unsigned char ge, major, minor;
};

/* The version conditions an import runs under (`if sys.version_info >= (3, 12):`, its elif
 * and else, six's PY3), all of them true: it runs on the versions they hold on. */
#define PYCOND_MAX 4
struct pycond {
    unsigned char nr;
    struct pycond_term t[PYCOND_MAX];
};

/** The version test of an if or elif header, s to end (between the keyword and the colon),
 * as one bound; false when it is not one abiscan reads (pycond.c says which it does). */
bool pycond_parse(const char *s, const char *end, struct pycond_term *out);

/** Whether every bound of c holds on Python major.minor. */
bool pycond_holds(const struct pycond *c, int major, int minor);

struct pyimport {
    char *module;       /* as written: "a.b", or relative: "..a", "." */
    char *name;         /* `from M import name`: the name ("*" for all), else NULL */
    unsigned line;      /* 1-based */
    bool guarded;       /* under a try whose except catches ImportError without raising again,
                    * or `with suppress(ImportError):`: its failure is caught */
    bool runs;          /* it runs when the module is imported (PYSOURCE_ALL reads the others) */
    struct pycond cond; /* ... on the versions where these hold (runs true) */
};

struct pysource {
    struct pyimport *v;
    size_t nr, alloc;
    struct strvec names; /* PYSOURCE_NAMES: the module-level names it binds */
    bool dynamic;        /* `from M import *` or a module __getattr__: any name may be there */
    bool names_read;     /* names holds what it binds (pysource_read was asked to) */
    bool hooks; /* PYSOURCE_HOOKS: it touches sys.meta_path, sys.path_hooks or a package's __path__:
                          * its submodules may come from an import hook (six.moves,
                          * setuptools.extern), not from files */
};

/* What pysource_read() reads beside the imports. */
enum pysource_want {
    PYSOURCE_NAMES = 1 << 0, /* the names it binds (the handler's module) */
    PYSOURCE_HOOKS = 1 << 1, /* whether it installs import hooks (a package's __init__, a
                              * top-level module: a parent of submodules) */
    PYSOURCE_ALL = 1 << 2,   /* the imports that may not run on import too (under an if or a
                              * loop, in an except clause), with runs false; never those in a
                              * def, which run when it is called */
};

/** Read text's module-level imports (and what want asks, enum pysource_want) into out. */
void pysource_read(const char *text, size_t len, unsigned want, struct pysource *out);

void pysource_release(struct pysource *s);

/** Append to guarded each of modules (a set: name -> anything) that an import of s (read
 * with PYSOURCE_ALL) names under
 * a guard, and to unguarded each one names elsewhere (psycopg2/extensions.py imports _psycopg
 * both ways): a name of its dotted module or the name it imports from it. */
void pysource_module_imports(const struct pysource *s, const struct strmap *modules,
                             struct strvec *guarded, struct strvec *unguarded);

/** Whether a line of text that says "import" (with the lines a backslash or the brackets of
 * `from m import (` join to it) names
 * one of names or of more (sets; more may be NULL) as an identifier: a glance,
 * true for a docstring's "import cgi" too, that says whether pysource_read() could find an
 * import of one. */
bool pysource_imports_any(const char *text, size_t len, const struct strmap *names,
                          const struct strmap *more);

#endif
