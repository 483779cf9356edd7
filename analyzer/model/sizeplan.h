/* SPDX-License-Identifier: MIT */
/*
 * The size plan of one function with its layers (or a layer alone): where its
 * bytes go, what can go with the exact bytes each step saves, and whether it then fits.
 * Computed from the image's facts only (sizes, paths, distributions, ELF section sizes,
 * CRCs): abiscan never rewrites a bundle, it says what to leave out when it is made.
 *
 * What each kind of saving is, and why it is safe or a choice:
 *   SIZE_TESTS     tests/ and test/ directories inside packages (below a sys.path entry,
 *                  not at its top: a function's own tests/ is the user's business)
 *   SIZE_PYCACHE   __pycache__ files Lambda's Python never reads: another Python's tag,
 *                  another implementation's, or an optimisation level (.opt-1/.opt-2)
 *   SIZE_DISTINFO  *.dist-info / *.egg-info files nothing reads at run time (INSTALLER,
 *                  REQUESTED, WHEEL, direct_url.json, SOURCES.txt, ...); METADATA,
 *                  RECORD, entry_points.txt, top_level.txt and licences are kept
 *   SIZE_SOURCES   C, C++, Cython, Fortran, CUDA and assembly sources and headers, f2py
 *                  signatures
 *   SIZE_STUBS     type stubs (.pyi): read by type checkers, never imported
 *   SIZE_STATIC    static libraries (.a) and relocatable objects (.o): nothing loads them
 *   SIZE_SHADOWED  a layer's copy of what the runtime never imports: a package the function
 *                  has too (/var/task comes first on sys.path), or a file a later layer
 *                  extracts over in /opt
 *   SIZE_DEBUG     what strip --strip-unneeded takes out of an ELF file: its debug sections
 *                  and symbol table, their headers, names and padding (elfinfo.h
 *                  strip_saves: to the byte where binutils' layout is modelled)
 *   SIZE_DUPLICATE a library vendored twice (the same bytes, or the same SONAME)
 *   SIZE_PROVIDED  distributions the runtime already provides (rules/limits.json)
 * The first seven are removable: they go in the exclude list (zip -x@FILE). Stripping is
 * done to the files before zipping. Duplicates and provided packages are choices: a copy
 * replaced by a symbolic link, your own SDK dropped for the runtime's.
 *
 * Ownership: struct size_plan owns every string and array in it (nothing points into the
 * image); sizeplan_release() frees them, and accepts a zeroed struct.
 */
#ifndef ANALYZER_SIZEPLAN_H
#define ANALYZER_SIZEPLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strvec.h"

struct image;
struct lambda_limits;

enum size_kind {
    SIZE_TESTS,
    SIZE_PYCACHE,
    SIZE_DISTINFO,
    SIZE_SOURCES,
    SIZE_STUBS,
    SIZE_STATIC,
    SIZE_SHADOWED,
    SIZE_DEBUG,
    SIZE_DUPLICATE,
    SIZE_PROVIDED,
    SIZE_KIND_NR
};

/* One saving: a file, or a tree ("pandas/tests/"), of one input. */
struct size_item {
    enum size_kind kind;
    size_t input;   /* the input it is in (an index of the image's inputs) */
    char *path;     /* relative to the input's root; a tree ends in '/' */
    uint64_t bytes; /* what leaving it out (or stripping it) saves */
    size_t files;
    char *detail; /* debug: the strip command; duplicate: the copy it repeats; provided:
                   * the distribution; shadowed: the copy the runtime imports instead */
};

/* Bytes per distribution of each input. Without metadata, per top-level package (the first
 * directory below a sys.path entry) or module; name NULL: the other files no distribution
 * owns (a README at the top). */
struct size_dist {
    char *name;
    char *version;
    bool metadata;   /* a distribution its *.dist-info or *.egg-info names */
    bool rest;       /* a container image's bytes outside its task root and /opt: its system,
                      * its Python, the tar streams' headers (name NULL) */
    size_t input;    /* the input it is in: the same distribution in two is listed twice */
    uint64_t bytes;  /* unzipped */
    uint64_t stored; /* in the zip (compressed) */
    size_t files;
    uint64_t removable; /* of bytes: what the removable savings take out of it */
    uint64_t strip;     /* what strip saves on its ELF files that stay */
};

/* The treemap's leaves: bytes per distribution and directory. */
struct size_cell {
    size_t dist; /* index into dists */
    char *dir;   /* the directory, relative to the input's root ("" at the root) */
    size_t input;
    size_t files;
    uint64_t bytes, removable, strip;
};

/* One zip uploaded on its own: the function's, or a layer's. Lambda weighs each against a
 * direct upload's limit apart (doc/sources.md#limits); the unzipped limit counts them
 * together. */
struct size_upload {
    size_t input;
    bool known;             /* a zip, or a directory whose zip was estimated */
    bool estimated;         /* a directory: what zip -r would make of it, estimated */
    uint64_t zipped;        /* now: the zip's bytes, or the estimate (0 when not known) */
    uint64_t after;         /* after the exclude list: the members that stay, as they are
                             * compressed, with their headers (strip makes it smaller still) */
    uint64_t after_choices; /* after, without the duplicates and the runtime's packages */
};

/* The verdict after the plan: both limits are weighed. */
enum size_verdict {
    SIZE_FITS,           /* the unzipped limit, and each zip under a direct upload's */
    SIZE_OVER_UNZIPPED,  /* still over the unzipped limit (S3 does not help) */
    SIZE_OVER_UPLOAD,    /* within the unzipped limit, but a zip over a direct upload's: S3 */
    SIZE_UPLOAD_UNKNOWN, /* within the unzipped limit; a directory's zip was not estimated */
};

struct size_plan {
    size_t view;           /* the input heading the function (its index) */
    bool image;            /* a container image: its layers against the image limit; the
                              * distributions and savings are those under its task root and
                              * /opt (what its Dockerfile copies), no zip */
    uint64_t *layer_bytes; /* an image's layers, each its tar stream's bytes, in order */
    size_t layers_nr;
    char *why_not;               /* no plan could be made: why, in a line (the rest is empty) */
    char *runtime;               /* the runtime the plan was made for, NULL: any */
    uint64_t unzipped;           /* every file of the function and its layers; an image's layers'
                              * tar streams, uncompressed (what its limit counts) */
    uint64_t zipped;             /* the head's zip (uploads[0].zipped; 0 when not known) */
    struct size_upload *uploads; /* the head, then its layers, in input order */
    size_t uploads_nr;
    uint64_t limit;          /* Lambda's unzipped limit (function and layers); an image's */
    uint64_t zipped_limit;   /* a direct upload's */
    uint64_t image_limit;    /* a container image's, the way out */
    unsigned warn_percent;   /* the size-limit warning's share */
    struct size_dist *dists; /* heaviest first */
    size_t dists_nr;
    struct size_item *items; /* by kind, then heaviest first */
    size_t items_nr, items_alloc;
    uint64_t saving[SIZE_KIND_NR];
    size_t count[SIZE_KIND_NR]; /* files */
    uint64_t removable;         /* the removable kinds: the exclude lists */
    uint64_t after;             /* unzipped - removable - debug: what is left */
    uint64_t after_choices;     /* after - duplicates - provided */
    enum size_verdict verdict;
    bool fits;             /* verdict == SIZE_FITS: both limits hold */
    bool fits_unzipped;    /* after <= limit */
    uint64_t zipped_over;  /* the most a zip is over a direct upload's limit after it */
    struct strvec exclude; /* zip -x patterns, one per line, relative to its input */
    size_t *exclude_input; /* the input of each (each zip is rebuilt on its own) */
    struct size_cell *cells;
    size_t cells_nr, cells_alloc;
};

/**
 * The plan of view (a function's input index, or a layer alone) for runtime ("python3.12";
 * NULL: the runtime is not known, so no __pycache__ tag is judged another's).
 */
void sizeplan_build(struct size_plan *out, const struct image *img, size_t view,
                    const char *runtime, const struct lambda_limits *limits);

void sizeplan_release(struct size_plan *p);

/* The size plans of an image's views, each built when first asked for: the size-limit
 * check's and the report's one plan (a plan is not cheap: every member weighed). */
struct size_plans {
    struct size_plan *p; /* per input, those with built[i] */
    bool *built;
    size_t nr;
};

/** The plan of view (< nr), built on first use, with sizeplan_build()'s arguments. */
const struct size_plan *sizeplans_of(struct size_plans *ps, const struct image *img, size_t view,
                                     const char *runtime, const struct lambda_limits *limits);

/** Each built plan released, and the arrays; ps zeroed. */
void sizeplans_release(struct size_plans *ps);

/** A distribution for people: "numpy 1.24.2", "mypkg (no metadata)", "(no distribution)".
 * Caller frees. */
char *sizeplan_dist_label(const struct size_dist *d);

/** "tests", "caches", "dist-info", "sources", "debug", "duplicates", "provided". */
const char *sizeplan_kind_name(enum size_kind k);

/** What a kind is, for people: "tests/ directories inside packages". */
const char *sizeplan_kind_text(enum size_kind k);

/** Whether leaving a kind out is safe (the exclude list) rather than a choice. */
bool sizeplan_kind_removable(enum size_kind k);

/** A one-line summary of the savings and the verdict after them, both limits (the
 * size-limit finding's tail). Caller frees. */
char *sizeplan_summary(const struct size_plan *p);

/** The verdict in words: "fits both limits", "still over the unzipped limit", ... */
const char *sizeplan_verdict_text(enum size_verdict v);

/** The bytes of a zip's member besides its content: its local and central headers, which
 * name it twice (estimated: with the extra fields zip -r writes). */
uint64_t sizeplan_zip_overhead(const char *path, bool estimated);

#endif
