/* SPDX-License-Identifier: MIT */
/*
 * Paths as strings: the one normaliser every layer uses (member names in archives,
 * paths in RECORD files, absolute paths in the Lambda filesystem view), and the
 * small helpers around it. Nothing here touches the file system.
 *
 * Ownership: path_normalize() returns a fresh string the caller frees; the other
 * functions return pointers into their argument or nothing.
 */
#ifndef ANALYZER_PATH_H
#define ANALYZER_PATH_H

#include <stdbool.h>
#include <stddef.h>

enum path_mode {
    /* A member name as an archive stores it: relative, "." and empty segments dropped, a
     * leading '/' dropped. ".." is kept as written, never resolved: the name is hostile
     * and is reported as it stands. *escapes: absolute, or any ".." segment. */
    PATH_MEMBER,
    /* A path relative to a root (RECORD entries): ".." resolved. *escapes: it climbs above
     * the root (the result is then the part that stayed below it). */
    PATH_RELATIVE,
    /* An absolute path in the Lambda filesystem: always starts with '/', ".." resolved and
     * clamped at "/" as the kernel does. *escapes: a ".." was clamped. */
    PATH_ABSOLUTE,
};

/**
 * Normalise raw: fold "//", drop "." segments and a trailing '/', handle ".." as mode says.
 * escapes may be NULL. Returns a fresh string ("" for an empty relative result, "/" for an
 * empty absolute one).
 */
char *path_normalize(const char *raw, enum path_mode mode, bool *escapes);

/** The part after the last '/' (the whole string when there is none). */
const char *path_base(const char *path);

/** The length of the directory part: up to, not including, the last '/' (0 when none). */
size_t path_dir_len(const char *path);

/**
 * The path from directory from_dir to path to, both relative to one root and normalised
 * ("" is the root): path_relative("a/b", "a/c/x.so") is "../c/x.so". Fresh string.
 */
char *path_relative(const char *from_dir, const char *to);

/*
 * What a tree holds at the first len bytes of path (an absolute path): the target of the
 * symbolic link there, as stored, or NULL when there is no link.
 */
typedef const char *path_link_fn(void *ctx, const char *path, size_t len);

/**
 * Resolve every symbolic link on the way of abs (an absolute path), in a tree link_of
 * describes: a link to a directory in the middle counts, as in the kernel's path walk; a
 * relative target is taken from the link's directory. Returns a fresh normalised absolute
 * path, or NULL when more than max_hops links were followed (a loop).
 */
char *path_resolve(const char *abs, path_link_fn *link_of, void *ctx, int max_hops);

/** True when s ends with suffix. */
bool path_has_suffix(const char *s, const char *suffix);

#endif
