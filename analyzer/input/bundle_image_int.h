/* SPDX-License-Identifier: MIT */
/*
 * The image backend's inside, shared by its three files: bundle_image.c (the archive: its
 * blobs, the index, manifest and config, the platform picked), bundle_layers.c (the layers:
 * listed with libarchive, whiteouts applied, streamed) and bundle_digest.c (content digests,
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

#include "bundle_int.h"

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

struct layer {
    char *where;       /* its path in the archive: "blobs/sha256/<hex>", "<id>/layer.tar" */
    struct blob src;   /* where its bytes are; fd -1 when the blob is missing */
    bool fd_owned;     /* src.fd was opened for this layer (a layout's blob file) */
    char *digest;      /* the digest of its stored bytes that the image gives, or NULL */
    char *problem;     /* why it is not applied (set when listed), NULL when it is */
    uint64_t tar_size; /* its tar stream's bytes, as listed */
};

/*
 * List every layer on up to jobs threads (its headers, its digest checked as its bytes
 * stream by), apply them in order with their whiteouts, and add the resulting filesystem to
 * b's entries, sorted by path; a layer that cannot be applied becomes one image_level entry
 * saying why. Returns the layers' uncompressed bytes in *tar_total. Never fails: what is
 * wrong is in the entries.
 */
void layers_list(struct bundle *b, struct layer *layers, size_t nr, unsigned jobs,
                 uint64_t *tar_total);

/** The streamed reading of bundle.h, over the layers layers_list() listed. */
void layers_stream(struct bundle *b, const struct layer *layers, size_t nr, const bool *want,
                   unsigned jobs, bundle_visit_fn *visit, void *ctx);

void layers_release(struct layer *layers, size_t nr);

#endif
