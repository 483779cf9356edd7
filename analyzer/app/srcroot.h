/* SPDX-License-Identifier: MIT */
/*
 * Where the repository is, and where each input is on disk, so that the formats a CI
 * system places on files (SARIF's SRCROOT, GitHub annotations' file=) can say paths
 * relative to the repository root whatever directory abiscan ran in. The file system is
 * asked here, in the application, so that the emitters stay pure: they get the strings
 * (struct report's path_base, struct report_input's real).
 *
 * Ownership: every result is a fresh string the caller frees.
 */
#ifndef ANALYZER_SRCROOT_H
#define ANALYZER_SRCROOT_H

#include "diag.h"

/**
 * The base paths are placed from: --path-base's directory (given), else the repository
 * root above the current directory (the first directory holding .git: git itself is never
 * run), else none (*out NULL). An absolute path, links resolved, no trailing '/' but for
 * "/". -1 with d set when given is not a directory.
 */
int srcroot_find(char **out, const char *given, struct diag *d);

/**
 * Where input name (a path as given: relative to the current directory, or absolute) is:
 * an absolute path, links resolved when it exists; when it does not, its directory's links
 * resolved and its last name kept (an input that could not be read is still placed). Only
 * the input itself is resolved, never a path inside it. NULL when the current directory
 * cannot be found.
 */
char *srcroot_locate(const char *name);

#endif
