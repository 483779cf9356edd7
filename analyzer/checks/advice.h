/* SPDX-License-Identifier: MIT */
/*
 * The fixes the checks advise, written to work when pasted: the pip command that
 * reinstalls a member's distribution for the target runtime (every manylinux platform
 * the target's glibc runs, the name pip finds wheels under, a pin only where the metadata
 * can be trusted), and the words for a distribution the bundle does not name.
 *
 * Ownership: returned strings are fresh; the caller frees them.
 */
#ifndef ANALYZER_ADVICE_H
#define ANALYZER_ADVICE_H

#include "check.h"

/**
 * "pip install --platform manylinux_2_34_x86_64 ... --implementation cp --python-version
 * 3.12 --only-binary=:all: --target ./package numpy==1.24.2", one line a POSIX shell runs
 * as it is (every value from the bundle's metadata or paths one shell word); "-r
 * requirements.txt" for a member no distribution owns; NULL when a value cannot be a word
 * on one line (a newline in a name). *note: the words the command cannot say (what to do
 * when the pinned release has no wheel for the target's Python, why the name changes), or
 * NULL; fresh.
 */
char *advice_pip(const struct check_ctx *ctx, const struct member *m, char **note);

/** "numpy==1.24.2", "kiwisolver" (a version that cannot be pinned), or words for none. */
char *advice_requirement(const struct check_ctx *ctx, const struct distribution *dist);

#endif
