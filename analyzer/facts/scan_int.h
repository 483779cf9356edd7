/* SPDX-License-Identifier: MIT */
/*
 * The reading phase's inside, shared by scan.c (inputs read member by member: zip,
 * directory, file) and scan_image.c (a container image, whose layers stream by once).
 * Only this folder includes it.
 *
 * Ownership: a reading borrows its image and bundle; its pending list, readers and the
 * bytes a pending member holds are its own, freed before it ends.
 */
#ifndef ANALYZER_SCAN_INT_H
#define ANALYZER_SCAN_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "bundle.h"
#include "image.h"
#include "scan.h"
#include "strmap.h"

/* Metadata files are small; a larger one is not metadata we can use. */
#define DISTINFO_MAX (16u << 20)

/* What a member needs read, decided from its entry alone. */
enum need {
    NEED_NONE,
    NEED_LINK,     /* a zip's link: its content is its target */
    NEED_HEAD,     /* the first bytes, and all of it when they say ELF */
    NEED_DISTINFO, /* a *.dist-info file, whole */
    NEED_TEXT,     /* an image's system file the container facts read (os-release, ...) */
    NEED_SOURCE,   /* Python source on sys.path: what it imports, and how */
    NEED_PACKAGE,  /* a package.json in node_modules: the platforms it is for (npmpkg.h) */
    NEED_SCRIPT,   /* a package's index.js in node_modules: whether it catches node-gyp-build */
};

struct pending {
    size_t member; /* index in img->members, or in img->sys when sys */
    bool sys;
    const struct bundle_entry *e;
    enum need need;
    bool whole;                   /* read whole: ELF by its first bytes, or metadata */
    bool classify;                /* pyclass_classify() once its bytes are in */
    bool crc;                     /* CRC-32 its bytes (a directory's ELF file whose size another
                                   * has: a copy the size plan may find); a zip says its own */
    struct bundle_bytes bytes;    /* streamed metadata, kept until it is read in order */
    const struct strmap *modules; /* NEED_SOURCE: the extension modules beside it (a set), or
                                   * NULL */
    bool estimate;                /* read whole for what zip -r would store of it */
    bool names;                   /* NEED_SOURCE: the handler's module: the names it binds too */
};

/* One input being read: its bundle, its members that need bytes, a reader per thread. */
struct reading {
    struct image *img;
    struct bundle *b;
    struct pending *p;
    size_t nr, alloc;
    size_t *elf; /* indices in p of the members read whole (ELF, Python source) */
    size_t elf_nr;
    struct strmap modules; /* directory -> the extension module names in it (strmap *, a set) */
    struct strmap removed; /* the removed stdlib modules (scan_opts.data), as a set */
    char *handler_rel;     /* the declared handler's module as a path ("src/api/bookings"),
                            * or NULL */
    struct bundle_reader **readers;
    unsigned readers_nr, jobs;
    bool estimate;                      /* a directory's zip is estimated */
    struct bundle_deflater **deflaters; /* one per reader, made when a zip is estimated */
};

struct member *scan_member_of(const struct reading *rd, const struct pending *p);

/** The most recent function input of img (the one a --layer belongs to), or SIZE_MAX. */
size_t scan_last_function(const struct image *img);

/** Input's role in img (function, layer, the layer of which function), from as and what the
 * top of its entries holds (scan_role.c). */
void scan_set_role(struct image *img, struct image_input *in, size_t input, enum scan_as as,
                   const struct bundle_entry *entries, size_t nr);

/** The entry as a member, and what it needs read (appended to rd->p); nothing is read yet. */
void scan_list_entry(struct reading *rd, size_t input, const struct bundle_entry *e);

/** A container image's input: its facts planned from the entries (container.h). */
void scan_image_plan(struct image *img, size_t input, struct bundle *b, const struct scan_opts *o);

/** Every entry of an image into img: listed, the wanted members streamed, then read in order. */
void scan_image_read(struct image *img, size_t input, struct bundle *b, const struct scan_opts *o);

#endif
