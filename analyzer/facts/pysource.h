/* SPDX-License-Identifier: MIT */
/*
 * What a Python source file says about the modules on the way to extension modules (the
 * extension modules of its directory, the Python modules beside them, the packages below
 * it): which of them it imports under a guard (`try: from ._speedups import x` / `except
 * ImportError:`, `with suppress(ImportError):`), and which without one. A failed import is
 * caught when every import on each chain that leads to it is guarded somewhere along the
 * chain (model/imports.h): the function goes on in pure Python.
 * A reading by lines and indentation, not a parse: the try body must name the module, the
 * except catch ImportError (or ModuleNotFoundError, Exception, BaseException, a tuple
 * naming one, everything), and its handler not raise again.
 *
 * Ownership: names appended to out are fresh copies the strvec owns.
 */
#ifndef ANALYZER_PYSOURCE_H
#define ANALYZER_PYSOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "strvec.h"

/* Source files larger than this are not read for guards (no fallback shim is). */
#define PYSOURCE_MAX (256u << 10)

/** Append to guarded each of modules that text imports under such a guard, and to
 * unguarded each it imports elsewhere (a line that imports and names the module as a whole
 * identifier; psycopg2/extensions.py imports _psycopg both ways). */
void pysource_imports(const char *text, size_t len, const struct strvec *modules,
                      struct strvec *guarded, struct strvec *unguarded);

/* What a source file does when it is imported: its module-level import statements (not in
 * a def, not under `if TYPE_CHECKING:` or `if __name__ == "__main__":`, not under any
 * other if, loop or except clause, whose running depends on something abiscan does not
 * know), and, when asked, the names it binds at module level (def, async def, class,
 * assignment, import, for and with targets). The same reading by lines and indentation,
 * with strings, comments, brackets and continuation lines skipped as Python's tokenizer
 * does, so that a docstring's "import x" is no import. */
struct pyimport {
    char *module;  /* as written: "a.b", or relative: "..a", "." */
    char *name;    /* `from M import name`: the name ("*" for all), else NULL */
    unsigned line; /* 1-based */
    bool guarded;  /* under a try whose except catches ImportError without raising again,
                    * or `with suppress(ImportError):`: its failure is caught */
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
};

/** Read text's module-level imports (and what want asks, enum pysource_want) into out. */
void pysource_read(const char *text, size_t len, unsigned want, struct pysource *out);

void pysource_release(struct pysource *s);

#endif
