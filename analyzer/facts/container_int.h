/* SPDX-License-Identifier: MIT */
/*
 * Private to facts/: what container.c and entrypoint.c share while they plan an image from
 * the list of its entries (names only): the entries as a tree of absolute paths, the
 * config's environment, exec's search of the PATH.
 *
 * Ownership: the tree borrows the entries; container_on_path() returns a fresh string.
 */
#ifndef ANALYZER_CONTAINER_INT_H
#define ANALYZER_CONTAINER_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "strvec.h"

struct bundle_entry;
struct container;

/* The PATH of a config that sets none (docker's default). */
#define CONTAINER_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* The image's entries, sorted by path. */
struct container_tree {
    const struct bundle_entry *v;
    size_t nr;
};

/* The value of name in a config's Env ("NAME=value"), the last definition's; or NULL. */
char *container_env_value(const struct strvec *env, const char *name);

/* What an absolute path leads to, links followed, whatever it is: its entry, or NULL with
 * *loop set when the links go round. */
const struct bundle_entry *container_lookup(const struct container_tree *t, const char *abs,
                                            bool *loop);

/* The first file named name on the directories of PATH, as an absolute path; NULL when
 * none holds one. Caller frees. */
char *container_on_path(const struct container_tree *t, const char *path, const char *name);

/* What Lambda starts (the ENTRYPOINT's, else CMD's file), and whether the image can start
 * it (entrypoint.c). */
void entrypoint_find_start(struct container *c, const struct container_tree *t);

/* The handler, when the image starts Lambda's runtime interface client (entrypoint.c). */
void entrypoint_find_handler(struct container *c);

#endif
