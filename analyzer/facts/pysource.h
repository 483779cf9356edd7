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

#include <stddef.h>

#include "strvec.h"

/* Source files larger than this are not read for guards (no fallback shim is). */
#define PYSOURCE_MAX (256u << 10)

/** Append to guarded each of modules that text imports under such a guard, and to
 * unguarded each it imports elsewhere (a line that imports and names the module as a whole
 * identifier; psycopg2/extensions.py imports _psycopg both ways). */
void pysource_imports(const char *text, size_t len, const struct strvec *modules,
                      struct strvec *guarded, struct strvec *unguarded);

#endif
