/* SPDX-License-Identifier: MIT */
/*
 * The image backend's inside, shared by its files: bundle_archive.c (the archive's files and
 * JSON), bundle_image.c (the index, manifest and config, the platform picked, the backend),
 * bundle_layers.c (the layers listed with libarchive, whiteouts applied), bundle_stream.c
 * (the layers streamed again for the members wanted) and bundle_digest.c (content digests,
 * nettle). Only this folder includes it.
 *
 * Ownership: the layers belong to the image state (bundle_image.c), which frees them with
 * layers_release(); a layer's fd is its own when fd_owned, else the archive's (borrowed).
 */
#ifndef ANALYZER_BUNDLE_IMAGE_INT_H
#define ANALYZER_BUNDLE_IMAGE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "bundle_int.h"
#include "strmap.h"

/* A content digest as OCI writes it: "sha256:<64 hex>" or "sha512:<128 hex>". */
enum digest_alg { DIGEST_NONE, DIGEST_SHA256, DIGEST_SHA512 };

struct digester;

/**
 * Parse an OCI digest; the algorithm, or DIGEST_NONE when the string is not a digest of a
 * supported algorithm with its exact length of lower-case hex.
 */
enum digest_alg digest_parse(const char *digest);

/** A digester for alg (not DIGEST_NONE); digester_free() frees it (NULL accepted). */
struct digester *digester_new(enum digest_alg alg);
void digester_update(struct digester *dg, const void *data, size_t len);
/** "sha256:<hex>" of what was fed. Fresh string, caller frees. */
char *digester_final(struct digester *dg);
void digester_free(struct digester *dg);

/* A run of bytes in a file: a member of the archive tar, or a blob file of a layout. */
struct blob {
    int fd;
    uint64_t off, len;
};

/* An image archive's files (bundle_archive.c): a tar's members where their data starts, or
 * an OCI layout directory's files. */
struct outer {
    char *name;
    char *link; /* a symbolic link's target, or a hard link's (then hard) */
    bool hard, regular;
    uint64_t off, len;
};

struct image_archive {
    int fd;    /* the archive (tar forms), -1 for a layout */
    int dirfd; /* the layout directory, -1 for the tar forms */
    struct outer *outer;
    size_t outer_nr, outer_alloc;
    struct strmap by_name; /* outer name -> index + 1 (the last member of a name) */
};

/** Every member of the tar at ar->fd (uncompressed), by name; -1 with d set. */
int archive_index_tar(struct image_archive *ar, const char *path, struct diag *d);

/** The tar's member of that (normalised) name, or NULL. */
const struct outer *archive_member(const struct image_archive *ar, const char *name);

/**
 * The bytes of the archive's file name, links of a tar followed within it; a layout's file
 * is opened for it and handed over in *owned (else -1). 0, or -1 with why set.
 */
int archive_blob(const struct image_archive *ar, const char *name, struct blob *out, int *owned,
                 char *why, size_t cap);

/** A small JSON file of the archive, whole, its digest checked when given; caller deletes. */
int archive_json(const struct image_archive *ar, const char *name, const char *digest, cJSON **out,
                 char *why, size_t cap);

void archive_release(struct image_archive *ar);

/** "blobs/sha256/<hex>" for a digest a layout can hold, NULL for any other. Caller frees. */
char *archive_blob_name(const char *digest);

/** A string member of a JSON object, or NULL; a list of them appended to out. */
const char *json_str(const cJSON *obj, const char *key);
void json_strs(struct strvec *out, const cJSON *obj, const char *key);

/** "os/arch[/variant]" with the aliases folded (x86_64 is amd64, arm64/v8 is arm64); NULL
 * without an arch. platform_normal() the same of a "--platform" string. Caller frees. */
char *platform_of(const char *os, const char *arch, const char *variant);
char *platform_normal(const char *want);

/* The compression a layer's media type says (image-spec media-types.md). */
enum layer_comp { COMP_UNSAID, COMP_NONE, COMP_GZIP, COMP_ZSTD };

struct layer {
    char *where;       /* its path in the archive: "blobs/sha256/<hex>", "<id>/layer.tar" */
    struct blob src;   /* where its bytes are; fd -1 when the blob is missing */
    bool fd_owned;     /* src.fd was opened for this layer (a layout's blob file) */
    char *digest;      /* the digest of its stored bytes that the image gives, or NULL */
    bool diff_id;      /* digest is the config's diff_id (a legacy docker save), not a
                        * manifest's descriptor */
    uint64_t declared; /* the size its descriptor gives (declared_set), in bytes */
    bool declared_set;
    enum layer_comp comp;
    char *problem;     /* why it cannot be applied, in words (not in the archive, a foreign
                        * layer), NULL when it can */
    uint64_t tar_size; /* its tar stream's bytes, uncompressed, to the stream's very end */
};

/* libarchive's view of a blob (bundle_layers.c): pread from its run, the digest (when dg) fed
 * with what is handed over; without a digest, an uncompressed layer's unread members are
 * skipped over. */
struct range {
    struct blob src;
    uint64_t pos;
    unsigned char *buf;
    struct digester *dg;
    char why[160];
};

struct archive;

/** A tar reader over r (plain, gzip or zstd); NULL with why set. range_close() frees both. */
struct archive *range_open(struct range *r, char *why, size_t cap);
void range_close(struct archive *a, struct range *r);

/* What a layer's tar header says is at a path (bundle_layers.c lists them). */
enum rec_type {
    REC_FILE,
    REC_DIR,
    REC_SYMLINK,
    REC_HARDLINK,
    REC_SPECIAL,
    REC_WHITEOUT, /* path: what it removes from the layers below */
    REC_OPAQUE,   /* path: the directory whose content below it hides */
    REC_BAD,      /* a name no layer may hold; path as written, problem says why */
};

struct record {
    char *path;
    char *link;
    char *problem;
    uint64_t size, ordinal;
    size_t layer;
    enum rec_type type;
    uint32_t mode;
};

/* One layer's headers, as listed (each layer on its own thread, merged in order); the
 * listing owns the records' strings. */
struct listing {
    struct record *v;
    size_t nr, alloc;
    char *problem;
    uint64_t tar_size;
    bool capped; /* stopped at the entry limit */
};

/** Apply the listings of the nr layers in order (bundle_layers_apply.c): the survivors become
 * b's entries, sorted by path; a record's layer is set to its layer's index. */
void layers_apply(struct bundle *b, struct layer *layers, struct listing *ls, size_t nr);

/*
 * List every layer on up to jobs threads (its headers, its digest checked as its bytes
 * stream by), apply them in order with their whiteouts, and add the resulting filesystem to
 * b's entries, sorted by path. Returns 0 with the layers' uncompressed bytes in *tar_total,
 * or -1 with d naming the first layer that cannot be read and saying why in words
 * (truncated, not gzip data, a digest that does not match): no filesystem is made of an
 * image missing a layer, so nothing is checked in it. A name no layer may hold becomes an
 * image_level entry saying why.
 */
int layers_list(struct bundle *b, struct layer *layers, size_t nr, unsigned jobs,
                uint64_t *tar_total, struct diag *d);

/** The streamed reading of bundle.h, over the layers layers_list() listed. */
void layers_stream(struct bundle *b, const struct layer *layers, size_t nr, const bool *want,
                   unsigned jobs, bundle_visit_fn *visit, void *ctx);

void layers_release(struct layer *layers, size_t nr);

#endif
