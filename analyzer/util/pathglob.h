/* SPDX-License-Identifier: MIT */
/*
 * Globs on member paths, for suppressions: '*' and '?' stay inside one path segment,
 * a '**' segment spans any number of segments (zero included), "[abc]", "[a-z]" and
 * "[!abc]" are classes, and '\' quotes the next character. The pattern matches the
 * whole path: "*.so" is a top-level file, "**" + "/" + "*.so" one at any depth.
 *
 * The patterns come from a configuration file a pull request can change, so matching
 * is bounded: no recursion, and at most (pattern length) x (path length) steps, whatever
 * the pattern (the classic greedy wildcard algorithm with one backtrack point per level,
 * which never revisits a position twice for the same star).
 *
 * Ownership: nothing is kept; both strings are borrowed for the call.
 */
#ifndef ANALYZER_PATHGLOB_H
#define ANALYZER_PATHGLOB_H

#include <stdbool.h>
#include <stddef.h>

/** Whether pattern is well-formed: no unclosed '[', no trailing '\'. why says what is not. */
bool pathglob_valid(const char *pattern, const char **why);

/** Whether path (segments separated by '/') matches pattern. */
bool pathglob_match(const char *pattern, const char *path);

#endif
