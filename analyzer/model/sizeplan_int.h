/* SPDX-License-Identifier: MIT */
/*
 * What sizeplan.c and sizeplan_savings.c share: the plan being built, and the passes that
 * find the savings. Private to checks/.
 *
 * Ownership: struct building borrows the plan and the image; its arrays are sizeplan.c's.
 */
#ifndef ANALYZER_SIZEPLAN_INT_H
#define ANALYZER_SIZEPLAN_INT_H

#include <stddef.h>

#include "sizeplan.h"
#include "strmap.h"
#include "strvec.h"

struct image;

struct building {
    struct size_plan *p;
    const struct image *img;
    size_t *members; /* the view's members, by index */
    size_t nr;
    signed char *kind; /* per image member: its saving, or -1 */
    size_t *tree;      /* per image member of a tree that goes whole (tests/, a shadowed copy):
                        * the tree's length in its path */
    struct strmap trees;
};

/** A layer's copies the runtime never imports: what the function has too, what a later
 * layer extracts over. Before the other kinds: such a copy goes whole. */
void sizeplan_shadowed(struct building *b);

/** The removable kinds (tests, caches, dist-info, sources); tag: the runtime's pyc tag
 * ("cpython-312"), NULL when it is not known. */
void sizeplan_classify(struct building *b, const char *tag);

/** The distributions names lists (the runtime provides them): their files still there. */
void sizeplan_provided(struct building *b, const struct strvec *names);

/** Shared libraries vendored twice: every copy after the first. */
void sizeplan_duplicates(struct building *b);

/** ELF files, not left out already, that carry what strip removes. */
void sizeplan_debug(struct building *b);

#endif
