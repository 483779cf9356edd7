/* SPDX-License-Identifier: MIT */
/*
 * Which tool installs a bundle's packages, for the one command that rebuilds it: the
 * command line's --installer or the configuration's installer:, else what the project beside
 * the bundle holds (uv.lock, poetry.lock, Pipfile.lock, a SAM template, requirements.txt),
 * looked for in the bundle's directory and its parents up to the repository root.
 *
 * Ownership: installer_find()'s why is fresh; the caller frees it.
 */
#ifndef ANALYZER_INSTALLER_H
#define ANALYZER_INSTALLER_H

#include "advice.h"

/**
 * The installer for the bundle at path (a file or a directory): named (--installer or the
 * configuration's; NULL: none named) wins; template: the --template the bundle was declared
 * in (a SAM template means sam build), or NULL. *why: what decided it, in words ("uv.lock
 * beside the bundle"), or NULL for the default, pip.
 */
struct installer installer_find(const char *path, const char *named, const char *template,
                                char **why);

#endif
