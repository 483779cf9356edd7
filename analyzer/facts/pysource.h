/* SPDX-License-Identifier: MIT */
/*
 * What a Python source file beside extension modules says about them: which of them it
 * imports under a guard (`try: from ._speedups import x` / `except ImportError:`), so that
 * a module that fails to import falls back to pure Python instead of failing the function.
 * A reading by lines and indentation, not a parse: the try body must name the module, the
 * except catch ImportError (or ModuleNotFoundError, Exception, everything), and its handler
 * not raise again.
 *
 * Ownership: names appended to out are fresh copies the strvec owns.
 */
#ifndef ANALYZER_PYSOURCE_H
#define ANALYZER_PYSOURCE_H

#include <stddef.h>

#include "strvec.h"

/* Source files larger than this are not read for guards (no fallback shim is). */
#define PYSOURCE_MAX (256u << 10)

/** Append to out each of modules that text imports under such a guard (named as a whole
 * identifier in the try body). */
void pysource_guards(const char *text, size_t len, const struct strvec *modules,
                     struct strvec *out);

#endif
