/* SPDX-License-Identifier: MIT */
/*
 * Orchestration of the reading phase: bundle -> classify -> elfinfo and
 * dist-info -> image. Reads only what each member's role needs.
 *
 * Ownership: the image is the caller's; scan_input() adds to it.
 */
#ifndef ANALYZER_SCAN_H
#define ANALYZER_SCAN_H

#include "diag.h"
#include "image.h"
#include "pyname.h"

struct bundle_limits; /* input/bundle.h: the caller, who sets them, includes it */

/* How an input is to be checked. */
enum scan_as {
    SCAN_GUESS,    /* a function bundle, or a layer when its content says so */
    SCAN_FUNCTION, /* a function bundle (--role function) */
    SCAN_HOST,     /* the function bundle that --layer options belong to */
    SCAN_LAYER,    /* a layer on its own, /opt under an empty function (--role layer) */
    SCAN_LAYER_OF, /* a layer of the function read last (--layer) */
};

/* What every input of a run is read with. */
struct datadir;

struct scan_opts {
    const struct bundle_limits *limits;
    const struct pyname *grammar;
    unsigned jobs;   /* threads that read one input's members (0 or 1: the caller's only) */
    bool jobs_given; /* --jobs: use them whatever the input's size (else only when it pays) */
    /* The architecture the function is configured with, and why ("--arch", "Lambda's
     * default"): a container image's own is compared with it (image-arch-mismatch). */
    const char *function_arch;
    const char *function_arch_why;
    /* A directory's zip estimated (the size plan's, when it is asked for): each file's
     * stored bytes are what zip -r would make of it (input/bundle.h bundle_deflated_size),
     * which reads every file whole. */
    bool estimate_zip;
    /* The function's handler, MODULE.FUNCTION, and where it was said; NULL when nothing
     * says (image_handler() then guesses). */
    const char *handler;
    const char *handler_why;
    /* The data: the top-level modules a Python release removed from its standard library
     * (rules/stdlib.json, loaded when a source file is first met). With no handler declared,
     * a source file is read for nothing but its imports of those (stdlib-module-removed) and
     * of the extension modules beside it (their fallbacks), so only one whose import lines
     * name one is read. NULL: every source file is read. */
    const struct datadir *data;
};

/**
 * Read every entry of the input at path into img, in the role as says. Returns -1 with d
 * set only when the input itself cannot be read; a bad member becomes a member with a
 * problem (a finding later), never an error.
 */
int scan_input(struct image *img, const char *path, enum scan_as as, const struct scan_opts *o,
               struct diag *d);

/** After the last input: tie members to their distributions. */
void scan_finish(struct image *img);

#endif
